// Court enforcement applications (申请强制执行, R-CRI-3) and requests for police support
// (提请公安机关协助, R-CRI-4), with the judicial users acting on what is addressed to them (R-CRI-5),
// end to end against docs/court-enforcement-police-support-contract.md: every step of both tables,
// refusals naming field and rule and changing nothing, duties (the court's 5 and 7 calendar days
// of R-TIME-5, the police's answer hours capped by the action's start, the hand-over duty),
// numbered documents (执, 援), visibility (another court or police org: 404), lists and CSV.
// The tests run in order on one server; the fake clock only moves forward from Monday 2026-11-23.
// xt-backends: sqlite postgres (servers start in ./lib/coord.mjs through startServer)
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { show } from './lib/util.mjs'
import { uploadFile, assertSameInstant, NUMBER_RE } from './lib/referrals.mjs'
import { CoordSuite, dutiesOf, assertError } from './lib/coord.mjs'

const S = CoordSuite({ start: '2026-11-23T09:00:00+08:00', extraArgs: ['--police-support-answer-hours', '6'] })
let orgs
let file
const CE = 'court-enforcements'
const PS = 'police-support-requests'

before(async () => {
  await S.start()
  orgs = S.orgs
  file = await uploadFile(S.server.url, await S.as('xincheng.officer'), { name: '阻碍执法视频截图.pdf' })
})
after(S.stop)

function application(over = {}) {
  return {
    kind: 'court_application', to_org: orgs.fy.id, case_number: '新城执罚〔2026〕12号案',
    decision_number: '新城执罚决〔2026〕12号', party: '新兴县某建材有限公司',
    obligations: '拆除违法搭建的彩钢棚，罚款人民币二万元', non_compliance: '催告期满后仍未履行，未申请复议或提起诉讼',
    materials: [{ name: '行政处罚决定书', file: file.id }, { name: '催告书及送达回证' }], ...over,
  }
}
function support(over = {}) {
  return {
    to_org: orgs.gaj.id, case_number: '新城执罚〔2026〕12号案', action_at: '2026-11-26T09:00:00+08:00',
    place: '新城镇东堤路18号', reason: '依法强制拆除违法建筑', risk: '当事人曾扬言阻挠，现场可能聚集人员', ...over,
  }
}
const unchanged = (res, id, fn) => S.unchanged(res, id, fn)

// ---------------------------------------------------------------------------------------------
// R-CRI-3 court enforcement

test('R-CRI-3: refused applications name field and rule and create nothing', async () => {
  const create = (who, body) => S.noneCreated(CE, () => S.post(who, `/api/v1/${CE}`, body))
  assertError(await create('fy.officer', application()), 403, { code: 'permission_denied', rule: 'R-CRI-3' })
  assertError(await create('gaj.officer', application()), 403, { rule: 'R-CRI-3' })
  assertError(await create('coordinator.staff', application()), 403, { rule: 'R-CRI-3' })
  assertError(await create('auditor', application()), 403, { rule: 'R-CRI-3' })
  assertError(await create('xincheng.officer', application({ to_org: orgs.scjg.id })), 400, { field: 'to_org', rule: 'R-CRI-3' })
  assertError(await create('xincheng.officer', application({ to_org: orgs.gaj.id })), 400, { field: 'to_org', rule: 'R-CRI-3' })
  assertError(await create('xincheng.officer', application({ to_org: undefined })), 400, { code: 'missing_field', field: 'to_org' })
  assertError(await create('xincheng.officer', application({ decision_number: undefined })), 400, { code: 'missing_field', field: 'decision_number', rule: 'R-CRI-3' })
  assertError(await create('xincheng.officer', application({ party: '   ' })), 400, { code: 'missing_field', field: 'party' })
  assertError(await create('xincheng.officer', application({ kind: 'arrest' })), 400, { field: 'kind', rule: 'R-CRI-3' })
  assertError(await create('xincheng.officer', application({ case_number: undefined })), 400, { code: 'missing_field', field: 'case_number', rule: 'R-CRI-3' })
  assertError(await create('xincheng.officer', application({ referral_id: 999999 })), 400, { field: 'referral_id' })
  assertError(await create('xincheng.officer', application({ bogus: 1 })), 400, { code: 'unknown_field', field: 'bogus', rule: 'R-CRI-3' })
  assertError(await create('xincheng.officer', application({ materials: [{ name: 'x', file: 'f'.repeat(64) }] })), 400, { field: 'materials[0].file' })
  assertError(await create('xincheng.officer', application({ materials: [{ description: 'x' }] })), 400, { code: 'missing_field', field: 'materials[0].name' })
  // Own enforcement: no court, and what / when / result are required.
  const self = { ...application({ kind: 'self_enforcement', to_org: undefined }), measure: '强制拆除', enforced_at: '2026-11-23T08:00:00+08:00', result: '已拆除' }
  assertError(await create('xincheng.officer', { ...self, to_org: orgs.fy.id }), 400, { field: 'to_org', rule: 'R-CRI-3' })
  assertError(await create('xincheng.officer', { ...self, result: undefined }), 400, { code: 'missing_field', field: 'result' })
  assertError(await create('xincheng.officer', { ...self, enforced_at: '2026-12-30T08:00:00+08:00' }), 400, { field: 'enforced_at' })
  assertError(await create('xincheng.officer', application({ measure: '强制拆除' })), 400, { field: 'measure' })
})

