// Participation requests (参与告知, R-COL-7) and immediate violation notices (违法行为通知,
// R-COL-8) end to end, against docs/collaboration-contract.md "Notices, meetings, participation,
// violation notices": every row of both state tables, every refusal (naming field and rule,
// changing nothing), the phone-first notice whose 1-working-day duty to complete the written
// notice goes overdue under the fake clock, the dispatch duty in hours (default 2), refusals with
// a reason, coordination after a refusal or a missed duty and the coordinator's binding
// decisions, numbered documents (gap-free, printable), notifications, the thread, visibility
// (R-ACC-1) and Idempotency-Key. The tests run in order on one server; the fake clock only moves
// forward, from Monday 2026-11-23.
// xt-backends: sqlite postgres (servers start in ./lib/coord.mjs through startServer)
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { show } from './lib/util.mjs'
import { getRaw, assertSameInstant, NUMBER_RE, serialOf } from './lib/referrals.mjs'
import { CoordSuite, dutiesOf, assertIllegal, assertError } from './lib/coord.mjs'

const S = CoordSuite({ start: '2026-11-23T09:00:00+08:00' })
let orgs

before(async () => {
  await S.start()
  orgs = S.orgs
  for (const u of ['xincheng.officer', 'xincheng.leader', 'xincheng.liaison', 'scjg.officer', 'scjg.leader',
    'scjg.liaison', 'zrzy.officer', 'zrzy.leader', 'zrzy.liaison', 'liuzu.officer', 'coordinator.staff',
    'coordinator.leader', 'auditor', 'gaj.officer', 'gaj.leader']) await S.as(u)
})
after(S.stop)

const P = 'participation-requests'
const V = 'violation-notices'
const long = (n) => '长'.repeat(n)

function participation(over = {}) {
  return {
    kind: 'special_inspection', to_org: orgs.xincheng.id, subject: '节前食品安全专项监督检查<b>',
    start_at: '2026-11-25T09:00:00+08:00', place: '新城镇农贸市场', details: '请派2名执法人员配合检查', ...over,
  }
}

function violation(over = {}) {
  return {
    category: 'safety', to_org: orgs.scjg.id, description: '某餐饮店后厨违规使用无合格证的液化气瓶，随时可能泄漏',
    place: '新城镇新兴大道88号', found_at: '2026-11-23T08:30:00+08:00', ...over,
  }
}

// ---------------------------------------------------------------------------------------------
// R-COL-7 participation requests

test('R-COL-7: refusals of create name field and rule and create nothing', async () => {
  const create = (who, body) => S.noneCreated(P, () => S.post(who, '/api/v1/participation-requests', body))
  assertError(await create('xincheng.officer', participation({ to_org: orgs.liuzu.id })), 403, { code: 'permission_denied', rule: 'R-COL-7' })
  assertError(await create('coordinator.staff', participation()), 403, { rule: 'R-COL-7' })
  assertError(await create('auditor', participation()), 403, { rule: 'R-COL-7' })
  assertError(await create('scjg.officer', participation({ to_org: orgs.zrzy.id })), 400, { field: 'to_org', rule: 'R-COL-7' })
  assertError(await create('scjg.officer', participation({ kind: 'inspection' })), 400, { field: 'kind', rule: 'R-COL-7' })
  assertError(await create('scjg.officer', participation({ subject: undefined })), 400, { code: 'missing_field', field: 'subject', rule: 'R-COL-7' })
  assertError(await create('scjg.officer', participation({ subject: long(201) })), 400, { code: 'too_long', field: 'subject' })
  assertError(await create('scjg.officer', participation({ details: long(5001) })), 400, { code: 'too_long', field: 'details' })
  assertError(await create('scjg.officer', participation({ start_at: '2026-11-25' })), 400, { field: 'start_at' })
  assertError(await create('scjg.officer', participation({ place: '' })), 400, { code: 'missing_field', field: 'place' })
  assertError(await create('scjg.officer', participation({ urgent: true })), 400, { code: 'unknown_field', field: 'urgent' })
  const phone = { caller: '县市场监管局王某', callee: '新城镇执法办李某', called_at: '2026-11-23T08:40:00+08:00' }
  assertError(await create('scjg.officer', participation({ phone_notice: { ...phone, called_at: '2026-11-23T12:00:00+08:00' } })), 400, { field: 'phone_notice.called_at', rule: 'R-COL-7' })
  assertError(await create('scjg.officer', participation({ phone_notice: { caller: phone.caller, called_at: phone.called_at } })), 400, { code: 'missing_field', field: 'phone_notice.callee', rule: 'R-COL-7' })
  assertError(await create('scjg.officer', participation({ phone_notice: { ...phone, minutes: 3 } })), 400, { code: 'unknown_field', field: 'phone_notice.minutes' })
  assertError(await create('scjg.officer', participation({ phone_notice: { ...phone, caller: long(51) } })), 400, { code: 'too_long', field: 'phone_notice.caller' })
  assertError(await create('scjg.officer', participation({ phone_notice: '电话告知' })), 400, { field: 'phone_notice' })
})

