// 信息共享 (R-INF-1, R-INF-2; docs/shared-info-contract.md) end to end through the web UI against a
// real server with the demo county and a fake clock:
//  1. scjg.officer opens 信息共享 → 资料发布, publishes a material to 新城镇 → its detail shows the
//     receipts (pending); xincheng.officer finds it in 待办, acknowledges it with the confirmation
//     dialog → its receipt is acknowledged, on time.
//  2. scjg.officer opens 行政审批 → 导入CSV: a file with a bad row is refused, the dialog names
//     line and column and nothing is imported; the corrected file is imported; xincheng.officer
//     opens 本乡镇审批: the new approvals are there, unread (badge), and 全部标为已读 clears it.
// Run: cd tests && XT_BIN=../build/src/cli/xietong node --test browser/shared_info.test.mjs
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, api } from '../lib/server.mjs'
import { screenshot, signIn } from '../lib/browser.mjs'

const NOW = '2026-11-24T09:00:00+08:00' // a Tuesday, a working day
const server = await startServer({ fakeClock: NOW })
after(async () => {
  await server?.stop()
})
const signedIn = (username) => signIn(server, username)
async function detail(username, path) {
  const c = await api(server.url).login(username, server.password)
  const res = await c.get(path)
  assert.equal(res.status, 200, res.text)
  return res.json
}

test('R-INF-1: publish a material → the township acknowledges it, through the web UI', async () => {
  let id
  let s = await signedIn('scjg.officer')
  try {
    const { page, errors } = s
    await page.locator('[data-test=menu-material-new]').click()
    await page.waitForURL(/\/materials\/new$/)
    await page.locator('[data-test=material-title]').fill('关于开展校园周边食品安全专项检查的通知')
    await page.locator('[data-test=material-issuer]').fill('新兴县市场监督管理局')
    await page.locator('[data-test=material-description]').fill('请各乡镇于12月底前完成校园周边食品摊贩检查。')
    await page.locator('[data-test=material-to-orgs]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '新城镇' }).first().click()
    await page.locator('[data-test=page-title]').click()
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/materials') && r.request().method() === 'POST'),
      page.locator('[data-test=material-submit]').click(),
    ])
    assert.equal(res.status(), 201, await res.text())
    id = (await res.json()).id
    await page.waitForURL(new RegExp(`/materials/${id}$`))
    await page.locator('[data-test=material-state][data-state=published]').waitFor()
    await page.locator('.el-tabs__item', { hasText: '确认情况' }).click()
    await page.locator('[data-test=receipt-status][data-status=pending]').waitFor()
    await screenshot(page, 'material-published.png')
    assert.deepEqual(errors, [], `console errors:\n${errors.join('\n')}`)
  } finally {
    await s.browser.close()
  }

  s = await signedIn('xincheng.officer')
  try {
    const { page, errors } = s
    await page.goto(`${server.url}/inbox`)  // 待办 (the start page is the workbench)
    const link = page.locator(`[data-test=duty-link][href="/materials/${id}"]`).first()
    await link.waitFor()
    await link.click()
    await page.waitForURL(new RegExp(`/materials/${id}$`))
    await page.locator('[data-test=act-acknowledge]').click()
    const dialog = page.locator('.el-dialog:visible', { has: page.locator('[data-test=action-effect]') })
    await dialog.waitFor()
    assert.match(await dialog.locator('[data-test=action-effect]').innerText(), /校园周边/)
    await dialog.locator('textarea[data-test=action-text], [data-test=action-text] textarea').first().fill('已组织学习')
    await dialog.locator('[data-test=action-confirm]').click()
    await dialog.waitFor({ state: 'hidden' })
    await page.locator('.el-tabs__item', { hasText: '确认情况' }).click()
    await page.locator('[data-test=receipt-status][data-status=acknowledged]').waitFor()
    assert.equal(await page.locator('[data-test=act-acknowledge]').count(), 0)
    await screenshot(page, 'material-acknowledged.png')
    assert.deepEqual(errors, [], `console errors:\n${errors.join('\n')}`)
  } finally {
    await s.browser.close()
  }
  const m = await detail('scjg.officer', `/api/v1/materials/${id}`)
  const [r] = m.receipts
  assert.equal(r.status, 'acknowledged')
  assert.equal(r.on_time, true)
  assert.equal(r.note, '已组织学习')
})