test('R-CRI-3: own compulsory enforcement is recorded — no court, no duty, seen by the township only', async () => {
  const r = await S.create('xincheng.officer', CE, {
    ...application({ kind: 'self_enforcement', to_org: undefined, materials: [] }),
    measure: '依法强制拆除违法搭建的彩钢棚', enforced_at: '2026-11-23T08:30:00+08:00', result: '彩钢棚已全部拆除，现场恢复原状',
  })
  assert.equal(r.type, 'court_enforcement')
  assert.equal(r.state, 'self_enforced')
  assert.equal(r.state_label, '已自行强制执行')
  assert.equal(r.kind, 'self_enforcement')
  assert.equal(r.to_org, null)
  assert.equal(r.number, null)
  assert.equal(r.self_enforcement.result, '彩钢棚已全部拆除，现场恢复原状')
  assertSameInstant(r.self_enforcement.enforced_at, '2026-11-23T08:30:00+08:00')
  assert.deepEqual(r.duties, [])
  assert.deepEqual(r.documents, [])
  assert.deepEqual(r.timeline.map((t) => t.action), ['create'])
  assert.equal((await S.get('fy.officer', `/api/v1/${CE}/${r.id}`)).status, 404, 'R-CRI-5: not addressed to the court')
  // No step applies to a record of one's own enforcement.
  const res = await unchanged(CE, r.id, () => S.post('xincheng.officer', `/api/v1/${CE}/${r.id}/withdraw`, { reason: '误录' }))
  assertError(res, 409, { code: 'illegal_transition', field: 'state', rule: 'R-CRI-3' })
})