test('R-COL-7: a written notice — numbered 参与执法工作告知书 issued at once, no duty; the township confirms and names who it sends; completed', async () => {
  let p = await S.create('scjg.officer', P, participation())
  assert.equal(p.type, 'participation')
  assert.equal(p.state, 'notified')
  assert.equal(p.state_label, '已书面告知')
  assert.equal(p.kind_label, '专项监督检查')
  assert.equal(p.phone_notice, null)
  assertSameInstant(p.written_notice_at, '2026-11-23T09:00:00+08:00', 'written_notice_at')
  assert.match(p.number, NUMBER_RE)
  assert.ok(p.number.startsWith('新市监参〔2026〕'), p.number)
  assert.equal(p.documents.length, 1)
  assert.equal(p.documents[0].kind, 'participation_notice')
  assert.equal(p.documents[0].number, p.number)
  assert.deepEqual(p.duties, [], 'a written notice owes nothing more')
  assert.equal(p.colour, null)
  for (const u of ['xincheng.leader', 'xincheng.liaison']) assert.deepEqual(await S.noteKinds(u, 'participation', p.id), ['participation.created'], u)
  // The printable notice: both sides; escaped; not a third township.
  const page = await getRaw(S.server.url, await S.as('xincheng.officer'), p.documents[0].url, 'text/html')
  assert.equal(page.status, 200)
  assert.ok(page.text.includes(p.number))
  assert.ok(page.text.includes('新城镇农贸市场'))
  assert.ok(!page.text.includes('<b>'), 'the subject is escaped')
  assert.equal((await getRaw(S.server.url, await S.as('liuzu.officer'), p.documents[0].url, 'text/html')).status, 404)
  assertError(await S.get('liuzu.officer', `/api/v1/participation-requests/${p.id}`), 404, { rule: 'R-ACC-1' })
  assert.ok((await S.listIds('xincheng.officer', P, 'direction=in&state=notified&kind=special_inspection')).includes(p.id))
  assert.ok((await S.listIds('scjg.officer', P, 'direction=out')).includes(p.id))
  assert.ok(!(await S.listIds('liuzu.officer', P)).includes(p.id))

  // The written notice exists: a second one is refused with its own code.
  assertError(await S.unchanged(P, p.id, () => S.post('scjg.officer', `/api/v1/participation-requests/${p.id}/written-notice`, {})), 409, { code: 'written_notice_exists', rule: 'R-COL-7' })
  const refused = (who, a, body) => S.unchanged(P, p.id, () => S.post(who, `/api/v1/participation-requests/${p.id}/${a}`, body))
  assertError(await refused('scjg.officer', 'confirm', { people: ['张三'] }), 403, { rule: 'R-COL-7' })
  assertError(await refused('liuzu.officer', 'confirm', { people: ['张三'] }), 404)
  assertError(await refused('xincheng.officer', 'confirm', {}), 400, { code: 'missing_field', field: 'people', rule: 'R-COL-7' })
  assertError(await refused('xincheng.officer', 'confirm', { people: [] }), 400, { field: 'people', rule: 'R-COL-7' })
  assertError(await refused('xincheng.officer', 'confirm', { people: Array.from({ length: 21 }, (_, i) => `人员${i}`) }), 400, { field: 'people' })
  assertError(await refused('xincheng.officer', 'confirm', { people: ['张三', long(51)] }), 400, { field: 'people[1]' })
  assertError(await refused('xincheng.officer', 'confirm', { people: ['张三', ''] }), 400, { field: 'people[1]' })
  assertError(await refused('xincheng.officer', 'confirm', { people: ['张三'], note: long(501) }), 400, { code: 'too_long', field: 'note' })
  assertError(await refused('xincheng.officer', 'confirm', { people: ['张三'], who: 1 }), 400, { code: 'unknown_field', field: 'who' })
  assertIllegal(await refused('scjg.officer', 'complete', {}), P, 'notified', 'R-COL-7')

  p = await S.act('xincheng.officer', P, p.id, 'confirm', { people: ['李志强', '黄丽华'], note: '两人携带执法记录仪' })
  assert.equal(p.state, 'confirmed')
  assert.deepEqual(p.confirmation.people, ['李志强', '黄丽华'])
  assert.equal(p.confirmation.note, '两人携带执法记录仪')
  assert.equal(p.confirmation.by.id, (await S.as('xincheng.officer')).user.id)
  for (const u of ['scjg.officer', 'scjg.leader', 'scjg.liaison']) assert.ok((await S.noteKinds(u, 'participation', p.id)).includes('participation.confirmed'), u)
  assertError(await refused('xincheng.officer', 'complete', {}), 403, { rule: 'R-COL-7' })
  assertIllegal(await refused('xincheng.officer', 'confirm', { people: ['王五'] }), P, 'confirmed', 'R-COL-7')
  p = await S.act('scjg.officer', P, p.id, 'messages', { text: '检查时间不变。' }, { status: 201 })
  p = await S.act('scjg.officer', P, p.id, 'complete', { result: '检查经营户32户，发现问题5宗' })
  assert.equal(p.state, 'done')
  assert.equal(p.result, '检查经营户32户，发现问题5宗')
  assertIllegal(await refused('scjg.officer', 'cancel', { reason: 'x' }), P, 'done')
  p = await S.act('xincheng.officer', P, p.id, 'messages', { text: '收到。' }, { status: 201 })
  assert.deepEqual(p.messages.map((m) => m.org.id), [orgs.scjg.id, orgs.xincheng.id])
  assert.deepEqual(p.timeline.map((t) => t.action), ['create', 'confirm', 'message', 'complete', 'message'])
})

