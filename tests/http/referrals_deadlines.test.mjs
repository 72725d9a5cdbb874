// Referral deadlines under an advancing fake clock (R-REF-6, R-REF-4, R-REF-7, R-TIME-4): the
// receiver's accept duty of an unanswered referral turns yellow, then red; the sender sees the
// colour in its own list (R-REF-8) and the coordinator in every duty (scope=all); the receiver's
// liaison and leaders and the coordinator staff are notified exactly once each, however often the
// sweeper runs; with the duty red the sender may ask the coordinator; accepting late records
// on_time false and the working days late. Clients use API tokens (sessions expire after 8 idle
// hours of the server clock). The tests run in order on one server.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, api } from '../lib/server.mjs'
import { show } from './lib/util.mjs'
import {
  Users, Referrals, orgsByCode, classifyMatters, pick, draftBody, uploadFile, pdfBytes,
  dutyOf, sendDutyOf, notesAbout, addWorkdays, assertSameInstant, sleep, serialOf,
} from './lib/referrals.mjs'

const START = '2026-11-23T09:00:00+08:00' // a Monday
let server
let as
let R
let orgs
let C // the receiver
const refs = {} // late: accepted late; coord: coordination once red; draft: never sent
const duty = {} // accept duty of refs.late / refs.coord, send duty of refs.draft

before(async () => {
  server = await startServer({ fakeClock: START, extraArgs: ['--access-log', 'off', '--sweep-interval', '0.2'] })
  as = Users(server.url, { tokens: true })
  R = Referrals(server.url, as)
  const coord = await as('coordinator.staff')
  orgs = await orgsByCode(coord)
  const cat = await classifyMatters(coord, ['xincheng'], '2026-11-23')
  const m = pick(cat.at.xincheng, (e) => e.competent.kind === 'county_department' && e.matter.statutory_referral_days == null,
    'competent to a county department in xincheng, without a statutory period')
  C = orgs[m.competent.code]
  for (const p of ['xincheng.officer', 'xincheng.leader', 'xincheng.liaison', 'coordinator.leader', 'admin',
    `${C.code}.officer`, `${C.code}.leader`, `${C.code}.liaison`, 'liuzu.leader']) await as(p)
  const file = await uploadFile(server.url, await as('xincheng.officer'), { bytes: pdfBytes('deadlines') })
  const body = (facts, discoveredAt = '2026-11-23T08:00:00+08:00', over = {}) => draftBody({ matter: m.matter, to: C, township: orgs.xincheng, file, discoveredAt, facts, ...over })
  refs.late = await R.sent('xincheng.officer', 'xincheng.leader', body('期限测试：接收方逾期告知受理情况的案件。'))
  refs.coord = await R.sent('xincheng.officer', 'xincheng.leader', body('期限测试：接收方逾期未答复、移送方申请协调的案件。'))
  refs.coordSent = await R.sent('xincheng.officer', 'xincheng.leader', body('期限测试：接收方未签收、逾期未答复的案件。'))
  refs.decl = await R.sent('xincheng.officer', 'xincheng.leader', body('期限测试：接收方逾期后不予受理的案件。'))
  refs.draft = await R.create('xincheng.officer', body('期限测试：一直未移送的草稿。'))
  duty.late = dutyOf(refs.late, 'referral.accept_notice')
  duty.coord = dutyOf(refs.coord, 'referral.accept_notice')
  duty.decl = dutyOf(refs.decl, 'referral.accept_notice')
  // refs.coord is signed for (received); refs.coordSent stays "sent".
  assert.equal((await R.ok(`${C.code}.officer`, refs.coord.id, 'receive')).state, 'received')
  duty.draft = sendDutyOf(refs.draft)
  refs.body = body
  assert.ok(duty.late && duty.coord && duty.draft)
})
after(async () => {
  await server?.stop()
})

async function setClock(iso) {
  const res = await api(server.url).anonymous().post('/api/v1/test/clock', { set: iso })
  assert.equal(res.status, 200, show(res))
}
async function sweep() {
  const res = await api(server.url).anonymous().post('/api/v1/test/sweep', {})
  assert.equal(res.status, 200, show(res))
}
async function dutyNow(who, id) {
  const res = await (await as(who)).get(`/api/v1/duties/${id}`)
  assert.equal(res.status, 200, show(res))
  return res.json
}
async function notes(who, dutyId) {
  return notesAbout(await as(who), 'duty', dutyId)
}
const kinds = (ns) => ns.map((n) => n.kind).sort()
const RECEIVER_WARNED = () => [`${C.code}.liaison`, `${C.code}.leader`]
const COORDINATOR = ['coordinator.staff', 'coordinator.leader']

