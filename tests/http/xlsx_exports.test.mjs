// Issue 14 (Excel): every list that exports CSV also exports .xlsx — GET …/export.xlsx beside
// every GET …/export.csv, with the same query parameters, the same access (R-ACC-1) and the same
// refusals. The workbook is read back (tests/lib/xlsx.mjs) and compared cell for cell with the
// CSV of the same query: text as text, numbers as numbers, dates and date-times as Excel date
// serials in a date-formatted cell, codes (leading zeros, phone numbers, 编码 columns) as text;
// the Chinese header row frozen, with an autofilter and column widths.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer } from '../lib/server.mjs'
import { readXlsx, parseCsv, diffSheetCsv, colName, XLSX_TYPE } from '../lib/xlsx.mjs'
import { Users, getRaw } from './lib/referrals.mjs'

// Every list with a server export: base path → the sheet (and file) name.
const EXPORTS = {
  referrals: '案件移送',
  matters: '执法事项目录',
  collaborations: '执法协作',
  'collab-items': '执法协作事项',
  disputes: '职责分工争议',
  complaints: '投诉举报',
  'court-enforcements': '申请强制执行',
  'police-support-requests': '提请公安协助',
  'guidance-requests': '业务指导',
  trainings: '业务培训',
  'tech-support-requests': '技术支持',
  plans: '年度执法计划',
  'plan-tasks': '重点任务',
  materials: '资料发布',
  'penalty-filings': '处罚备案',
  approvals: '行政审批',
}

let server
let as

before(async () => {
  server = await startServer({ fakeClock: '2026-11-25T09:00:00+08:00', extraArgs: ['--access-log', 'off'] })
  as = Users(server.url, { tokens: true })
})
after(async () => {
  await server?.stop()
})

// Downloads `path` (…/export.csv?query) and its .xlsx sibling as `username`; asserts the workbook
// shows the CSV cell for cell. Returns { csv rows, sheet, counts }.
async function compare(username, base, query = '') {
  const client = await as(username)
  const csv = await getRaw(server.url, client, `/api/v1/${base}/export.csv${query}`, 'text/csv')
  const res = await getRaw(server.url, client, `/api/v1/${base}/export.xlsx${query}`, XLSX_TYPE)
  assert.equal(csv.status, 200, `${base} csv: ${csv.text.slice(0, 300)}`)
  assert.equal(res.status, 200, `${base} xlsx: ${res.text.slice(0, 300)}`)
  assert.equal(res.headers.get('content-type'), XLSX_TYPE)
  const name = EXPORTS[base]
  assert.equal(res.headers.get('content-disposition'),
    `attachment; filename="${base}.xlsx"; filename*=UTF-8''${encodeURIComponent(`${name}.xlsx`)}`)
  assert.equal(res.headers.get('cache-control'), 'no-store')
  const rows = parseCsv(csv.text)
  const book = readXlsx(res.bytes)
  assert.equal(book.sheets.length, 1)
  const sheet = book.sheets[0]
  assert.equal(sheet.name, name)
  const counts = { text: 0, number: 0, date: 0, dateTime: 0, percent: 0 }
  const problems = diffSheetCsv(sheet, rows, counts).map((p) => `${base}${query} ${p}`)
  assert.deepEqual(problems, [], problems.join('\n'))
  const width = rows[0].length
  // The header row is frozen and filtered; every column has a width that fits its header.
  assert.equal(sheet.pane?.ySplit, '1')
  assert.equal(sheet.pane?.state, 'frozen')
  assert.equal(sheet.autoFilter, `A1:${colName(width - 1)}${rows.length}`)
  for (let c = 0; c < width; c++) {
    const col = sheet.cols.find((x) => x.min <= c + 1 && c + 1 <= x.max)
    assert.ok(col && col.width >= [...rows[0][c]].length, `${base} column ${colName(c)} (${rows[0][c]}): width ${col?.width}`)
  }
  return { rows, sheet, counts }
}

const column = (result, header) => {
  const c = result.rows[0].indexOf(header)
  assert.ok(c >= 0, `no column ${header} in ${result.rows[0].join(',')}`)
  return result.sheet.rows.slice(1).map((r) => r[c] ?? null)
}