test('R-COL-7: phone first on a Friday — duty participation.written_notice due at the end of the next working day (Monday), red on Tuesday under the sweeper, completed late; complete refused until then', async () => {
  await S.setClock('2026-11-27T16:00:00+08:00') // a Friday
  const phone = { caller: '县市场监管局王某', callee: '新城镇执法办李某', called_at: '2026-11-27T15:30:00+08:00' }
  let p = await S.create('scjg.officer', P, participation({ kind: 'administrative_confirmation', subject: '紧急：核实无证经营场所', start_at: '2026-11-27T17:00:00+08:00', phone_notice: phone }))
  assert.equal(p.state, 'phoned')
  assert.equal(p.state_label, '已电话告知')
  assert.equal(p.number, null)
  assert.deepEqual(p.documents, [])
  assert.equal(p.written_notice_at, null)
  assert.equal(p.phone_notice.caller, phone.caller)
  assert.equal(p.phone_notice.callee, phone.callee)
  assertSameInstant(p.phone_notice.called_at, phone.called_at, 'called_at')
  const [duty] = dutiesOf(p, 'participation.written_notice')
  assert.equal(p.duties.length, 1)
  assert.equal(duty.rule, 'R-COL-7')
  assert.equal(duty.owner_org.id, orgs.scjg.id, 'the department owes the written notice')
  assertSameInstant(duty.trigger_at, phone.called_at, 'the duty runs from the call')
  // Friday not counted; Saturday and Sunday skipped → 24:00 of Monday 11/30.
  assertSameInstant(duty.due_at, '2026-12-01T00:00:00+08:00', 'written notice due')
  assertSameInstant(duty.due_at, await S.addWorkdays(phone.called_at, 1), 'written notice due (calendar API)')
  for (const u of ['xincheng.leader', 'xincheng.liaison']) assert.deepEqual(await S.noteKinds(u, 'participation', p.id), ['participation.created'], u)

  // The township confirms on the phone notice; completing still needs the written notice.
  p = await S.act('xincheng.liaison', P, p.id, 'confirm', { people: ['陈志强'] })
  assert.equal(p.state, 'confirmed')
  assertError(await S.unchanged(P, p.id, () => S.post('scjg.officer', `/api/v1/participation-requests/${p.id}/complete`, {})), 409, { code: 'written_notice_missing', rule: 'R-COL-7' })
  assertError(await S.unchanged(P, p.id, () => S.post('xincheng.officer', `/api/v1/participation-requests/${p.id}/written-notice`, {})), 403, { rule: 'R-COL-7' })

  await S.setClock('2026-11-30T10:00:00+08:00') // Monday: due within one working day
  await S.sweep()
  assert.equal((await S.detail('scjg.officer', P, p.id)).colour, 'yellow')
  for (const u of ['scjg.leader', 'scjg.liaison']) assert.deepEqual(await S.noteKinds(u, 'duty', duty.id), ['duty.yellow'], u)

  await S.setClock('2026-12-01T09:00:00+08:00') // Tuesday: overdue
  await S.sweep()
  await S.sweep()
  const red = await S.detail('xincheng.officer', P, p.id)
  assert.equal(red.colour, 'red')
  assert.equal(dutiesOf(red, 'participation.written_notice')[0].colour, 'red')
  assert.ok((await S.listIds('scjg.officer', P, 'colour=red')).includes(p.id))
  for (const u of ['scjg.leader', 'scjg.liaison', 'coordinator.staff']) {
    assert.equal((await S.noteKinds(u, 'duty', duty.id)).filter((k) => k === 'duty.red').length, 1, u)
  }
  assert.deepEqual(await S.noteKinds('xincheng.leader', 'duty', duty.id), [], 'the township owes nothing')

  p = await S.act('scjg.leader', P, p.id, 'written-notice')
  assert.equal(p.state, 'confirmed', 'issued afterwards, the state stays')
  assert.match(p.number, NUMBER_RE)
  assertSameInstant(p.written_notice_at, '2026-12-01T09:00:00+08:00', 'written_notice_at')
  assert.equal(p.documents.length, 1)
  const met = dutiesOf(p, 'participation.written_notice')[0]
  assert.equal(met.state, 'met')
  assert.equal(met.on_time, false)
  assert.equal(met.late_working_days, 1)
  assert.ok((await S.noteKinds('xincheng.leader', 'participation', p.id)).includes('participation.written_notice'))
  const page = await getRaw(S.server.url, await S.as('xincheng.officer'), p.documents[0].url, 'text/html')
  assert.equal(page.status, 200)
  assert.ok(page.text.includes(p.number))
  assertError(await S.unchanged(P, p.id, () => S.post('scjg.officer', `/api/v1/participation-requests/${p.id}/written-notice`, {})), 409, { code: 'written_notice_exists', rule: 'R-COL-7' })
  p = await S.act('scjg.officer', P, p.id, 'complete')
  assert.equal(p.state, 'done')
  assert.deepEqual(p.timeline.map((t) => t.action), ['create', 'confirm', 'written_notice', 'complete'])
})

