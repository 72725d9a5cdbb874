// Jurisdiction disputes (职责分工争议, SPEC §9 R-DIS-1..3) end to end, against
// docs/disputes-contract.md: opening and its refusals (naming field and rule, creating nothing),
// the joint-handling duty of every party (R-DIS-1), the three steps none of which may be skipped
// with each step's duty and numbered document (R-DIS-2), a boundary decision that changes the
// catalog from its date while an earlier date's answer stays (R-DIS-3, R-JUR-2), visibility
// (R-ACC-1), the list's filters and the CSV export. The server runs with
// --dispute-negotiation-days 5 (configurable periods); the fake clock starts Monday 2026-11-23.
// xt-backends: sqlite postgres (servers start in ./lib/coord.mjs through startServer)
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { show } from './lib/util.mjs'
import { NUMBER_RE, jurisdiction, allMatters, uploadFile, draftBody, Referrals } from './lib/referrals.mjs'
import { CoordSuite, dutiesOf, assertError } from './lib/coord.mjs'

const S = CoordSuite({ start: '2026-11-23T09:00:00+08:00', extraArgs: ['--dispute-negotiation-days', '5'] })
const D = 'disputes'
let orgs

before(async () => {
  await S.start()
  orgs = S.orgs
})
after(S.stop)

function dispute(over = {}) {
  return {
    matter: 'SCJG-002', township: orgs.xincheng.id,
    facts: '新城镇解放路农贸市场内有商户销售超过保质期的食品，乡镇与县市场监管局对管辖有不同意见',
    parties: [
      { org: orgs.xincheng.id, position: '该事项未划转乡镇，应由县市场监管局管辖' },
      { org: orgs.scjg.id, position: '该市场属乡镇日常巡查范围，应由乡镇先行处置' },
    ],
    ...over,
  }
}

/** 409 illegal_transition naming R-DIS-2 and the current state's label. */
function assertSkip(res, label) {
  const e = assertError(res, 409, { code: 'illegal_transition', field: 'state', rule: 'R-DIS-2' })
  assert.ok(e.message.includes(label), `the message should name 「${label}」: ${e.message}`)
}

test('R-DIS-1: refusals of opening name field and rule and create nothing', async () => {
  const open = (who, body) => S.noneCreated(D, () => S.post(who, '/api/v1/disputes', body))
  assertError(await open('gaj.officer', dispute()), 403, { code: 'permission_denied', rule: 'R-DIS-1' })
  assertError(await open('auditor', dispute()), 403, { code: 'permission_denied', rule: 'R-DIS-1' })
  assertError(await open('coordinator.staff', dispute()), 403, { rule: 'R-DIS-1' })
  assertError(await open('xincheng.officer', dispute({ facts: ' ' })), 400, { field: 'facts', rule: 'R-DIS-1' })
  assertError(await open('xincheng.officer', dispute({ surprise: 1 })), 400, { code: 'unknown_field', field: 'surprise' })
  assertError(await open('xincheng.officer', dispute({ parties: [{ org: orgs.xincheng.id, position: '一方' }] })), 400,
    { field: 'parties', rule: 'R-DIS-1' })
  assertError(await open('xincheng.officer', dispute({
    parties: [{ org: orgs.xincheng.id, position: '甲' }, { org: orgs.gaj.id, position: '乙' }],
  })), 400, { field: 'parties[1].org', rule: 'R-DIS-2' })
  assertError(await open('xincheng.officer', dispute({
    parties: [{ org: orgs.xincheng.id, position: '甲' }, { org: orgs.xincheng.id, position: '乙' }],
  })), 400, { field: 'parties[1].org' })
  assertError(await open('liuzu.officer', dispute()), 400, { field: 'parties', rule: 'R-DIS-2' })
  assertError(await open('xincheng.officer', dispute({ township: orgs.scjg.id })), 400, { field: 'township' })
  assertError(await open('xincheng.officer', dispute({ matter: 'NO-SUCH-1' })), 400, { field: 'matter' })
  assertError(await open('xincheng.officer', dispute({ referral_id: 999999 })), 400, { field: 'referral_id', rule: 'R-DIS-2' })
  assertError(await open('xincheng.officer', dispute({ parties: [{ org: orgs.xincheng.id }, { org: orgs.scjg.id, position: '乙' }] })),
    400, { field: 'parties[0].position', rule: 'R-DIS-1' })
})

