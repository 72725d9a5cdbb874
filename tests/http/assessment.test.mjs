// The assessment (R-ASM-1, R-ASM-2; issue 14; docs/assessment-contract.md), end to end on one
// server with a fake clock, on a constructed data set in June 2027 (no demo fact falls in it):
// every indicator of the org equals a hand count (a duty met on time, one met late, one still open
// and overdue, one extended, one not yet due) and its drill-down lists the very duties; a
// published result never changes after later edits of the facts or of the scheme; a 通报批评 is
// numbered (评), shown on the org's page and counted; refused writes change nothing; org staff see
// only their own org.
// xt-backends: sqlite postgres (servers start in ./lib/coord.mjs through startServer)
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { show } from './lib/util.mjs'
import { CoordSuite, assertError } from './lib/coord.mjs'
import { getRaw } from './lib/referrals.mjs'
import { readXlsx, parseCsv, diffSheetCsv, XLSX_TYPE } from '../lib/xlsx.mjs'

const S = CoordSuite({ start: '2027-06-01T09:00:00+08:00' })
let orgs
let T // the township assessed (liuzu)
const d = {} // the constructed duties

const get = async (who, path) => {
  const res = await S.get(who, path)
  assert.equal(res.status, 200, `${who} GET ${path}: ${show(res)}`)
  return res.json
}
const duty = async (title, period) => {
  const res = await S.post('coordinator.staff', '/api/v1/duties', {
    kind: 'task.assigned', owner_org_id: T.id, object_type: 'external', object_id: `asm-${title}`,
    title, trigger_at: '2027-06-01T09:00:00+08:00', period: { unit: 'working_days', value: period },
  })
  assert.equal(res.status, 201, show(res))
  return res.json
}
const meet = async (id, metAt) => {
  const res = await S.post('coordinator.staff', `/api/v1/duties/${id}/meet`, { met_at: metAt })
  assert.equal(res.status, 200, show(res))
  return res.json
}
const row = (a, org) => a.orgs.find((o) => o.org.id === org.id)

before(async () => {
  await S.start()
  orgs = S.orgs
  T = orgs.liuzu
  for (const u of ['liuzu.officer', 'liuzu.leader', 'xincheng.officer', 'auditor', 'admin']) await S.as(u)
  d.onTime = await duty('按时办结的交办任务', 2)
  d.late = await duty('逾期办结的交办任务', 2)
  d.overdue = await duty('到期未办结的交办任务', 3)
  d.extended = await duty('延期后按时办结的交办任务', 5)
  d.notYet = await duty('尚未到期的交办任务', 30)
  const ext = await S.post('coordinator.staff', `/api/v1/duties/${d.extended.id}/extend`, {
    reason: '需补充现场勘验', new_due: '2027-06-25T17:00:00+08:00',
  })
  assert.equal(ext.status, 200, show(ext))
  await S.setClock('2027-06-15T09:00:00+08:00')
  await meet(d.onTime.id, '2027-06-02T10:00:00+08:00')
  await meet(d.late.id, '2027-06-07T10:00:00+08:00')
  await meet(d.extended.id, '2027-06-10T10:00:00+08:00')
})
after(S.stop)

