// Guidance requests (业务指导, R-GUI-1), trainings and their yearly view (业务培训, R-GUI-2) and
// technical support (技术支持, R-GUI-3), end to end against docs/guidance-training-contract.md:
// every step of the three tables, refusals naming field and rule and changing nothing, duties
// (guidance.respond, tech_support.answer: 5 working days), numbered documents (导, 训, 技),
// visibility (a township or department not party: 404), the yearly view's colours from the
// clock (a department with one training: none in November, yellow on 1 December, red on
// 31 December), hours per officer against a hand count, lists and CSV.
// The demo county holds trainings of 市场监管局 and 自然资源局; this suite's trainings are
// 生态环境分局's (sthj) for 东成镇 (dongcheng), which the demo leaves alone.
// The tests run in order on one server; the fake clock only moves forward from Monday 2026-11-23.
// xt-backends: sqlite postgres (servers start in ./lib/coord.mjs through startServer)
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { show } from './lib/util.mjs'
import { NUMBER_RE, uploadFile } from './lib/referrals.mjs'
import { CoordSuite, dutiesOf, assertError } from './lib/coord.mjs'

const S = CoordSuite({ start: '2026-11-23T09:00:00+08:00', extraArgs: ['--training-min', '2027=1'] })
const GR = 'guidance-requests'
const TR = 'trainings'
const TS = 'tech-support-requests'
let orgs
const uid = {}

before(async () => {
  await S.start()
  orgs = S.orgs
  for (const u of ['dongcheng.officer', 'dongcheng.liaison', 'dongcheng.leader', 'xincheng.officer']) {
    uid[u] = (await S.get(u, '/api/v1/me')).json.user.id
  }
})
after(S.stop)

const guidance = (over = {}) => ({
  kind: 'onsite', to_org: orgs.sthj.id, question: '畜禽养殖场废水直排的取证要点，请派员现场指导', wished_date: '2026-11-30', ...over,
})
const training = (over = {}) => ({
  title: '生态环境执法取证业务培训', date: '2026-11-20', place: '东成镇政府二楼会议室', hours: 3.5,
  trainers: ['陈静'], invited_orgs: [orgs.dongcheng.id], attendees: [uid['dongcheng.officer']], ...over,
})
const support = (over = {}) => ({
  kind: 'request', to_org: orgs.sthj.id, subject: '养殖废水COD快速检测', sample: '废水样2份', urgency: 'urgent', ...over,
})

// ---------------------------------------------------------------------------------------------
// R-GUI-1

test('R-GUI-1: refused guidance requests name field and rule and create nothing', async () => {
  const create = (who, body) => S.noneCreated(GR, () => S.post(who, `/api/v1/${GR}`, body))
  assertError(await create('sthj.officer', guidance()), 403, { code: 'permission_denied', rule: 'R-GUI-1' })
  assertError(await create('coordinator.staff', guidance()), 403, { rule: 'R-GUI-1' })
  assertError(await create('auditor', guidance()), 403, { rule: 'R-GUI-1' })
  assertError(await create('dongcheng.officer', guidance({ to_org: orgs.xincheng.id })), 400, { field: 'to_org', rule: 'R-GUI-1' })
  assertError(await create('dongcheng.officer', guidance({ to_org: orgs.gaj.id })), 400, { field: 'to_org', rule: 'R-GUI-1' })
  assertError(await create('dongcheng.officer', guidance({ kind: 'lecture' })), 400, { field: 'kind', rule: 'R-GUI-1' })
  assertError(await create('dongcheng.officer', guidance({ question: ' ' })), 400, { code: 'missing_field', field: 'question', rule: 'R-GUI-1' })
  assertError(await create('dongcheng.officer', guidance({ wished_date: '2026-11-01' })), 400, { field: 'wished_date', rule: 'R-GUI-1' })
  assertError(await create('dongcheng.officer', guidance({ wished_date: '30/11/2026' })), 400, { field: 'wished_date' })
  assertError(await create('dongcheng.officer', guidance({ matter: 'NO-SUCH' })), 400, { field: 'matter', rule: 'R-GUI-1' })
  assertError(await create('dongcheng.officer', guidance({ bogus: 1 })), 400, { code: 'unknown_field', field: 'bogus', rule: 'R-GUI-1' })
})