let d  // walks through all three steps

test('R-DIS-1: opening opens at once a joint-handling duty for every party; each party records who acts', async () => {
  d = await S.create('xincheng.officer', D, dispute({ title: '解放路农贸市场过期食品管辖争议' }))
  assert.equal(d.type, 'dispute')
  assert.equal(d.state, 'negotiation')
  assert.equal(d.state_label, '协商中')
  assert.equal(d.step, 'negotiation')
  assert.equal(d.number, null, 'the opening is not a formal act')
  assert.equal(d.matter.code, 'SCJG-002')
  assert.equal(d.township.id, orgs.xincheng.id)
  assert.deepEqual(d.parties.map((p) => p.org.id), [orgs.xincheng.id, orgs.scjg.id])
  assert.equal(d.government_org.id, orgs.government.id)
  const joint = dutiesOf(d, 'dispute.joint_handling')
  assert.deepEqual(joint.map((x) => x.owner_org.id).sort(), [orgs.xincheng.id, orgs.scjg.id].sort())
  const due1 = await S.addWorkdays('2026-11-23T09:00:00+08:00', 1)
  for (const x of joint) {
    assert.equal(x.rule, 'R-DIS-1')
    assert.equal(x.state, 'open')
    assert.equal(Date.parse(x.due_at), Date.parse(due1))
  }
  const nego = dutiesOf(d, 'dispute.negotiation')
  assert.equal(nego.length, 2)
  const due5 = await S.addWorkdays('2026-11-23T09:00:00+08:00', 5)
  for (const x of nego) assert.equal(Date.parse(x.due_at), Date.parse(due5), 'the --dispute-negotiation-days period')
  assert.deepEqual(d.timeline.map((t) => t.action), ['create'])
  // The other party and the coordinator are told.
  assert.ok((await S.noteKinds('scjg.leader', 'dispute', d.id)).includes('dispute.created'))

  // R-DIS-1: the department records who acts and what was done; only its own duty is met.
  await S.setClock('2026-11-23T15:00:00+08:00')
  d = await S.act('scjg.officer', D, d.id, 'joint-handling', { people: ['王伟', '李强'], measures: '已会同乡镇下架并暂扣过期食品12箱' })
  const after = dutiesOf(d, 'dispute.joint_handling')
  assert.equal(after.find((x) => x.owner_org.id === orgs.scjg.id).state, 'met')
  assert.equal(after.find((x) => x.owner_org.id === orgs.xincheng.id).state, 'open')
  assert.equal(d.joint_handling.length, 1)
  assert.deepEqual(d.joint_handling[0].people, ['王伟', '李强'])
  assert.equal(d.joint_handling[0].org.id, orgs.scjg.id)
  assert.ok(d.joint_handling[0].by.display_name)
  assert.equal(d.state, 'negotiation', 'joint handling does not move the dispute')
  // Once recorded, again is refused and changes nothing.
  assertError(await S.unchanged(D, d.id, () => S.post('scjg.officer', `/api/v1/disputes/${d.id}/joint-handling`,
    { people: ['王伟'], measures: '再次' })), 409, { code: 'joint_handling_recorded', rule: 'R-DIS-1' })
  // Who acts must be named.
  assertError(await S.unchanged(D, d.id, () => S.post('xincheng.officer', `/api/v1/disputes/${d.id}/joint-handling`,
    { people: [], measures: '巡查' })), 400, { field: 'people', rule: 'R-DIS-1' })
  // Not a party: no access at all (R-ACC-1).
  assertError(await S.unchanged(D, d.id, () => S.post('liuzu.officer', `/api/v1/disputes/${d.id}/joint-handling`,
    { people: ['张三'], measures: '巡查' })), 404, { rule: 'R-ACC-1' })
  d = await S.act('xincheng.officer', D, d.id, 'joint-handling', { people: ['陈明'], measures: '现场查封涉事摊位' })
  assert.ok(dutiesOf(d, 'dispute.joint_handling').every((x) => x.state === 'met'))
})

