// R-INF-2 approvals imported from .xlsx (docs/shared-info-contract.md): the provincial 双公示
// export as Excel — shared and inline strings, numbers, dates as serial numbers in date-formatted
// cells — goes through the same row checks as CSV: a bad row names the sheet row and the column
// and nothing is imported; a body that is no .xlsx is a clear 400. The matters catalog import
// (R-JUR-1, admin) reads .xlsx the same way. Workbooks are built in tests/lib/xlsx.mjs.
// xt-backends: sqlite postgres (servers start in ./lib/coord.mjs through startServer)
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { show } from './lib/util.mjs'
import { CoordSuite, assertError } from './lib/coord.mjs'
import { xlsx, zip, XLSX_TYPE } from '../lib/xlsx.mjs'

const S = CoordSuite({ start: '2026-11-23T09:00:00+08:00' })
let orgs
before(async () => {
  await S.start()
  orgs = S.orgs
})
after(S.stop)

async function postBytes(who, path, body, type = XLSX_TYPE) {
  const client = await S.as(who)
  const res = await fetch(new URL(path, S.server.url), {
    method: 'POST',
    headers: { Accept: 'application/json', ...(type ? { 'Content-Type': type } : {}), Authorization: `Bearer ${client.bearerToken}` },
    body,
  })
  const text = await res.text()
  return { status: res.status, text, json: text ? JSON.parse(text) : null, headers: res.headers }
}
async function approvalsTotal() {
  const res = await S.get('coordinator.staff', '/api/v1/approvals?page_size=1')
  assert.equal(res.status, 200, show(res))
  return res.json.total
}

const HEADER = ['行政相对人名称', '统一社会信用代码', '许可决定文书号', '许可类别', '许可内容', '许可决定日期', '有效期自', '有效期至', '许可机关', '地址', '所属乡镇']
const ROW = (n, over = {}) => {
  const r = {
    holder: `表格商户${n}`, code: '92445321MA4X0A1B2C', no: `表格食许〔2026〕${n}号`, cat: '食品经营许可', content: { inline: '预包装食品销售' },
    date: { date: '2026-11-20' }, from: { date: '2026-11-20' }, to: '2031-11-19', org: '新兴县市场监督管理局', addr: `新兴县新城镇表格路${n}号`, town: null, ...over,
  }
  return [r.holder, r.code, r.no, r.cat, r.content, r.date, r.from, r.to, r.org, r.addr, r.town]
}

test('R-INF-2: an .xlsx with a bad row imports nothing and names the sheet row and column', async () => {
  const total = await approvalsTotal()
  const head = await S.auditHead()
  // Sheet row 4 (a blank row 3 in between keeps sheet numbering): 2026-11-31 is no day.
  const rows = [HEADER, ROW(1), [], ROW(2, { date: '2026-11-31' })]
  let res = await postBytes('scjg.officer', '/api/v1/approvals/import', xlsx(rows))
  assertError(res, 400, { field: 'line 4, column 许可决定日期', rule: 'R-INF-2' })
  assert.ok(res.json.error.message.includes('第4行'), res.json.error.message)
  // A number where a credit code belongs; a township that does not exist.
  assertError(await postBytes('scjg.officer', '/api/v1/approvals/import', xlsx([HEADER, ROW(1, { code: 12345 })])), 400,
    { field: 'line 2, column 统一社会信用代码', rule: 'R-INF-2' })
  assertError(await postBytes('scjg.officer', '/api/v1/approvals/import', xlsx([HEADER, ROW(1), ROW(2, { town: '火星镇' })])), 400,
    { field: 'line 3, column 所属乡镇', rule: 'R-INF-2' })
  // A township may not import (checked before the body is read).
  assertError(await postBytes('xincheng.officer', '/api/v1/approvals/import', xlsx([HEADER, ROW(1)])), 403, { code: 'permission_denied', rule: 'R-INF-2' })
  assert.equal(await approvalsTotal(), total, 'nothing imported')
  assert.equal(await S.auditHead(), head, 'no audit entry')
})