let g1
test('R-GUI-1: a request opens guidance.respond (5 working days); the department schedules it (导) and records it', async () => {
  g1 = await S.create('dongcheng.officer', GR, guidance())
  assert.equal(g1.type, 'guidance_request')
  assert.equal(g1.state, 'requested')
  assert.equal(g1.kind, 'onsite')
  assert.equal(g1.kind_label, '现场指导')
  const [d] = dutiesOf(g1, 'guidance.respond')
  assert.equal(d.owner_org_id ?? d.owner_org?.id, orgs.sthj.id)
  assert.equal(Date.parse(d.due_at), Date.parse(await S.addWorkdays('2026-11-23T09:00:00+08:00', 5)))
  assert.ok((await S.noteKinds('sthj.leader', 'guidance_request', g1.id)).includes('guidance.requested'))
  // Not party: 404 (R-ACC-1); the township may not schedule (403); a refused step changes nothing.
  for (const who of ['xincheng.officer', 'scjg.officer', 'gaj.officer']) {
    assertError(await S.get(who, `/api/v1/${GR}/${g1.id}`), 404, { code: 'not_found' })
    assertError(await S.unchanged(GR, g1.id, () => S.post(who, `/api/v1/${GR}/${g1.id}/schedule`, { date: '2026-11-26', place: 'x', people: ['x'] })), 404, {})
  }
  assertError(await S.unchanged(GR, g1.id, () => S.post('dongcheng.officer', `/api/v1/${GR}/${g1.id}/schedule`, { date: '2026-11-26', place: 'x', people: ['x'] })), 403, { rule: 'R-GUI-1' })
  assertError(await S.unchanged(GR, g1.id, () => S.post('sthj.officer', `/api/v1/${GR}/${g1.id}/schedule`, { date: '2026-11-20', place: '东成镇', people: ['陈静'] })), 400, { field: 'date', rule: 'R-GUI-1' })
  assertError(await S.unchanged(GR, g1.id, () => S.post('sthj.officer', `/api/v1/${GR}/${g1.id}/schedule`, { date: '2026-11-26', place: '东成镇' })), 400, { code: 'missing_field', field: 'people' })
  assertError(await S.unchanged(GR, g1.id, () => S.post('sthj.officer', `/api/v1/${GR}/${g1.id}/record`, { text: '已指导' })), 409, { code: 'illegal_transition', rule: 'R-GUI-1' })
  const s = await S.act('sthj.officer', GR, g1.id, 'schedule', { date: '2026-11-26', place: '东成镇某养殖场', people: ['陈静', '林涛'], note: '请准备检查记录' })
  assert.equal(s.state, 'scheduled')
  assert.match(s.number, NUMBER_RE)
  assert.ok(s.number.includes('导〔2026〕'), s.number)
  assert.deepEqual(s.documents.map((x) => x.kind), ['guidance_arrangement'])
  assert.ok(dutiesOf(s, 'guidance.respond')[0].met_at, 'scheduling meets guidance.respond')
  assert.equal(s.schedule.date, '2026-11-26')
  assert.deepEqual(s.schedule.people, ['陈静', '林涛'])
  assert.ok((await S.noteKinds('dongcheng.officer', 'guidance_request', g1.id)).includes('guidance.scheduled'))
  // Withdrawing after the response is illegal.
  assertError(await S.unchanged(GR, g1.id, () => S.post('dongcheng.officer', `/api/v1/${GR}/${g1.id}/withdraw`, { reason: '不需要了' })), 409, { code: 'illegal_transition', rule: 'R-GUI-1' })
  const done = await S.act('sthj.officer', GR, g1.id, 'record', { text: '现场讲解取证要点，示范制作现场检查笔录' })
  assert.equal(done.state, 'done')
  assert.equal(done.record.text, '现场讲解取证要点，示范制作现场检查笔录')
})

test('R-GUI-1: declining with a reason is a response (duty met); withdrawing before it waives the duty', async () => {
  const a = await S.create('dongcheng.officer', GR, guidance({ kind: 'consultation', wished_date: undefined }))
  assertError(await S.unchanged(GR, a.id, () => S.post('sthj.officer', `/api/v1/${GR}/${a.id}/decline`, {})), 400, { code: 'missing_field', field: 'reason', rule: 'R-GUI-1' })
  const d = await S.act('sthj.officer', GR, a.id, 'decline', { reason: '该事项不属于本局职责，请咨询县水务局' })
  assert.equal(d.state, 'declined')
  assert.ok(dutiesOf(d, 'guidance.respond')[0].met_at, 'declining meets guidance.respond')
  assert.equal(d.number, null)
  const b = await S.create('dongcheng.officer', GR, guidance({ kind: 'seminar' }))
  const w = await S.act('dongcheng.officer', GR, b.id, 'withdraw', { reason: '已自行解决' })
  assert.equal(w.state, 'withdrawn')
  assert.equal(dutiesOf(w, 'guidance.respond')[0].state, 'waived')
  // Lists and CSV: the department's incoming requests.
  assert.deepEqual((await S.listIds('sthj.officer', GR, 'state=declined')), [a.id])
  assert.ok(!(await S.listIds('xincheng.officer', GR)).includes(a.id))
  const csv = await S.get('sthj.officer', `/api/v1/${GR}/export.csv?direction=in`)
  assert.equal(csv.status, 200)
  assert.match(csv.headers.get('content-type'), /text\/csv/)
  assert.ok(csv.text.includes('不予安排') && csv.text.includes('现场指导'), csv.text)
})

