// 业务培训 (R-GUI-2, SPEC §7; docs/guidance-training-contract.md) end to end through the web UI
// against a real server with the demo county and a fake clock:
//  1. sthj.officer (生态环境分局, no training yet in the demo) opens 指导培训 → 培训管理, records a
//     training for 东成镇 (topic, date, place, hours, trainer, invited township) and submits it.
//  2. On the training's page: 登记出勤 ticks dongcheng.officer, then 结束培训 issues the numbered
//     业务培训记录 (训).
//  3. 年度培训情况: 生态环境分局 has 1 of the 2 required, not coloured in November; the officer's
//     hours are the training's; on 1 December (fake clock) the department is yellow.
//  4. dongcheng.officer sees their own hours only.
// Run: cd tests && XT_BIN=../build/src/cli/xietong node --test browser/training.test.mjs
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, api } from '../lib/server.mjs'
import { screenshot, signIn } from '../lib/browser.mjs'

// Tuesday 2026-11-24 09:00 in Shanghai.
const NOW = '2026-11-24T09:00:00+08:00'
const server = await startServer({ fakeClock: NOW })
after(async () => {
  await server?.stop()
})
const anon = api(server.url).anonymous()
const signedIn = (username) => signIn(server, username)
async function userId(username) {
  const c = await api(server.url).login(username, server.password)
  return (await c.get('/api/v1/me')).json.user.id
}
async function choose(page, selectSel, text, closeOn) {
  await page.locator(selectSel).click()
  const option = page.locator('.el-select-dropdown__item:visible', { hasText: text }).first()
  await option.waitFor()
  await option.click()
  if (closeOn) await page.locator(closeOn).first().click()
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
  if (before) await before(dialog)
  await dialog.locator('[data-test=action-confirm]').click()
  await dialog.waitFor({ state: 'hidden' })
}

test('R-GUI-2: record a training with attendance, close it, and see the yearly view', async () => {
  const officer = await userId('dongcheng.officer')
  let id
  let s = await signedIn('sthj.officer')
  try {
    const { page, errors } = s
    await page.locator('[data-test=menu-trainings]').click()
    await page.waitForURL(/\/trainings$/)
    await page.locator('[data-test=guidance-new]').click()
    await page.waitForURL(/\/trainings\/new$/)
    await page.locator('[data-test=guidance-title]').fill('生态环境执法取证业务培训')
    await typeDate(page, '[data-test=guidance-date]', '2026-11-20', '[data-test=page-title]')
    await page.locator('[data-test=guidance-place]').fill('东成镇政府二楼会议室')
    await page.locator('[data-test=guidance-hours] input').fill('3.5')
    await page.locator('[data-test=guidance-trainers]').fill('陈静')
    await choose(page, '[data-test=guidance-invited_orgs]', '东成镇', '[data-test=page-title]')
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/trainings') && r.request().method() === 'POST'),
      page.locator('[data-test=guidance-submit]').click(),
    ])
    assert.equal(res.status(), 201, await res.text())
    id = (await res.json()).id
    assert.equal((await res.json()).hours, 3.5)
    await page.waitForURL(new RegExp(`/trainings/${id}$`))
    await page.locator('[data-test=guidance-state][data-state=planned]').waitFor()

    // 登记出勤, then 结束培训.
    await page.locator('[data-test=act-attendance]').click()
    await confirmDialog(page, async (dialog) => {
      await dialog.locator(`[data-test=attendance-user-${officer}]`).click()
    })
    await page.locator('[data-test=training-attendance]', { hasText: '东成镇' }).waitFor()
    await page.locator('[data-test=act-close]').click()
    await confirmDialog(page)
    await page.locator('[data-test=guidance-state][data-state=closed]').waitFor()
    assert.match(await page.locator('[data-test=guidance-number]').innerText(), /^新环训〔2026〕1号$/)
    await screenshot(page, 'training-closed.png')

    // 年度培训情况: one of two, not coloured in November; the officer's hours.
    await page.goto(`${server.url}/trainings`)
    await page.locator('[data-test=training-summary-link]').click()
    await page.waitForURL(/\/trainings\/summary$/)
    const colour = page.locator('[data-test=summary-colour-sthj]')
    await colour.waitFor()
    assert.equal(await colour.getAttribute('data-colour'), '')
    assert.equal((await page.locator(`[data-test=summary-hours-${officer}]`).innerText()).trim(), '3.5')
    assert.deepEqual(errors, [], `console errors:\n${errors.join('\n')}`)
  } finally {
    await s.browser.close()
  }

  // 1 December: the department below the minimum turns yellow.
  assert.equal((await anon.post('/api/v1/test/clock', { set: '2026-12-01T09:00:00+08:00' })).status, 200)
  s = await signedIn('coordinator.staff')
  try {
    const { page, errors } = s
    await page.goto(`${server.url}/trainings/summary`)
    const colour = page.locator('[data-test=summary-colour-sthj]')
    await colour.waitFor()
    assert.equal(await colour.getAttribute('data-colour'), 'yellow')
    assert.match(await colour.innerText(), /黄色预警/)
    await screenshot(page, 'training-summary-yellow.png', { fullPage: true })
    assert.deepEqual(errors, [], `console errors:\n${errors.join('\n')}`)
  } finally {
    await s.browser.close()
  }

  // The township officer sees their own hours only.
  s = await signedIn('dongcheng.officer')
  try {
    const { page, errors } = s
    await page.goto(`${server.url}/trainings/summary`)
    await page.locator(`[data-test=summary-hours-${officer}]`).waitFor()
    assert.equal(await page.locator('[data-test=summary-officers] tbody tr').count(), 1)
    assert.equal(await page.locator('[data-test=summary-departments]').count(), 0)
    assert.deepEqual(errors, [], `console errors:\n${errors.join('\n')}`)
  } finally {
    await s.browser.close()
  }
})