test('R-COL-7: phone first, written notice on time (phoned → notified); cancel waives the duty and tells the township; written-notice numbers are gap-free', async () => {
  await S.setClock('2026-12-01T10:00:00+08:00')
  const phone = { caller: '王某', callee: '李某', called_at: '2026-12-01T09:50:00+08:00' }
  let p = await S.create('scjg.officer', P, participation({ kind: 'planning_approval', phone_notice: phone }))
  const before = (await S.detail('scjg.officer', P, p.id))
  assert.equal(before.state, 'phoned')
  const idem = { 'Idempotency-Key': `written-${p.id}` }
  const first = await S.post('scjg.officer', `/api/v1/participation-requests/${p.id}/written-notice`, {}, { headers: idem })
  assert.equal(first.status, 200, show(first))
  const again = await S.post('scjg.officer', `/api/v1/participation-requests/${p.id}/written-notice`, {}, { headers: idem })
  assert.equal(again.status, 200, `a replay: ${show(again)}`)
  assert.equal(again.headers.get('idempotent-replayed'), 'true')
  assert.deepEqual(again.json, first.json)
  p = first.json
  assert.equal(p.state, 'notified')
  assert.equal(p.documents.length, 1)
  const met = dutiesOf(p, 'participation.written_notice')[0]
  assert.equal(met.state, 'met')
  assert.equal(met.on_time, true)
  // The next notice of scjg takes the next serial: the replay consumed none.
  const next = await S.create('scjg.officer', P, participation({ subject: '下一份告知' }))
  assert.equal(serialOf(next.number), serialOf(p.number) + 1, `${p.number} then ${next.number}`)

  // Cancel: from phoned (duty waived), notified, confirmed.
  let c = await S.create('scjg.officer', P, participation({ phone_notice: phone }))
  assertError(await S.unchanged(P, c.id, () => S.post('xincheng.officer', `/api/v1/participation-requests/${c.id}/cancel`, { reason: 'x' })), 403, { rule: 'R-COL-7' })
  assertError(await S.unchanged(P, c.id, () => S.post('scjg.officer', `/api/v1/participation-requests/${c.id}/cancel`, {})), 400, { code: 'missing_field', field: 'reason', rule: 'R-COL-7' })
  c = await S.act('scjg.officer', P, c.id, 'cancel', { reason: '检查计划取消' })
  assert.equal(c.state, 'cancelled')
  assert.equal(c.cancel_reason, '检查计划取消')
  assert.equal(dutiesOf(c, 'participation.written_notice')[0].state, 'waived')
  assert.equal(c.colour, null)
  assert.ok((await S.noteKinds('xincheng.leader', 'participation', c.id)).includes('participation.cancelled'))
  assertIllegal(await S.unchanged(P, c.id, () => S.post('scjg.officer', `/api/v1/participation-requests/${c.id}/written-notice`, {})), P, 'cancelled')
  assertIllegal(await S.unchanged(P, c.id, () => S.post('xincheng.officer', `/api/v1/participation-requests/${c.id}/confirm`, { people: ['甲'] })), P, 'cancelled')
  assertIllegal(await S.unchanged(P, c.id, () => S.post('xincheng.officer', `/api/v1/participation-requests/${c.id}/messages`, { text: 'x' })), P, 'cancelled')
  c = await S.act('scjg.officer', P, next.id, 'cancel', { reason: '改期' })
  assert.equal(c.state, 'cancelled')
  const conf = await S.act('xincheng.officer', P, p.id, 'confirm', { people: ['甲'] })
  c = await S.act('scjg.officer', P, conf.id, 'cancel', { reason: '改期' })
  assert.equal(c.state, 'cancelled')
})

// ---------------------------------------------------------------------------------------------
// R-COL-8 violation notices

