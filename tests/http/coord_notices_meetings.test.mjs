// Hazard / frequent-violation notices (通报, R-COL-5) and special meetings on a major case lead
// (专题会议, R-COL-6, joint enforcement R-SYS-5) end to end, against docs/collaboration-contract.md
// "Notices, meetings, participation, violation notices": every row of both state tables, every
// refusal (naming field and rule, changing nothing), duties in Chinese working days checked against
// the calendar, met on time and late, colours under the fake clock and the sweeper,
// notifications, the numbered minutes, the thread, visibility (R-ACC-1) and Idempotency-Key.
// The server runs with --notice-hazard-days 3 --notice-frequent-days 7 (R-COL-5: per kind). The
// tests run in order on one server; the fake clock only moves forward, from Monday 2026-11-23.
// xt-backends: sqlite postgres (servers start in ./lib/coord.mjs through startServer)
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { show } from './lib/util.mjs'
import { uploadFile, getRaw, assertSameInstant, NUMBER_RE, serialOf } from './lib/referrals.mjs'
import { CoordSuite, dutiesOf, assertIllegal, assertError } from './lib/coord.mjs'

const S = CoordSuite({
  start: '2026-11-23T09:00:00+08:00',
  extraArgs: ['--notice-hazard-days', '3', '--notice-frequent-days', '7'],
})
let orgs
let file
const users = {}

before(async () => {
  await S.start()
  orgs = S.orgs
  for (const u of ['xincheng.officer', 'xincheng.leader', 'xincheng.liaison', 'scjg.officer', 'scjg.leader',
    'scjg.liaison', 'zrzy.officer', 'zrzy.leader', 'zrzy.liaison', 'liuzu.officer', 'coordinator.staff',
    'auditor', 'gaj.officer']) await S.as(u)
  file = await uploadFile(S.server.url, await S.as('xincheng.officer'), { name: '隐患现场照片.pdf' })
  users['zrzy.officer'] = (await S.as('zrzy.officer')).user
})
after(S.stop)

const N = 'notices'
const M = 'meetings'
const long = (n) => '长'.repeat(n)

function notice(over = {}) {
  return {
    kind: 'hazard', to_org: orgs.scjg.id,
    description: '辖区内多家小作坊使用液化气罐违规存放于居民楼底层，存在重大火灾爆炸隐患<script>',
    place: '新城镇解放路一带', materials: [{ name: '现场照片', description: '6张', file: file.id }], ...over,
  }
}

function meeting(over = {}) {
  return {
    subject: '研究新城镇东堤路非法采砂案件线索', agenda: '一、案情通报；二、管辖与分工；三、联合执法方案',
    start_at: '2026-12-10T09:30:00+08:00', place: '新城镇政府三楼会议室',
    invitees: [{ org: orgs.scjg.id }, { org: orgs.zrzy.id, user: users['zrzy.officer'].id }], ...over,
  }
}

// ---------------------------------------------------------------------------------------------
// R-COL-5 notices

test('R-COL-5: refusals of create name field and rule and create nothing', async () => {
  const create = (who, body) => S.noneCreated(N, () => S.post(who, '/api/v1/notices', body))
  assertError(await create('scjg.officer', notice()), 403, { code: 'permission_denied', rule: 'R-COL-5' })
  assertError(await create('coordinator.staff', notice()), 403, { rule: 'R-COL-5' })
  assertError(await create('auditor', notice()), 403, { rule: 'R-COL-5' })
  assertError(await create('xincheng.officer', notice({ to_org: orgs.liuzu.id })), 400, { field: 'to_org', rule: 'R-COL-5' })
  assertError(await create('xincheng.officer', notice({ to_org: orgs.gaj.id })), 400, { field: 'to_org', rule: 'R-COL-5' })
  assertError(await create('xincheng.officer', notice({ to_org: 999999 })), 400, { field: 'to_org', rule: 'R-COL-5' })
  assertError(await create('xincheng.officer', notice({ to_org: 'scjg' })), 400, { field: 'to_org', rule: 'R-COL-5' })
  assertError(await create('xincheng.officer', notice({ kind: 'fire' })), 400, { field: 'kind', rule: 'R-COL-5' })
  const { description, ...noDescription } = notice()
  assert.ok(description)
  assertError(await create('xincheng.officer', noDescription), 400, { code: 'missing_field', field: 'description', rule: 'R-COL-5' })
  assertError(await create('xincheng.officer', notice({ place: '  ' })), 400, { code: 'missing_field', field: 'place' })
  assertError(await create('xincheng.officer', notice({ place: long(201) })), 400, { code: 'too_long', field: 'place', rule: 'R-COL-5' })
  assertError(await create('xincheng.officer', notice({ description: long(5001) })), 400, { code: 'too_long', field: 'description' })
  assertError(await create('xincheng.officer', notice({ title: long(101) })), 400, { code: 'too_long', field: 'title' })
  assertError(await create('xincheng.officer', notice({ bogus: 1 })), 400, { code: 'unknown_field', field: 'bogus', rule: 'R-COL-5' })
  assertError(await create('xincheng.officer', notice({ materials: [{ name: '照片', size: 3 }] })), 400, { code: 'unknown_field', field: 'materials[0].size' })
  assertError(await create('xincheng.officer', notice({ materials: [{ description: 'x' }] })), 400, { code: 'missing_field', field: 'materials[0].name' })
  assertError(await create('xincheng.officer', notice({ materials: [{ name: 'x', file: 'f'.repeat(64) }] })), 400, { field: 'materials[0].file' })
  // Another township's file may not be attached.
  const other = await uploadFile(S.server.url, await S.as('liuzu.officer'), { name: '六祖照片.pdf', bytes: new TextEncoder().encode('%PDF-1.4\n% liuzu only\n%%EOF\n') })
  assertError(await create('xincheng.officer', notice({ materials: [{ name: 'x', file: other.id }] })), 400, { field: 'materials[0].file' })
  assertError(await create('xincheng.officer', notice({ referral_id: 999999 })), 400, { field: 'referral_id', rule: 'R-COL-5' })
})