let app
test('R-CRI-3: an application to the court — numbered 执, court_enforcement.accept due in 5 calendar days (R-TIME-5), seen by that court only (R-CRI-5)', async () => {
  app = await S.create('xincheng.officer', CE, application())
  assert.equal(app.state, 'applied')
  assert.equal(app.state_label, '已申请法院强制执行')
  assert.equal(app.to_org.id, orgs.fy.id)
  assert.equal(app.materials[0].file.id, file.id)
  assert.deepEqual(app.documents.map((d) => d.kind), ['court_enforcement_application'])
  assert.match(app.number, NUMBER_RE)
  assert.equal(app.documents[0].number, app.number)
  assert.ok(app.number.includes('执'), app.number)
  const [duty] = dutiesOf(app, 'court_enforcement.accept')
  assert.equal(app.duties.length, 1)
  assert.equal(duty.owner_org.id, orgs.fy.id)
  assert.equal(duty.rule, 'R-CRI-3')
  assert.deepEqual(duty.period, { unit: 'calendar_days', value: 5 })
  // Monday 11/23 + 5 calendar days = Saturday 11/28, not a working day: the next one, Monday 11/30.
  assertSameInstant(duty.due_at, '2026-12-01T00:00:00+08:00', 'acceptance due')
  // R-CRI-5 / R-ACC-1: the court sees it; another judicial org and other agencies do not.
  assert.equal((await S.detail('fy.officer', CE, app.id)).id, app.id)
  for (const who of ['gaj.officer', 'jcy.officer', 'scjg.officer', 'liuzu.officer']) {
    assert.equal((await S.get(who, `/api/v1/${CE}/${app.id}`)).status, 404, who)
    assert.ok(!(await S.listIds(who, CE)).includes(app.id), who)
  }
  assert.ok((await S.listIds('fy.officer', CE, 'direction=in')).includes(app.id))
  assert.ok((await S.listIds('xincheng.officer', CE, 'direction=out')).includes(app.id))
  assert.deepEqual(await S.noteKinds('fy.leader', 'court_enforcement', app.id), ['court_enforcement.created'])
  // R-DOC-1 / R-ACC-1: the numbered application is readable by the court, not by another judicial org.
  const doc = app.documents[0]
  const asCourt = await S.get('fy.officer', `/api/v1/documents/${doc.id}`)
  assert.equal(asCourt.status, 200, show(asCourt))
  assert.equal((await S.get('gaj.officer', `/api/v1/documents/${doc.id}`)).status, 404)
})

test('R-CRI-3: only the addressed court accepts and rules — the township 403, another court org 404, nothing changes', async () => {
  assertError(await unchanged(CE, app.id, () => S.post('xincheng.officer', `/api/v1/${CE}/${app.id}/accept`, {})), 403, { code: 'permission_denied', rule: 'R-CRI-3' })
  assertError(await unchanged(CE, app.id, () => S.post('gaj.officer', `/api/v1/${CE}/${app.id}/accept`, {})), 404, { code: 'not_found' })
  assertError(await unchanged(CE, app.id, () => S.post('coordinator.staff', `/api/v1/${CE}/${app.id}/accept`, {})), 403, { rule: 'R-CRI-3' })
  // Not yet accepted: no ruling.
  assertError(await unchanged(CE, app.id, () => S.post('fy.officer', `/api/v1/${CE}/${app.id}/ruling`, { decision: 'granted', ruling_number: '（2026）粤0000行审1号', ruled_at: '2026-11-23T09:00:00+08:00', text: '准予' })), 409, { code: 'illegal_transition', field: 'state' })
  assertError(await unchanged(CE, app.id, () => S.post('fy.officer', `/api/v1/${CE}/${app.id}/accept`, { note: 1 })), 400, { field: 'note', rule: 'R-CRI-3' })
  await S.setClock('2026-11-24T10:00:00+08:00')
  const a = await S.act('fy.officer', CE, app.id, 'accept', { court_case_number: '（2026）粤0000行审1号', note: '材料齐全' })
  assert.equal(a.state, 'accepted')
  assert.equal(a.acceptance.court_case_number, '（2026）粤0000行审1号')
  const [accept] = dutiesOf(a, 'court_enforcement.accept')
  assert.equal(accept.state, 'met')
  assert.equal(accept.on_time, true)
  const [ruling] = dutiesOf(a, 'court_enforcement.ruling')
  assert.equal(ruling.state, 'open')
  assert.equal(ruling.owner_org.id, orgs.fy.id)
  assert.deepEqual(ruling.period, { unit: 'calendar_days', value: 7 })
  // Tuesday 11/24 + 7 = Tuesday 12/1 (行政强制法 第五十七条).
  assertSameInstant(ruling.due_at, '2026-12-02T00:00:00+08:00', 'ruling due')
  assert.deepEqual(await S.noteKinds('xincheng.leader', 'court_enforcement', app.id), ['court_enforcement.accepted'])
  app = a
})