test('R-COL-8: refusals of create name field and rule and create nothing', async () => {
  const create = (who, body) => S.noneCreated(V, () => S.post(who, '/api/v1/violation-notices', body))
  assertError(await create('scjg.officer', violation({ to_org: orgs.zrzy.id })), 403, { code: 'permission_denied', rule: 'R-COL-8' })
  assertError(await create('coordinator.staff', violation()), 403, { rule: 'R-COL-8' })
  assertError(await create('auditor', violation()), 403, { rule: 'R-COL-8' })
  assertError(await create('xincheng.officer', violation({ to_org: orgs.liuzu.id })), 400, { field: 'to_org', rule: 'R-COL-8' })
  assertError(await create('xincheng.officer', violation({ to_org: orgs.coordinator.id })), 400, { field: 'to_org', rule: 'R-COL-8' })
  assertError(await create('xincheng.officer', violation({ category: 'hazard' })), 400, { field: 'category', rule: 'R-COL-8' })
  assertError(await create('xincheng.officer', violation({ kind: 'safety' })), 400, { code: 'unknown_field', field: 'kind' })
  assertError(await create('xincheng.officer', violation({ description: undefined })), 400, { code: 'missing_field', field: 'description', rule: 'R-COL-8' })
  assertError(await create('xincheng.officer', violation({ place: long(201) })), 400, { code: 'too_long', field: 'place' })
  assertError(await create('xincheng.officer', violation({ found_at: '2026-12-31T00:00:00+08:00' })), 400, { field: 'found_at', rule: 'R-COL-8' })
  assertError(await create('xincheng.officer', violation({ found_at: 'yesterday' })), 400, { field: 'found_at' })
})

test('R-COL-8: notified at once with a numbered 违法行为通知书 and a dispatch duty of 2 hours; officers dispatched on time; handled; the township told; police may be notified', async () => {
  await S.setClock('2026-12-01T14:00:00+08:00')
  let v = await S.create('xincheng.officer', V, violation())
  assert.equal(v.type, 'violation_notice')
  assert.equal(v.state, 'notified')
  assert.equal(v.state_label, '已通知')
  assert.equal(v.category, 'safety')
  assert.equal(v.category_label, '安全隐患')
  assertSameInstant(v.found_at, '2026-11-23T08:30:00+08:00', 'found_at')
  assert.match(v.number, NUMBER_RE)
  assert.ok(v.number.startsWith('新城执通〔2026〕'), v.number)
  assert.equal(v.documents.length, 1)
  assert.equal(v.documents[0].kind, 'violation_notice')
  const [duty] = dutiesOf(v, 'violation.dispatch')
  assert.equal(v.duties.length, 1)
  assert.equal(duty.rule, 'R-COL-8')
  assert.equal(duty.owner_org.id, orgs.scjg.id)
  assert.deepEqual(duty.period, { unit: 'hours', value: 2 })
  assertSameInstant(duty.due_at, '2026-12-01T16:00:00+08:00', 'dispatch due (2 hours)')
  for (const u of ['scjg.leader', 'scjg.liaison']) assert.deepEqual(await S.noteKinds(u, 'violation_notice', v.id), ['violation_notice.created'], u)
  const page = await getRaw(S.server.url, await S.as('scjg.officer'), v.documents[0].url, 'text/html')
  assert.equal(page.status, 200)
  assert.ok(page.text.includes(v.number))
  assert.equal((await getRaw(S.server.url, await S.as('zrzy.officer'), v.documents[0].url, 'text/html')).status, 404)
  assertError(await S.get('liuzu.officer', `/api/v1/violation-notices/${v.id}`), 404, { rule: 'R-ACC-1' })
  assertError(await S.get('zrzy.officer', `/api/v1/violation-notices/${v.id}`), 404, { rule: 'R-ACC-1' })
  assert.ok((await S.listIds('scjg.officer', V, 'direction=in&state=notified&kind=safety')).includes(v.id))

  const path = (a) => `/api/v1/violation-notices/${v.id}/${a}`
  const refused = (who, a, body) => S.unchanged(V, v.id, () => S.post(who, path(a), body))
  assertError(await refused('xincheng.officer', 'dispatch', { officers: ['张三'] }), 403, { rule: 'R-COL-8' })
  assertError(await refused('zrzy.officer', 'dispatch', { officers: ['张三'] }), 404)
  assertError(await refused('scjg.officer', 'dispatch', {}), 400, { code: 'missing_field', field: 'officers', rule: 'R-COL-8' })
  assertError(await refused('scjg.officer', 'dispatch', { officers: [''] }), 400, { field: 'officers[0]' })
  assertError(await refused('scjg.officer', 'dispatch', { officers: ['张三'], at: '2026-12-01T18:00:00+08:00' }), 400, { field: 'at', rule: 'R-COL-8' })
  assertError(await refused('scjg.officer', 'dispatch', { officers: ['张三'], at: '2026-12-01T10:00:00+08:00' }), 400, { field: 'at', rule: 'R-COL-8' })
  assertIllegal(await refused('scjg.officer', 'handle', { result: 'x' }), V, 'notified', 'R-COL-8')
  assertError(await refused('xincheng.officer', 'coordination', { reason: '拒不处理' }), 409, { code: 'dispatch_duty_not_overdue', rule: 'R-COL-8' })
  assertError(await refused('coordinator.staff', 'coordination/decision', { decision: 'township_handles', reason: 'x' }), 409, { code: 'illegal_transition', rule: 'R-COL-8' })

  await S.setClock('2026-12-01T15:10:00+08:00')
  const body = { officers: ['梁伟明', '何晓燕'], at: '2026-12-01T15:00:00+08:00', note: '携带检测仪' }
  const key = { 'Idempotency-Key': `dispatch-${v.id}` }
  const first = await S.post('scjg.officer', path('dispatch'), body, { headers: key })
  assert.equal(first.status, 200, show(first))
  const replay = await S.post('scjg.officer', path('dispatch'), body, { headers: key })
  assert.equal(replay.status, 200, show(replay))
  assert.equal(replay.headers.get('idempotent-replayed'), 'true')
  v = first.json
  assert.equal(v.state, 'dispatched')
  assert.deepEqual(v.dispatch.officers, ['梁伟明', '何晓燕'])
  assertSameInstant(v.dispatch.at, '2026-12-01T15:00:00+08:00', 'dispatch.at')
  assert.equal(v.dispatch.by.id, (await S.as('scjg.officer')).user.id)
  const met = dutiesOf(v, 'violation.dispatch')[0]
  assert.equal(met.state, 'met')
  assert.equal(met.on_time, true)
  assertSameInstant(met.met_at, '2026-12-01T15:00:00+08:00', 'met at the dispatch time')
  for (const u of ['xincheng.officer', 'xincheng.leader']) assert.ok((await S.noteKinds(u, 'violation_notice', v.id)).includes('violation_notice.dispatched'), u)
  assertIllegal(await refused('scjg.leader', 'refuse', { reason: 'x' }), V, 'dispatched', 'R-COL-8')
  assertIllegal(await refused('xincheng.officer', 'withdraw', { reason: 'x' }), V, 'dispatched')
  assertError(await refused('scjg.officer', 'handle', {}), 400, { code: 'missing_field', field: 'result', rule: 'R-COL-8' })
  v = await S.act('scjg.officer', V, v.id, 'messages', { text: '已到达现场。' }, { status: 201 })
  v = await S.act('scjg.officer', V, v.id, 'handle', { result: '已查封违规气瓶12个，立案调查' })
  assert.equal(v.state, 'handled')
  assert.equal(v.result, '已查封违规气瓶12个，立案调查')
  assert.ok((await S.noteKinds('xincheng.leader', 'violation_notice', v.id)).includes('violation_notice.handled'))
  assertIllegal(await refused('xincheng.officer', 'coordination', { reason: 'x' }), V, 'handled')
  assert.deepEqual(v.timeline.map((t) => t.action), ['create', 'dispatch', 'message', 'handle'])

  // A public-order violation may go to the police; numbers are gap-free per township.
  const police = await S.create('xincheng.officer', V, violation({ category: 'public_order', to_org: orgs.gaj.id, description: '聚众斗殴' }))
  assert.equal(police.category_label, '重大治安')
  assert.equal(dutiesOf(police, 'violation.dispatch')[0].owner_org.id, orgs.gaj.id)
  assert.equal(serialOf(police.number), serialOf(v.number) + 1, `${v.number} then ${police.number}`)
  assert.equal((await S.get('gaj.officer', `/api/v1/violation-notices/${police.id}`)).status, 200)
  const w = await S.act('xincheng.officer', V, police.id, 'withdraw', { reason: '误报' })
  assert.equal(w.state, 'withdrawn')
  assert.equal(w.withdraw_reason, '误报')
  assert.equal(dutiesOf(w, 'violation.dispatch')[0].state, 'waived')
  assertIllegal(await S.unchanged(V, w.id, () => S.post('gaj.officer', `/api/v1/violation-notices/${w.id}/dispatch`, { officers: ['甲'] })), V, 'withdrawn')
})

