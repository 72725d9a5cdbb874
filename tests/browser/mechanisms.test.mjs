// 协作机制 (SPEC §8 R-SYS-1, 2, 4, 5, docs/mechanisms-contract.md) through the web UI against a
// real server with the demo county and a fake clock: a smoke walk of the four pages of the menu
// (联席会议, 联络人名录, 联合机制, 联合执法行动) without console errors, then 新城镇 plans a joint
// enforcement action with 县市场监管局 and records its result → done, numbered 联 (R-SYS-5); 县市场监管局
// establishes a joint mechanism with its work plan uploaded and files a briefing with a file (R-SYS-4).
// Run: cd tests && npm ci && XT_BIN=../build/src/cli/xietong node --test browser/mechanisms.test.mjs
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, api } from '../lib/server.mjs'
import { screenshot, signIn } from '../lib/browser.mjs'

const NOW = '2026-11-24T09:00:00+08:00'
const DEPT = '新兴县市场监督管理局'

const server = await startServer({ fakeClock: NOW })
after(async () => {
  await server?.stop()
})

async function choose(page, selectSel, text) {
  await page.locator(selectSel).click()
  const option = page.locator('.el-select-dropdown__item:visible', { hasText: text }).first()
  await option.waitFor()
  await option.click()
}

test('R-SYS-1, 2, 4: the pages of 协作机制 open from the menu', async () => {
  const s = await signIn(server, 'coordinator.staff')
  try {
    const { page, errors } = s
    for (const [menu, path] of [['consultations', /\/consultations$/], ['joint-mechanisms', /\/joint-mechanisms$/], ['joint-actions', /\/joint-actions$/]]) {
      await page.locator(`[data-test=menu-${menu}]`).click()
      await page.waitForURL(path)
      await page.locator(`[data-test=${menu}-table]`).waitFor()
    }
    await page.locator('[data-test=menu-liaisons]').click()
    await page.waitForURL(/\/liaisons$/)
    await page.locator('[data-test=liaisons-table]', { hasText: '新城镇' }).waitFor()
    await screenshot(page, 'mechanisms-liaisons.png')
    assert.deepEqual(errors, [])
  } finally {
    await s.browser.close()
  }
})

test('R-SYS-5: a township plans a joint action and records its result (联)', async () => {
  const s = await signIn(server, 'xincheng.officer')
  try {
    const { page, errors } = s
    await page.locator('[data-test=menu-joint-actions]').click()
    await page.waitForURL(/\/joint-actions$/)
    await page.locator('[data-test=joint-actions-new]').click()
    const dialog = page.locator('.el-dialog:visible', { has: page.locator('[data-test=action-effect]') })
    await dialog.waitFor()
    await dialog.locator('[data-test=field-title]').fill('浏览器测试：城南农贸市场联合执法')
    await dialog.locator('[data-test=field-start-at]').fill('2026-11-25 09:30')
    await dialog.locator('[data-test=field-place]').fill('城南农贸市场')
    await choose(page, '[data-test=field-orgs]', DEPT)
    await dialog.locator('[data-test=field-people]').fill('陈明、黄志强')
    await dialog.locator('[data-test=field-targets]').fill('查处无证经营和销售过期食品')
    await dialog.locator('[data-test=action-confirm]').click()
    await page.waitForURL(/\/joint-actions\/\d+$/)
    await page.locator('[data-test=action-state][data-state=planned]').waitFor()

    await page.locator('[data-test=act-result]').click()
    const d = page.locator('.el-dialog:visible', { has: page.locator('[data-test=action-effect]') })
    await d.waitFor()
    assert.match(await d.locator('[data-test=action-effect]').innerText(), /联/)
    await d.locator('[data-test=field-text]').fill('检查经营户45家，查处无证经营3起')
    await d.locator('[data-test=action-confirm]').click()
    await d.waitFor({ state: 'hidden' })
    await page.locator('[data-test=action-state][data-state=done]').waitFor()
    assert.match(await page.locator('[data-test=action-number]').innerText(), /联〔2026〕\d+号$/)
    await page.locator('[data-test=action-result]', { hasText: '查处无证经营3起' }).waitFor()
    await screenshot(page, 'mechanisms-joint-action-done.png')
    assert.deepEqual(errors, [])
  } finally {
    await s.browser.close()
  }
})

test('R-SYS-4: a joint mechanism is established with its work plan attached, and a briefing carries a file', async () => {
  const pdf = (label) => Buffer.from(`%PDF-1.4\n% ${label}\n%%EOF\n`)
  const s = await signIn(server, 'scjg.officer')
  try {
    const { page, errors } = s
    await page.locator('[data-test=menu-joint-mechanisms]').click()
    await page.waitForURL(/\/joint-mechanisms$/)
    await page.locator('[data-test=joint-mechanisms-new]').click()
    const dialog = page.locator('.el-dialog:visible', { has: page.locator('[data-test=action-effect]') })
    await dialog.waitFor()
    await dialog.locator('[data-test=field-title]').fill('浏览器测试：校园周边食品安全联合执法机制')
    await dialog.locator('[data-test=field-body-name]').fill('校园周边食品安全联合执法办公室')
    await choose(page, '[data-test=field-orgs]', '新城镇')
    await dialog.locator('[data-test=field-plans-input]').setInputFiles({ name: '工作方案.pdf', mimeType: 'application/pdf', buffer: pdf('plan') })
    await dialog.locator('[data-test=field-plans-file]', { hasText: '工作方案.pdf' }).waitFor()
    await dialog.locator('[data-test=action-confirm]').click()
    await page.waitForURL(/\/joint-mechanisms\/\d+$/)
    const id = Number(page.url().split('/').pop())
    await page.locator('a', { hasText: '工作方案.pdf' }).first().waitFor()

    await page.locator('[data-test=act-briefings]').click()
    const d = page.locator('.el-dialog:visible', { has: page.locator('[data-test=action-effect]') })
    await d.waitFor()
    await d.locator('[data-test=field-date]').fill('2026-11-24')
    await d.locator('[data-test=field-title]').fill('第一期工作通报')
    await d.locator('[data-test=field-text]').fill('本周联合检查学校周边商户32家。')
    await d.locator('[data-test=field-materials-input]').setInputFiles({ name: '检查记录.pdf', mimeType: 'application/pdf', buffer: pdf('briefing') })
    await d.locator('[data-test=field-materials-file]', { hasText: '检查记录.pdf' }).waitFor()
    await d.locator('[data-test=action-confirm]').click()
    await d.waitFor({ state: 'hidden' })
    await page.locator('[data-test=mechanism-briefings] a', { hasText: '检查记录.pdf' }).waitFor()
    await screenshot(page, 'mechanisms-briefing-files.png')
    assert.deepEqual(errors, [], `console errors:\n${errors.join('\n')}`)

    const c = await api(server.url).login('scjg.officer', server.password)
    const res = await c.get(`/api/v1/joint-mechanisms/${id}`)
    assert.equal(res.status, 200, res.text)
    const m = res.json
    assert.equal(m.plans[0].file.name, '工作方案.pdf')
    assert.equal(m.briefings[0].materials[0].file.name, '检查记录.pdf')
  } finally {
    await s.browser.close()
  }
})