test('R-COL-5: hazard notice — duty notice.measures for the department due in 3 configured working days (across a weekend), answered on time, thread, closed', async () => {
  await S.setClock('2026-11-27T10:00:00+08:00') // a Friday
  const n = await S.create('xincheng.officer', N, notice())
  assert.equal(n.type, 'notice')
  assert.equal(n.state, 'open')
  assert.equal(n.state_label, '待研究处置')
  assert.equal(n.kind, 'hazard')
  assert.equal(n.kind_label, '重大安全隐患')
  assert.equal(n.number, null, 'a notice has no number')
  assert.equal(n.from_org.id, orgs.xincheng.id)
  assert.equal(n.to_org.id, orgs.scjg.id)
  assert.equal(n.place, '新城镇解放路一带')
  assert.equal(n.response, null)
  assert.equal(n.materials[0].file.id, file.id)
  assert.equal(n.title, notice().description.slice(0, 30) + '…', 'title defaults to the first 30 characters')
  assert.equal(n.colour, 'green')
  // R-DOC-1: the notice itself is a numbered 报 document of the township (the item keeps no number).
  assert.deepEqual(n.documents.map((d) => d.kind), ['hazard_notice'])
  assert.match(n.documents[0].number, NUMBER_RE)
  assert.ok(n.documents[0].number.startsWith('新城执报〔2026〕'), n.documents[0].number)
  assert.deepEqual(n.messages, [])
  assert.deepEqual(n.timeline.map((t) => t.action), ['create'])
  const [duty] = dutiesOf(n, 'notice.measures')
  assert.equal(n.duties.length, 1)
  assert.equal(duty.rule, 'R-COL-5')
  assert.equal(duty.owner_org.id, orgs.scjg.id)
  assert.equal(duty.state, 'open')
  assert.deepEqual(duty.period, { unit: 'working_days', value: 3 })
  // Friday 11/27 is not counted: Mon 11/30, Tue 12/1, Wed 12/2 → 24:00 of Wednesday.
  assertSameInstant(duty.due_at, '2026-12-03T00:00:00+08:00', 'measures due')
  assertSameInstant(duty.due_at, await S.addWorkdays(n.created_at, 3), 'measures due (calendar API)')
  // The department's leaders and liaison are told; not the officer; not the notifier itself.
  for (const u of ['scjg.leader', 'scjg.liaison']) {
    assert.deepEqual(await S.noteKinds(u, 'notice', n.id), ['notice.created'], u)
  }
  assert.deepEqual(await S.noteKinds('xincheng.leader', 'notice', n.id), [])
  // Visible to both sides and the coordinator, not to a third township (R-ACC-1).
  assert.equal((await S.get('scjg.officer', `/api/v1/notices/${n.id}`)).status, 200)
  assertError(await S.get('liuzu.officer', `/api/v1/notices/${n.id}`), 404, { rule: 'R-ACC-1' })
  assert.ok(!(await S.listIds('liuzu.officer', N)).includes(n.id))
  assert.ok((await S.listIds('scjg.officer', N, 'direction=in')).includes(n.id))
  assert.ok(!(await S.listIds('scjg.officer', N, 'direction=out')).includes(n.id))
  assert.ok((await S.listIds('xincheng.officer', N, 'direction=out&state=open&kind=hazard')).includes(n.id))
  assert.ok(!(await S.listIds('xincheng.officer', N, 'kind=frequent_violation')).includes(n.id))
  assert.ok((await S.listIds('coordinator.staff', N, `org=${orgs.scjg.id}&colour=green`)).includes(n.id))
  assert.ok((await S.listIds('xincheng.officer', N, 'q=' + encodeURIComponent('液化气罐'))).includes(n.id))
  // The attached file is readable by the department, not by a third township.
  assert.equal((await getRaw(S.server.url, await S.as('scjg.officer'), `/api/v1/files/${file.id}`)).status, 200)
  assert.equal((await getRaw(S.server.url, await S.as('liuzu.officer'), `/api/v1/files/${file.id}`)).status, 404)

  // The thread: the department asks, the township answers, the coordinator joins.
  let x = await S.act('scjg.officer', N, n.id, 'messages', { text: '请提供涉事作坊名单。' }, { status: 201 })
  assert.equal(x.messages.length, 1)
  assert.equal(x.messages[0].org.id, orgs.scjg.id)
  assert.equal(x.messages[0].by.id, (await S.as('scjg.officer')).user.id)
  assert.ok((await S.noteKinds('xincheng.leader', 'notice', n.id)).includes('notice.message'))
  x = await S.act('xincheng.liaison', N, n.id, 'messages', { text: '名单见附件二。' }, { status: 201 })
  x = await S.act('coordinator.staff', N, n.id, 'messages', { text: '请县市场监管局按期反馈。' }, { status: 201 })
  assert.deepEqual(x.messages.map((m) => m.text), ['请提供涉事作坊名单。', '名单见附件二。', '请县市场监管局按期反馈。'])
  assert.equal(x.state, 'open')

  await S.setClock('2026-11-30T15:00:00+08:00')
  x = await S.act('scjg.officer', N, n.id, 'measures', { analysis: '系无证经营者违规储存', advice: '建议联合消防部门开展专项整治', measures: '已责令立即清理，下周复查' })
  assert.equal(x.state, 'answered')
  assert.equal(x.state_label, '已反馈措施')
  assert.equal(x.response.analysis, '系无证经营者违规储存')
  assert.equal(x.response.by.id, (await S.as('scjg.officer')).user.id)
  assertSameInstant(x.response.at, '2026-11-30T15:00:00+08:00', 'response.at')
  // R-DOC-1: the department's measures are its numbered 馈 reply, printable; the notice keeps no number.
  assert.deepEqual(x.documents.map((d) => d.kind), ['hazard_notice', 'notice_reply'])
  assert.ok(x.documents[1].number.startsWith('新市监馈〔2026〕'), x.documents[1].number)
  assert.equal(x.number, null)
  const reply = await getRaw(S.server.url, await S.as('xincheng.officer'), x.documents[1].url, 'text/html')
  assert.equal(reply.status, 200)
  assert.ok(reply.text.includes('已责令立即清理，下周复查') && reply.text.includes(x.documents[1].number), 'the reply prints its measures and number')
  const met = dutiesOf(x, 'notice.measures')[0]
  assert.equal(met.state, 'met')
  assert.equal(met.on_time, true)
  assert.equal(x.colour, null, 'no open duty: no colour')
  // The notifier's staff are told (the creator, its leaders and liaison).
  for (const u of ['xincheng.officer', 'xincheng.leader', 'xincheng.liaison']) {
    assert.ok((await S.noteKinds(u, 'notice', n.id)).includes('notice.answered'), u)
  }
  x = await S.act('xincheng.officer', N, n.id, 'messages', { text: '收到，谢谢。' }, { status: 201 })
  x = await S.act('xincheng.leader', N, n.id, 'close')
  assert.equal(x.state, 'closed')
  assertSameInstant(x.closed_at, '2026-11-30T15:00:00+08:00', 'closed_at')
  // A closed notice keeps its thread open.
  x = await S.act('scjg.liaison', N, n.id, 'messages', { text: '复查完毕。' }, { status: 201 })
  assert.deepEqual(x.timeline.map((t) => t.action),
    ['create', 'message', 'message', 'message', 'measures', 'message', 'close', 'message'])
  assert.equal(x.messages.length, 5)
})