test('R-ACC-1: the parties, the coordinator and the government see a dispute; a non-party township gets 404', async () => {
  for (const who of ['xincheng.officer', 'scjg.leader', 'coordinator.staff', 'government.leader', 'auditor']) {
    assert.equal((await S.get(who, `/api/v1/disputes/${d.id}`)).status, 200, who)
    assert.ok((await S.listIds(who, D)).includes(d.id), who)
  }
  for (const who of ['liuzu.officer', 'zrzy.officer', 'gaj.officer']) {
    const res = await S.get(who, `/api/v1/disputes/${d.id}`)
    assertError(res, 404, { code: 'not_found' })
    assert.ok(!JSON.stringify(res.json).includes('解放路'), 'a 404 carries no data')
    assert.ok(!(await S.listIds(who, D)).includes(d.id), who)
  }
})

test('R-DIS-2: no step may be skipped (409 R-DIS-2); each step has its duty and its numbered document', async () => {
  // The government may not decide, nor the coordinator coordinate, while the parties negotiate.
  assertSkip(await S.unchanged(D, d.id, () => S.post('government.leader', `/api/v1/disputes/${d.id}/decision`,
    { decision: '由县市场监管局管辖' })), '协商中')
  assertSkip(await S.unchanged(D, d.id, () => S.post('coordinator.staff', `/api/v1/disputes/${d.id}/coordination`,
    { outcome: 'settled', decision: '由乡镇管辖' })), '协商中')
  // A party may not coordinate; the government may not negotiate.
  assertError(await S.unchanged(D, d.id, () => S.post('xincheng.officer', `/api/v1/disputes/${d.id}/coordination`,
    { outcome: 'settled', decision: '由乡镇管辖' })), 403, { rule: 'R-DIS-2' })
  assertError(await S.unchanged(D, d.id, () => S.post('government.leader', `/api/v1/disputes/${d.id}/negotiation`,
    { outcome: 'failed', record: '协商' })), 403, { rule: 'R-DIS-2' })
  // Bad bodies: after access and state, naming field and rule.
  assertError(await S.unchanged(D, d.id, () => S.post('xincheng.officer', `/api/v1/disputes/${d.id}/negotiation`,
    { outcome: 'maybe', record: '协商' })), 400, { field: 'outcome', rule: 'R-DIS-2' })
  assertError(await S.unchanged(D, d.id, () => S.post('xincheng.officer', `/api/v1/disputes/${d.id}/negotiation`,
    { outcome: 'failed' })), 400, { field: 'record', rule: 'R-DIS-2' })
  // Only a settling decision may settle the boundary (R-DIS-3).
  assertError(await S.unchanged(D, d.id, () => S.post('xincheng.officer', `/api/v1/disputes/${d.id}/negotiation`, {
    outcome: 'failed', record: '协商不成',
    boundary: { matter_code: 'SCJG-002', change: 'delegate', township: orgs.xincheng.id, effective: '2026-12-01' },
  })), 400, { field: 'boundary', rule: 'R-DIS-3' })

  // Step 1: the negotiation fails (recorded, numbered 商) → the coordinator.
  await S.setClock('2026-11-25T10:00:00+08:00')
  d = await S.act('xincheng.officer', D, d.id, 'negotiation', { outcome: 'failed', record: '2026年11月25日双方在新城镇政府协商，各执己见' })
  assert.equal(d.state, 'coordination')
  assert.equal(d.step, 'coordination')
  assert.equal(d.negotiation.outcome, 'failed')
  assert.match(d.negotiation.document.number, NUMBER_RE)
  assert.ok(dutiesOf(d, 'dispute.negotiation').every((x) => x.state === 'met' && x.on_time === true))
  const coord = dutiesOf(d, 'dispute.coordination')
  assert.equal(coord.length, 1)
  assert.equal(coord[0].owner_org.id, orgs.coordinator.id)
  assert.equal(coord[0].rule, 'R-DIS-2')
  assert.equal(Date.parse(coord[0].due_at), Date.parse(await S.addWorkdays('2026-11-25T10:00:00+08:00', 10)))
  assert.deepEqual(d.documents.map((x) => x.kind), ['dispute_negotiation'])
  assert.ok(d.documents[0].number.includes('商'), d.documents[0].number)
  assert.ok((await S.noteKinds('coordinator.staff', 'dispute', d.id)).includes('dispute.coordination'))

  // Still no skipping: the government cannot decide while the coordinator coordinates.
  assertSkip(await S.unchanged(D, d.id, () => S.post('government.leader', `/api/v1/disputes/${d.id}/decision`,
    { decision: '由县市场监管局管辖' })), '协调中')
  // Negotiation is over.
  assertSkip(await S.unchanged(D, d.id, () => S.post('scjg.officer', `/api/v1/disputes/${d.id}/negotiation`,
    { outcome: 'agreed', record: '又协商' })), '协调中')

  // Step 2: the coordination fails (调) → the County Government.
  await S.setClock('2026-11-27T10:00:00+08:00')
  d = await S.act('coordinator.staff', D, d.id, 'coordination', { outcome: 'failed', decision: '经协调，双方仍不能达成一致' })
  assert.equal(d.state, 'decision')
  assert.equal(d.state_label, '待县政府决定')
  assert.equal(dutiesOf(d, 'dispute.coordination')[0].state, 'met')
  const dec = dutiesOf(d, 'dispute.decision')
  assert.equal(dec.length, 1)
  assert.equal(dec[0].owner_org.id, orgs.government.id)
  assert.deepEqual(d.documents.map((x) => x.kind), ['dispute_negotiation', 'coordination_decision'])
  assert.ok(d.documents[1].number.includes('调'), d.documents[1].number)
  assert.ok((await S.noteKinds('government.leader', 'dispute', d.id)).includes('dispute.decision'))

  // Only government staff decide.
  assertError(await S.unchanged(D, d.id, () => S.post('coordinator.staff', `/api/v1/disputes/${d.id}/decision`,
    { decision: '由县市场监管局管辖' })), 403, { rule: 'R-DIS-2' })

  // Step 3: the County Government decides (决): settled, every duty ended.
  await S.setClock('2026-12-01T10:00:00+08:00')
  d = await S.act('government.leader', D, d.id, 'decision', { decision: '该事项由县市场监管局管辖，新城镇予以配合' })
  assert.equal(d.state, 'settled')
  assert.equal(d.step, 'decision')
  assert.equal(d.decision.outcome, 'decided')
  assert.equal(dutiesOf(d, 'dispute.decision')[0].state, 'met')
  assert.ok(d.duties.every((x) => x.state !== 'open'), 'a settled dispute leaves no open duty')
  assert.deepEqual(d.documents.map((x) => x.kind), ['dispute_negotiation', 'coordination_decision', 'government_decision'])
  assert.ok(d.documents[2].number.includes('决'), d.documents[2].number)
  assert.equal(d.number, d.documents[2].number)
  assert.deepEqual(d.timeline.map((t) => t.action), ['create', 'joint_handling', 'joint_handling',
    'negotiation_failed', 'coordination_failed', 'decision'])
  // The decision document is readable by a party, not by another township.
  const docId = d.documents[2].id
  assert.equal((await S.get('scjg.officer', `/api/v1/documents/${docId}`)).status, 200)
  assert.equal((await S.get('liuzu.officer', `/api/v1/documents/${docId}`)).status, 404)
  // Settled: nothing moves any more.
  assertSkip(await S.unchanged(D, d.id, () => S.post('government.leader', `/api/v1/disputes/${d.id}/decision`,
    { decision: '再决定' })), '已解决')
})