test('R-REF-6: on sending, the receiver\'s accept duty is due at 24:00 of the 5th working day after sent_at, green', async () => {
  assertSameInstant(refs.late.sent_at, START, 'sent_at')
  assert.equal(duty.late.owner_org.id, C.id)
  assert.equal(duty.late.colour, 'green')
  // Monday 11/23 is not counted: 24, 25, 26, 27, 30 → 24:00 of Monday 11/30
  assertSameInstant(duty.late.due_at, '2026-12-01T00:00:00+08:00', 'due_at')
  assertSameInstant(duty.late.due_at, await addWorkdays(await as('xincheng.officer'), refs.late.sent_at, 5), 'due_at (calendar API)')
  // The sender's send duty was met at once.
  assert.equal(sendDutyOf(refs.late).state, 'met')
  assert.equal(sendDutyOf(refs.late).on_time, true)
})

test('R-TIME-4: Friday 11/27 — the accept duty is still green and nobody is warned; the never-sent draft is red and its sender is told once', async () => {
  await setClock('2026-11-27T09:00:00+08:00')
  await sweep()
  assert.equal((await dutyNow(`${C.code}.officer`, duty.late.id)).colour, 'green')
  for (const who of [...RECEIVER_WARNED(), ...COORDINATOR, 'xincheng.leader']) {
    assert.equal((await notes(who, duty.late.id)).length, 0, who)
  }
  const green = await R.listIds('xincheng.officer', 'colour=green')
  assert.ok(green.includes(refs.late.id), 'colour=green in the sender\'s list')

  // R-REF-4: the draft discovered Monday 08:00 was due 24:00 Thursday 11/26.
  assertSameInstant(duty.draft.due_at, '2026-11-27T00:00:00+08:00', 'send due_at')
  const d = await dutyNow('xincheng.officer', duty.draft.id)
  assert.equal(d.colour, 'red')
  assert.ok((await R.listIds('xincheng.officer', 'colour=red')).includes(refs.draft.id))
  for (const who of ['xincheng.liaison', 'xincheng.leader', ...COORDINATOR]) {
    const ns = await notes(who, duty.draft.id)
    assert.equal(ns.filter((n) => n.kind === 'duty.red').length, 1, `${who}: ${JSON.stringify(ns)}`)
  }
  assert.equal((await notes(`${C.code}.leader`, duty.draft.id)).length, 0, 'the receiver is not warned of the sender\'s duty')
})

test('R-TIME-4: Monday 11/30 — yellow; the receiver\'s liaison and leader each get exactly one notice; the sender\'s list shows yellow', async () => {
  await setClock('2026-11-30T09:00:00+08:00')
  await sweep()
  const d = await dutyNow(`${C.code}.officer`, duty.late.id)
  assert.equal(d.colour, 'yellow')
  assert.equal((await R.get('xincheng.officer', refs.late.id)).duties.find((x) => x.id === duty.late.id).colour, 'yellow')
  assert.ok((await R.listIds('xincheng.officer', 'colour=yellow')).includes(refs.late.id))
  assert.ok(!(await R.listIds('xincheng.officer', 'colour=green')).includes(refs.late.id))
  for (const who of RECEIVER_WARNED()) {
    const ns = await notes(who, duty.late.id)
    assert.deepEqual(kinds(ns), ['duty.yellow'], `${who}: ${JSON.stringify(ns)}`)
  }
  for (const who of [...COORDINATOR, 'xincheng.leader', 'xincheng.liaison', `${C.code}.officer`, 'liuzu.leader']) {
    assert.equal((await notes(who, duty.late.id)).length, 0, who)
  }
  await sweep()
  await sleep(600) // the interval sweeper runs meanwhile
  for (const who of RECEIVER_WARNED()) assert.equal((await notes(who, duty.late.id)).length, 1, who)
})

