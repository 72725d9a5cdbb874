// 提请公安协助 (R-CRI-4, SPEC §10; docs/court-enforcement-police-support-contract.md) end to end
// through the web UI against a real server with the demo county and a fake clock:
//  1. xincheng.officer opens 行刑衔接 → 提请公安协助, fills the request (police org, action time,
//     place, reason, expected risk) and submits it → the numbered 提请公安机关协助函 (援) is issued
//     and the police's answer duty is open.
//  2. gaj.officer finds the duty in 待办, opens the request (R-CRI-5: the police see what is
//     addressed to them) and answers: will send 4 officers → the answer duty is met.
//  3. xincheng.officer records the outcome with violent obstruction, and hands it over to the
//     police, whose hand-over duty opens.
// Run: cd tests && npm ci && XT_BIN=../build/src/cli/xietong node --test browser/police_support.test.mjs
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, api } from '../lib/server.mjs'
import { screenshot, signIn } from '../lib/browser.mjs'

// Tuesday 2026-11-24 09:00 in Shanghai: a working day.
const NOW = '2026-11-24T09:00:00+08:00'
const server = await startServer({ fakeClock: NOW })
after(async () => {
  await server?.stop()
})
const agencyApi = await api(server.url).login('xincheng.officer', server.password)

const signedIn = (username) => signIn(server, username)
async function choose(page, selectSel, text) {
  await page.locator(selectSel).click()
  const option = page.locator('.el-select-dropdown__item:visible', { hasText: text }).first()
  await option.waitFor()
  await option.click()
}
async function typeDate(page, sel, value, closeOn) {
  const input = page.locator(`${sel} input`).first()
  await input.click()
  await input.fill(value)
  await input.press('Enter')
  await page.locator(closeOn).first().click()
}
async function confirmDialog(page, before) {
  const dialog = page.locator('.el-dialog:visible', { has: page.locator('[data-test=action-effect]') })
  await dialog.waitFor()
  const effect = (await dialog.locator('[data-test=action-effect]').innerText()).trim()
  if (before) await before(dialog)
  await dialog.locator('[data-test=action-confirm]').click()
  await dialog.waitFor({ state: 'hidden' })
  return effect
}
// A fresh session each time: the fake clock moves past the sessions' idle limit.
async function detailOf(id) {
  const c = await api(server.url).login('xincheng.officer', server.password)
  const res = await c.get(`/api/v1/police-support-requests/${id}`)
  assert.equal(res.status, 200, res.text)
  return res.json
}

test('R-CRI-4: request → police answer → outcome and hand-over, through the web UI', async () => {
  let id
  let s = await signedIn('xincheng.officer')
  try {
    const { page, errors } = s
    await page.locator('[data-test=menu-police-support-requests]').click()
    await page.waitForURL(/\/police-support-requests$/)
    await page.locator('[data-test=judicial-new]').click()
    await page.waitForURL(/\/police-support-requests\/new$/)
    await choose(page, '[data-test=judicial-to-org]', '新兴县公安局')
    await typeDate(page, '[data-test=judicial-action_at]', '2026-11-26 09:00', '[data-test=page-title]')
    await page.locator('[data-test=judicial-place]').fill('新城镇东堤路18号')
    await page.locator('[data-test=judicial-reason]').fill('依法强制拆除违法建筑')
    await page.locator('[data-test=judicial-risk]').fill('当事人曾扬言阻挠，现场可能聚集人员')
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/police-support-requests') && r.request().method() === 'POST'),
      page.locator('[data-test=judicial-submit]').click(),
    ])
    assert.equal(res.status(), 201, await res.text())
    id = (await res.json()).id
    await page.waitForURL(new RegExp(`/police-support-requests/${id}$`))
    await page.locator('[data-test=judicial-state][data-state=requested]').waitFor()
    assert.match(await page.locator('[data-test=judicial-number]').innerText(), /^新城执援〔2026〕[1-9]\d*号$/)
    await screenshot(page, 'police-support-requested.png')
    assert.deepEqual(errors, [], `console errors:\n${errors.join('\n')}`)
  } finally {
    await s.browser.close()
  }
  const requested = await detailOf(id)
  assert.equal(requested.duties.find((d) => d.kind === 'police_support.answer').state, 'open')

  // The police: from 待办 to the request, then the answer.
  s = await signedIn('gaj.officer')
  try {
    const { page, errors } = s
    await page.goto(`${server.url}/inbox`) // the start page is the workbench (issue 17)
    const link = page.locator(`[data-test=duty-link][href="/police-support-requests/${id}"]`).first()
    await link.waitFor()
    await link.click()
    await page.waitForURL(new RegExp(`/police-support-requests/${id}$`))
    await page.locator('[data-test=act-answer]').click()
    const effect = await confirmDialog(page, async (dialog) => {
      await dialog.locator('[data-test=action-decision-assist]').click()
      await dialog.locator('[data-test=action-officers] input, input[data-test=action-officers]').first().fill('4')
      await dialog.locator('[data-test=action-contact]').fill('新城派出所 王警官')
    })
    assert.match(effect, /新城/)
    await page.locator('[data-test=judicial-state][data-state=assisting]').waitFor()
    await page.locator('[data-test=judicial-record-answer]').waitFor()
    assert.match(await page.locator('[data-test=judicial-record-answer]').innerText(), /4/)
    assert.equal(await page.locator('[data-test=act-outcome]').count(), 0, 'only the agency records the outcome')
    await screenshot(page, 'police-support-answered.png')
    assert.deepEqual(errors, [], `console errors:\n${errors.join('\n')}`)
  } finally {
    await s.browser.close()
  }
  const answered = await detailOf(id)
  assert.equal(answered.answer.officers, 4)
  const duty = answered.duties.find((d) => d.kind === 'police_support.answer')
  assert.equal(duty.state, 'met')
  assert.equal(duty.on_time, true)

  // After the action: the outcome with obstruction, then the hand-over.
  await agencyApi.post('/api/v1/test/clock', { set: '2026-11-26T12:00:00+08:00' })
  s = await signedIn('xincheng.officer')
  try {
    const { page, errors } = s
    await page.goto(`${server.url}/police-support-requests/${id}`)
    await page.locator('[data-test=act-outcome]').click()
    await confirmDialog(page, async (dialog) => {
      await dialog.locator('[data-test=action-result]').fill('行动中当事人持木棍阻挠，经民警制止后完成拆除')
      await dialog.locator('[data-test=action-obstruction]').click()
    })
    await page.locator('[data-test=judicial-state][data-state=done]').waitFor()
    await page.locator('[data-test=act-hand-over]').click()
    await confirmDialog(page, async (dialog) => {
      await dialog.locator('[data-test=action-facts]').fill('当事人张某持木棍阻挠执法人员拆除违法建筑')
      await dialog.locator('[data-test=action-people]').fill('张某（男，45岁）')
    })
    await page.locator('[data-test=judicial-state][data-state=handed_over]').waitFor()
    await screenshot(page, 'police-support-handed-over.png')
    assert.deepEqual(errors, [], `console errors:\n${errors.join('\n')}`)
  } finally {
    await s.browser.close()
  }
  const handed = await detailOf(id)
  assert.equal(handed.outcome.obstruction, true)
  assert.equal(handed.duties.find((d) => d.kind === 'police_support.handover').state, 'open')
  assert.deepEqual(handed.timeline.map((t) => t.action), ['create', 'answer.assist', 'outcome', 'hand_over'])
})