test('R-ASM-1: every indicator of the org equals the hand count, and the drill-down lists the very duties', async () => {
  const a = await get('coordinator.staff', '/api/v1/assessment?period=2027-06')
  assert.equal(a.period.from, '2027-06-01')
  assert.equal(a.period.to, '2027-06-30')
  const r = row(a, T)
  assert.ok(r, 'the township is assessed')
  // Due in June: on time, late, overdue, extended (met on time); the 30-day one is not yet due.
  assert.deepEqual(r.values.on_time_rate, { value: 0.5, num: 2, den: 4 })
  assert.equal(r.values.late_met.value, 1)
  assert.equal(r.values.overdue_open.value, 1)
  assert.equal(r.values.extensions.value, 1)
  assert.equal(r.values.circulars.value, 0)
  assert.equal(r.values.referrals_sent.value, 0)
  assert.equal(r.values.collab_answer_on_time.value, null, 'nothing of that kind due: no rate')
  const kinds = r.kinds.find((k) => k.kind === 'task.assigned')
  assert.deepEqual([kinds.counted, kinds.on_time, kinds.late, kinds.overdue], [4, 2, 1, 1])
  // Each indicator names its rule.
  const cat = Object.fromEntries(a.indicators.map((i) => [i.id, i]))
  assert.equal(cat.on_time_rate.rule, 'R-ASM-1')
  assert.equal(cat.overdue_open.rule, 'R-TIME-4')
  assert.equal(cat.circulars.rule, 'R-ASM-2')

  const items = async (ind) => (await get('coordinator.staff', `/api/v1/assessment/items?org=${T.id}&indicator=${ind}&period=2027-06`)).items
  const rate = await items('on_time_rate')
  assert.deepEqual(rate.map((f) => f.id).sort((x, y) => x - y), [d.onTime.id, d.late.id, d.overdue.id, d.extended.id].sort((x, y) => x - y))
  assert.deepEqual(Object.fromEntries(rate.map((f) => [f.id, f.counted])), {
    [d.onTime.id]: 'on_time', [d.late.id]: 'late', [d.overdue.id]: 'overdue', [d.extended.id]: 'on_time',
  })
  assert.deepEqual((await items('late_met')).map((f) => f.id), [d.late.id])
  const overdue = await items('overdue_open')
  assert.deepEqual(overdue.map((f) => f.id), [d.overdue.id])
  assert.equal(overdue[0].met_at, null)
  assert.equal(overdue[0].rule, 'R-PLN-2')
  const ext = await items('extensions')
  assert.deepEqual(ext.map((f) => [f.id, f.times]), [[d.extended.id, 1]])
  // The score is the scheme's weighted breakdown.
  const b = Object.fromEntries(r.breakdown.map((x) => [x.id, x]))
  assert.equal(b.on_time_rate.points, 0, '50% is below the default 80% floor')
  assert.equal(b.on_time_rate.failing, true)
  const w = r.breakdown.reduce((s, x) => s + x.weight, 0)
  const expect = Math.round((r.breakdown.reduce((s, x) => s + x.weight * x.points, 0) / w) * 10) / 10
  assert.ok(Math.abs(r.score - expect) <= 0.1, `score ${r.score} vs ${expect}`)
  // Unknown indicator: 400 naming the field and the rule.
  const bad = await S.get('coordinator.staff', `/api/v1/assessment/items?org=${T.id}&indicator=nope&period=2027-06`)
  assertError(bad, 400, { field: 'indicator', rule: 'R-ASM-1' })
  assertError(await S.get('coordinator.staff', '/api/v1/assessment?period=2027-13'), 400, { field: 'period' })
})

test('R-ASM-1: the export has every group as CSV; org staff see only their own org', async () => {
  const res = await S.get('coordinator.staff', '/api/v1/assessment/export.csv?period=2027-06')
  assert.equal(res.status, 200, show(res))
  assert.match(res.headers.get('content-type'), /text\/csv/)
  for (const sheet of ['【综合得分】', '【期限履行】', '【案件移送】', '【监督与培训】', '【各类期限】']) assert.ok(res.text.includes(sheet), sheet)
  assert.ok(res.text.includes('50.0%（2/4）'), 'the on-time rate with its counts')
  const one = await S.get('coordinator.staff', '/api/v1/assessment/export.csv?period=2027-06&group=kinds')
  assert.equal(one.status, 200)
  assert.ok(!one.text.includes('【'), 'one group: its table only')
  assertError(await S.get('coordinator.staff', '/api/v1/assessment/export.csv?period=2027-06&group=x'), 400, { field: 'group' })
  // issue 14: the workbook has one sheet per indicator group, cell for cell the CSV of that group.
  const coord = await S.as('coordinator.staff')
  const book = await getRaw(S.server.url, coord, '/api/v1/assessment/export.xlsx?period=2027-06')
  assert.equal(book.status, 200, book.text)
  assert.equal(book.headers.get('content-type'), XLSX_TYPE)
  const sheets = readXlsx(Buffer.from(book.bytes)).sheets
  assert.deepEqual(sheets.map((x) => x.name), ['综合得分', '期限履行', '案件移送', '监督与培训', '各类期限'])
  const kinds = parseCsv((await S.get('coordinator.staff', '/api/v1/assessment/export.csv?period=2027-06&group=kinds')).text)
  assert.deepEqual(diffSheetCsv(sheets[4], kinds), [], 'the 各类期限 sheet equals its CSV')
  const oneBook = await getRaw(S.server.url, coord, '/api/v1/assessment/export.xlsx?period=2027-06&group=kinds')
  assert.deepEqual(readXlsx(Buffer.from(oneBook.bytes)).sheets.map((x) => x.name), ['各类期限'])
  assert.equal((await getRaw(S.server.url, coord, '/api/v1/assessment/export.xlsx?period=2027-06&group=x')).status, 400)
  const own = await get('liuzu.officer', '/api/v1/assessment?period=2027-06')
  assert.deepEqual(own.orgs.map((o) => o.org.id), [T.id])
  const mine = await S.get('liuzu.officer', '/api/v1/assessment/export.csv?period=2027-06&group=scores')
  assert.ok(mine.text.includes(T.name) && !mine.text.includes(orgs.xincheng.name), 'the export of org staff holds their org only')
  assert.equal((await S.get('liuzu.officer', `/api/v1/assessment/orgs/${T.id}?period=2027-06`)).status, 200)
  assertError(await S.get('xincheng.officer', `/api/v1/assessment/orgs/${T.id}?period=2027-06`), 404, {})
  assertError(await S.get('xincheng.officer', `/api/v1/assessment/items?org=${T.id}&indicator=late_met&period=2027-06`), 404, {})
  assertError(await S.get('liuzu.officer', '/api/v1/assessment/dashboard?year=2027'), 403, {})
  assertError(await S.get('liuzu.officer', '/api/v1/assessment/results'), 403, {})
  const dash = await get('auditor', '/api/v1/assessment/dashboard?year=2027')
  assert.equal(dash.trend.length, 12)
  assert.deepEqual(dash.trend[5], { month: '2027-06', counted: dash.trend[5].counted, on_time: dash.trend[5].on_time, rate: dash.trend[5].rate })
  assert.ok(dash.trend[5].counted >= 4)
})