test('R-TIME-4/R-REF-8: Tuesday 12/01 — red in the sender\'s list (colour=red) and in the coordinator\'s duties (scope=all); liaison, leader and coordinator staff notified exactly once each', async () => {
  await setClock('2026-12-01T09:00:00+08:00')
  await sweep()
  const d = await dutyNow('coordinator.staff', duty.late.id)
  assert.equal(d.colour, 'red')
  assert.equal(d.remaining.overdue, true)
  const red = await R.listIds('xincheng.officer', 'colour=red')
  assert.ok(red.includes(refs.late.id) && red.includes(refs.coord.id), 'colour=red in the sender\'s list')
  assert.ok(!(await R.listIds('xincheng.officer', 'colour=yellow')).includes(refs.late.id))
  assert.ok((await R.listIds(`${C.code}.officer`, 'colour=red&direction=in')).includes(refs.late.id))
  const all = await (await as('coordinator.staff')).get('/api/v1/duties?scope=all&colour=red&page_size=200')
  assert.equal(all.status, 200, show(all))
  assert.ok(all.json.items.some((x) => x.id === duty.late.id), 'the red duty in the coordinator\'s scope=all')

  for (const who of RECEIVER_WARNED()) {
    assert.deepEqual(kinds(await notes(who, duty.late.id)), ['duty.red', 'duty.yellow'], who)
  }
  for (const who of COORDINATOR) {
    assert.deepEqual(kinds(await notes(who, duty.late.id)), ['duty.red'], who)
  }
  // The sender is not the owner of the duty: its people get no duty warnings for it.
  assert.equal((await notes('xincheng.leader', duty.late.id)).length, 0)

  const count = async () => Promise.all([...RECEIVER_WARNED(), ...COORDINATOR, 'xincheng.liaison']
    .map(async (who) => (await notes(who, duty.late.id)).length + (await notes(who, duty.draft.id)).length))
  const before = await count()
  await sweep()
  await sweep()
  await sleep(600)
  assert.deepEqual(await count(), before, 'sweeping again notified someone again')
})

test('R-REF-7: with the accept duty red the sender asks the coordinator (from received and from sent); coordinator staff are notified', async () => {
  for (const ref of [refs.coord, refs.coordSent]) {
    const c = await R.ok('xincheng.officer', ref.id, 'coordination', { reason: '接收方逾期未告知受理情况，请求协调' })
    assert.equal(c.state, 'coordination')
    assertSameInstant(c.coordination.requested_at, '2026-12-01T09:00:00+08:00', 'requested_at')
    assert.ok((await notesAbout(await as('coordinator.staff'), 'referral', ref.id)).length >= 1)
  }
  // The receiver can no longer answer while the coordinator decides.
  const late = await R.act(`${C.code}.leader`, refs.coordSent.id, 'accept', {})
  assert.equal(late.status, 409, show(late))
  assert.equal(late.json.error.code, 'illegal_transition')
  // The coordinator's binding decision: the receiver accepts.
  const d = await R.ok('coordinator.staff', refs.coordSent.id, 'coordination/decision', { decision: 'receiver_accepts', reason: '经协调，由接收方受理' })
  assert.equal(d.state, 'accepted')
  const acc = dutyOf(d, 'referral.accept_notice')
  assert.equal(acc.state, 'met', 'the red duty does not stay open after the binding decision')
  assert.equal(acc.on_time, false)
  // sender_keeps closes the other one: no duty of it stays open (or red).
  const k = await R.ok('coordinator.staff', refs.coord.id, 'coordination/decision', { decision: 'sender_keeps', reason: '经协调，由移送方自行处理' })
  assert.equal(k.state, 'closed')
  assert.deepEqual(k.duties.filter((x) => x.state === 'open').map((x) => x.kind), [], JSON.stringify(k.duties))
  assert.ok(!(await R.listIds('xincheng.officer', 'colour=red')).includes(refs.coord.id))
})

test('R-REF-6/R-TIME-4: accepting late (Thursday 12/03) records on_time false and late_working_days ≥ 1; the referral leaves the red list', async () => {
  await setClock('2026-12-03T10:00:00+08:00')
  const a = await R.ok(`${C.code}.leader`, refs.late.id, 'accept', { note: '逾期受理' })
  assert.equal(a.state, 'accepted')
  assertSameInstant(a.accepted_at, '2026-12-03T10:00:00+08:00', 'accepted_at')
  const acc = a.duties.find((x) => x.id === duty.late.id)
  assert.equal(acc.state, 'met')
  assert.equal(acc.on_time, false)
  assert.ok(acc.late_working_days >= 1, `late_working_days ${acc.late_working_days}`)
  assert.equal(acc.late_working_days, 3, '12/1, 12/2 and 12/3 after the deadline')
  const d = await dutyNow(`${C.code}.officer`, duty.late.id)
  assert.equal(d.on_time, false)
  assert.equal(d.colour, 'none')
  assert.ok(!(await R.listIds('xincheng.officer', 'colour=red')).includes(refs.late.id))
  const before = (await notes('coordinator.staff', duty.late.id)).length
  await sweep()
  assert.equal((await notes('coordinator.staff', duty.late.id)).length, before)
})

