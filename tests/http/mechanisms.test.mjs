// Standing mechanisms (SPEC §8, docs/mechanisms-contract.md) end to end: consultations (联席会议,
// R-SYS-1) whose decisions are duties followed to done; the liaison directory and the sweeper's
// fallback to an org's leaders when it has no liaison, counted per org (R-SYS-2); standing joint
// mechanisms with members, working body, plans and briefings (R-SYS-4); joint enforcement actions
// planned → done with the numbered 联 record, or cancelled (R-SYS-5). Refused writes change
// nothing; non-members get 404 (R-ACC-1). The tests run in order on one server; the fake clock
// only moves forward, from Monday 2026-11-23.
// xt-backends: sqlite postgres (servers start in ./lib/coord.mjs through startServer)
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { show } from './lib/util.mjs'
import { api } from '../lib/server.mjs'
import { uploadFile, getRaw, NUMBER_RE } from './lib/referrals.mjs'
import { CoordSuite, dutiesOf, assertError } from './lib/coord.mjs'

const S = CoordSuite({ start: '2026-11-23T09:00:00+08:00' })
let orgs
let file

before(async () => {
  await S.start()
  orgs = S.orgs
  file = await uploadFile(S.server.url, await S.as('scjg.officer'), { name: '食品安全联合执法预案.pdf' })
})
after(S.stop)

const C = 'consultations'
const JM = 'joint-mechanisms'
const JA = 'joint-actions'

function consultation(over = {}) {
  return {
    kind: 'regular', subject: '第四季度联合执法工作例会', agenda: '一、通报执法情况；二、研究联合执法事项',
    start_at: '2026-11-24T09:30:00+08:00', place: '县委依法治县办会议室',
    invitees: [{ org: orgs.scjg.id }, { org: orgs.xincheng.id }], ...over,
  }
}

// ---------------------------------------------------------------------------------------------
// R-SYS-1 consultations

let meeting
test('R-SYS-1: who may convene; refused creates change nothing', async () => {
  const create = (who, body) => S.noneCreated(C, () => S.post(who, `/api/v1/${C}`, body))
  assertError(await create('xincheng.officer', consultation()), 403, { code: 'permission_denied', rule: 'R-SYS-1' })
  assertError(await create('auditor', consultation()), 403, { rule: 'R-SYS-1' })
  assertError(await create('coordinator.staff', consultation({ kind: 'weekly' })), 400, { field: 'kind', rule: 'R-SYS-1' })
  assertError(await create('coordinator.staff', consultation({ invitees: [] })), 400, { field: 'invitees', rule: 'R-SYS-1' })
  assertError(await create('coordinator.staff', consultation({ bogus: 1 })), 400, { code: 'unknown_field', field: 'bogus' })
  // A department may convene an ad hoc one.
  const adhoc = await S.create('scjg.officer', C, consultation({ kind: 'ad_hoc', invitees: [{ org: orgs.zrzy.id }] }))
  assert.equal(adhoc.state, 'scheduled')
  meeting = await S.create('coordinator.staff', C, consultation())
  assert.equal(meeting.type, 'consultation')
  assert.equal(meeting.kind, 'regular')
  assert.equal(meeting.state, 'scheduled')
  assert.ok(meeting.documents.some((d) => d.kind === 'meeting_invitation'))
})

test('R-SYS-1: minutes (席) open a decision duty; the owner reports it done; then the convener closes', async () => {
  // Not before the meeting has started.
  const early = await S.unchanged(C, meeting.id, () => S.post('coordinator.staff', `/api/v1/${C}/${meeting.id}/minutes`, {
    minutes: '会议研究了联合执法事项', decisions: [{ text: '开展校园周边食品安全联合检查', owner_org: orgs.scjg.id, period_days: 5 }],
  }))
  assertError(early, 409, { code: 'meeting_not_started', rule: 'R-SYS-1' })
  await S.setClock('2026-11-24T11:00:00+08:00')
  await S.act('scjg.officer', C, meeting.id, 'reply', { answer: 'confirmed' })
  // Only the convener records the minutes.
  assertError(await S.unchanged(C, meeting.id, () => S.post('scjg.officer', `/api/v1/${C}/${meeting.id}/minutes`, { minutes: 'x' })), 403, { rule: 'R-SYS-1' })
  let m = await S.act('coordinator.staff', C, meeting.id, 'minutes', {
    minutes: '会议研究了联合执法事项', decisions: [{ text: '开展校园周边食品安全联合检查', owner_org: orgs.scjg.id, period_days: 5 }],
  })
  assert.equal(m.state, 'held')
  assert.match(m.number, NUMBER_RE)
  assert.ok(m.number.includes('席'), m.number)
  const minutes = m.documents.find((d) => d.kind === 'consultation_minutes')
  assert.ok(minutes, show({ json: m.documents }))
  const [duty] = dutiesOf(m, 'consultation.decision')
  assert.ok(duty, 'the decision is a duty')
  assert.equal(duty.owner_org.id, orgs.scjg.id)
  assert.equal(duty.state, 'open')
  // Not closed while a decision is open.
  assertError(await S.unchanged(C, meeting.id, () => S.post('coordinator.staff', `/api/v1/${C}/${meeting.id}/close`, {})), 409, { code: 'decisions_open', rule: 'R-SYS-1' })
  // Only the owner reports it done.
  assertError(await S.unchanged(C, meeting.id, () => S.post('xincheng.officer', `/api/v1/${C}/${meeting.id}/decisions/1/done`, { note: '已完成' })), 403, { rule: 'R-SYS-1' })
  m = await S.act('scjg.officer', C, meeting.id, 'decisions/1/done', { note: '已组织检查12家学校食堂' })
  assert.equal(dutiesOf(m, 'consultation.decision')[0].state, 'met')
  assert.equal(m.decisions[0].state, 'done')
  m = await S.act('coordinator.staff', C, meeting.id, 'close')
  assert.equal(m.state, 'closed')
  // A non-invited org does not see it.
  assert.equal((await S.get('liuzu.officer', `/api/v1/${C}/${meeting.id}`)).status, 404)
  assert.ok(!(await S.listIds('liuzu.officer', C)).includes(meeting.id))
  assert.ok((await S.listIds('scjg.officer', C, 'state=closed')).includes(meeting.id))
})