test('R-COL-5 / R-TIME-4: a frequent-violation notice gets its own period (7 working days), turns yellow then red under the sweeper, and is answered late', async () => {
  await S.setClock('2026-11-30T16:00:00+08:00') // a Monday
  const n = await S.create('xincheng.officer', N, notice({ kind: 'frequent_violation', title: '夜市占道经营多发', description: '东堤夜市占道经营、噪声扰民投诉多发', materials: [] }))
  assert.equal(n.kind_label, '违法行为多发领域')
  assert.equal(n.title, '夜市占道经营多发')
  // 报 numbers are gap-free per township and year.
  const earlier = (await S.listIds('xincheng.officer', N, 'direction=out')).filter((id) => id !== n.id)
  assert.ok(earlier.length > 0)
  const prev = await S.detail('xincheng.officer', N, Math.max(...earlier))
  assert.equal(serialOf(n.documents[0].number), serialOf(prev.documents[0].number) + 1, `${prev.documents[0].number} then ${n.documents[0].number}`)
  const duty = dutiesOf(n, 'notice.measures')[0]
  assert.deepEqual(duty.period, { unit: 'working_days', value: 7 })
  // 12/1, 2, 3, 4, 7, 8, 9 → 24:00 of Wednesday 12/9.
  assertSameInstant(duty.due_at, '2026-12-10T00:00:00+08:00', 'measures due (7 working days)')
  assertSameInstant(duty.due_at, await S.addWorkdays(n.created_at, 7), 'measures due (calendar API)')

  await S.setClock('2026-12-04T09:00:00+08:00')
  await S.sweep()
  assert.equal((await S.detail('scjg.officer', N, n.id)).colour, 'green')
  assert.deepEqual(await S.noteKinds('scjg.leader', 'duty', duty.id), [])

  await S.setClock('2026-12-09T09:00:00+08:00') // due within one working day
  await S.sweep()
  await S.sweep()
  assert.equal((await S.detail('scjg.officer', N, n.id)).colour, 'yellow')
  assert.ok((await S.listIds('scjg.officer', N, 'colour=yellow')).includes(n.id))
  for (const u of ['scjg.leader', 'scjg.liaison']) assert.deepEqual(await S.noteKinds(u, 'duty', duty.id), ['duty.yellow'], u)

  await S.setClock('2026-12-10T09:00:00+08:00')
  await S.sweep()
  await S.sweep()
  const red = await S.detail('xincheng.officer', N, n.id)
  assert.equal(red.colour, 'red')
  assert.equal(dutiesOf(red, 'notice.measures')[0].colour, 'red')
  assert.ok((await S.listIds('xincheng.officer', N, 'colour=red')).includes(n.id))
  assert.ok(!(await S.listIds('xincheng.officer', N, 'colour=yellow')).includes(n.id))
  for (const u of ['scjg.leader', 'scjg.liaison', 'coordinator.staff']) {
    assert.equal((await S.noteKinds(u, 'duty', duty.id)).filter((k) => k === 'duty.red').length, 1, u)
  }
  assert.deepEqual(await S.noteKinds('xincheng.leader', 'duty', duty.id), [], 'the notifier owes nothing')

  const x = await S.act('scjg.leader', N, n.id, 'measures', { analysis: '夜市管理缺位', advice: '划定临时摊区', measures: '已会同城管划线' })
  const met = dutiesOf(x, 'notice.measures')[0]
  assert.equal(met.state, 'met')
  assert.equal(met.on_time, false)
  assert.equal(met.late_working_days, 1)
  assert.equal(x.colour, null)
})

