// Duties with deadlines end to end (R-TIME-1, R-TIME-3, R-TIME-4), on a fake clock:
// creation computes the deadline in working days; the sweeper turns duties yellow then red and
// notifies each person exactly once; the inbox shows colours only to the owner org; a workflow's
// duty (R-REF-6) is not ended, extended or suspended through the generic routes, and a statutory
// period is never stretched (each refusal changes nothing); meeting a duty of a kind no workflow
// handles (R-CRI-1a) late is recorded; a provisional 2027 deadline is recomputed when an
// administrator loads 2027.
// The tests in this file run in order and share one server and one duty.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, api } from '../lib/server.mjs'
import { loginAll, errorOf, show } from './lib/util.mjs'

const START = '2026-11-23T09:00:00+08:00' // a Monday
let server
let u // signed-in clients by username
let orgs // by code
let duty // a task.assigned duty owed by xincheng (R-PLN-2: created through POST /api/v1/duties)
let wf // a crime.transfer_decision duty of xincheng, opened by its workflow (R-CRI-1a: 3 calendar days)

before(async () => {
  server = await startServer({ fakeClock: START, extraArgs: ['--sweep-interval', '0.2', '--access-log', 'off'] })
  // Sessions expire after 8 idle hours of the (fake) server clock, and these tests move the
  // clock by days: work through API tokens, which do not expire.
  const sessions = await loginAll(server.url, [
    'coordinator.staff', 'admin', 'xincheng.officer', 'xincheng.leader', 'xincheng.liaison',
    'liuzu.officer', 'liuzu.leader', 'scjg.officer', 'scjg.leader',
  ])
  u = {}
  for (const [name, client] of Object.entries(sessions)) {
    const t = await client.post('/api/v1/tokens', { name: 'duties test' })
    assert.equal(t.status, 201, show(t))
    u[name] = api(server.url).bearer(t.json.token)
  }
  const list = await u.admin.get('/api/v1/orgs')
  orgs = Object.fromEntries(list.json.items.map((o) => [o.code, o]))
})
after(async () => {
  await server?.stop()
})