// ---------------------------------------------------------------------------------------------
// R-SYS-2 liaisons

test('R-SYS-2: the directory lists every org with its liaisons; a warning to an org without a liaison reaches its leaders and is counted', async () => {
  const admin = await S.as('admin')
  const org = await admin.post('/api/v1/orgs', { code: 'wlj', name: '县文化广电旅游体育局', short_name: '县文旅局', kind: 'county_department' })
  assert.equal(org.status, 201, show(org))
  const leader = await admin.post('/api/v1/users', { username: 'wlj.leader', display_name: '文旅局长', org_id: org.json.id, roles: ['leader'], password: 'Wenlv2026pass' })
  assert.equal(leader.status, 201, show(leader))
  let dir = await S.get('xincheng.officer', '/api/v1/liaisons')
  assert.equal(dir.status, 200, show(dir))
  const row = (d, id) => d.json.items.find((r) => r.org.id === id)
  assert.equal(row(dir, orgs.xincheng.id).missing_liaison, false)
  assert.ok(row(dir, orgs.xincheng.id).liaisons.length >= 1)
  assert.equal(row(dir, org.json.id).missing_liaison, true)
  assert.equal(row(dir, org.json.id).fallback_count, 0)
  assert.ok(dir.json.missing >= 1)

  // A duty owned by that org: a consultation decision, due in 1 working day.
  const c = await S.create('coordinator.staff', C, consultation({ kind: 'ad_hoc', start_at: '2026-11-24T10:00:00+08:00', invitees: [{ org: org.json.id }] }))
  const held = await S.act('coordinator.staff', C, c.id, 'minutes', {
    minutes: '研究景区联合执法', decisions: [{ text: '排查景区无证经营', owner_org: org.json.id, period_days: 1 }],
  })
  const [duty] = dutiesOf(held, 'consultation.decision')
  await S.setClock('2026-11-27T09:00:00+08:00')  // past due: red
  await S.sweep()
  const wl = await api(S.server.url).login('wlj.leader', 'Wenlv2026pass')
  const notes = await wl.get('/api/v1/notifications?page_size=200')
  assert.equal(notes.status, 200, show(notes))
  assert.ok(notes.json.items.some((n) => n.object_type === 'duty' && n.object_id === String(duty.id) && n.kind.startsWith('duty.')),
    'the leader got the warning')
  dir = await S.get('coordinator.staff', '/api/v1/liaisons')
  assert.ok(row(dir, org.json.id).fallback_count >= 1, show(dir))
  assert.equal(row(dir, orgs.xincheng.id).fallback_count, 0)
  // An org with a liaison: no fallback counted for its warnings.
  assert.equal(row(dir, orgs.scjg.id).fallback_count, 0)
  // Anonymous: 401.
  assert.equal((await api(S.server.url).anonymous().get('/api/v1/liaisons')).status, 401)
})

// ---------------------------------------------------------------------------------------------
// R-SYS-4 standing joint mechanisms

function mechanism(over = {}) {
  return {
    title: '食品安全联合执法机制', kind: 'food_safety', lead_org: orgs.scjg.id,
    members: [orgs.xincheng.id, orgs.gaj.id], body_name: '食品安全联合执法办公室', body_office: '县市场监管局三楼',
    priorities: ['校园周边食品安全', '农村集体聚餐'], plans: [{ name: '联合执法工作方案', file: file.id }],
    emergency_plans: [{ name: '食品安全事故应急预案' }], ...over,
  }
}