// ---------------------------------------------------------------------------------------------
// R-GUI-3

test('R-GUI-3: a request answered by dispatch (技, duty met); a procurement is recorded without a duty', async () => {
  const create = (who, body) => S.noneCreated(TS, () => S.post(who, `/api/v1/${TS}`, body))
  assertError(await create('sthj.officer', support()), 403, { rule: 'R-GUI-3' })
  assertError(await create('dongcheng.officer', support({ to_org: undefined })), 400, { code: 'missing_field', field: 'to_org', rule: 'R-GUI-3' })
  assertError(await create('dongcheng.officer', support({ urgency: 'asap' })), 400, { field: 'urgency', rule: 'R-GUI-3' })
  assertError(await create('dongcheng.officer', support({ kind: 'procurement', to_org: undefined })), 400, { code: 'missing_field', field: 'institution', rule: 'R-GUI-3' })
  assertError(await create('dongcheng.officer', support({ kind: 'procurement', institution: '某检测公司', contract_number: 'HT-1', amount: -5, to_org: undefined })), 400, { field: 'amount', rule: 'R-GUI-3' })
  const r = await S.create('dongcheng.officer', TS, support())
  assert.equal(r.state, 'requested')
  assert.equal(dutiesOf(r, 'tech_support.answer').length, 1)
  assertError(await S.get('xincheng.officer', `/api/v1/${TS}/${r.id}`), 404, { code: 'not_found' })
  assertError(await S.unchanged(TS, r.id, () => S.post('sthj.officer', `/api/v1/${TS}/${r.id}/answer`, { mode: 'phone', details: 'x' })), 400, { field: 'mode', rule: 'R-GUI-3' })
  assertError(await S.unchanged(TS, r.id, () => S.post('dongcheng.officer', `/api/v1/${TS}/${r.id}/answer`, { mode: 'dispatch', details: 'x' })), 403, { rule: 'R-GUI-3' })
  const a = await S.act('sthj.officer', TS, r.id, 'answer', { mode: 'dispatch', details: '派监测站2人携快检设备到场', date: '2026-11-24', people: ['周平', '吴迪'] })
  assert.equal(a.state, 'answered')
  assert.ok(a.number.includes('技〔2026〕'), a.number)
  assert.equal(a.answer.mode_label, '派员')
  assert.ok(dutiesOf(a, 'tech_support.answer')[0].met_at)
  // The result file: uploaded by the township, readable by whoever sees the item (R-ACC-1).
  const file = await uploadFile(S.server.url, await S.as('dongcheng.officer'), { name: '检测报告.pdf' })
  assertError(await create('dongcheng.officer', support({ kind: 'procurement', to_org: undefined, urgency: undefined, institution: 'x', contract_number: 'x', amount: 1, materials: [{ name: '检测报告', file: 'f'.repeat(64) }] })), 400, { field: 'materials[0].file', rule: 'R-GUI-3' })
  const p = await S.create('dongcheng.officer', TS, support({
    kind: 'procurement', to_org: undefined, urgency: undefined, institution: '新兴县质量计量监督检测所', contract_number: 'DC-2026-07', amount: 3600, result: 'COD 超标 2.1 倍',
    materials: [{ name: '检测报告', file: file.id }],
  }))
  assert.equal(p.materials[0].file.id, file.id)
  assert.equal((await S.get('coordinator.staff', `/api/v1/files/${file.id}`)).status, 200)
  assert.equal((await S.get('xincheng.officer', `/api/v1/files/${file.id}`)).status, 404)
  assert.equal(p.state, 'recorded')
  assert.equal(p.kind, 'procurement')
  assert.equal(p.duties.length, 0)
  assert.equal(p.procurement.amount, 3600)
  assertError(await S.unchanged(TS, p.id, () => S.post('sthj.officer', `/api/v1/${TS}/${p.id}/answer`, { mode: 'dispatch', details: 'x' })), 404, {})
  assertError(await S.unchanged(TS, p.id, () => S.post('dongcheng.officer', `/api/v1/${TS}/${p.id}/withdraw`, { reason: 'x' })), 409, { code: 'illegal_transition' })
  assert.deepEqual(await S.listIds('dongcheng.officer', TS, 'kind=procurement'), [p.id])
  const csv = await S.get('dongcheng.officer', `/api/v1/${TS}/export.csv`)
  assert.equal(csv.status, 200)
  assert.ok(csv.text.includes('委托检测机构') && csv.text.includes('派员：派监测站2人') && csv.text.includes('新兴县质量计量监督检测所（DC-2026-07）'), csv.text)
})