test('R-CRI-3: the ruling — a township user cannot record it (403); bad input 400 naming the field, nothing changed; the court rules 准予执行', async () => {
  const ruling = { decision: 'granted', ruling_number: '（2026）粤0000行审1号', ruled_at: '2026-11-25T15:00:00+08:00', text: '准予强制执行新城执罚决〔2026〕12号行政处罚决定' }
  await S.setClock('2026-11-26T09:00:00+08:00')
  assertError(await unchanged(CE, app.id, () => S.post('xincheng.leader', `/api/v1/${CE}/${app.id}/ruling`, ruling)), 403, { code: 'permission_denied', rule: 'R-CRI-3' })
  assertError(await unchanged(CE, app.id, () => S.post('fy.officer', `/api/v1/${CE}/${app.id}/ruling`, { ...ruling, ruling_number: undefined })), 400, { code: 'missing_field', field: 'ruling_number', rule: 'R-CRI-3' })
  assertError(await unchanged(CE, app.id, () => S.post('fy.officer', `/api/v1/${CE}/${app.id}/ruling`, { ...ruling, decision: 'maybe' })), 400, { field: 'decision', rule: 'R-CRI-3' })
  assertError(await unchanged(CE, app.id, () => S.post('fy.officer', `/api/v1/${CE}/${app.id}/ruling`, { ...ruling, ruled_at: '2026-11-27T09:00:00+08:00' })), 400, { field: 'ruled_at', rule: 'R-CRI-3' })
  assertError(await unchanged(CE, app.id, () => S.post('fy.officer', `/api/v1/${CE}/${app.id}/ruling`, { ...ruling, ruled_at: '2026-11-20T09:00:00+08:00' })), 400, { field: 'ruled_at' })
  assertError(await unchanged(CE, app.id, () => S.post('fy.officer', `/api/v1/${CE}/${app.id}/ruling`, { ...ruling, extra: true })), 400, { code: 'unknown_field', field: 'extra' })
  const r = await S.act('fy.officer', CE, app.id, 'ruling', ruling)
  assert.equal(r.state, 'granted')
  assert.equal(r.state_label, '裁定准予执行')
  assert.equal(r.ruling.decision, 'granted')
  assert.equal(r.ruling.ruling_number, ruling.ruling_number)
  const [d] = dutiesOf(r, 'court_enforcement.ruling')
  assert.equal(d.state, 'met')
  assertSameInstant(d.met_at, ruling.ruled_at, 'met when ruled')
  // The applicant records the execution; it cannot be withdrawn any more.
  const e = await S.act('xincheng.officer', CE, app.id, 'execution', { result: '法院组织强制拆除完毕，罚款已划扣' })
  assert.equal(e.state, 'executed')
  assert.equal(e.execution.result, '法院组织强制拆除完毕，罚款已划扣')
  assertError(await unchanged(CE, app.id, () => S.post('xincheng.officer', `/api/v1/${CE}/${app.id}/withdraw`, { reason: 'x' })), 409, { code: 'illegal_transition', rule: 'R-CRI-3' })
  assert.deepEqual(e.timeline.map((t) => t.action), ['create', 'accept', 'ruling.granted', 'execution'])
})