let mech
test('R-SYS-4: the coordinator or the lead org establishes a mechanism (制); members see it, others do not', async () => {
  const create = (who, body) => S.noneCreated(JM, () => S.post(who, `/api/v1/${JM}`, body))
  assertError(await create('xincheng.officer', mechanism()), 403, { rule: 'R-SYS-4' })
  assertError(await create('zrzy.officer', mechanism()), 400, { field: 'lead_org', rule: 'R-SYS-4' })
  assertError(await create('scjg.officer', mechanism({ members: [] })), 400, { field: 'members', rule: 'R-SYS-4' })
  assertError(await create('scjg.officer', mechanism({ kind: 'tax' })), 400, { field: 'kind', rule: 'R-SYS-4' })
  assertError(await create('scjg.officer', mechanism({ title: '' })), 400, { field: 'title', rule: 'R-SYS-4' })
  mech = await S.create('scjg.officer', JM, mechanism())
  assert.equal(mech.state, 'active')
  assert.ok(mech.number.includes('制'), mech.number)
  assert.equal(mech.members.length, 2)
  assert.equal(mech.plans[0].file.id, file.id)
  // Members see it and its plan file; non-members get 404.
  assert.equal((await S.get('gaj.officer', `/api/v1/${JM}/${mech.id}`)).status, 200)
  assert.equal((await S.get('liuzu.officer', `/api/v1/${JM}/${mech.id}`)).status, 404)
  assert.ok(!(await S.listIds('liuzu.officer', JM)).includes(mech.id))
  assert.ok((await S.listIds('xincheng.officer', JM, 'kind=food_safety')).includes(mech.id))
})

test('R-SYS-4: the lead org or the coordinator maintains it; briefings are dated records with files', async () => {
  // A member may not change it.
  assertError(await S.unchanged(JM, mech.id, () => S.post('xincheng.officer', `/api/v1/${JM}/${mech.id}/update`, { body_name: '改名' })), 403, { rule: 'R-SYS-4' })
  assertError(await S.unchanged(JM, mech.id, () => S.post('scjg.officer', `/api/v1/${JM}/${mech.id}/update`, {})), 400, { rule: 'R-SYS-4' })
  assertError(await S.unchanged(JM, mech.id, () => S.post('scjg.officer', `/api/v1/${JM}/${mech.id}/briefings`, { date: '2027-01-01T00:00:00+08:00', title: '未来', text: 'x' })), 400, { field: 'date' })
  assert.equal((await S.post('liuzu.officer', `/api/v1/${JM}/${mech.id}/update`, { body_name: 'x' })).status, 404)
  let m = await S.act('coordinator.staff', JM, mech.id, 'update', { members: [orgs.xincheng.id, orgs.gaj.id, orgs.liuzu.id], priorities: ['节日市场'] })
  assert.deepEqual(m.priorities, ['节日市场'])
  assert.equal((await S.get('liuzu.officer', `/api/v1/${JM}/${mech.id}`)).status, 200, 'a new member sees it')
  const b = await S.post('scjg.officer', `/api/v1/${JM}/${mech.id}/briefings`, {
    date: '2026-11-26T00:00:00+08:00', title: '11月工作通报', text: '本月联合检查食品经营单位36家', materials: [{ name: '通报附件', file: file.id }],
  })
  assert.equal(b.status, 201, show(b))
  assert.equal(b.json.briefings.length, 1)
  assert.equal(b.json.briefings[0].title, '11月工作通报')
  m = await S.act('scjg.officer', JM, mech.id, 'dissolve', { reason: '职能调整' })
  assert.equal(m.state, 'dissolved')
  assertError(await S.unchanged(JM, mech.id, () => S.post('scjg.officer', `/api/v1/${JM}/${mech.id}/briefings`, { date: '2026-11-26T00:00:00+08:00', title: 't', text: 'x' })), 409, { code: 'illegal_transition' })
})

// ---------------------------------------------------------------------------------------------
// R-SYS-5 joint enforcement actions

function action(over = {}) {
  return {
    title: '城南农贸市场联合执法行动', participants: [orgs.scjg.id, orgs.gaj.id], people: '张三、李四',
    start_at: '2026-11-28T09:00:00+08:00', place: '城南农贸市场', targets: '查处无证经营和销售过期食品', ...over,
  }
}

