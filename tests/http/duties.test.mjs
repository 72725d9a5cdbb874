// Duties with deadlines end to end (R-TIME-1, R-TIME-3, R-TIME-4), on a fake clock:
// creation computes the deadline in working days; the sweeper turns duties yellow then red and
// notifies each person exactly once; the inbox shows colours only to the owner org; meeting late
// is recorded; a provisional 2027 deadline is recomputed when an administrator loads 2027.
// The tests in this file run in order and share one server and one duty.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, api } from '../lib/server.mjs'
import { loginAll, errorOf, show } from './lib/util.mjs'

const START = '2026-11-23T09:00:00+08:00' // a Monday
let server
let u // signed-in clients by username
let orgs // by code
let duty // the referral.accept_notice duty owed by xincheng

before(async () => {
  server = await startServer({ fakeClock: START, extraArgs: ['--sweep-interval', '0.2', '--access-log', 'off'] })
  // Sessions expire after 8 idle hours of the (fake) server clock, and these tests move the
  // clock by days: work through API tokens, which do not expire.
  const sessions = await loginAll(server.url, [
    'coordinator.staff', 'admin', 'xincheng.officer', 'xincheng.leader', 'xincheng.liaison',
    'liuzu.officer', 'liuzu.leader', 'scjg.officer',
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

test('R-TIME-1: coordinator staff create a duty; due = 24:00 of the 5th working day after the trigger; green', async () => {
  const res = await u['coordinator.staff'].post('/api/v1/duties', {
    kind: 'referral.accept_notice',
    owner_org_id: orgs.xincheng.id,
    object_type: 'referral',
    object_id: 'XT-2026-001',
    title: '受理情况告知：新城镇占道经营案',
    trigger_at: START,
  })
  assert.equal(res.status, 201, show(res))
  duty = res.json
  assert.equal(res.headers.get('location'), `/api/v1/duties/${duty.id}`)
  assert.equal(duty.kind, 'referral.accept_notice')
  assert.equal(duty.rule, 'R-REF-6')
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
})

test('R-ACC-1: only coordinator staff and administrators create duties; bad input names the field', async () => {
  const body = { kind: 'referral.accept_notice', owner_org_id: orgs.xincheng.id, object_type: 'referral', object_id: 'X-2', title: '不应创建', trigger_at: START }
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
    assert.match(notes[0].title, /受理情况告知/)
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

test('R-TIME-4: meeting it late records on_time false and the working days late', async () => {
  await setClock('2026-12-03T10:00:00+08:00') // Thursday: 12/1, 12/2, 12/3 after the deadline
  const res = await u['xincheng.officer'].post(`/api/v1/duties/${duty.id}/meet`, {})
  assert.equal(res.status, 200, show(res))
  assert.equal(res.json.state, 'met')
  assert.equal(res.json.on_time, false)
  assert.equal(res.json.late_working_days, 3)
  assert.equal(res.json.met_at, '2026-12-03T10:00:00+08:00')
  assert.equal(res.json.colour, 'none')
  assert.equal(res.json.remaining, null)

  const again = await u['xincheng.officer'].post(`/api/v1/duties/${duty.id}/meet`, {})
  assert.equal(again.status, 409)
  assert.equal(errorOf(again).code, 'illegal_transition')
  assert.equal(errorOf(again).rule, 'R-TIME-4')

  const audit = await u['coordinator.staff'].get(`/api/v1/audit?object_type=duty&object_id=${duty.id}`)
  const actions = audit.json.items.map((e) => e.action)
  assert.ok(actions.includes('duty.create'), JSON.stringify(actions))
  assert.ok(actions.some((a) => a.includes('meet') || a.includes('met')), JSON.stringify(actions))
  // R-AUD-1: the sweeper's colour changes are recorded too, once each, by the system (no actor).
  for (const a of ['duty.colour.yellow', 'duty.colour.red']) {
    const entries = audit.json.items.filter((e) => e.action === a)
    assert.equal(entries.length, 1, `${a}: ${JSON.stringify(actions)}`)
    assert.equal(entries[0].actor_user_id, null)
  }
  const before = (await notesAbout(u['coordinator.staff'], duty.id)).length
  await sweep()
  assert.equal((await notesAbout(u['coordinator.staff'], duty.id)).length, before)
})

test('R-TIME-4: met on time records on_time true', async () => {
  const created = await u.admin.post('/api/v1/duties', {
    kind: 'collaboration.answer', owner_org_id: orgs.scjg.id, object_type: 'collaboration', object_id: 'C-7',
    title: '协作答复：技术鉴定', trigger_at: '2026-12-03T10:00:00+08:00',
  })
  assert.equal(created.status, 201, show(created))
  assert.equal(created.json.due_at, '2026-12-09T00:00:00+08:00') // 4, 7, 8 December
  const met = await u['scjg.officer'].post(`/api/v1/duties/${created.json.id}/meet`, {})
  assert.equal(met.status, 200, show(met))
  assert.equal(met.json.on_time, true)
  assert.equal(met.json.late_working_days, 0)
})

test('R-TIME-3: a 2027 deadline is provisional; loading 2027 recomputes it and the change is audited', async () => {
  const created = await u['coordinator.staff'].post('/api/v1/duties', {
    kind: 'referral.accept_notice', owner_org_id: orgs.xincheng.id, object_type: 'referral', object_id: 'XT-2026-099',
    title: '受理情况告知：跨年案件', trigger_at: '2026-12-28T10:00:00+08:00',
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