test('R-ASM-2: a 通报批评 cites failing duties, is numbered 评, shown on the org page and counted', async () => {
  const body = { org_id: T.id, title: '关于六组镇交办任务逾期的通报', text: '六组镇交办任务多次逾期，影响协同执法。', duty_ids: [d.late.id, d.overdue.id] }
  // Refusals change nothing: org staff (403), a duty met on time (409), another org's duty (400).
  const head = await S.auditHead()
  assertError(await S.post('liuzu.leader', '/api/v1/circulars', body), 403, { rule: 'R-ASM-2' })
  assertError(await S.post('coordinator.staff', '/api/v1/circulars', { ...body, duty_ids: [d.onTime.id] }), 409, { code: 'not_failing', rule: 'R-ASM-2' })
  assertError(await S.post('coordinator.staff', '/api/v1/circulars', { ...body, org_id: orgs.xincheng.id }), 400, { field: 'duty_ids[0]' })
  assertError(await S.post('coordinator.staff', '/api/v1/circulars', { ...body, extra: 1 }), 400, { field: 'extra' })
  assert.equal(await S.auditHead(), head, 'refused circulars wrote nothing')
  assert.equal(row(await get('coordinator.staff', '/api/v1/assessment?period=2027-06'), T).values.circulars.value, 0)

  const c = await S.create('coordinator.staff', 'circulars', body)
  assert.match(c.number, /评〔2027〕\d+号$/)
  assert.equal(c.state, 'issued')
  assert.equal(c.to_org.id, T.id)
  assert.deepEqual(c.cited.map((x) => [x.duty_id, x.counted]), [[d.late.id, 'late'], [d.overdue.id, 'overdue']])
  const page = await get('liuzu.officer', `/api/v1/assessment/orgs/${T.id}?period=2027-06`)
  assert.deepEqual(page.circulars.map((x) => x.number), [c.number])
  assert.ok(page.against.some((f) => f.indicator === 'circulars' && f.id === c.id), 'counted against the org')
  assert.ok(page.against.some((f) => f.indicator === 'overdue_open' && f.id === d.overdue.id), 'the overdue duty counts against it')
  assert.equal(page.assessment.orgs[0].values.circulars.value, 1)
  assert.equal((await get('liuzu.officer', `/api/v1/circulars/${c.id}`)).number, c.number)
  assertError(await S.get('xincheng.officer', `/api/v1/circulars/${c.id}`), 404, {})
  // The numbered document is readable by the org.
  const doc = c.documents.find((x) => x.number === c.number)
  assert.ok(doc, 'the circular carries its numbered document (R-DOC-1)')
  assert.equal((await S.get('liuzu.officer', `/api/v1/documents/${doc.id}`)).status, 200)
  assert.equal((await S.get('xincheng.officer', `/api/v1/documents/${doc.id}`)).status, 404)

  // Serious: an accountability record (责), on the page and in the score.
  assertError(await S.post('liuzu.leader', '/api/v1/accountability-records', { circular_id: c.id, person: '张三（副镇长）', measure: '约谈', text: '情节严重' }), 403, { rule: 'R-ASM-2' })
  const acc = await S.create('coordinator.staff', 'accountability-records', { circular_id: c.id, person: '张三（副镇长）', measure: '约谈', text: '逾期未整改，情节严重。' })
  assert.match(acc.number, /责〔2027〕\d+号$/)
  const page2 = await get('liuzu.officer', `/api/v1/assessment/orgs/${T.id}?period=2027-06`)
  assert.deepEqual(page2.accountability.map((x) => x.number), [acc.number])
  assert.equal(page2.assessment.orgs[0].values.accountability.value, 1)
})