test('R-REF-6/R-TIME-4: declining late records on_time false as well', async () => {
  const d = await R.ok(`${C.code}.leader`, refs.decl.id, 'decline', { reason: '经核查不属于本单位管辖' })
  assert.equal(d.state, 'declined')
  const acc = d.duties.find((x) => x.id === duty.decl.id)
  assert.equal(acc.state, 'met')
  assert.equal(acc.on_time, false)
  assert.equal(acc.late_working_days, 3)
})

test('R-REF-4/R-TIME-2: an urgent referral\'s send duty is yellow when a quarter of its 24 hours remains and red after; the sender is warned once each', async () => {
  // Now Thursday 12/03 10:00; discovered at 09:00 → due Friday 12/04 09:00, yellow from 03:00.
  const r = await R.create('xincheng.officer', refs.body('期限测试：紧急案件。', '2026-12-03T09:00:00+08:00', { urgent: true }))
  const send = sendDutyOf(r)
  assert.deepEqual(send.period, { unit: 'hours', value: 24 })
  assertSameInstant(send.due_at, '2026-12-04T09:00:00+08:00', 'urgent due_at')
  const colourAt = async (iso) => {
    await setClock(iso)
    await sweep()
    return (await dutyNow('xincheng.officer', send.id)).colour
  }
  assert.equal(await colourAt('2026-12-04T02:30:00+08:00'), 'green')
  assert.equal(await colourAt('2026-12-04T03:30:00+08:00'), 'yellow')
  assert.ok((await R.listIds('xincheng.officer', 'colour=yellow')).includes(r.id))
  assert.equal(await colourAt('2026-12-04T09:30:00+08:00'), 'red')
  await sweep()
  await sleep(600)
  for (const who of ['xincheng.liaison', 'xincheng.leader']) {
    assert.deepEqual(kinds(await notes(who, send.id)), ['duty.red', 'duty.yellow'], who)
  }
  assert.deepEqual(kinds(await notes('coordinator.staff', send.id)), ['duty.red'])
})

test('R-DOC-1/R-TIME-3: the number\'s year is the Shanghai year of approval — serials restart at 1 on 1 January; a 2027 deadline is provisional', async () => {
  await setClock('2026-12-31T12:00:00+08:00')
  const a = await R.submitted('xincheng.officer', refs.body('年末批准的案件。', '2026-12-31T08:00:00+08:00'))
  const b = await R.submitted('xincheng.officer', refs.body('跨年批准的案件。', '2026-12-31T09:00:00+08:00'))
  const c = await R.submitted('xincheng.officer', refs.body('新年第二件。', '2026-12-31T09:30:00+08:00'))
  const before = await R.list('xincheng.officer', 'direction=out&page_size=200')
  const last2026 = Math.max(0, ...before.items.filter((x) => x.number?.includes('〔2026〕')).map((x) => serialOf(x.number)))
  assert.ok(last2026 >= 3)

  await setClock('2026-12-31T23:30:00+08:00')
  const na = (await R.ok('xincheng.leader', a.id, 'approve')).number
  assert.equal(na, `${orgs.xincheng.doc_prefix}移〔2026〕${last2026 + 1}号`)

  await setClock('2027-01-01T00:30:00+08:00') // still 2026-12-31 in UTC
  const sb = await R.ok('xincheng.leader', b.id, 'approve')
  assert.equal(sb.number, `${orgs.xincheng.doc_prefix}移〔2027〕1号`)
  const letter = sb.documents.find((d) => d.number === sb.number)
  const html = await (await as('xincheng.officer')).get(`/api/v1/documents/${letter.id}`, { headers: { Accept: 'text/html' } })
  assert.equal(html.status, 200)
  assert.ok(html.text.includes('2027年1月1日'), 'the document is dated 2027年1月1日')
  const acc = dutyOf(sb, 'referral.accept_notice')
  assert.equal(acc.provisional, true, 'R-TIME-3: no 2027 holiday schedule is loaded')
  const nc = (await R.ok('xincheng.leader', c.id, 'approve')).number
  assert.equal(nc, `${orgs.xincheng.doc_prefix}移〔2027〕2号`)
})