test('R-DIS-2: an agreement in negotiation settles the dispute at once', async () => {
  await S.setClock('2026-12-02T09:00:00+08:00')
  let e = await S.create('scjg.officer', D, dispute({ title: '东堤路无照经营管辖争议', matter: 'SCJG-001' }))
  e = await S.act('scjg.liaison', D, e.id, 'negotiation', { outcome: 'agreed', record: '双方协商一致：由新城镇实施' })
  assert.equal(e.state, 'settled')
  assert.equal(e.step, 'negotiation')
  assert.deepEqual(e.documents.map((x) => x.kind), ['dispute_negotiation'])
  assert.ok(e.duties.every((x) => x.state !== 'open'))
  assertSkip(await S.unchanged(D, e.id, () => S.post('coordinator.staff', `/api/v1/disputes/${e.id}/coordination`,
    { outcome: 'failed', decision: '协调' })), '已解决')
})

test('R-DIS-3: a settling decision changes the catalog from its date; earlier dates keep their answer (R-JUR-2)', async () => {
  const coord = await S.as('coordinator.staff')
  const competent = async (matter, on) => (await jurisdiction(coord, matter, 'xincheng', on)).competent_org.code
  assert.equal(await competent('SCJG-002', '2026-12-10'), 'scjg', 'not delegated before the decision')
  let e = await S.create('scjg.officer', D, dispute({ title: '过期食品查处职责边界争议' }))
  // A boundary decision the catalog refuses: nothing of the step is written (400 boundary.*, R-DIS-3).
  assertError(await S.unchanged(D, e.id, () => S.post('scjg.officer', `/api/v1/disputes/${e.id}/negotiation`, {
    outcome: 'agreed', record: '协商一致',
    boundary: { matter_code: 'SCJG-002', change: 'delegate', township: orgs.xincheng.id, effective: '2026-11-01' },
  })), 400, { field: 'boundary.effective', rule: 'R-DIS-3' })
  assertError(await S.unchanged(D, e.id, () => S.post('scjg.officer', `/api/v1/disputes/${e.id}/negotiation`, {
    outcome: 'agreed', record: '协商一致', boundary: { matter_code: 'SCJG-002', change: 'delegate', effective: '2026-12-10' },
  })), 400, { field: 'boundary.township', rule: 'R-DIS-3' })
  assert.equal(await competent('SCJG-002', '2026-12-10'), 'scjg')
  // Agreed: from 2026-12-10 the township is competent, citing the negotiation record.
  e = await S.act('scjg.officer', D, e.id, 'negotiation', {
    outcome: 'agreed', record: '双方协商一致：该事项自2026年12月10日起划转新城镇实施',
    boundary: { matter_code: 'SCJG-002', change: 'delegate', township: orgs.xincheng.id, effective: '2026-12-10' },
  })
  assert.equal(e.state, 'settled')
  assert.equal(e.boundary.change, 'delegate')
  assert.equal(e.boundary.township.id, orgs.xincheng.id)
  assert.equal(e.boundary.effective, '2026-12-10')
  assert.equal(e.boundary.decision_number, e.negotiation.document.number)
  assert.equal(await competent('SCJG-002', '2026-12-10'), 'xincheng', 'the catalog changed from its date')
  assert.equal(await competent('SCJG-002', '2026-12-31'), 'xincheng')
  assert.equal(await competent('SCJG-002', '2026-12-09'), 'scjg', 'an earlier date keeps its answer')
  assert.equal(await competent('SCJG-002', '2026-12-02'), 'scjg', 'today keeps its answer')

  // The coordinator's decision may change the owning department from its date.
  assert.equal(await competent('ZJJ-008', '2026-12-20'), 'zjj')
  let f = await S.create('xincheng.officer', D, dispute({
    title: '无证施工查处职责边界争议', matter: 'ZJJ-008',
    parties: [{ org: orgs.xincheng.id, position: '应由部门管辖' }, { org: orgs.zjj.id, position: '应由乡镇管辖' }],
  }))
  f = await S.act('zjj.officer', D, f.id, 'negotiation', { outcome: 'failed', record: '协商不成' })
  f = await S.act('coordinator.staff', D, f.id, 'coordination', {
    outcome: 'settled', decision: '该事项自2026年12月20日起由县市场监管局管辖',
    boundary: { matter_code: 'ZJJ-008', change: 'owner', owner_org: orgs.scjg.id, effective: '2026-12-20' },
  })
  assert.equal(f.state, 'settled')
  assert.equal(f.step, 'coordination')
  assert.equal(f.boundary.owner_org.id, orgs.scjg.id)
  assert.ok(f.documents[1].number.includes('调'))
  assert.equal(await competent('ZJJ-008', '2026-12-20'), 'scjg')
  assert.equal(await competent('ZJJ-008', '2026-12-19'), 'zjj', 'an earlier date keeps its answer')
})