test('R-COL-5: refusals of the steps — wrong org or role, illegal transitions naming the state, bad bodies — change nothing', async () => {
  await S.setClock('2026-12-10T10:00:00+08:00')
  const n = await S.create('xincheng.officer', N, notice({ materials: [] }))
  const path = (a) => `/api/v1/notices/${n.id}/${a}`
  const refused = (who, a, body) => S.unchanged(N, n.id, () => S.post(who, path(a), body))
  const good = { analysis: 'a', advice: 'b', measures: 'c' }
  assertError(await refused('xincheng.officer', 'measures', good), 403, { code: 'permission_denied', rule: 'R-COL-5' })
  assertError(await refused('zrzy.officer', 'measures', good), 404, { rule: 'R-ACC-1' })
  assertError(await refused('liuzu.officer', 'measures', good), 404, { rule: 'R-ACC-1' })
  assertError(await refused('auditor', 'measures', good), 403, { rule: 'R-COL-5' })
  assertError(await refused('coordinator.staff', 'measures', good), 403, { rule: 'R-COL-5' })
  assertError(await refused('scjg.officer', 'withdraw', { reason: 'x' }), 403, { rule: 'R-COL-5' })
  assertError(await refused('liuzu.officer', 'messages', { text: '路过' }), 404)
  assertError(await refused('auditor', 'messages', { text: '审计' }), 403, { rule: 'R-COL-5' })
  assertIllegal(await refused('xincheng.officer', 'close', {}), N, 'open', 'R-COL-5')
  assertError(await refused('scjg.officer', 'measures', { analysis: 'a', measures: 'c' }), 400, { code: 'missing_field', field: 'advice', rule: 'R-COL-5' })
  assertError(await refused('scjg.officer', 'measures', { ...good, analysis: long(5001) }), 400, { code: 'too_long', field: 'analysis' })
  assertError(await refused('scjg.officer', 'measures', { ...good, extra: true }), 400, { code: 'unknown_field', field: 'extra' })
  assertError(await refused('scjg.officer', 'measures', { ...good, advice: 3 }), 400, { field: 'advice' })
  assertError(await refused('xincheng.officer', 'withdraw', {}), 400, { code: 'missing_field', field: 'reason', rule: 'R-COL-5' })
  assertError(await refused('xincheng.officer', 'withdraw', { reason: long(501) }), 400, { code: 'too_long', field: 'reason' })
  assertError(await refused('scjg.officer', 'messages', { text: long(2001) }), 400, { code: 'too_long', field: 'text' })
  assertError(await refused('scjg.officer', 'messages', {}), 400, { code: 'missing_field', field: 'text' })
  assert.equal((await refused('scjg.officer', 'bogus-action', {})).status, 404)
  assertError(await S.get('scjg.officer', '/api/v1/notices/999999'), 404, { rule: 'R-ACC-1' })
  assertError(await S.get('scjg.officer', '/api/v1/notices?state=bogus'), 400, { field: 'state' })
  assertError(await S.get('scjg.officer', '/api/v1/notices?colour=blue'), 400, { field: 'colour' })
  assertError(await S.get('scjg.officer', '/api/v1/notices?direction=up'), 400, { field: 'direction' })

  // withdraw: the duty is waived; nothing more may happen but reading.
  const w = await S.act('xincheng.officer', N, n.id, 'withdraw', { reason: '已由镇政府自行处置' })
  assert.equal(w.state, 'withdrawn')
  assert.equal(w.withdraw_reason, '已由镇政府自行处置')
  assert.equal(dutiesOf(w, 'notice.measures')[0].state, 'waived')
  assert.equal(w.colour, null)
  assertIllegal(await refused('scjg.officer', 'measures', good), N, 'withdrawn')
  assertIllegal(await refused('xincheng.officer', 'withdraw', { reason: '再撤' }), N, 'withdrawn')
  assertIllegal(await refused('scjg.officer', 'messages', { text: '还能留言吗' }), N, 'withdrawn')
  assert.deepEqual(w.timeline.map((t) => t.action), ['create', 'withdraw'])
})

test('R-COL-5: Idempotency-Key replays a create and a step; a reused key with another body is refused', async () => {
  const key = 'notice-create-0001'
  const body = notice({ materials: [], description: '幂等测试：同一通报重复提交' })
  const a = await S.post('xincheng.officer', '/api/v1/notices', body, { headers: { 'Idempotency-Key': key } })
  assert.equal(a.status, 201, show(a))
  const b = await S.post('xincheng.officer', '/api/v1/notices', body, { headers: { 'Idempotency-Key': key } })
  assert.equal(b.status, 201, show(b))
  assert.equal(b.headers.get('idempotent-replayed'), 'true')
  assert.equal(b.json.id, a.json.id)
  assert.equal((await S.detail('scjg.officer', N, a.json.id)).duties.length, 1, 'one duty')
  assertError(await S.post('xincheng.officer', '/api/v1/notices', { ...body, place: '别处' }, { headers: { 'Idempotency-Key': key } }), 409, { code: 'idempotency_key_reused' })
  const m = { analysis: 'a', advice: 'b', measures: 'c' }
  const first = await S.post('scjg.officer', `/api/v1/notices/${a.json.id}/measures`, m, { headers: { 'Idempotency-Key': 'measures-1' } })
  assert.equal(first.status, 200, show(first))
  const again = await S.post('scjg.officer', `/api/v1/notices/${a.json.id}/measures`, m, { headers: { 'Idempotency-Key': 'measures-1' } })
  assert.equal(again.status, 200, `a replay, not 409: ${show(again)}`)
  assert.equal(again.headers.get('idempotent-replayed'), 'true')
  assert.deepEqual(again.json, first.json)
  assert.deepEqual((await S.detail('auditor', N, a.json.id)).timeline.map((t) => t.action), ['create', 'measures'])
})

// ---------------------------------------------------------------------------------------------
// R-COL-6 meetings (R-SYS-5 joint actions)