// ---------------------------------------------------------------------------------------------
// R-GUI-2

const summary = async (who, year = 2026) => {
  const res = await S.get(who, `/api/v1/trainings/summary?year=${year}`)
  assert.equal(res.status, 200, show(res))
  return res.json
}
const sthjRow = async (who = 'coordinator.staff') => (await summary(who)).departments.find((d) => d.org.id === orgs.sthj.id)

let t1
test('R-GUI-2: refused trainings name field and rule and create nothing', async () => {
  const create = (who, body) => S.noneCreated(TR, () => S.post(who, `/api/v1/${TR}`, body))
  assertError(await create('dongcheng.officer', training()), 403, { rule: 'R-GUI-2' })
  assertError(await create('coordinator.staff', training()), 403, { rule: 'R-GUI-2' })
  assertError(await create('sthj.officer', training({ hours: 0.3 })), 400, { field: 'hours', rule: 'R-GUI-2' })
  assertError(await create('sthj.officer', training({ invited_orgs: [orgs.scjg.id] })), 400, { field: 'invited_orgs[0]', rule: 'R-GUI-2' })
  assertError(await create('sthj.officer', training({ attendees: [uid['xincheng.officer']] })), 400, { field: 'attendees[0]', rule: 'R-GUI-2' })
  assertError(await create('sthj.officer', training({ trainers: [] })), 400, { code: 'missing_field', field: 'trainers' })
  assertError(await create('sthj.officer', training({ date: '2026-13-01' })), 400, { field: 'date' })
})

test('R-GUI-2: record, mark attendance, close (训); the yearly view counts it and is not coloured in November', async () => {
  t1 = await S.create('sthj.officer', TR, training())
  assert.equal(t1.state, 'planned')
  assert.equal(t1.hours, 3.5)
  assert.ok((await S.noteKinds('dongcheng.leader', 'training', t1.id)).includes('training.invited'))
  assertError(await S.get('xincheng.officer', `/api/v1/${TR}/${t1.id}`), 404, { code: 'not_found' })
  // The invited township sees it; only the organiser marks attendance and closes it.
  assert.equal((await S.detail('dongcheng.officer', TR, t1.id)).id, t1.id)
  assertError(await S.unchanged(TR, t1.id, () => S.post('dongcheng.officer', `/api/v1/${TR}/${t1.id}/attendance`, { attended: [uid['dongcheng.officer']] })), 403, { rule: 'R-GUI-2' })
  assertError(await S.unchanged(TR, t1.id, () => S.post('sthj.officer', `/api/v1/${TR}/${t1.id}/close`, {})), 409, { code: 'attendance_missing', rule: 'R-GUI-2' })
  assertError(await S.unchanged(TR, t1.id, () => S.post('sthj.officer', `/api/v1/${TR}/${t1.id}/attendance`, { attended: [uid['xincheng.officer']] })), 400, { field: 'attended[0]', rule: 'R-GUI-2' })
  const a = await S.act('sthj.officer', TR, t1.id, 'attendance', { attended: [uid['dongcheng.officer'], uid['dongcheng.liaison']] })
  assert.deepEqual(a.attendance.attended.map((x) => x.user.id), [uid['dongcheng.officer'], uid['dongcheng.liaison']])
  const c = await S.act('sthj.officer', TR, t1.id, 'close', { summary: '培训结束' })
  assert.equal(c.state, 'closed')
  assert.ok(c.number.includes('训〔2026〕'), c.number)
  assert.deepEqual(c.documents.map((x) => x.kind), ['training_record'])
  assertError(await S.unchanged(TR, t1.id, () => S.post('sthj.officer', `/api/v1/${TR}/${t1.id}/attendance`, { attended: [] })), 409, { code: 'illegal_transition' })
  const row = await sthjRow()
  assert.equal(row.held, 1)
  assert.equal(row.minimum, 2)
  assert.equal(row.hours, 3.5)
  assert.equal(row.colour, null, 'below the minimum in November: not coloured yet')
  // Per-year minimum (--training-min 2027=1).
  assert.equal((await summary('coordinator.staff', 2027)).minimum, 1)
  assertError(await S.get('coordinator.staff', '/api/v1/trainings/summary?year=1999'), 400, { field: 'year', rule: 'R-GUI-2' })
  const csv = await S.get('sthj.officer', `/api/v1/${TR}/export.csv`)
  assert.equal(csv.status, 200)
  assert.ok(csv.text.includes('生态环境执法取证业务培训') && csv.text.includes('3.5'), csv.text)
})