test('R-ASM-1: a published result never changes after later edits of the facts or the scheme', async () => {
  const scheme = {
    indicators: [
      { id: 'on_time_rate', weight: 60, good: 1, bad: 0.4 },
      { id: 'overdue_open', weight: 40, good: 0, bad: 2 },
    ],
  }
  assertError(await S.get('liuzu.officer', '/api/v1/assessment/results/1'), 403, {})
  const head = await S.auditHead()
  assertError(await (await S.as('liuzu.leader')).put('/api/v1/assessment/schemes/2027', scheme), 403, {})
  assertError(await S.post('liuzu.leader', '/api/v1/assessment/results', { period: '2027-06' }), 403, {})
  assertError(await (await S.as('coordinator.staff')).put('/api/v1/assessment/schemes/2027', { indicators: [{ id: 'nope', weight: 1, good: 1, bad: 0 }] }), 400, { field: 'indicators[0].id' })
  assert.equal(await S.auditHead(), head, 'refused writes wrote nothing')
  const saved = await (await S.as('coordinator.staff')).put('/api/v1/assessment/schemes/2027', scheme)
  assert.equal(saved.status, 200, show(saved))
  assert.equal(saved.json.version, 1)

  const pub = await S.post('coordinator.staff', '/api/v1/assessment/results', { period: '2027-06' })
  assert.equal(pub.status, 201, show(pub))
  assert.equal(pub.json.result.scheme.version, 1)
  const before = await get('coordinator.staff', `/api/v1/assessment/results/${pub.json.id}`)
  const r0 = row(before.result, T)
  assert.equal(r0.values.on_time_rate.value, 0.5)
  // 0.5 on a 0.4..1 scale = 16.7 points; one overdue of 0..2 = 50 points → (60×16.7+40×50)/100.
  assert.equal(r0.score, Math.round(((60 * (0.1 / 0.6) * 100 + 40 * 50) / 100) * 10) / 10)

  // Later: the overdue duty is met (late), and the scheme changes.
  await meet(d.overdue.id, '2027-06-14T10:00:00+08:00')
  const s2 = await (await S.as('coordinator.staff')).put('/api/v1/assessment/schemes/2027', { indicators: [{ id: 'on_time_rate', weight: 1, good: 1, bad: 0 }] })
  assert.equal(s2.json.version, 2)
  const live = row(await get('coordinator.staff', '/api/v1/assessment?period=2027-06'), T)
  assert.equal(live.values.overdue_open.value, 0, 'the live numbers moved')
  assert.equal(live.values.late_met.value, 2)
  assert.deepEqual(await get('coordinator.staff', `/api/v1/assessment/results/${pub.json.id}`), before, 'the published result did not')
  assertError(await S.post('coordinator.staff', '/api/v1/assessment/results', { period: '2027-06' }), 409, { code: 'already_published', rule: 'R-ASM-1' })
  const list = await get('auditor', '/api/v1/assessment/results')
  assert.ok(list.items.some((x) => x.id === pub.json.id && x.period === '2027-06'))
  const page = await get('liuzu.officer', `/api/v1/assessment/orgs/${T.id}?period=2027-06`)
  assert.deepEqual(page.published.find((p) => p.result_id === pub.json.id)?.score, r0.score)
})