test('R-COL-6: refusals of create name field and rule and create nothing', async () => {
  const create = (who, body) => S.noneCreated(M, () => S.post(who, '/api/v1/meetings', body))
  assertError(await create('coordinator.staff', meeting()), 403, { rule: 'R-COL-6' })
  assertError(await create('auditor', meeting()), 403, { rule: 'R-COL-6' })
  assertError(await create('gaj.officer', meeting()), 403, { rule: 'R-COL-6' })
  assertError(await create('xincheng.officer', meeting({ invitees: [] })), 400, { field: 'invitees', rule: 'R-COL-6' })
  assertError(await create('xincheng.officer', meeting({ invitees: undefined })), 400, { code: 'missing_field', field: 'invitees', rule: 'R-COL-6' })
  assertError(await create('xincheng.officer', meeting({ invitees: [{ org: orgs.xincheng.id }] })), 400, { field: 'invitees[0].org', rule: 'R-COL-6' })
  assertError(await create('xincheng.officer', meeting({ invitees: [{ org: orgs.scjg.id, user: users['zrzy.officer'].id }] })), 400, { field: 'invitees[0].user', rule: 'R-COL-6' })
  assertError(await create('xincheng.officer', meeting({ invitees: [{ org: orgs.scjg.id, role: 'x' }] })), 400, { code: 'unknown_field', field: 'invitees[0].role' })
  assertError(await create('xincheng.officer', meeting({ invitees: [{ org: 999999 }] })), 400, { field: 'invitees[0].org' })
  assertError(await create('xincheng.officer', meeting({ start_at: '明天上午' })), 400, { field: 'start_at', rule: 'R-COL-6' })
  assertError(await create('xincheng.officer', meeting({ subject: long(201) })), 400, { code: 'too_long', field: 'subject' })
  assertError(await create('xincheng.officer', meeting({ agenda: '' })), 400, { code: 'missing_field', field: 'agenda' })
  assertError(await create('xincheng.officer', meeting({ place: undefined })), 400, { code: 'missing_field', field: 'place' })
  assertError(await create('xincheng.officer', meeting({ to_org: orgs.scjg.id })), 400, { code: 'unknown_field', field: 'to_org' })
})