test('R-COL-8: a refusal needs a reason and a leader; then the township requests coordination and the coordinator reassigns to another department (binding)', async () => {
  await S.setClock('2026-12-02T09:00:00+08:00')
  let v = await S.create('xincheng.officer', V, violation({ description: '河道内违法堆放建筑垃圾' }))
  const path = (a) => `/api/v1/violation-notices/${v.id}/${a}`
  const refused = (who, a, body) => S.unchanged(V, v.id, () => S.post(who, path(a), body))
  assertError(await refused('scjg.officer', 'refuse', { reason: '不属于本局职责' }), 403, { code: 'permission_denied', rule: 'R-COL-8' })
  assertError(await refused('scjg.leader', 'refuse', {}), 400, { code: 'missing_field', field: 'reason', rule: 'R-COL-8' })
  assertError(await refused('scjg.leader', 'refuse', { reason: '   ' }), 400, { code: 'missing_field', field: 'reason', rule: 'R-COL-8' })
  assertError(await refused('scjg.leader', 'refuse', { reason: long(501) }), 400, { code: 'too_long', field: 'reason' })
  v = await S.act('scjg.leader', V, v.id, 'refuse', { reason: '河道管理不属于本局职责' })
  assert.equal(v.state, 'refused')
  assert.equal(v.refusal.reason, '河道管理不属于本局职责')
  assert.equal(v.refusal.by.id, (await S.as('scjg.leader')).user.id)
  const d = dutiesOf(v, 'violation.dispatch')[0]
  assert.equal(d.state, 'met', 'a reasoned refusal answers the notice')
  assert.equal(d.on_time, true)
  for (const u of ['xincheng.officer', 'xincheng.leader']) assert.ok((await S.noteKinds(u, 'violation_notice', v.id)).includes('violation_notice.refused'), u)
  assertIllegal(await refused('scjg.officer', 'dispatch', { officers: ['甲'] }), V, 'refused')
  assertError(await refused('scjg.officer', 'coordination', { reason: 'x' }), 403, { rule: 'R-COL-8' })
  assertError(await refused('xincheng.officer', 'coordination', {}), 400, { code: 'missing_field', field: 'reason', rule: 'R-COL-8' })

  v = await S.act('xincheng.officer', V, v.id, 'coordination', { reason: '理由不成立，请协调' })
  assert.equal(v.state, 'coordination')
  assert.equal(v.coordination.reason, '理由不成立，请协调')
  assert.equal(v.coordination.decision, '')
  for (const u of ['coordinator.staff', 'coordinator.leader']) assert.ok((await S.noteKinds(u, 'violation_notice', v.id)).includes('violation_notice.coordination'), u)

  const decide = (who, body) => S.unchanged(V, v.id, () => S.post(who, path('coordination/decision'), body))
  assertError(await decide('xincheng.leader', { decision: 'township_handles', reason: 'x' }), 403, { rule: 'R-COL-8' })
  assertError(await decide('scjg.leader', { decision: 'department_handles', reason: 'x' }), 403, { rule: 'R-COL-8' })
  assertError(await decide('auditor', { decision: 'department_handles', reason: 'x' }), 403, { rule: 'R-COL-8' })
  assertError(await decide('coordinator.staff', { decision: 'nobody', reason: 'x' }), 400, { field: 'decision', rule: 'R-COL-8' })
  assertError(await decide('coordinator.staff', { reason: 'x' }), 400, { code: 'missing_field', field: 'decision' })
  assertError(await decide('coordinator.staff', { decision: 'reassign', reason: '改由自然资源局' }), 400, { code: 'missing_field', field: 'to_org', rule: 'R-COL-8' })
  assertError(await decide('coordinator.staff', { decision: 'reassign', to_org: orgs.scjg.id, reason: 'x' }), 400, { field: 'to_org', rule: 'R-COL-8' })
  assertError(await decide('coordinator.staff', { decision: 'reassign', to_org: orgs.xincheng.id, reason: 'x' }), 400, { field: 'to_org', rule: 'R-COL-8' })
  assertError(await decide('coordinator.staff', { decision: 'department_handles', reason: '' }), 400, { code: 'missing_field', field: 'reason' })
  assertError(await decide('coordinator.staff', { decision: 'department_handles', reason: 'x', extra: 1 }), 400, { code: 'unknown_field', field: 'extra' })
  // Still invisible to the department it will go to.
  assertError(await S.get('zrzy.officer', `/api/v1/violation-notices/${v.id}`), 404)

  await S.setClock('2026-12-02T10:00:00+08:00')
  v = await S.act('coordinator.staff', V, v.id, 'coordination/decision', { decision: 'reassign', to_org: orgs.zrzy.id, reason: '河道堆放建筑垃圾由自然资源局查处' })
  assert.equal(v.state, 'notified')
  assert.equal(v.to_org.id, orgs.zrzy.id)
  assert.equal(v.coordination.decision, 'reassign')
  assert.equal(v.coordination.decision_reason, '河道堆放建筑垃圾由自然资源局查处')
  assert.equal(v.coordination.decided_by.id, (await S.as('coordinator.staff')).user.id)
  assert.equal(v.refusal, null)
  // R-DOC-1: the coordinator's decision is its numbered 调 document; the notice keeps its 通 number.
  assert.deepEqual(v.documents.map((d) => d.kind), ['violation_notice', 'coordination_decision'])
  assert.match(v.documents[1].number, NUMBER_RE)
  assert.ok(v.documents[1].number.includes('调〔2026〕'), v.documents[1].number)
  assert.equal(v.number, v.documents[0].number)
  const decisionPage = await getRaw(S.server.url, await S.as('zrzy.officer'), v.documents[1].url, 'text/html')
  assert.equal(decisionPage.status, 200)
  assert.ok(decisionPage.text.includes('河道堆放建筑垃圾由自然资源局查处') && decisionPage.text.includes(v.documents[1].number), 'the decision prints its reason and number')
  const fresh = dutiesOf(v, 'violation.dispatch')
  assert.equal(fresh.length, 2)
  assert.equal(fresh[1].owner_org.id, orgs.zrzy.id)
  assert.equal(fresh[1].state, 'open')
  assertSameInstant(fresh[1].due_at, '2026-12-02T12:00:00+08:00', 'a fresh 2-hour duty from the decision')
  for (const u of ['zrzy.leader', 'zrzy.liaison']) assert.ok((await S.noteKinds(u, 'violation_notice', v.id)).includes('violation_notice.decided'), u)
  // The new department now sees it and acts; the old one keeps reading it but may not act.
  assert.equal((await S.get('zrzy.officer', `/api/v1/violation-notices/${v.id}`)).status, 200)
  assert.equal((await S.get('scjg.officer', `/api/v1/violation-notices/${v.id}`)).status, 200)
  assertError(await S.unchanged(V, v.id, () => S.post('scjg.officer', path('dispatch'), { officers: ['甲'] })), 403, { rule: 'R-COL-8' })
  v = await S.act('zrzy.officer', V, v.id, 'dispatch', { officers: ['罗振华'] })
  assert.equal(v.state, 'dispatched')
  assert.equal(dutiesOf(v, 'violation.dispatch')[1].on_time, true)
  assert.deepEqual(v.timeline.map((t) => t.action), ['create', 'refuse', 'coordination', 'coordination.reassign', 'dispatch'])
})