const HEADER = '行政相对人名称,统一社会信用代码,许可决定文书号,许可类别,许可内容,许可决定日期,有效期自,有效期至,许可机关,地址,所属乡镇'
const GOOD = [
  '浏览器测试餐饮店,92445321MA4X0A1B2C,浏览器食许〔2026〕1号,食品经营许可,热食类食品制售,2026-11-23,2026-11-23,2031-11-22,新兴县市场监督管理局,新兴县新城镇浏览器路1号,',
  '浏览器测试商行,,浏览器食许〔2026〕2号,食品经营许可,预包装食品销售,2026-11-22,,,新兴县市场监督管理局,新兴县城区某路2号,新城镇',
]

test('R-INF-2: import approvals (a bad row names line and column, nothing imported) → the township feed, through the web UI', async () => {
  const total = (await detail('coordinator.staff', '/api/v1/approvals?page_size=1')).total
  let s = await signedIn('scjg.officer')
  try {
    const { page, errors } = s
    await page.locator('[data-test=menu-approvals]').click()
    await page.waitForURL(/\/approvals$/)
    await page.locator('[data-test=approvals-import]').click()
    const dialog = page.locator('.el-dialog:visible', { has: page.locator('[data-test=approvals-import-file]') })
    await dialog.waitFor()
    const bad = [HEADER, GOOD[0], GOOD[1].replace('2026-11-22', '2026-11-31')].join('\n')
    await dialog.locator('[data-test=approvals-import-file]').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) })
    await dialog.locator('[data-test=action-confirm]').click()
    const err = dialog.locator('[data-test=approvals-import-error]')
    await err.waitFor()
    assert.equal(await err.getAttribute('data-field'), 'line 3, column 许可决定日期')
    assert.match(await dialog.locator('[data-test=approvals-import-where]').innerText(), /line 3, column 许可决定日期/)
    await screenshot(page, 'approvals-import-refused.png')
    assert.equal((await detail('coordinator.staff', '/api/v1/approvals?page_size=1')).total, total, 'nothing imported')

    await dialog.locator('[data-test=approvals-import-file]').setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from([HEADER, ...GOOD].join('\n')) })
    await dialog.locator('[data-test=action-confirm]').click()
    const ok = dialog.locator('[data-test=approvals-import-result]')
    await ok.waitFor()
    assert.match(await ok.innerText(), /新增2条/)
    assert.deepEqual(errors.filter((e) => !/status of 400/.test(e)), [], `console errors:\n${errors.join('\n')}`)
  } finally {
    await s.browser.close()
  }
  assert.equal((await detail('coordinator.staff', '/api/v1/approvals?page_size=1')).total, total + 2)

  s = await signedIn('xincheng.officer')
  try {
    const { page, errors } = s
    await page.locator('[data-test=menu-approval-feed]').click()
    await page.waitForURL(/\/approvals\/feed$/)
    const table = page.locator('[data-test=approval-feed-table]')
    await table.locator('tr', { hasText: '浏览器测试餐饮店' }).waitFor()
    await table.locator('tr', { hasText: '浏览器测试商行' }).waitFor()
    const badge = page.locator('[data-test=approval-feed-unread]')
    assert.ok(Number(await badge.getAttribute('data-unread')) >= 2)
    await screenshot(page, 'approvals-feed.png')
    await page.locator('[data-test=approval-feed-read-all]').click()
    await page.locator('[data-test=approval-feed-unread][data-unread="0"]').waitFor()
    assert.equal(await table.locator('[data-test=approval-feed-unread-tag]').count(), 0)
    assert.deepEqual(errors, [], `console errors:\n${errors.join('\n')}`)
  } finally {
    await s.browser.close()
  }
  assert.equal((await detail('xincheng.officer', '/api/v1/approvals/feed')).unread, 0)
})