test('R-INF-2: garbage, a damaged zip or a zip that is no workbook is a clear 400 "body"; nothing imported', async () => {
  const total = await approvalsTotal()
  const good = xlsx([HEADER, ROW(1)])
  for (const [body, type, why] of [
    [Buffer.from('这不是表格'), XLSX_TYPE, 'not a zip'],
    [good.subarray(0, Math.floor(good.length / 2)), XLSX_TYPE, 'cut in half'],
    [zip({ 'readme.txt': 'hello' }), XLSX_TYPE, 'no workbook'],
    [zip({ 'readme.txt': 'hello' }), 'application/octet-stream', 'zip magic without the content type'],
  ]) {
    const res = await postBytes('scjg.officer', '/api/v1/approvals/import', body, type)
    assertError(res, 400, { field: 'body', rule: 'R-INF-2' })
    assert.match(res.json.error.message, /xlsx/, why)
  }
  assertError(await postBytes('scjg.officer', '/api/v1/approvals/import', Buffer.from('x'), 'application/pdf'), 400,
    { code: 'unsupported_media_type', field: 'body' })
  assert.equal(await approvalsTotal(), total, 'nothing imported')
})

test('R-INF-2: a good .xlsx imports every row (dates from serial numbers) and the township feed shows them', async () => {
  const before = await S.get('xincheng.officer', '/api/v1/approvals/feed?page_size=200')
  assert.equal(before.status, 200, show(before))
  const res = await postBytes('scjg.officer', '/api/v1/approvals/import', xlsx([
    HEADER,
    ROW(11, { date: { date: '2026-11-21' }, to: { date: '2031-11-20' } }),
    ROW(12, { addr: '新兴县城区某路1号', town: '新城镇', date: { date: '2026-11-22' } }),
    ROW(13, { addr: '新兴县六祖镇某路3号', from: null, to: null }),
  ]))
  assert.equal(res.status, 200, show(res))
  assert.deepEqual(res.json, { rows: 3, created: 3, updated: 0 })
  const f = await S.get('xincheng.officer', '/api/v1/approvals/feed?page_size=200')
  assert.equal(f.json.total, before.json.total + 2, 'assigned (12) and by address (11)')
  const mine = f.json.items.filter((a) => a.decision_number.startsWith('表格食许'))
  assert.deepEqual(mine.map((a) => a.decision_number), ['表格食许〔2026〕12号', '表格食许〔2026〕11号'])
  assert.equal(mine[1].decision_date, '2026-11-21')
  assert.equal(mine[1].valid_from, '2026-11-20')
  assert.equal(mine[1].valid_to, '2031-11-20')
  assert.equal(mine[1].content, '预包装食品销售', 'inline string')
  assert.equal(mine[0].township.id, orgs.xincheng.id)
  const lz = await S.get('liuzu.officer', '/api/v1/approvals?q=' + encodeURIComponent('表格商户13'))
  assert.equal(lz.json.total, 1)
  assert.equal(lz.json.items[0].valid_from, null)
  // Re-importing (zip magic, no content type named) updates.
  const again = await postBytes('scjg.officer', '/api/v1/approvals/import',
    xlsx([HEADER, ROW(11, { content: '预包装食品销售（含冷藏冷冻食品）', date: { date: '2026-11-21' } })]), 'application/octet-stream')
  assert.equal(again.status, 200, show(again))
  assert.deepEqual(again.json, { rows: 1, created: 0, updated: 1 })
})

test('R-JUR-1: the matters catalog imports from .xlsx too (admin); a bad row names the sheet row', async () => {
  const header = ['code', 'name', 'legal_basis', 'owner_org_code', 'statutory_referral_days', 'delegations']
  const bad = await postBytes('admin', '/api/v1/matters/import', xlsx([header, ['XLSX-1', '表格事项', '《某法》第一条', 'scjg'], ['XLSX-2', '表格事项二', '《某法》第二条', 'nowhere']]))
  assertError(bad, 400, { field: 'line 3: owner_org_code' })
  const find = async () => (await S.get('admin', '/api/v1/matters?q=XLSX-1')).json.items.filter((m) => m.code === 'XLSX-1')
  assert.deepEqual(await find(), [], 'nothing imported')
  assertError(await postBytes('scjg.officer', '/api/v1/matters/import', xlsx([header])), 403, {})
  const ok = await postBytes('admin', '/api/v1/matters/import', xlsx([header, ['XLSX-1', '表格事项', '《某法》第一条', 'scjg', 5, 'xincheng@2026-11-23']]))
  assert.equal(ok.status, 200, show(ok))
  assert.equal(ok.json.created, 1)
  const [m] = await find()
  assert.equal(m.name, '表格事项')
  assert.equal(m.statutory_referral_days, 5, 'a number cell')
  assertError(await postBytes('admin', '/api/v1/matters/import', Buffer.from('garbage'), XLSX_TYPE), 400, { field: 'body' })
})
