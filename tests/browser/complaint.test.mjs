// 投诉举报 (首问责任, SPEC §8 R-SYS-3; docs/complaints-contract.md) through the web UI against a
// real server with the demo county and a fake clock: xincheng.officer registers a 12345 complaint
// from the 投诉举报 menu, records the investigation and replies to the complainant through the
// confirmation dialogs → the complaint is 已答复, the reply duty met on time, the numbered 登 and 答
// listed; another org's auditor sees it without the complainant's details.
// Run: XT_BIN=build/src/cli/xietong node --test tests/browser/complaint.test.mjs
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, api } from '../lib/server.mjs'
import { screenshot, signIn, noLoading } from '../lib/browser.mjs'

// Tuesday 2026-11-24 09:00 in Shanghai: a working day.
const NOW = '2026-11-24T09:00:00+08:00'
const CONTACT = '13700001234'

const server = await startServer({ fakeClock: NOW })
after(async () => {
  await server?.stop()
})

const signedIn = (username) => signIn(server, username)


/** Opens the step `action`, fills the dialog's fields, confirms; returns the effect text. */
async function step(page, action, fill) {
  await page.locator(`[data-test=act-${action}]`).click()
  const dialog = page.locator('.el-dialog:visible', { has: page.locator('[data-test=action-effect]') })
  await dialog.waitFor()
  const effect = (await dialog.locator('[data-test=action-effect]').innerText()).trim()
  for (const [name, value] of Object.entries(fill)) await dialog.locator(`[data-test=${name}]`).fill(value)
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/${action}`) && r.request().method() === 'POST'),
    dialog.locator('[data-test=action-confirm]').click(),
  ])
  assert.equal(res.status(), 200, await res.text())
  assert.ok(res.request().headers()['idempotency-key'], 'a step sends an Idempotency-Key')
  await dialog.waitFor({ state: 'hidden' })
  return effect
}

test('R-SYS-3: a complaint is registered, investigated and replied to on time', async () => {
  let id
  let s = await signedIn('xincheng.officer')
  try {
    const { page, errors } = s
    await page.locator('[data-test=menu-complaints]').click()
    await page.waitForURL(/\/complaints$/)
    await noLoading(page)
    await page.locator('[data-test=complaint-new]').click()
    await page.waitForURL(/\/complaints\/new$/)
    await page.locator('[data-test=channel-12345]').click()
    await page.locator('[data-test=complainant]').fill('赵某')
    await page.locator('[data-test=contact]').fill(CONTACT)
    await page.locator('[data-test=subject]').fill('人民路烧烤摊油烟扰民')
    await page.locator('[data-test=place]').fill('新城镇人民路66号')
    await page.locator('[data-test=content]').fill('每晚烧烤摊油烟直排，住户无法开窗。')
    await screenshot(page, 'complaint-form.png')
    const [created] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/complaints') && r.request().method() === 'POST'),
      page.locator('[data-test=complaint-submit]').click(),
    ])
    assert.equal(created.status(), 201, await created.text())
    id = (await created.json()).id
    await page.waitForURL(new RegExp(`/complaints/${id}$`))
    await page.locator('[data-test=complaint-state][data-state=registered]').waitFor()
    assert.match(await page.locator('[data-test=complaint-number]').innerText(), /^新城.*登〔2026〕[1-9]\d*号$/)
    assert.equal((await page.locator('[data-test=contact]').innerText()).trim(), CONTACT)
    await page.locator('[data-test=complaint-colour]').waitFor()

    const e1 = await step(page, 'investigate', { 'dlg-findings': '现场核实，烧烤摊确有油烟直排。' })
    assert.match(e1, /调查核实/)
    await page.locator('[data-test=complaint-state][data-state=investigated]').waitFor()
    const e2 = await step(page, 'reply', { 'dlg-reply': '已责令加装油烟净化设施，特此答复。' })
    assert.match(e2, /答复意见书/)
    await page.locator('[data-test=complaint-state][data-state=replied]').waitFor()
    await page.locator('[data-test=reply]', { hasText: '油烟净化设施' }).waitFor()
    assert.equal(await page.locator('[data-test=act-reply]').count(), 0, 'a replied complaint offers no more steps')

    await page.getByRole('tab', { name: /期限/ }).click()
    await page.locator('[data-test=complaint-duties]').getByText('按期').first().waitFor()
    await page.getByRole('tab', { name: /文书/ }).click()
    const docs = page.locator('[data-test=complaint-documents]')
    await docs.getByText(/登〔2026〕/).first().waitFor()
    await docs.getByText(/答〔2026〕/).first().waitFor()
    await screenshot(page, 'complaint-replied.png')

    // The list shows it replied; the export is there.
    await page.locator('[data-test=menu-complaints]').click()
    await noLoading(page)
    await page.locator('[data-test=complaints-table]').getByText('人民路烧烤摊油烟扰民').waitFor()
    assert.ok(await page.locator('[data-test=complaints-export]').getAttribute('href'))
    assert.deepEqual(errors, [], `console errors:\n${errors.join('\n')}`)
  } finally {
    await s.browser.close()
  }

  // The auditor sees the complaint, not the complainant (R-SYS-3 confidentiality).
  s = await signedIn('auditor')
  try {
    const { page, errors } = s
    await page.goto(`${server.url}/complaints/${id}`)
    await page.locator('[data-test=complaint-state][data-state=replied]').waitFor()
    await page.locator('[data-test=complainant-hidden]').waitFor()
    assert.equal(await page.locator('[data-test=contact]').count(), 0)
    assert.ok(!(await page.content()).includes(CONTACT))
    assert.deepEqual(errors, [], `console errors:\n${errors.join('\n')}`)
  } finally {
    await s.browser.close()
  }
  // And the API agrees: the reply duty was met on time.
  const c = (await (await api(server.url).login('xincheng.officer', server.password)).get(`/api/v1/complaints/${id}`)).json
  assert.equal(c.duties.find((d) => d.kind === 'complaint.reply').on_time, true)
})