test('R-COL-8 / R-TIME-4: a missed dispatch duty turns red under the sweeper; only then may the township request coordination; the coordinator decides department_handles (fresh duty) or township_handles (closed)', async () => {
  await S.setClock('2026-12-02T16:00:00+08:00')
  let v = await S.create('xincheng.officer', V, violation({ category: 'public_order', description: '夜间非法集资聚集' }))
  const duty = dutiesOf(v, 'violation.dispatch')[0]
  assertSameInstant(duty.due_at, '2026-12-02T18:00:00+08:00', 'dispatch due')
  await S.setClock('2026-12-02T17:30:00+08:00')
  await S.sweep()
  assert.equal((await S.detail('xincheng.officer', V, v.id)).colour, 'yellow')
  assertError(await S.unchanged(V, v.id, () => S.post('xincheng.officer', `/api/v1/violation-notices/${v.id}/coordination`, { reason: '未派员' })), 409, { code: 'dispatch_duty_not_overdue', rule: 'R-COL-8' })

  await S.setClock('2026-12-02T18:01:00+08:00')
  await S.sweep()
  await S.sweep()
  v = await S.detail('xincheng.officer', V, v.id)
  assert.equal(v.colour, 'red')
  assert.ok((await S.listIds('xincheng.officer', V, 'colour=red')).includes(v.id))
  for (const u of ['scjg.leader', 'scjg.liaison', 'coordinator.staff']) {
    assert.equal((await S.noteKinds(u, 'duty', duty.id)).filter((k) => k === 'duty.red').length, 1, u)
  }
  v = await S.act('xincheng.leader', V, v.id, 'coordination', { reason: '超过2小时未派员' })
  assert.equal(v.state, 'coordination')
  assert.equal(v.colour, 'red', 'the missed duty stays open until the decision')
  v = await S.act('coordinator.leader', V, v.id, 'coordination/decision', { decision: 'department_handles', reason: '属市场监管局职责，须立即派员' })
  assert.equal(v.state, 'notified')
  assert.equal(v.to_org.id, orgs.scjg.id)
  const ds = dutiesOf(v, 'violation.dispatch')
  assert.deepEqual(ds.map((d) => d.state), ['waived', 'open'])
  assert.equal(ds[1].owner_org.id, orgs.scjg.id)
  assertSameInstant(ds[1].due_at, '2026-12-02T20:01:00+08:00', 'a fresh 2-hour duty')
  assert.equal(v.colour, 'green')
  assert.ok((await S.noteKinds('scjg.leader', 'violation_notice', v.id)).includes('violation_notice.decided'))
  assert.deepEqual(v.documents.map((d) => d.kind), ['violation_notice', 'coordination_decision'])
  v = await S.act('scjg.officer', V, v.id, 'dispatch', { officers: ['区家豪'] })
  assert.equal(v.state, 'dispatched')

  // township_handles: closed, open duties waived, the township told.
  let t = await S.create('xincheng.officer', V, violation({ description: '占道经营' }))
  t = await S.act('scjg.leader', V, t.id, 'refuse', { reason: '属乡镇已划转事项' })
  t = await S.act('xincheng.officer', V, t.id, 'coordination', { reason: '请协调' })
  t = await S.act('coordinator.staff', V, t.id, 'coordination/decision', { decision: 'township_handles', reason: '该事项已划转乡镇' })
  assert.equal(t.state, 'closed')
  assert.equal(t.state_label, '已办结')
  // 调 numbers are gap-free per coordinator org and year, whoever of its staff decides.
  const decisions = (await Promise.all([v.id, t.id].map((id) => S.detail('coordinator.staff', V, id))))
    .map((x) => x.documents.find((d) => d.kind === 'coordination_decision').number)
  assert.equal(serialOf(decisions[1]), serialOf(decisions[0]) + 1, decisions.join(' then '))
  assert.ok(t.duties.every((d) => d.state !== 'open'))
  assert.ok((await S.noteKinds('xincheng.leader', 'violation_notice', t.id)).includes('violation_notice.decided'))
  assertIllegal(await S.unchanged(V, t.id, () => S.post('coordinator.staff', `/api/v1/violation-notices/${t.id}/coordination/decision`, { decision: 'department_handles', reason: 'x' })), V, 'closed')
  t = await S.act('coordinator.staff', V, t.id, 'messages', { text: '已结案。' }, { status: 201 })
  assert.equal(t.messages[0].org.id, orgs.coordinator.id)
  assert.deepEqual(t.timeline.map((x) => x.action), ['create', 'refuse', 'coordination', 'coordination.township_handles', 'message'])
})