test('R-SYS-5: a joint action planned → done records its result in a numbered 联 record; refusals change nothing', async () => {
  const create = (who, body) => S.noneCreated(JA, () => S.post(who, `/api/v1/${JA}`, body))
  assertError(await create('auditor', action()), 403, { rule: 'R-SYS-5' })
  assertError(await create('xincheng.officer', action({ participants: [] })), 400, { field: 'participants', rule: 'R-SYS-5' })
  assertError(await create('xincheng.officer', action({ participants: [999999] })), 400, { field: 'participants[0]', rule: 'R-SYS-5' })
  assertError(await create('xincheng.officer', action({ place: '' })), 400, { field: 'place' })
  const a = await S.create('xincheng.officer', JA, action())
  assert.equal(a.state, 'planned')
  assert.equal(a.number, null)
  assert.equal((await S.get('gaj.officer', `/api/v1/${JA}/${a.id}`)).status, 200)
  assert.equal((await S.get('liuzu.officer', `/api/v1/${JA}/${a.id}`)).status, 404)
  // Only the organiser records the result.
  assertError(await S.unchanged(JA, a.id, () => S.post('scjg.officer', `/api/v1/${JA}/${a.id}/result`, { result: 'x' })), 403, { rule: 'R-SYS-5' })
  assertError(await S.unchanged(JA, a.id, () => S.post('xincheng.officer', `/api/v1/${JA}/${a.id}/result`, {})), 400, { field: 'result' })
  const done = await S.act('xincheng.officer', JA, a.id, 'result', { result: '检查经营户45家，查处无证经营3起' })
  assert.equal(done.state, 'done')
  assert.ok(done.number.includes('联'), done.number)
  assert.ok(done.documents.some((d) => d.kind === 'joint_action_record'))
  assertError(await S.unchanged(JA, a.id, () => S.post('xincheng.officer', `/api/v1/${JA}/${a.id}/cancel`, { reason: 'x' })), 409, { code: 'illegal_transition' })
  // The coordinator organises one and cancels it.
  const b = await S.create('coordinator.staff', JA, action({ title: '东堤路联合执法', participants: [orgs.zrzy.id] }))
  const cancelled = await S.act('coordinator.staff', JA, b.id, 'cancel', { reason: '天气原因' })
  assert.equal(cancelled.state, 'cancelled')
  // Lists with filters (the CSV export of the page reads the same list).
  assert.ok((await S.listIds('xincheng.officer', JA, 'state=done')).includes(a.id))
  assert.ok(!(await S.listIds('xincheng.officer', JA, 'state=done')).includes(b.id))
  assert.ok(!(await S.listIds('liuzu.officer', JA)).includes(a.id))
})

// Issue 17: the standing-mechanism lists export through the server (GET …/export.csv): the list's
// filters, every page, what the caller may see (R-ACC-1), Chinese labels.
test('R-SYS-1, R-SYS-4, R-SYS-5, issue 17: each mechanism list exports CSV with the list\'s filters and visibility', async () => {
  const csv = async (who, resource, q = '') => {
    const res = await getRaw(S.server.url, await S.as(who), `/api/v1/${resource}/export.csv${q}`, 'text/csv')
    assert.equal(res.status, 200, `${who} ${resource}: ${res.text}`)
    assert.match(res.headers.get('content-type') ?? '', /^text\/csv/)
    assert.match(res.headers.get('content-disposition') ?? '', /^attachment;/)
    assert.ok(res.text.startsWith('\uFEFF文号,标题,类别,发起单位,参与单位数,状态,创建时间,期限,期限状态\r\n'), res.text.slice(0, 80))
    return res.text
  }
  // Joint actions: the done one (联 number) and the cancelled one; the state filter applies.
  const done = (await S.listIds('xincheng.officer', JA, 'state=done'))[0]
  const a = await S.detail('xincheng.officer', JA, done)
  const all = await csv('xincheng.officer', JA)
  const row = all.split('\r\n').find((l) => l.startsWith(a.number))
  assert.ok(row && row.includes(a.title) && row.includes(a.state_label), row)
  assert.ok(!(await csv('xincheng.officer', JA, '?state=cancelled')).includes(a.number), 'the state filter applies')
  assert.ok(!(await csv('liuzu.officer', JA)).includes(a.number), 'not an org outside it (R-ACC-1)')
  assert.ok((await csv('coordinator.staff', JA)).includes(a.number), 'the coordinator sees all')
  // The mechanism (制) and the consultation lists too, with the kind's Chinese label.
  const m = await S.detail('scjg.officer', JM, mech.id)
  const ms = await csv('gaj.officer', JM, '?kind=food_safety')
  assert.ok(ms.includes(m.number) && ms.includes('食品安全') && ms.includes(m.state_label), ms)
  assert.ok(!(await csv('zrzy.officer', JM)).includes(m.number))
  const cs = await csv('scjg.officer', C)
  assert.ok(cs.includes(meeting.title), cs)
  assertError(await S.get('xincheng.officer', `/api/v1/${JA}/export.csv?state=bogus`), 400, { field: 'state' })
  assert.equal((await fetch(new URL(`/api/v1/${JA}/export.csv`, S.server.url))).status, 401)
})