test('R-DIS-2: a dispute may start from a referral that was returned; only such a referral, and one the opener sees', async () => {
  const R = Referrals(S.server.url, S.as)
  const matter = (await allMatters(await S.as('xincheng.officer'))).find((m) => m.code === 'SCJG-002')
  const file = await uploadFile(S.server.url, await S.as('xincheng.officer'))
  const body = draftBody({ matter, to: orgs.scjg, township: orgs.xincheng, file, discoveredAt: '2026-12-01T10:00:00+08:00' })
  const draft = await R.create('xincheng.officer', body)
  const returned = await R.submitted('xincheng.officer', body)
  await R.ok('xincheng.leader', returned.id, 'return', { reason: '该事项管辖存在争议' })
  const open = (who, referral) => S.noneCreated(D, () => S.post(who, '/api/v1/disputes', dispute({ referral_id: referral })))
  assertError(await open('xincheng.officer', draft.id), 400, { field: 'referral_id', rule: 'R-DIS-2' })
  assertError(await open('scjg.officer', returned.id), 400, { field: 'referral_id', rule: 'R-DIS-2' })
  const d2 = await S.create('xincheng.officer', D, dispute({ title: '退回案件引发的管辖争议', referral_id: returned.id }))
  assert.equal(d2.referral_id, returned.id)
})