test('R-CRI-3: not accepted late (duty met late), a denied ruling, a withdrawal waiving the duties', async () => {
  await S.setClock('2026-11-27T10:00:00+08:00') // Friday
  const late = await S.create('xincheng.officer', CE, application({ party: '张某' }))
  // Friday 11/27 + 5 = Wednesday 12/2 (calendar days count the weekend).
  assertSameInstant(dutiesOf(late, 'court_enforcement.accept')[0].due_at, '2026-12-03T00:00:00+08:00')
  await S.setClock('2026-12-04T10:00:00+08:00')
  await S.sweep()
  assert.equal((await S.detail('fy.officer', CE, late.id)).colour, 'red')
  assertError(await unchanged(CE, late.id, () => S.post('fy.officer', `/api/v1/${CE}/${late.id}/reject`, {})), 400, { code: 'missing_field', field: 'reason', rule: 'R-CRI-3' })
  const rej = await S.act('fy.officer', CE, late.id, 'reject', { reason: '申请超过法定期限' })
  assert.equal(rej.state, 'not_accepted')
  const [d] = dutiesOf(rej, 'court_enforcement.accept')
  assert.equal(d.state, 'met')
  assert.equal(d.on_time, false)

  const denied = await S.create('liuzu.officer', CE, application({ party: '李某', materials: [] }))
  await S.act('fy.leader', CE, denied.id, 'accept', {})
  const dn = await S.act('fy.officer', CE, denied.id, 'ruling', { decision: 'denied', ruling_number: '（2026）粤0000行审2号', ruled_at: '2026-12-04T10:00:00+08:00', text: '行政决定明显缺乏事实根据' })
  assert.equal(dn.state, 'denied')
  assertError(await unchanged(CE, denied.id, () => S.post('liuzu.officer', `/api/v1/${CE}/${denied.id}/execution`, { result: 'x' })), 409, { code: 'illegal_transition' })
  // Another township does not see liuzu's application (R-ACC-1).
  assert.equal((await S.get('xincheng.officer', `/api/v1/${CE}/${denied.id}`)).status, 404)

  const w = await S.create('xincheng.officer', CE, application({ party: '王某' }))
  await S.act('fy.officer', CE, w.id, 'accept', {})
  assertError(await unchanged(CE, w.id, () => S.post('fy.officer', `/api/v1/${CE}/${w.id}/withdraw`, { reason: 'x' })), 403, { rule: 'R-CRI-3' })
  const wd = await S.act('xincheng.officer', CE, w.id, 'withdraw', { reason: '当事人已自动履行' })
  assert.equal(wd.state, 'withdrawn')
  assert.deepEqual(wd.duties.map((x) => [x.kind, x.state]), [['court_enforcement.accept', 'met'], ['court_enforcement.ruling', 'waived']])
})

test('R-CRI-3: list filters and CSV export', async () => {
  // The demo county has its own examples: narrow by the decision number (q searches the item's text).
  const q = encodeURIComponent('新城执罚决〔2026〕12号')
  assert.deepEqual(await S.listIds('xincheng.officer', CE, `state=executed&q=${q}`), [app.id])
  assert.deepEqual(await S.listIds('xincheng.officer', CE, `state=applied&q=${q}`), [])
  assertError(await S.get('xincheng.officer', `/api/v1/${CE}?state=bogus`), 400, { field: 'state', rule: 'R-CRI-3' })
  assert.deepEqual((await S.listIds('xincheng.officer', CE, `kind=self_enforcement&q=${q}`)).length, 1)
  assert.deepEqual(await S.listIds('fy.officer', CE, `kind=self_enforcement&q=${q}`), [], 'R-CRI-5: the court sees only what is addressed to it')
  const csv = await S.get('fy.officer', `/api/v1/${CE}/export.csv`)
  assert.equal(csv.status, 200, show(csv))
  assert.match(csv.headers.get('content-type'), /text\/csv/)
  assert.ok(csv.text.replace(/^\uFEFF/, '').startsWith('文号,标题'), csv.text.slice(0, 40))
  assert.ok(csv.text.includes(app.number))
  assert.ok(csv.text.includes('已执行'))
  assert.ok(!csv.text.includes('已自行强制执行'), 'the court does not see own enforcement records')
})

// ---------------------------------------------------------------------------------------------
// R-CRI-4 police support

test('R-CRI-4: refused requests name field and rule and create nothing', async () => {
  await S.setClock('2026-12-07T09:00:00+08:00')
  const create = (who, body) => S.noneCreated(PS, () => S.post(who, `/api/v1/${PS}`, body))
  const body = support({ action_at: '2026-12-09T09:00:00+08:00' })
  assertError(await create('gaj.officer', body), 403, { code: 'permission_denied', rule: 'R-CRI-4' })
  assertError(await create('auditor', body), 403, { rule: 'R-CRI-4' })
  assertError(await create('xincheng.officer', { ...body, to_org: orgs.fy.id }), 400, { field: 'to_org', rule: 'R-CRI-4' })
  assertError(await create('xincheng.officer', { ...body, action_at: '2026-12-06T09:00:00+08:00' }), 400, { field: 'action_at', rule: 'R-CRI-4' })
  assertError(await create('xincheng.officer', { ...body, action_at: 'tomorrow' }), 400, { field: 'action_at' })
  assertError(await create('xincheng.officer', { ...body, risk: undefined }), 400, { code: 'missing_field', field: 'risk', rule: 'R-CRI-4' })
  assertError(await create('xincheng.officer', { ...body, place: '长'.repeat(201) }), 400, { code: 'too_long', field: 'place' })
})