test('R-COL-6 / R-SYS-5: a meeting — invitations, replies, minutes with numbered 纪要, each decision a duty (default 10 working days, absolute, or a period across a weekend), a joint action, late decision under the sweeper, closed', async () => {
  await S.setClock('2026-12-09T09:00:00+08:00') // a Wednesday
  let m = await S.create('xincheng.officer', M, meeting())
  assert.equal(m.type, 'meeting')
  assert.equal(m.state, 'scheduled')
  assert.equal(m.state_label, '已通知')
  assert.equal(m.to_org, null)
  assert.equal(m.number, null)
  // R-DOC-1: convening is a numbered 会 invitation; the meeting's number stays that of its minutes.
  assert.deepEqual(m.documents.map((d) => d.kind), ['meeting_invitation'])
  assert.ok(m.documents[0].number.startsWith('新城执会〔2026〕'), m.documents[0].number)
  assert.equal(m.minutes, null)
  assert.deepEqual(m.decisions, [])
  assert.deepEqual(m.duties, [])
  assertSameInstant(m.start_at, '2026-12-10T09:30:00+08:00', 'start_at')
  assert.deepEqual(m.invitees.map((i) => [i.org.id, i.user?.id ?? null, i.answer]),
    [[orgs.scjg.id, null, 'pending'], [orgs.zrzy.id, users['zrzy.officer'].id, 'pending']])
  // Invited orgs' leaders and liaisons are notified, and the named user.
  for (const u of ['scjg.leader', 'scjg.liaison', 'zrzy.leader', 'zrzy.liaison', 'zrzy.officer']) {
    assert.deepEqual(await S.noteKinds(u, 'meeting', m.id), ['meeting.invited'], u)
  }
  assert.deepEqual(await S.noteKinds('scjg.officer', 'meeting', m.id), [])
  // Visibility: convener, invitees, coordinator; not a third township nor an uninvited department.
  for (const u of ['scjg.officer', 'zrzy.officer', 'coordinator.staff', 'auditor']) {
    assert.equal((await S.get(u, `/api/v1/meetings/${m.id}`)).status, 200, u)
  }
  assertError(await S.get('liuzu.officer', `/api/v1/meetings/${m.id}`), 404, { rule: 'R-ACC-1' })
  assertError(await S.get('gaj.officer', `/api/v1/meetings/${m.id}`), 404)
  assert.ok((await S.listIds('zrzy.officer', M, 'direction=in&state=scheduled')).includes(m.id))
  assert.ok((await S.listIds('xincheng.officer', M, 'direction=out')).includes(m.id))
  assert.ok(!(await S.listIds('liuzu.officer', M)).includes(m.id))

  // Replies: per org; may change until held; the convener is told.
  m = await S.act('scjg.officer', M, m.id, 'reply', { answer: 'confirmed', note: '派稽查股两人参加' })
  assert.equal(m.invitees[0].answer, 'confirmed')
  assert.equal(m.invitees[0].note, '派稽查股两人参加')
  assert.ok(m.invitees[0].answered_at)
  m = await S.act('zrzy.officer', M, m.id, 'reply', { answer: 'declined', note: '当日另有会议' })
  assert.equal(m.invitees[1].answer, 'declined')
  m = await S.act('zrzy.leader', M, m.id, 'reply', { answer: 'confirmed' })
  assert.equal(m.invitees[1].answer, 'confirmed')
  assert.equal(m.state, 'scheduled')
  for (const u of ['xincheng.officer', 'xincheng.leader']) {
    assert.equal((await S.noteKinds(u, 'meeting', m.id)).filter((k) => k === 'meeting.reply').length, 3, u)
  }
  // Before start_at there are no minutes (R-COL-6).
  const early = await S.unchanged(M, m.id, () => S.post('xincheng.officer', `/api/v1/meetings/${m.id}/minutes`, { minutes: '纪要', decisions: [] }))
  assertError(early, 409, { code: 'meeting_not_started', rule: 'R-COL-6' })
  m = await S.act('zrzy.officer', M, m.id, 'messages', { text: '请提前发送案情材料。' }, { status: 201 })
  assert.equal(m.messages.length, 1)
  assert.ok((await S.noteKinds('xincheng.leader', 'meeting', m.id)).includes('meeting.message'))

  await S.setClock('2026-12-10T11:00:00+08:00') // Thursday, after the meeting
  m = await S.act('xincheng.officer', M, m.id, 'minutes', {
    minutes: '会议通报了东堤路非法采砂线索，明确由县自然资源局牵头查处，市场监管局配合。',
    decisions: [
      { text: '县市场监管局核查涉案砂场营业执照', owner_org: orgs.scjg.id },
      { text: '新城镇组织联合巡查', owner_org: orgs.xincheng.id, due_at: '2026-12-31T17:00:00+08:00' },
      { text: '县自然资源局出具采砂量认定意见', owner_org: orgs.zrzy.id, period_days: 2 },
    ],
  })
  assert.equal(m.state, 'held')
  assert.equal(m.state_label, '已召开')
  assertSameInstant(m.held_at, '2026-12-10T11:00:00+08:00', 'held_at')
  assert.match(m.number, NUMBER_RE)
  assert.ok(m.number.startsWith('新城执纪〔2026〕'), m.number)
  assert.deepEqual(m.documents.map((d) => d.kind), ['meeting_invitation', 'meeting_minutes'])
  const minutesDoc = m.documents[1]
  assert.equal(minutesDoc.number, m.number)
  assert.equal(m.decisions.length, 3)
  assert.deepEqual(m.decisions.map((d) => [d.no, d.owner_org.id, d.state]),
    [[1, orgs.scjg.id, 'open'], [2, orgs.xincheng.id, 'open'], [3, orgs.zrzy.id, 'open']])
  const ds = dutiesOf(m, 'meeting.decision')
  assert.equal(ds.length, 3)
  for (let i = 0; i < 3; i++) {
    assert.equal(ds[i].id, m.decisions[i].duty_id)
    assert.equal(ds[i].owner_org.id, m.decisions[i].owner_org.id)
    assert.equal(ds[i].rule, 'R-COL-6')
    assert.equal(ds[i].title.includes(m.decisions[i].text), true, ds[i].title)
    assertSameInstant(ds[i].due_at, m.decisions[i].due_at, `decision ${i + 1} due`)
  }
  // Default: 10 working days from Thursday 12/10 → 24:00 of Thursday 12/24.
  assertSameInstant(ds[0].due_at, '2026-12-25T00:00:00+08:00', 'default decision due')
  assertSameInstant(ds[0].due_at, await S.addWorkdays(m.held_at, 10), 'default decision due (calendar API)')
  assertSameInstant(ds[1].due_at, '2026-12-31T17:00:00+08:00', 'absolute decision due')
  // 2 working days: Friday 12/11, Monday 12/14 → 24:00 of Monday (the weekend is skipped).
  assertSameInstant(ds[2].due_at, '2026-12-15T00:00:00+08:00', 'decision due across a weekend')
  // Owners are notified of their decisions.
  for (const u of ['scjg.leader', 'zrzy.liaison']) assert.ok((await S.noteKinds(u, 'meeting', m.id)).includes('meeting.decision'), u)
  // The minutes are a printable numbered document for every participant, not for others.
  const page = await getRaw(S.server.url, await S.as('zrzy.officer'), minutesDoc.url, 'text/html')
  assert.equal(page.status, 200)
  assert.ok(page.text.includes(m.number), 'the number is printed')
  assert.ok(page.text.includes('县自然资源局出具采砂量认定意见'), 'the decisions are printed')
  assert.equal((await getRaw(S.server.url, await S.as('liuzu.officer'), minutesDoc.url, 'text/html')).status, 404)
  // Replies are over once held.
  assertIllegal(await S.unchanged(M, m.id, () => S.post('scjg.officer', `/api/v1/meetings/${m.id}/reply`, { answer: 'declined' })), M, 'held', 'R-COL-6')

  // Decision 1 done on time by its owner; a joint enforcement action recorded and completed (R-SYS-5).
  assertError(await S.unchanged(M, m.id, () => S.post('zrzy.officer', `/api/v1/meetings/${m.id}/decisions/1/done`, { note: '不是我们的' })), 403, { rule: 'R-COL-6' })
  assertError(await S.unchanged(M, m.id, () => S.post('scjg.officer', `/api/v1/meetings/${m.id}/decisions/9/done`, { note: 'x' })), 404, { field: 'no' })
  assertError(await S.unchanged(M, m.id, () => S.post('scjg.officer', `/api/v1/meetings/${m.id}/decisions/1/done`, {})), 400, { code: 'missing_field', field: 'note' })
  m = await S.act('scjg.officer', M, m.id, 'decisions/1/done', { note: '已核查，3家砂场无营业执照' })
  assert.equal(m.decisions[0].state, 'done')
  assert.equal(m.decisions[0].done_note, '已核查，3家砂场无营业执照')
  const d1 = m.duties.find((d) => d.id === m.decisions[0].duty_id)
  assert.equal(d1.state, 'met')
  assert.equal(d1.on_time, true)
  assert.ok((await S.noteKinds('xincheng.leader', 'meeting', m.id)).includes('meeting.decision_done'))
  assertError(await S.unchanged(M, m.id, () => S.post('scjg.officer', `/api/v1/meetings/${m.id}/decisions/1/done`, { note: '再次' })), 409, { rule: 'R-COL-6' })

  const ja = { participants: [orgs.scjg.id, orgs.xincheng.id, orgs.gaj.id], people: '市场监管局2人、镇执法办4人、派出所2人', at: '2026-12-12T08:30:00+08:00', place: '东堤路砂场' }
  assertError(await S.unchanged(M, m.id, () => S.post('zrzy.officer', `/api/v1/meetings/${m.id}/decisions/1/joint-action`, ja)), 403, { rule: 'R-SYS-5' })
  assertError(await S.unchanged(M, m.id, () => S.post('scjg.officer', `/api/v1/meetings/${m.id}/decisions/1/joint-action`, { ...ja, participants: [] })), 400, { field: 'participants', rule: 'R-SYS-5' })
  assertError(await S.unchanged(M, m.id, () => S.post('scjg.officer', `/api/v1/meetings/${m.id}/decisions/1/joint-action`, { ...ja, participants: ['scjg'] })), 400, { field: 'participants[0]', rule: 'R-SYS-5' })
  assertError(await S.unchanged(M, m.id, () => S.post('scjg.officer', `/api/v1/meetings/${m.id}/decisions/1/joint-action`, { ...ja, at: undefined })), 400, { code: 'missing_field', field: 'at' })
  m = await S.act('scjg.officer', M, m.id, 'decisions/1/joint-action', ja)
  let action = m.decisions[0].joint_action
  assert.deepEqual(action.participants.map((o) => o.id), [orgs.scjg.id, orgs.xincheng.id, orgs.gaj.id])
  assert.equal(action.place, '东堤路砂场')
  assert.equal(action.result, '')
  m = await S.act('xincheng.officer', M, m.id, 'decisions/1/joint-action', { ...ja, result: '查扣采砂船2艘，立案3宗' })
  action = m.decisions[0].joint_action
  assert.equal(action.result, '查扣采砂船2艘，立案3宗')
  // R-DOC-1: each recorded joint action is a numbered 联 record of the recording org; the number stays the minutes'.
  const joint = m.documents.filter((d) => d.kind === 'joint_action_record')
  assert.equal(joint.length, 2)
  assert.ok(joint[0].number.startsWith('新市监联〔2026〕') && joint[1].number.startsWith('新城执联〔2026〕'), joint.map((d) => d.number).join(' '))
  assert.equal(m.number, minutesDoc.number)
  const jointPage = await getRaw(S.server.url, await S.as('zrzy.officer'), joint[1].url, 'text/html')
  assert.equal(jointPage.status, 200)
  assert.ok(jointPage.text.includes('查扣采砂船2艘，立案3宗') && jointPage.text.includes('东堤路砂场'), 'the record prints the action')
  assert.ok(m.timeline.some((t) => t.action === 'joint_action'))

  // Closing waits for every decision (R-COL-6).
  assertError(await S.unchanged(M, m.id, () => S.post('xincheng.officer', `/api/v1/meetings/${m.id}/close`, {})), 409, { code: 'decisions_open', rule: 'R-COL-6' })

  // Decision 3 (zrzy, due 24:00 Monday 12/14) goes red on Tuesday; the sweeper warns once.
  await S.setClock('2026-12-15T10:00:00+08:00')
  await S.sweep()
  await S.sweep()
  m = await S.detail('xincheng.officer', M, m.id)
  assert.equal(m.colour, 'red')
  assert.ok((await S.listIds('xincheng.officer', M, 'colour=red')).includes(m.id))
  const d3 = m.decisions[2].duty_id
  for (const u of ['zrzy.leader', 'zrzy.liaison', 'coordinator.staff']) {
    assert.equal((await S.noteKinds(u, 'duty', d3)).filter((k) => k === 'duty.red').length, 1, u)
  }
  assert.deepEqual(await S.noteKinds('scjg.leader', 'duty', d3), [])
  m = await S.act('zrzy.officer', M, m.id, 'decisions/3/done', { note: '认定意见已出具' })
  const late = m.duties.find((d) => d.id === d3)
  assert.equal(late.state, 'met')
  assert.equal(late.on_time, false)
  assert.equal(late.late_working_days, 1)
  m = await S.act('xincheng.liaison', M, m.id, 'decisions/2/done', { note: '联合巡查已完成' })
  assert.equal(m.duties.find((d) => d.id === m.decisions[1].duty_id).on_time, true)
  assert.equal(m.colour, null)
  assertError(await S.unchanged(M, m.id, () => S.post('scjg.officer', `/api/v1/meetings/${m.id}/close`, {})), 403, { rule: 'R-COL-6' })
  m = await S.act('xincheng.officer', M, m.id, 'close')
  assert.equal(m.state, 'closed')
  assertIllegal(await S.unchanged(M, m.id, () => S.post('xincheng.officer', `/api/v1/meetings/${m.id}/cancel`, { reason: 'x' })), M, 'closed')
  assert.deepEqual(m.timeline.map((t) => t.action),
    ['create', 'reply', 'reply', 'reply', 'message', 'minutes', 'decision_done', 'joint_action', 'joint_action', 'decision_done', 'decision_done', 'close'])
})