test('issue 14 / R-ACC-1: every list\'s .xlsx equals its CSV cell for cell (coordinator staff see all)', async () => {
  const total = { text: 0, number: 0, date: 0, dateTime: 0, percent: 0 }
  let withRows = 0
  for (const base of Object.keys(EXPORTS)) {
    const { rows, counts } = await compare('coordinator.staff', base)
    if (rows.length > 1) withRows++
    for (const k of Object.keys(total)) total[k] += counts[k]
  }
  // The demo county gives most lists rows, so every kind of cell was met and compared.
  assert.ok(withRows >= 12, `only ${withRows} exports with rows`)
  for (const k of ['text', 'number', 'date', 'dateTime']) assert.ok(total[k] > 0, `no ${k} cells: ${JSON.stringify(total)}`)
})

test('issue 14: dates are Excel dates, counts are numbers, codes and phone numbers stay text', async () => {
  const plans = await compare('coordinator.staff', 'plans')
  assert.ok(plans.rows.length > 1)
  for (const cell of column(plans, '年度')) assert.deepEqual([cell.type, cell.format, cell.value], ['n', '0', 2026])
  for (const cell of column(plans, '起草时间')) {
    assert.equal(cell.type, 'n')
    assert.equal(cell.format, 'yyyy-mm-dd hh:mm:ss')
  }
  const trainings = await compare('coordinator.staff', 'trainings')
  assert.ok(trainings.rows.length > 1)
  for (const cell of column(trainings, '日期')) assert.deepEqual([cell.type, cell.format], ['n', 'yyyy-mm-dd'])
  for (const cell of column(trainings, '出勤人数')) assert.equal(cell.type, 'n')
  const filings = await compare('coordinator.staff', 'penalty-filings')
  assert.ok(filings.rows.length > 1)
  for (const cell of column(filings, '事项编码')) assert.equal(cell.type, 's')
  for (const cell of column(filings, '罚没款金额（元）').filter(Boolean)) assert.equal(cell.type, 'n')
  for (const cell of column(filings, '决定日期').filter(Boolean)) assert.deepEqual([cell.type, cell.format], ['n', 'yyyy-mm-dd'])
  const complaints = await compare('coordinator.staff', 'complaints')
  const phones = column(complaints, '联系方式').filter(Boolean)
  assert.ok(phones.length > 0)
  for (const cell of phones) assert.equal(cell.type, 's', `phone ${JSON.stringify(cell)}`)
  for (const cell of column(complaints, '登记编号')) assert.equal(cell.type, 's')
  const referrals = await compare('coordinator.staff', 'referrals')
  for (const cell of column(referrals, '执法事项编码')) assert.equal(cell.type, 's')
  for (const cell of column(referrals, '起草时间')) assert.equal(cell.type, 'n')
})

test('issue 14 / R-ACC-1: the .xlsx follows the same query and the same visibility as the CSV', async () => {
  const out = await compare('xincheng.officer', 'referrals', '?direction=out')
  assert.ok(out.rows.length > 1, 'xincheng sent a referral in the demo')
  const numbers = out.rows.slice(1).map((r) => r[0]).filter(Boolean)
  // Another township sees none of xincheng's referrals, in the workbook as in the CSV.
  const other = await compare('liuzu.officer', 'referrals')
  const seen = other.sheet.rows.flat().filter(Boolean).map((c) => c.value)
  for (const n of numbers) assert.ok(!seen.includes(n), `liuzu sees ${n}`)
  await compare('xincheng.officer', 'collab-items', '?type=notice&direction=out')
  await compare('xincheng.officer', 'disputes', '?state=settled')
  await compare('coordinator.staff', 'plan-tasks', '?state=open')
  await compare('scjg.officer', 'approvals', `?q=${encodeURIComponent('测试')}`)
  // page/page_size do not cut an export.
  await compare('coordinator.staff', 'matters', '?page=2&page_size=1')
})

test('issue 14 / R-ACC-1: a refused .xlsx export is refused like the CSV (anonymous 401, bad query 400), as JSON', async () => {
  for (const base of Object.keys(EXPORTS)) {
    for (const ext of ['csv', 'xlsx']) {
      const res = await fetch(new URL(`/api/v1/${base}/export.${ext}`, server.url))
      assert.equal(res.status, 401, `${base}.${ext}`)
      assert.equal((await res.json()).error.code, 'unauthenticated')
    }
  }
  const client = await as('xincheng.officer')
  for (const [base, query] of [['referrals', '?direction=sideways'], ['collab-items', '?type=nonsense'], ['disputes', '?state=nonsense']]) {
    const csv = await getRaw(server.url, client, `/api/v1/${base}/export.csv${query}`, 'text/csv')
    const xlsx = await getRaw(server.url, client, `/api/v1/${base}/export.xlsx${query}`, XLSX_TYPE)
    assert.equal(csv.status, 400, `${base}${query}: ${csv.text}`)
    assert.equal(xlsx.status, 400, `${base}${query}: ${xlsx.text}`)
    assert.deepEqual(JSON.parse(xlsx.text).error, JSON.parse(csv.text).error)
  }
})