let req
test('R-CRI-4: a request — numbered 援, police_support.answer within the configured hours, seen by that police org only', async () => {
  req = await S.create('xincheng.officer', PS, support({ action_at: '2026-12-09T09:00:00+08:00' }))
  assert.equal(req.type, 'police_support')
  assert.equal(req.state, 'requested')
  assert.equal(req.state_label, '已提请协助')
  assert.deepEqual(req.documents.map((d) => d.kind), ['police_support_request'])
  assert.ok(req.number.includes('援'), req.number)
  const [duty] = dutiesOf(req, 'police_support.answer')
  assert.equal(duty.owner_org.id, orgs.gaj.id)
  assert.deepEqual(duty.period, { unit: 'hours', value: 6 })
  assertSameInstant(duty.due_at, '2026-12-07T15:00:00+08:00')
  // An action sooner than the configured hours: due at its start.
  const soon = await S.create('xincheng.officer', PS, support({ action_at: '2026-12-07T11:30:00+08:00', place: '新城镇河堤路' }))
  const [d2] = dutiesOf(soon, 'police_support.answer')
  assert.deepEqual(d2.period, { unit: 'hours', value: 2 })
  for (const who of ['fy.officer', 'jcy.officer', 'scjg.officer']) {
    assert.equal((await S.get(who, `/api/v1/${PS}/${req.id}`)).status, 404, who)
  }
  assert.deepEqual(await S.noteKinds('gaj.liaison', 'police_support', req.id), ['police_support.created'])
  // Only the police answer; a bad answer changes nothing.
  assertError(await unchanged(PS, req.id, () => S.post('xincheng.officer', `/api/v1/${PS}/${req.id}/answer`, { decision: 'assist', officers: 4 })), 403, { rule: 'R-CRI-4' })
  assertError(await unchanged(PS, req.id, () => S.post('fy.officer', `/api/v1/${PS}/${req.id}/answer`, { decision: 'assist', officers: 4 })), 404, { code: 'not_found' })
  assertError(await unchanged(PS, req.id, () => S.post('gaj.officer', `/api/v1/${PS}/${req.id}/answer`, { decision: 'assist' })), 400, { field: 'officers', rule: 'R-CRI-4' })
  assertError(await unchanged(PS, req.id, () => S.post('gaj.officer', `/api/v1/${PS}/${req.id}/answer`, { decision: 'decline' })), 400, { code: 'missing_field', field: 'reason' })
  assertError(await unchanged(PS, req.id, () => S.post('gaj.officer', `/api/v1/${PS}/${req.id}/answer`, { decision: 'later' })), 400, { field: 'decision' })
  const a = await S.act('gaj.officer', PS, req.id, 'answer', { decision: 'assist', officers: 4, contact: '王警官 13800000000' })
  assert.equal(a.state, 'assisting')
  assert.equal(a.answer.officers, 4)
  assert.equal(dutiesOf(a, 'police_support.answer')[0].state, 'met')
  assert.deepEqual(await S.noteKinds('xincheng.leader', 'police_support', req.id), ['police_support.answered'])
  // Declined on the second request.
  const dec = await S.act('gaj.leader', PS, soon.id, 'answer', { decision: 'decline', reason: '警力已全部部署于其他任务' })
  assert.equal(dec.state, 'declined')
  assert.equal(dec.answer.reason, '警力已全部部署于其他任务')
})

test('R-CRI-4: outcome without obstruction — nothing to hand over (409)', async () => {
  await S.setClock('2026-12-09T12:00:00+08:00')
  assertError(await unchanged(PS, req.id, () => S.post('xincheng.officer', `/api/v1/${PS}/${req.id}/hand-over`, { facts: 'x', people: 'y' })), 409, { code: 'illegal_transition', rule: 'R-CRI-4' })
  assertError(await unchanged(PS, req.id, () => S.post('gaj.officer', `/api/v1/${PS}/${req.id}/outcome`, { result: 'x' })), 403, { rule: 'R-CRI-4' })
  const o = await S.act('xincheng.officer', PS, req.id, 'outcome', { result: '违法建筑已拆除，现场秩序正常', obstruction: false })
  assert.equal(o.state, 'done')
  assert.equal(o.outcome.obstruction, false)
  assertError(await unchanged(PS, req.id, () => S.post('xincheng.officer', `/api/v1/${PS}/${req.id}/hand-over`, { facts: 'x', people: 'y' })), 409, { code: 'no_obstruction', rule: 'R-CRI-4' })
})