test('R-GUI-2: hours per township officer equal a hand count; an officer sees only their own hours', async () => {
  // A second training, planned (not held yet): it does not count.
  const t2 = await S.create('sthj.officer', TR, training({ title: '固废执法培训', hours: 2, date: '2026-11-22', attendees: [] }))
  await S.act('sthj.officer', TR, t2.id, 'attendance', { attended: [uid['dongcheng.officer']] })
  // A cancelled one neither.
  const t3 = await S.create('sthj.officer', TR, training({ title: '取消的培训', hours: 8 }))
  await S.act('sthj.officer', TR, t3.id, 'cancel', { reason: '改期' })
  let s = await summary('coordinator.staff')
  const hours = (id) => s.officers.find((o) => o.user.id === id)
  // Hand count: dongcheng.officer attended t1 (3.5 h, closed); t2 is not closed; t3 cancelled.
  assert.equal(hours(uid['dongcheng.officer']).hours, 3.5)
  assert.equal(hours(uid['dongcheng.liaison']).hours, 3.5)
  assert.equal(hours(uid['dongcheng.officer']).org.id, orgs.dongcheng.id)
  assert.equal((await sthjRow()).planned, 1)
  await S.act('sthj.officer', TR, t2.id, 'close', {})
  s = await summary('coordinator.staff')
  assert.equal(hours(uid['dongcheng.officer']).hours, 3.5 + 2)
  assert.equal(hours(uid['dongcheng.officer']).trainings, 2)
  assert.equal(hours(uid['dongcheng.liaison']).hours, 3.5)
  // The officer sees their own row only; the township's liaison sees its officers; the department
  // sees its own row.
  const own = await summary('dongcheng.officer')
  assert.deepEqual(own.officers.map((o) => o.user.id), [uid['dongcheng.officer']])
  assert.equal(own.officers[0].hours, 5.5)
  assert.deepEqual(own.departments, [])
  const desk = await summary('dongcheng.liaison')
  assert.deepEqual(desk.officers.map((o) => o.user.id).sort(), [uid['dongcheng.officer'], uid['dongcheng.liaison']].sort())
  const dept = await summary('sthj.officer')
  assert.deepEqual(dept.departments.map((d) => d.org.id), [orgs.sthj.id])
  assert.equal(dept.departments[0].colour, 'green', 'two held: the minimum is met')
  // Back to one held for the colours below: a department with one training.
})

test('R-GUI-2: a department with one training is yellow on 1 December and red on 31 December', async () => {
  // 住建局 (zjj) holds one training in 2026.
  const t = await S.create('zjj.officer', TR, training({ title: '城市管理执法培训', hours: 1 }))
  await S.act('zjj.officer', TR, t.id, 'attendance', { attended: [uid['dongcheng.officer']] })
  await S.act('zjj.officer', TR, t.id, 'close', {})
  const zjj = async () => (await summary('coordinator.staff')).departments.find((d) => d.org.id === orgs.zjj.id)
  assert.equal((await zjj()).held, 1)
  assert.equal((await zjj()).colour, null)
  await S.setClock('2026-12-01T08:00:00+08:00')
  assert.equal((await zjj()).colour, 'yellow')
  assert.equal((await sthjRow()).colour, 'green')
  await S.setClock('2026-12-30T20:00:00+08:00')
  assert.equal((await zjj()).colour, 'yellow')
  await S.setClock('2026-12-31T08:00:00+08:00')
  assert.equal((await zjj()).colour, 'red')
  assert.equal((await summary('coordinator.staff')).today, '2026-12-31')
})