// POST /api/v1/exports/xlsx: the tables the web UI exports itself (待办, 审计日志 …) as Excel.
async function convert(client, csv, { name, contentType = 'text/csv; charset=utf-8' } = {}) {
  const headers = { 'Content-Type': contentType }
  if (client) headers.Authorization = `Bearer ${client.bearerToken}`
  const path = '/api/v1/exports/xlsx' + (name === undefined ? '' : `?name=${encodeURIComponent(name)}`)
  const res = await fetch(new URL(path, server.url), { method: 'POST', headers, body: csv })
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) }
}

test('issue 14: a table the web UI built is converted to .xlsx cell for cell (any signed-in user, nothing read)', async () => {
  const csv = '\uFEFF序号,时间,操作人,用户名,数量,比例,联系电话,摘要\r\n' +
    '1,2026-11-23 09:00:00,林家豪,xincheng.officer,12,87.5%,13800138000,"登录,成功"\r\n' +
    '2,2026-11-24 10:30:00,"王""五",0451,3.5,100%,,\'=1+1\r\n'
  const res = await convert(await as('xincheng.officer'), csv, { name: '审计日志' })
  assert.equal(res.status, 200, res.bytes.toString())
  assert.equal(res.headers.get('content-type'), XLSX_TYPE)
  assert.equal(res.headers.get('content-disposition'), `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent('审计日志.xlsx')}`)
  const sheet = readXlsx(res.bytes).sheets[0]
  assert.equal(sheet.name, '审计日志')
  const counts = {}
  assert.deepEqual(diffSheetCsv(sheet, parseCsv(csv), counts), [])
  assert.deepEqual(counts, { text: 7, number: 4, date: 0, dateTime: 2, percent: 2 })
  assert.equal(sheet.rows[2][3].value, '0451') // a code keeps its zero
  assert.equal(sheet.rows[1][6].type, 's') // a phone number stays text
  assert.equal(sheet.rows[2][7].value, '=1+1') // text, never a formula
  assert.equal(sheet.rows[2][7].formula, undefined)
  assert.equal(sheet.pane?.state, 'frozen')
  // Without a name: 导出.xlsx.
  const plain = await convert(await as('gaj.officer'), 'a,b\r\n1,2\r\n')
  assert.equal(plain.status, 200)
  assert.equal(readXlsx(plain.bytes).sheets[0].name, '导出')
})

test('issue 14: the converter refuses the anonymous, a body that is no CSV, a broken CSV and a long name', async () => {
  assert.equal((await convert(null, 'a\r\n1\r\n')).status, 401)
  const client = await as('xincheng.officer')
  const cases = [
    [{ contentType: 'application/json' }, '{}', 'body', 'unsupported_media_type'],
    [{}, 'a,"b\r\n', 'csv', 'invalid_value'],
    [{ name: '名'.repeat(41) }, 'a\r\n', 'name', 'too_long'],
  ]
  for (const [opts, body, field, code] of cases) {
    const res = await convert(client, body, opts)
    assert.equal(res.status, 400, res.bytes.toString())
    const err = JSON.parse(res.bytes.toString()).error
    assert.equal(err.field, field)
    assert.equal(err.code, code)
  }
})

test('issue 14: concurrent .xlsx exports all come back whole', async () => {
  const client = await as('coordinator.staff')
  const bases = ['referrals', 'matters', 'plan-tasks', 'approvals', 'complaints', 'trainings', 'disputes', 'penalty-filings']
  const got = await Promise.all([...bases, ...bases].map((b) => getRaw(server.url, client, `/api/v1/${b}/export.xlsx`, XLSX_TYPE)))
  got.forEach((res, i) => {
    assert.equal(res.status, 200)
    assert.equal(readXlsx(res.bytes).sheets[0].name, EXPORTS[bases[i % bases.length]])
  })
})