test('R-CRI-4: violent obstruction handed over with evidence; the police record their handling within the hand-over duty', async () => {
  const r = await S.create('xincheng.officer', PS, support({ action_at: '2026-12-10T09:00:00+08:00', place: '新城镇南街' }))
  await S.act('gaj.officer', PS, r.id, 'answer', { decision: 'assist', officers: 2 })
  await S.setClock('2026-12-10T11:00:00+08:00')
  const o = await S.act('xincheng.officer', PS, r.id, 'outcome', { result: '行动中当事人持械阻挠', obstruction: true })
  assert.equal(o.outcome.obstruction, true)
  assertError(await unchanged(PS, r.id, () => S.post('xincheng.officer', `/api/v1/${PS}/${r.id}/hand-over`, { facts: '持械阻挠执法', people: '张某' , evidence: [{ name: 'x', file: 'a'.repeat(64) }] })), 400, { field: 'evidence[0].file', rule: 'R-CRI-4' })
  const h = await S.act('xincheng.officer', PS, r.id, 'hand-over', { facts: '当事人张某持木棍阻挠执法人员拆除', people: '张某（男，45岁）', evidence: [{ name: '现场视频截图', file: file.id }] })
  assert.equal(h.state, 'handed_over')
  assert.equal(h.hand_over.evidence[0].file.id, file.id)
  const [duty] = dutiesOf(h, 'police_support.handover')
  assert.equal(duty.owner_org.id, orgs.gaj.id)
  assert.deepEqual(duty.period, { unit: 'hours', value: 24 })
  // The police may read the evidence file (R-ACC-1 via the item); the court may not.
  assert.equal((await S.get('gaj.officer', `/api/v1/files/${file.id}`)).status, 200)
  assertError(await unchanged(PS, r.id, () => S.post('gaj.officer', `/api/v1/${PS}/${r.id}/handle`, { disposition: 'arrest', note: 'x' })), 400, { field: 'disposition', rule: 'R-CRI-4' })
  assertError(await unchanged(PS, r.id, () => S.post('xincheng.officer', `/api/v1/${PS}/${r.id}/handle`, { disposition: 'criminal_case', note: 'x' })), 403, { rule: 'R-CRI-4' })
  const done = await S.act('gaj.officer', PS, r.id, 'handle', { disposition: 'public_security_penalty', case_number: '新公（治）决字〔2026〕88号', note: '对张某处行政拘留五日' })
  assert.equal(done.state, 'handled')
  assert.equal(done.handling.disposition_label, '治安管理处罚')
  const [met] = dutiesOf(done, 'police_support.handover')
  assert.equal(met.state, 'met')
  assert.equal(met.on_time, true)
  assert.deepEqual(done.timeline.map((t) => t.action), ['create', 'answer.assist', 'outcome', 'hand_over', 'handle'])
})

test('R-CRI-4: a cancelled request waives the answer duty; list and CSV', async () => {
  const c = await S.create('xincheng.officer', PS, support({ action_at: '2026-12-12T09:00:00+08:00', place: '新城镇北街' }))
  const x = await S.act('xincheng.officer', PS, c.id, 'cancel', { reason: '当事人已自行拆除' })
  assert.equal(x.state, 'cancelled')
  assert.equal(dutiesOf(x, 'police_support.answer')[0].state, 'waived')
  assert.deepEqual(await S.listIds('gaj.officer', PS, 'state=cancelled'), [c.id])
  const csv = await S.get('gaj.officer', `/api/v1/${PS}/export.csv?state=handled`)
  assert.equal(csv.status, 200, show(csv))
  assert.equal(csv.text.trim().split('\r\n').length, 2, csv.text)
})
