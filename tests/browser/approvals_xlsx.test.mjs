// 行政审批 imported from an Excel .xlsx through the web UI (R-INF-2; docs/shared-info-contract.md):
// scjg.officer opens 行政审批 → 导入, chooses an .xlsx whose row 3 has an impossible date → the
// dialog names the sheet row and column and nothing is imported; the corrected .xlsx (dates as
// serial numbers in date-formatted cells) is imported; xincheng.officer sees the rows, with their
// dates, in 本乡镇审批. Workbooks are built by tests/lib/xlsx.mjs.
// Run: cd tests && XT_BIN=../build/src/cli/xietong node --test browser/approvals_xlsx.test.mjs
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, api } from '../lib/server.mjs'
import { screenshot, signIn } from '../lib/browser.mjs'
import { xlsx, XLSX_TYPE } from '../lib/xlsx.mjs'

const server = await startServer({ fakeClock: '2026-11-24T09:00:00+08:00' })
after(async () => {
  await server?.stop()
})
async function total() {
  const c = await api(server.url).login('coordinator.staff', server.password)
  const res = await c.get('/api/v1/approvals?page_size=1')
  assert.equal(res.status, 200, res.text)
  return res.json.total
}

const HEADER = ['行政相对人名称', '统一社会信用代码', '许可决定文书号', '许可类别', '许可内容', '许可决定日期', '有效期自', '有效期至', '许可机关', '地址', '所属乡镇']
const ROWS = [
  ['表格测试餐饮店', '92445321MA4X0A1B2C', '表格食许〔2026〕1号', '食品经营许可', { inline: '热食类食品制售' }, { date: '2026-11-23' }, { date: '2026-11-23' }, { date: '2031-11-22' }, '新兴县市场监督管理局', '新兴县新城镇表格路1号'],
  ['表格测试商行', null, '表格食许〔2026〕2号', '食品经营许可', '预包装食品销售', { date: '2026-11-22' }, null, null, '新兴县市场监督管理局', '新兴县城区某路2号', '新城镇'],
]

test('R-INF-2: import an .xlsx through the dialog (a bad row names sheet row and column) → the township feed', async () => {
  const before = await total()
  let s = await signIn(server, 'scjg.officer')
  try {
    const { page, errors } = s
    await page.locator('[data-test=menu-approvals]').click()
    await page.waitForURL(/\/approvals$/)
    await page.locator('[data-test=approvals-import]').click()
    const dialog = page.locator('.el-dialog:visible', { has: page.locator('[data-test=approvals-import-file]') })
    await dialog.waitFor()
    assert.match(await dialog.locator('[data-test=approvals-import-file]').getAttribute('accept'), /\.xlsx/)
    const bad = xlsx([HEADER, ROWS[0], [...ROWS[1].slice(0, 5), '2026-11-31', ...ROWS[1].slice(6)]])
    await dialog.locator('[data-test=approvals-import-file]').setInputFiles({ name: '双公示-有误.xlsx', mimeType: XLSX_TYPE, buffer: bad })
    await dialog.locator('[data-test=action-confirm]').click()
    const err = dialog.locator('[data-test=approvals-import-error]')
    await err.waitFor()
    assert.equal(await err.getAttribute('data-field'), 'line 3, column 许可决定日期')
    assert.match(await err.innerText(), /第3行/)
    await screenshot(page, 'approvals-xlsx-refused.png')
    assert.equal(await total(), before, 'nothing imported')

    await dialog.locator('[data-test=approvals-import-file]').setInputFiles({ name: '双公示.xlsx', mimeType: XLSX_TYPE, buffer: xlsx([HEADER, ...ROWS]) })
    await dialog.locator('[data-test=action-confirm]').click()
    const ok = dialog.locator('[data-test=approvals-import-result]')
    await ok.waitFor()
    assert.match(await ok.innerText(), /新增2条/)
    assert.deepEqual(errors.filter((e) => !/status of 400/.test(e)), [], `console errors:\n${errors.join('\n')}`)
  } finally {
    await s.browser.close()
  }
  assert.equal(await total(), before + 2)

  s = await signIn(server, 'xincheng.officer')
  try {
    const { page, errors } = s
    await page.locator('[data-test=menu-approval-feed]').click()
    await page.waitForURL(/\/approvals\/feed$/)
    const table = page.locator('[data-test=approval-feed-table]')
    const first = table.locator('tr', { hasText: '表格测试餐饮店' })
    await first.waitFor()
    assert.match(await first.innerText(), /2026-11-23/, 'the serial date reads as a day')
    await table.locator('tr', { hasText: '表格测试商行' }).waitFor()
    await screenshot(page, 'approvals-xlsx-feed.png')
    assert.deepEqual(errors, [], `console errors:\n${errors.join('\n')}`)
  } finally {
    await s.browser.close()
  }
})