async function setClock(iso) {
  const anon = api(server.url).anonymous()
  const res = await anon.post('/api/v1/test/clock', { set: iso })
  assert.equal(res.status, 200, show(res))
  return res.json.now
}
async function sweep() {
  const res = await api(server.url).anonymous().post('/api/v1/test/sweep', {})
  assert.equal(res.status, 200, show(res))
  return res.json
}
async function notesAbout(client, dutyId) {
  const res = await client.get('/api/v1/notifications?page_size=200')
  assert.equal(res.status, 200, show(res))
  return res.json.items.filter((n) => n.object_type === 'duty' && n.object_id === String(dutyId))
}
async function getDuty(client, id) {
  const res = await client.get(`/api/v1/duties/${id}`)
  assert.equal(res.status, 200, show(res))
  return res.json
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

async function auditOf(id) {
  const res = await u['coordinator.staff'].get(`/api/v1/audit?object_type=duty&object_id=${id}&limit=200`)
  assert.equal(res.status, 200, show(res))
  return res.json.items
}
/** Runs `request` and asserts that the duty is as it was: same state, due_at, met_at, events, audit. */
async function unchanged(id, request) {
  const before = await getDuty(u['coordinator.staff'], id)
  const audit = (await auditOf(id)).length
  const res = await request()
  const after = await getDuty(u['coordinator.staff'], id)
  for (const k of ['state', 'due_at', 'met_at', 'on_time', 'provisional']) assert.deepEqual(after[k], before[k], `${k}: ${show(res)}`)
  assert.deepEqual(after.events, before.events, `a new event: ${show(res)}`)
  assert.equal((await auditOf(id)).length, audit, `a new audit entry: ${show(res)}`)
  return res
}
/** A 409 refusal with the stable code and the duty's rule. */
function assertRefused(res, code, rule) {
  assert.equal(res.status, 409, show(res))
  assert.equal(errorOf(res).code, code, show(res))
  assert.equal(errorOf(res).rule, rule, show(res))
}

test('R-TIME-1: coordinator staff create a duty; due = 24:00 of the 5th working day after the trigger; green', async () => {
  const res = await u['coordinator.staff'].post('/api/v1/duties', {
    kind: 'task.assigned',
    owner_org_id: orgs.xincheng.id,
    object_type: 'external',
    object_id: 'XT-2026-001',
    title: '交办任务：新城镇占道经营案整改',
    trigger_at: START,
  })
  assert.equal(res.status, 201, show(res))
  duty = res.json
  assert.equal(res.headers.get('location'), `/api/v1/duties/${duty.id}`)
  assert.equal(duty.kind, 'task.assigned')
  assert.equal(duty.rule, 'R-PLN-2')
  assert.equal(duty.owner_org.id, orgs.xincheng.id)
  assert.equal(duty.owner_org.name, '新城镇综合行政执法办公室')
  assert.equal(duty.state, 'open')
  assert.equal(duty.colour, 'green')
  assert.equal(duty.provisional, false)
  assert.deepEqual(duty.period, { unit: 'working_days', value: 5 })
  // Mon 11/23 not counted: 24, 25, 26, 27, (weekend), 30 → 24:00 of Monday 11/30
  assert.equal(duty.trigger_at, START)
  assert.equal(duty.due_at, '2026-12-01T00:00:00+08:00')
  assert.equal(duty.met_at, null)
  assert.equal(duty.on_time, null)
  assert.equal(duty.remaining.overdue, false)
  assert.ok(Array.isArray(duty.events) && duty.events[0].kind === 'created')

  // The calendar API agrees (R-TIME-1).
  const calc = await u['xincheng.officer'].get(`/api/v1/calendar/add-workdays?from=${encodeURIComponent(START)}&n=5`)
  assert.equal(calc.status, 200, show(calc))
  assert.equal(calc.json.due_at, duty.due_at)
  assert.equal(calc.json.calendar_version, duty.calendar_version)

  // A workflow's duty is opened by its workflow: the head's decision on a reported criminal
  // transfer (R-CRI-1a), 3 calendar days.
  const report = await u['xincheng.officer'].post('/api/v1/criminal-transfers', {
    title: '新城镇某食品作坊涉嫌生产有毒有害食品案', facts: '抽检发现非法添加', offence: '生产、销售有毒、有害食品罪',
    police_org: orgs.gaj.id, procuratorate_org: orgs.jcy.id,
  })
  assert.equal(report.status, 201, show(report))
  wf = report.json.duties.find((d) => d.kind === 'crime.transfer_decision')
  assert.equal(wf.due_at, '2026-11-27T00:00:00+08:00')
})

test('R-ACC-1: only coordinator staff and administrators create duties; bad input names the field', async () => {
  const body = { kind: 'task.assigned', owner_org_id: orgs.xincheng.id, object_type: 'external', object_id: 'X-2', title: '不应创建', trigger_at: START }
  const officer = await u['xincheng.leader'].post('/api/v1/duties', body)
  assert.equal(officer.status, 403, show(officer))
  assert.equal(errorOf(officer).rule, 'R-ACC-1')
  const cases = [
    [{ ...body, kind: 'no.such.kind' }, 'kind'],
    [{ ...body, owner_org_id: 999999 }, 'owner_org_id'],
    [{ ...body, owner_org_id: orgs['scjg-xincheng'].id }, 'owner_org_id'], // a unit (R-REF-2)
    [{ ...body, trigger_at: '2026-11-23 09:00' }, 'trigger_at'],
    [{ ...body, title: '' }, 'title'],
    [{ ...body, period: { unit: 'fortnights', value: 1 } }, 'period.unit'],
    [{ ...body, period: { unit: 'hours' } }, 'period.value'],
    [{ ...body, priority: 'high' }, 'priority'],
  ]
  for (const [b, field] of cases) {
    const res = await u['coordinator.staff'].post('/api/v1/duties', b)
    assert.equal(res.status, 400, `${JSON.stringify(b)}: ${show(res)}`)
    assert.equal(errorOf(res).field, field, JSON.stringify(b))
  }
  // A workflow opens its own duties: its kinds are refused, naming the kind and its rule.
  for (const [kind, rule] of [['referral.accept_notice', 'R-REF-6'], ['crime.transfer_decision', 'R-CRI-1a'], ['collaboration.answer', 'R-COL-2'], ['meeting.decision', 'R-COL-6']]) {
    for (const who of ['coordinator.staff', 'admin']) {
      const res = await u[who].post('/api/v1/duties', { ...body, kind })
      assertRefused(res, 'duty_opened_by_workflow', rule)
      assert.equal(errorOf(res).field, 'kind', show(res))
      assert.ok(errorOf(res).message.includes(kind), show(res))
    }
  }
  const all = await u['coordinator.staff'].get('/api/v1/duties?scope=all&page_size=200')
  assert.equal(all.json.items.filter((d) => d.title === '不应创建').length, 0)
})

test('R-TIME-4: still green on Friday 11/27 (more than one working day left); nobody notified', async () => {
  await setClock('2026-11-27T09:00:00+08:00')
  await sweep()
  assert.equal((await getDuty(u['xincheng.officer'], duty.id)).colour, 'green')
  for (const name of ['xincheng.liaison', 'xincheng.leader', 'coordinator.staff']) {
    assert.equal((await notesAbout(u[name], duty.id)).length, 0, name)
  }
})

test('R-TIME-4: yellow on the last working day; the liaison and the leader each get exactly one notice', async () => {
  await setClock('2026-11-30T09:00:00+08:00')
  await sweep()
  const d = await getDuty(u['xincheng.officer'], duty.id)
  assert.equal(d.colour, 'yellow')
  assert.equal(d.remaining.overdue, false)
  assert.ok(d.events.some((e) => e.kind === 'yellow'), JSON.stringify(d.events))
  for (const name of ['xincheng.liaison', 'xincheng.leader']) {
    const notes = await notesAbout(u[name], duty.id)
    assert.equal(notes.length, 1, `${name}: ${JSON.stringify(notes)}`)
    assert.equal(notes[0].kind, 'duty.yellow')
    assert.equal(notes[0].read_at, null)
    assert.match(notes[0].title, /交办任务/)
  }
  // officers without the liaison or leader role, other orgs and the coordinator are not warned of yellow
  assert.equal((await notesAbout(u['xincheng.officer'], duty.id)).length, 0)
  assert.equal((await notesAbout(u['liuzu.leader'], duty.id)).length, 0)
  assert.equal((await notesAbout(u['coordinator.staff'], duty.id)).length, 0)

  // Sweeping again (and the interval sweeper running meanwhile) sends nothing new.
  await sweep()
  await sleep(600)
  for (const name of ['xincheng.liaison', 'xincheng.leader']) {
    assert.equal((await notesAbout(u[name], duty.id)).length, 1, name)
  }
})

test('R-TIME-4: red once overdue; coordinator staff get exactly one notice; sweeping again sends nothing new', async () => {
  await setClock('2026-12-01T09:00:00+08:00')
  await sweep()
  const d = await getDuty(u['coordinator.staff'], duty.id)
  assert.equal(d.colour, 'red')
  assert.equal(d.remaining.overdue, true)
  const coord = await notesAbout(u['coordinator.staff'], duty.id)
  assert.equal(coord.length, 1, JSON.stringify(coord))
  assert.equal(coord[0].kind, 'duty.red')
  const liaison = await notesAbout(u['xincheng.liaison'], duty.id)
  assert.deepEqual(liaison.map((n) => n.kind).sort(), ['duty.red', 'duty.yellow'])

  const counts = async () => Promise.all(['coordinator.staff', 'xincheng.liaison', 'xincheng.leader', 'admin']
    .map(async (n) => (await notesAbout(u[n], duty.id)).length))
  const before = await counts()
  await sweep()
  await sweep()
  await sleep(600)
  assert.deepEqual(await counts(), before)
})

test('R-ACC-1: the red duty is in xincheng\'s inbox and not in liuzu\'s', async () => {
  const inbox = await u['xincheng.officer'].get('/api/v1/duties')
  assert.equal(inbox.status, 200, show(inbox))
  const row = inbox.json.items.find((x) => x.id === duty.id)
  assert.ok(row, JSON.stringify(inbox.json))
  assert.equal(row.colour, 'red')
  const reds = await u['xincheng.officer'].get('/api/v1/duties?colour=red')
  assert.ok(reds.json.items.some((x) => x.id === duty.id))
  const greens = await u['xincheng.officer'].get('/api/v1/duties?colour=green')
  assert.ok(!greens.json.items.some((x) => x.id === duty.id))

  const other = await u['liuzu.officer'].get('/api/v1/duties')
  assert.equal(other.status, 200)
  assert.ok(!other.json.items.some((x) => x.id === duty.id))
  const direct = await u['liuzu.officer'].get(`/api/v1/duties/${duty.id}`)
  assert.equal(direct.status, 404, show(direct))
  const all = await u['liuzu.officer'].get('/api/v1/duties?scope=all')
  assert.equal(all.status, 403, show(all))
  const meet = await u['liuzu.leader'].post(`/api/v1/duties/${duty.id}/meet`, {})
  assert.equal(meet.status, 404, show(meet))

  const coordinator = await u['coordinator.staff'].get('/api/v1/duties?scope=all&colour=red')
  assert.ok(coordinator.json.items.some((x) => x.id === duty.id))
})

test('R-CRI-1a: the red transfer decision duty ends only by its workflow: no generic meet (even back-dated) or waive, for the owner or the coordinator; nothing changes', async () => {
  await setClock('2026-12-03T10:00:00+08:00') // Thursday: red since 11/27
  const cases = [
    ['xincheng.officer', 'meet', {}],
    ['xincheng.leader', 'meet', { met_at: '2026-11-24T09:00:00+08:00' }], // back-dated into green
    ['xincheng.liaison', 'meet', { at: '2026-11-24T09:00:00+08:00' }], // the older field name
    ['coordinator.staff', 'meet', {}],
    ['coordinator.staff', 'waive', { reason: '已电话告知' }],
    ['admin', 'waive', { reason: '已电话告知' }],
  ]
  for (const [who, action, body] of cases) {
    const res = await unchanged(wf.id, () => u[who].post(`/api/v1/duties/${wf.id}/${action}`, body))
    assertRefused(res, 'duty_ended_by_workflow', 'R-CRI-1a')
    assert.match(errorOf(res).message, /涉嫌犯罪案件移送审批/, show(res))
    assert.match(errorOf(res).message, /\/api\/v1\/criminal-transfers\/\{id\}\/approve/, show(res)) // the act that ends it
  }
  const d = await getDuty(u['xincheng.officer'], wf.id)
  assert.equal(d.state, 'open')
  assert.equal(d.colour, 'red')
})

test('R-CRI-1a: Decree 310\'s 3 days are never extended or suspended, not even by the coordinator; nothing changes', async () => {
  const body = { reason: '案情复杂', new_due: '2026-12-20T00:00:00+08:00' }
  for (const who of ['xincheng.leader', 'coordinator.staff']) {
    const res = await unchanged(wf.id, () => u[who].post(`/api/v1/duties/${wf.id}/extend`, body))
    assertRefused(res, 'duty_not_extendable', 'R-CRI-1a')
  }
  const suspend = await unchanged(wf.id, () => u['coordinator.staff'].post(`/api/v1/duties/${wf.id}/suspend`, { reason: '等待鉴定' }))
  assertRefused(suspend, 'duty_not_suspendable', 'R-CRI-1a')
  // Access is checked first: an officer may not extend at all (R-ACC-1).
  const officer = await unchanged(wf.id, () => u['xincheng.officer'].post(`/api/v1/duties/${wf.id}/extend`, body))
  assert.equal(officer.status, 403, show(officer))
  assert.equal(errorOf(officer).rule, 'R-ACC-1')
})

test('R-AUD-1: the sweeper\'s colour changes of the duty are recorded once each, by the system', async () => {
  const actions = (await auditOf(duty.id)).map((e) => e.action)
  assert.ok(actions.includes('duty.create'), JSON.stringify(actions))
  for (const a of ['duty.colour.yellow', 'duty.colour.red']) {
    const entries = (await auditOf(duty.id)).filter((e) => e.action === a)
    assert.equal(entries.length, 1, `${a}: ${JSON.stringify(actions)}`)
    assert.equal(entries[0].actor_user_id, null)
  }
})

let manual // a task.assigned duty (R-PLN-2): no workflow of ours ends it, it is met by hand
test('R-PLN-2 / R-TIME-4: a duty no workflow ends is met by hand; meeting it late records on_time false and the working days late', async () => {
  const created = await u['coordinator.staff'].post('/api/v1/duties', {
    kind: 'task.assigned', owner_org_id: orgs.xincheng.id, object_type: 'external', object_id: 'XT-TASK-1',
    title: '交办任务：新城镇某案整改', trigger_at: START, period: { unit: 'working_days', value: 5 },
  })
  assert.equal(created.status, 201, show(created))
  manual = created.json
  assert.equal(manual.rule, 'R-PLN-2')
  assert.equal(manual.due_at, '2026-12-01T00:00:00+08:00')
  await sweep() // settle its colour events before the unchanged() checks below

  // R-TIME-4: a met instant is neither in the future nor before the trigger (400 met_at).
  for (const body of [{ met_at: '2026-12-03T11:00:00+08:00' }, { met_at: '2026-11-23T08:59:59+08:00' }, { at: '2026-11-20T09:00:00+08:00' }]) {
    const res = await unchanged(manual.id, () => u['xincheng.officer'].post(`/api/v1/duties/${manual.id}/meet`, body))
    assert.equal(res.status, 400, show(res))
    assert.equal(errorOf(res).field, 'met_at', show(res))
    assert.equal(errorOf(res).rule, 'R-TIME-4')
  }
  const both = await unchanged(manual.id, () => u['xincheng.officer'].post(`/api/v1/duties/${manual.id}/meet`, { at: START, met_at: START }))
  assert.equal(both.status, 400, show(both))

  const res = await u['xincheng.officer'].post(`/api/v1/duties/${manual.id}/meet`, {})
  assert.equal(res.status, 200, show(res))
  assert.equal(res.json.state, 'met')
  assert.equal(res.json.on_time, false)
  assert.equal(res.json.late_working_days, 3) // 12/1, 12/2, 12/3 after the deadline
  assert.equal(res.json.met_at, '2026-12-03T10:00:00+08:00')
  assert.equal(res.json.colour, 'none')
  assert.equal(res.json.remaining, null)

  const again = await u['xincheng.officer'].post(`/api/v1/duties/${manual.id}/meet`, {})
  assert.equal(again.status, 409)
  assert.equal(errorOf(again).code, 'illegal_transition')
  assert.equal(errorOf(again).rule, 'R-TIME-4')

  const actions = (await auditOf(manual.id)).map((e) => e.action)
  assert.ok(actions.includes('duty.create'), JSON.stringify(actions))
  assert.ok(actions.includes('duty.meet'), JSON.stringify(actions))
  const before = (await notesAbout(u['coordinator.staff'], manual.id)).length
  await sweep()
  assert.equal((await notesAbout(u['coordinator.staff'], manual.id)).length, before)
})

test('R-TIME-4: met on time records on_time true; met_at is recorded as given', async () => {
  const created = await u.admin.post('/api/v1/duties', {
    kind: 'task.assigned', owner_org_id: orgs.scjg.id, object_type: 'external', object_id: 'C-7',
    title: '交办任务：某案', trigger_at: '2026-12-03T10:00:00+08:00', period: { unit: 'working_days', value: 3 },
  })
  assert.equal(created.status, 201, show(created))
  assert.equal(created.json.due_at, '2026-12-09T00:00:00+08:00') // 4, 7, 8 December
  const met = await u['scjg.officer'].post(`/api/v1/duties/${created.json.id}/meet`, { met_at: '2026-12-03T10:00:00+08:00' })
  assert.equal(met.status, 200, show(met))
  assert.equal(met.json.on_time, true)
  assert.equal(met.json.late_working_days, 0)
  assert.equal(met.json.met_at, '2026-12-03T10:00:00+08:00')
})

test('R-COL-4: the owner\'s leader cannot extend a collaboration answer duty through /duties (the collaboration\'s extend step checks the condition); the coordinator can, with a reason in the events and the audit trail', async () => {
  // The duty as its workflow opens it: xincheng's collaboration request, approved now (12/03 10:00).
  const draft = await u['xincheng.officer'].post('/api/v1/collaborations', {
    kind: 'technical_appraisal', to_org: orgs.scjg.id, title: '协作答复：技术鉴定',
    questions: '请对现场查扣的饮料是否超过保质期进行技术鉴定', case_ref: '新城镇2026年第18号案',
  })
  assert.equal(draft.status, 201, show(draft))
  assert.equal((await u['xincheng.officer'].post(`/api/v1/collaborations/${draft.json.id}/submit`, {})).status, 200)
  const sent = await u['xincheng.leader'].post(`/api/v1/collaborations/${draft.json.id}/approve`, {})
  assert.equal(sent.status, 200, show(sent))
  const id = sent.json.duties.find((d) => d.kind === 'collaboration.answer').id
  const body = { reason: '需技术鉴定', new_due: '2026-12-18T00:00:00+08:00' }
  const leader = await unchanged(id, () => u['scjg.leader'].post(`/api/v1/duties/${id}/extend`, body))
  assertRefused(leader, 'duty_extended_by_workflow', 'R-COL-2')
  assert.match(errorOf(leader).message, /\/api\/v1\/collaborations\/\{id\}\/extend/, show(leader))
  // Nor is it ended through /duties (R-COL-2: the signed answer meets it).
  assertRefused(await unchanged(id, () => u['scjg.officer'].post(`/api/v1/duties/${id}/meet`, {})), 'duty_ended_by_workflow', 'R-COL-2')

  const noReason = await unchanged(id, () => u['coordinator.staff'].post(`/api/v1/duties/${id}/extend`, { ...body, reason: '' }))
  assert.equal(noReason.status, 400, show(noReason))
  assert.equal(errorOf(noReason).field, 'reason')
  const ok = await u['coordinator.staff'].post(`/api/v1/duties/${id}/extend`, { ...body, reason: '统一协调：等待检测报告' })
  assert.equal(ok.status, 200, show(ok))
  assert.equal(ok.json.due_at, '2026-12-18T00:00:00+08:00')
  const ev = ok.json.events.at(-1)
  assert.equal(ev.kind, 'extended')
  assert.equal(ev.reason, '统一协调：等待检测报告')
  assert.equal(ev.old_due, '2026-12-09T00:00:00+08:00')
  assert.equal(ev.new_due, '2026-12-18T00:00:00+08:00')
  const entry = (await auditOf(id)).find((e) => e.action === 'duty.extend')
  assert.ok(entry, JSON.stringify(await auditOf(id)))
  const detail = JSON.parse(entry.detail)
  assert.equal(detail.extended_by, 'coordinator')
  assert.equal(detail.reason, '统一协调：等待检测报告')
  assert.equal(entry.actor.username, 'coordinator.staff')
})

test('R-COL-6: a meeting decision\'s date is extended by the coordinator only, not by the owner\'s leader', async () => {
  // The duty as its workflow opens it: the minutes of xincheng's special meeting (R-COL-6).
  const meeting = await u['xincheng.officer'].post('/api/v1/meetings', {
    subject: '联合整治占道经营', agenda: '一、情况通报；二、联合整治方案', start_at: '2026-12-03T11:00:00+08:00',
    place: '新城镇政府三楼会议室', invitees: [{ org: orgs.scjg.id }],
  })
  assert.equal(meeting.status, 201, show(meeting))
  await setClock('2026-12-03T11:30:00+08:00')
  const minutes = await u['xincheng.officer'].post(`/api/v1/meetings/${meeting.json.id}/minutes`, {
    minutes: '会议决定开展联合整治', decisions: [{ text: '会议决定事项：联合整治', owner_org: orgs.xincheng.id, period_days: 10 }],
  })
  assert.equal(minutes.status, 200, show(minutes))
  const id = minutes.json.duties.find((d) => d.kind === 'meeting.decision').id
  const body = { reason: '人手不足', new_due: '2026-12-31T00:00:00+08:00' }
  assertRefused(await unchanged(id, () => u['xincheng.leader'].post(`/api/v1/duties/${id}/extend`, body)), 'duty_not_extendable', 'R-COL-6')
  const ok = await u['coordinator.staff'].post(`/api/v1/duties/${id}/extend`, body)
  assert.equal(ok.status, 200, show(ok))
  assert.equal(ok.json.due_at, '2026-12-31T00:00:00+08:00')
})

test('R-TIME-3: a 2027 deadline is provisional; loading 2027 recomputes it and the change is audited', async () => {
  const created = await u['coordinator.staff'].post('/api/v1/duties', {
    kind: 'task.assigned', owner_org_id: orgs.xincheng.id, object_type: 'external', object_id: 'XT-2026-099',
    title: '交办任务：跨年案件', trigger_at: '2026-12-28T10:00:00+08:00',
  })
  assert.equal(created.status, 201, show(created))
  const d = created.json
  // 29, 30, 31 December, then 2027 without a schedule: Friday 1/1 guessed working, Monday 1/4
  assert.equal(d.provisional, true)
  assert.equal(d.due_at, '2027-01-05T00:00:00+08:00')

  const schedule = {
    year: 2027,
    notice: { number: '测试〔2026〕1号', title: '2027年部分节假日安排（测试用）', published: '2026-11-20' },
    holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03' }],
    workdays: [],
  }
  const refused = await u['coordinator.staff'].post('/api/v1/calendar/years', schedule)
  assert.equal(refused.status, 403, show(refused))
  assert.equal(errorOf(refused).rule, 'R-TIME-3')
  const bad = await u.admin.post('/api/v1/calendar/years', { ...schedule, holidays: [{ name: '元旦', from: '2027-01-01', to: '2026-12-31' }] })
  assert.equal(bad.status, 400, show(bad))
  assert.match(errorOf(bad).field ?? '', /holidays/)
  const unknown = await u.admin.post('/api/v1/calendar/years', { ...schedule, source: 'x' })
  assert.equal(unknown.status, 400, show(unknown))

  const imported = await u.admin.post('/api/v1/calendar/years', schedule)
  assert.equal(imported.status, 201, show(imported))
  assert.equal(imported.json.year, 2027)
  assert.ok(imported.json.recomputed_duties >= 1, JSON.stringify(imported.json))
  assert.notEqual(imported.json.version, d.calendar_version)

  const after = await getDuty(u['xincheng.officer'], d.id)
  assert.equal(after.provisional, false)
  assert.equal(after.due_at, '2027-01-06T00:00:00+08:00') // 1/1 is now a holiday: 29, 30, 31, 4, 5
  assert.equal(after.calendar_version, imported.json.version)
  const ev = after.events.find((e) => e.kind === 'recomputed')
  assert.ok(ev, JSON.stringify(after.events))
  assert.equal(ev.old_due, '2027-01-05T00:00:00+08:00')
  assert.equal(ev.new_due, '2027-01-06T00:00:00+08:00')

  const audit = await u.admin.get(`/api/v1/audit?object_type=duty&object_id=${d.id}`)
  const rec = audit.json.items.find((e) => e.action === 'duty.recompute')
  assert.ok(rec, JSON.stringify(audit.json.items.map((e) => e.action)))
  assert.equal(rec.actor.username, 'admin')
  assert.equal(JSON.parse(rec.detail).new_due, '2027-01-06T00:00:00+08:00')

  const imp = await u.admin.get('/api/v1/audit?object_type=calendar_year&object_id=2027')
  assert.equal(imp.json.items.length, 1, JSON.stringify(imp.json))
  assert.equal(imp.json.items[0].action, 'calendar.import')
  assert.equal(imp.json.items[0].actor.username, 'admin')
  assert.equal(JSON.parse(imp.json.items[0].detail).recomputed_duties, imported.json.recomputed_duties)
  const verify = await u.admin.get('/api/v1/audit/verify')
  assert.equal(verify.json.ok, true)

  const day = await u['xincheng.officer'].get('/api/v1/calendar/days/2027-01-01')
  assert.equal(day.json.provisional, false)
  assert.equal(day.json.holiday_name, '元旦')
  const years = await u['xincheng.officer'].get('/api/v1/calendar/years')
  const y2027 = years.json.years.find((y) => y.year === 2027)
  assert.equal(y2027.builtin, false)
  assert.equal(years.json.version, imported.json.version)
})