test('list: filters by state, step, org, colour and text; CSV export', async () => {
  const ids = (q, who = 'coordinator.staff') => S.listIds(who, D, q)
  assert.ok((await ids('state=settled')).includes(d.id))
  assert.ok(!(await ids('state=open')).includes(d.id))
  assert.ok((await ids('step=decision')).includes(d.id))
  assert.ok(!(await ids('step=negotiation')).includes(d.id))
  assert.ok((await ids(`org=${orgs.scjg.id}`)).includes(d.id))
  assert.ok(!(await ids(`org=${orgs.liuzu.id}`)).includes(d.id))
  assert.ok((await ids(`q=${encodeURIComponent('解放路')}`)).includes(d.id))
  assert.ok(!(await ids('colour=red')).includes(d.id), 'a settled dispute has no open duty')
  assert.ok(!(await ids(`org=${orgs.liuzu.id}`, 'xincheng.officer')).includes(d.id))
  assertError(await S.get('coordinator.staff', '/api/v1/disputes?state=bogus'), 400, { field: 'state', rule: 'R-DIS-2' })
  assertError(await S.get('coordinator.staff', '/api/v1/disputes?step=bogus'), 400, { field: 'step' })
  assertError(await S.get('coordinator.staff', '/api/v1/disputes?colour=blue'), 400, { field: 'colour' })
  const csv = await S.get('xincheng.officer', '/api/v1/disputes/export.csv?state=settled')
  assert.equal(csv.status, 200, show(csv))
  assert.match(csv.headers.get('content-type'), /text\/csv/)
  assert.ok(csv.text.includes('解放路农贸市场过期食品管辖争议'))
  assert.ok(csv.text.includes('已解决'))
  assert.ok(csv.text.replace(/^\ufeff/, '').startsWith('编号,文号,标题'), csv.text.slice(0, 40))
  const liuzu = await S.get('liuzu.officer', '/api/v1/disputes/export.csv')
  assert.ok(!liuzu.text.includes('解放路'), 'the export shows only visible disputes')
})