test('R-COL-6: refusals of reply and minutes, a department convenes, cancel notifies the invitees', async () => {
  await S.setClock('2026-12-15T11:00:00+08:00')
  let m = await S.create('scjg.officer', M, meeting({ start_at: '2026-12-15T10:30:00+08:00', invitees: [{ org: orgs.xincheng.id }, { org: orgs.liuzu.id }] }))
  assert.equal(m.from_org.id, orgs.scjg.id)
  const path = (a) => `/api/v1/meetings/${m.id}/${a}`
  const refused = (who, a, body) => S.unchanged(M, m.id, () => S.post(who, path(a), body))
  assertError(await refused('scjg.officer', 'reply', { answer: 'confirmed' }), 403, { rule: 'R-COL-6' })
  assertError(await refused('zrzy.officer', 'reply', { answer: 'confirmed' }), 404)
  assertError(await refused('auditor', 'reply', { answer: 'confirmed' }), 403)
  assertError(await refused('xincheng.officer', 'reply', { answer: 'maybe' }), 400, { field: 'answer', rule: 'R-COL-6' })
  assertError(await refused('xincheng.officer', 'reply', {}), 400, { code: 'missing_field', field: 'answer' })
  assertError(await refused('xincheng.officer', 'minutes', { minutes: 'x' }), 403, { rule: 'R-COL-6' })
  assertError(await refused('scjg.officer', 'minutes', {}), 400, { code: 'missing_field', field: 'minutes' })
  assertError(await refused('scjg.officer', 'minutes', { minutes: 'x', decisions: [{ text: 't', owner_org: orgs.zrzy.id }] }), 400, { field: 'decisions[0].owner_org', rule: 'R-COL-6' })
  assertError(await refused('scjg.officer', 'minutes', { minutes: 'x', decisions: [{ text: 't', owner_org: orgs.scjg.id, due_at: '2026-12-01T00:00:00+08:00' }] }), 400, { field: 'decisions[0].due_at' })
  assertError(await refused('scjg.officer', 'minutes', { minutes: 'x', decisions: [{ text: 't', owner_org: orgs.scjg.id }, { owner_org: orgs.scjg.id }] }), 400, { code: 'missing_field', field: 'decisions[1].text' })
  assertError(await refused('scjg.officer', 'minutes', { minutes: 'x', decisions: [{ text: 't', owner_org: orgs.scjg.id, period_days: 0 }] }), 400, { field: 'decisions[0].period_days' })
  assertError(await refused('scjg.officer', 'minutes', { minutes: long(5001) }), 400, { code: 'too_long', field: 'minutes' })
  assertError(await refused('scjg.officer', 'decisions/1/done', { note: 'x' }), 404)
  assertIllegal(await refused('scjg.officer', 'close', {}), M, 'scheduled', 'R-COL-6')
  assertError(await refused('xincheng.officer', 'cancel', { reason: 'x' }), 403, { rule: 'R-COL-6' })
  assertError(await refused('scjg.officer', 'cancel', {}), 400, { code: 'missing_field', field: 'reason' })

  m = await S.act('xincheng.officer', M, m.id, 'reply', { answer: 'confirmed' })
  m = await S.act('scjg.leader', M, m.id, 'cancel', { reason: '案件已移送公安机关' })
  assert.equal(m.state, 'cancelled')
  assert.equal(m.cancel_reason, '案件已移送公安机关')
  for (const u of ['xincheng.leader', 'liuzu.liaison']) assert.ok((await S.noteKinds(u, 'meeting', m.id)).includes('meeting.cancelled'), u)
  assertIllegal(await refused('xincheng.officer', 'reply', { answer: 'declined' }), M, 'cancelled')
  assertIllegal(await refused('scjg.officer', 'minutes', { minutes: 'x' }), M, 'cancelled')
  assertIllegal(await refused('xincheng.officer', 'messages', { text: 'x' }), M, 'cancelled')

  // Minutes without decisions: held, then closed at once; the minutes numbers are gap-free per convener.
  const a = await S.create('scjg.officer', M, meeting({ start_at: '2026-12-15T09:00:00+08:00', invitees: [{ org: orgs.xincheng.id }] }))
  const b = await S.create('scjg.officer', M, meeting({ start_at: '2026-12-15T09:00:00+08:00', invitees: [{ org: orgs.liuzu.id }] }))
  const ma = await S.act('scjg.officer', M, a.id, 'minutes', { minutes: '会议纪要甲' }, { headers: { 'Idempotency-Key': `minutes-${a.id}` } })
  const replay = await S.post('scjg.officer', `/api/v1/meetings/${a.id}/minutes`, { minutes: '会议纪要甲' }, { headers: { 'Idempotency-Key': `minutes-${a.id}` } })
  assert.equal(replay.status, 200, show(replay))
  assert.equal(replay.headers.get('idempotent-replayed'), 'true')
  const mb = await S.act('scjg.officer', M, b.id, 'minutes', { minutes: '会议纪要乙', decisions: [] })
  assert.ok(ma.number.startsWith('新市监纪〔2026〕') && mb.number.startsWith('新市监纪〔2026〕'), `${ma.number} ${mb.number}`)
  assert.equal(serialOf(mb.number), serialOf(ma.number) + 1, `${ma.number} then ${mb.number}`)
  assert.deepEqual((await S.detail('scjg.officer', M, a.id)).documents.map((d) => d.kind), ['meeting_invitation', 'meeting_minutes'])
  // Invitations too are gap-free per convener and year.
  assert.equal(serialOf(b.documents[0].number), serialOf(a.documents[0].number) + 1, `${a.documents[0].number} then ${b.documents[0].number}`)
  const closed = await S.act('scjg.officer', M, a.id, 'close')
  assert.equal(closed.state, 'closed')
  // liuzu was invited to b, so it sees b (and its minutes), but not a.
  assert.equal((await S.get('liuzu.officer', `/api/v1/meetings/${b.id}`)).status, 200)
  assertError(await S.get('liuzu.officer', `/api/v1/meetings/${a.id}`), 404)
  assert.equal((await getRaw(S.server.url, await S.as('liuzu.officer'), mb.documents[1].url, 'text/html')).status, 200)
  assert.equal((await getRaw(S.server.url, await S.as('liuzu.officer'), ma.documents[1].url, 'text/html')).status, 404)
})
