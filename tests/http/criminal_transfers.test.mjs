// Criminal transfers (行刑衔接, R-CRI-1, R-CRI-1a, R-CRI-2, R-CRI-5; State Council Decree 310)
// end to end against docs/criminal-transfers-contract.md: the report, the head's decision on day 4
// (met late: recorded against the agency and queryable), the transfer to the police copied to the
// procuratorate (two numbered documents), the police's receipt and decisions (only their acts meet
// their duties), the agency's challenge, the return for administrative handling, the procuratorate's
// supervision, R-CRI-1 不得以罚代刑 (the transfer's own handling and the referral's handle refused
// with 409 while unresolved), R-CRI-5 visibility (a court user and other orgs get 404), and
// refusals that change nothing. The fake clock moves forward from Monday 2026-11-23.
// xt-backends: sqlite postgres (servers start in ./lib/coord.mjs through startServer)
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { show } from './lib/util.mjs'
import { uploadFile, classifyMatters, pick, draftBody, Referrals, NUMBER_RE } from './lib/referrals.mjs'
import { CoordSuite, dutiesOf, assertError } from './lib/coord.mjs'

const S = CoordSuite({ start: '2026-11-23T09:00:00+08:00' })
const T = 'criminal-transfers'
let orgs
let file
let item // the transfer followed through the suite

before(async () => {
  await S.start()
  orgs = S.orgs
  for (const u of ['xincheng.officer', 'xincheng.leader', 'liuzu.officer', 'scjg.officer', 'coordinator.staff',
    'auditor', 'gaj.officer', 'gaj.leader', 'jcy.officer', 'fy.officer']) await S.as(u)
  file = await uploadFile(S.server.url, await S.as('xincheng.officer'), { name: '涉嫌犯罪案件调查报告.pdf' })
})
after(S.stop)

function report(over = {}) {
  return {
    case_number: '新城综执〔2026〕88号', title: '新城镇某食品作坊涉嫌生产有毒有害食品案',
    facts: '执法人员检查发现该作坊在卤制品中添加工业染料，现场查扣成品120公斤。<script>',
    offence: '生产、销售有毒、有害食品罪', amount: '涉案货值约8.6万元',
    penalty: '已责令停产停业',
    materials: [{ name: '调查报告', description: '1份', file: file.id }, { name: '查扣物品清单' }],
    police_org: orgs.gaj.id, procuratorate_org: orgs.jcy.id, ...over,
  }
}

test('R-CRI-1a: refusals of the report name field and rule and create nothing', async () => {
  const create = (who, body) => S.noneCreated(T, () => S.post(who, `/api/v1/${T}`, body))
  for (const who of ['gaj.officer', 'jcy.officer', 'coordinator.staff', 'auditor']) {
    assertError(await create(who, report()), 403, { code: 'permission_denied', rule: 'R-CRI-1a' })
  }
  const anon = await (await import('../lib/server.mjs')).api(S.server.url).anonymous().post(`/api/v1/${T}`, report())
  assert.equal(anon.status, 401, show(anon))
  assertError(await create('xincheng.officer', report({ facts: '' })), 400, { field: 'facts', rule: 'R-CRI-1a' })
  assertError(await create('xincheng.officer', report({ offence: undefined })), 400, { field: 'offence', rule: 'R-CRI-1a' })
  assertError(await create('xincheng.officer', report({ police_org: orgs.jcy.id })), 400, { field: 'police_org', rule: 'R-CRI-1a' })
  assertError(await create('xincheng.officer', report({ procuratorate_org: orgs.gaj.id })), 400, { field: 'procuratorate_org', rule: 'R-CRI-1a' })
  assertError(await create('xincheng.officer', report({ title: '' })), 400, { field: 'title', rule: 'R-CRI-1a' })
  assertError(await create('xincheng.officer', report({ referral_id: 999999 })), 400, { field: 'referral_id', rule: 'R-CRI-1a' })
  assertError(await create('xincheng.officer', report({ colour: 'red' })), 400, { code: 'unknown_field', field: 'colour' })
  assertError(await create('xincheng.officer', report({ materials: [{ name: '报告', file: 'f'.repeat(64) }] })), 400, { field: 'materials[0].file' })
})

test('R-CRI-1a: an officer reports; the head owes a decision within 3 calendar days; judicial orgs do not see it yet', async () => {
  item = await S.create('xincheng.officer', T, report())
  assert.equal(item.type, 'criminal_transfer')
  assert.equal(item.state, 'reported')
  assert.equal(item.state_label, '待负责人审批')
  assert.equal(item.number, null)
  assert.equal(item.penalty, '已责令停产停业')
  assert.equal(item.materials[0].file.id, file.id)
  assert.equal(item.police.id, orgs.gaj.id)
  const [d] = dutiesOf(item, 'crime.transfer_decision')
  assert.equal(d.owner_org.id, orgs.xincheng.id)
  assert.equal(d.rule, 'R-CRI-1a')
  assert.deepEqual(d.period, { unit: 'calendar_days', value: 3 })
  assert.equal(d.due_at, '2026-11-27T00:00:00+08:00') // 24, 25, 26 November (R-TIME-5)
  assert.equal(item.agency_late, false)
  // R-CRI-5: not addressed to the police or the procuratorate until transferred.
  for (const who of ['gaj.officer', 'jcy.officer', 'fy.officer', 'liuzu.officer', 'scjg.officer']) {
    assertError(await S.get(who, `/api/v1/${T}/${item.id}`), 404, { code: 'not_found' })
    assert.ok(!(await S.listIds(who, T)).includes(item.id), who)
  }
  // The file is visible to the agency only.
  assert.equal((await S.get('gaj.officer', `/api/v1/files/${file.id}`)).status, 404)
})

test('R-CRI-1: the penalty alone cannot close the case while the transfer is pending (409, nothing changes)', async () => {
  const res = await S.unchanged(T, item.id, () => S.post('xincheng.officer', `/api/v1/${T}/${item.id}/handle`, { result: '罚款5万元结案', penalty: '罚款5万元' }))
  assertError(res, 409, { code: 'illegal_transition', field: 'state', rule: 'R-CRI-1' })
  // Only the head decides.
  assertError(await S.unchanged(T, item.id, () => S.post('xincheng.officer', `/api/v1/${T}/${item.id}/approve`, {})), 403, { rule: 'R-CRI-1a' })
  assertError(await S.unchanged(T, item.id, () => S.post('gaj.leader', `/api/v1/${T}/${item.id}/approve`, {})), 404)
  assertError(await S.unchanged(T, item.id, () => S.post('xincheng.leader', `/api/v1/${T}/${item.id}/not-approve`, {})), 400, { field: 'reason' })
})

test('R-CRI-1a: the head decides on day 4 — the duty is met late, on the record against the agency, and queryable', async () => {
  await S.setClock('2026-11-27T10:00:00+08:00')
  item = await S.act('xincheng.leader', T, item.id, 'approve', { opinion: '同意移送' })
  assert.equal(item.state, 'approved')
  const [d] = dutiesOf(item, 'crime.transfer_decision')
  assert.equal(d.state, 'met')
  assert.equal(d.on_time, false)
  assert.equal(d.late, true)
  assert.equal(item.agency_late, true)
  const approval = item.documents.find((x) => x.kind === 'transfer_approval')
  assert.ok(approval, JSON.stringify(item.documents))
  assert.match(approval.number, NUMBER_RE)
  const [p] = dutiesOf(item, 'crime.transfer_police')
  assert.equal(p.state, 'open')
  assert.equal(p.due_at, '2026-11-28T10:00:00+08:00') // 24 hours
  // The assessment's query: transfers with a late agency duty.
  assert.ok((await S.listIds('coordinator.staff', T, 'late=true')).includes(item.id))
  assert.ok((await S.listIds('xincheng.officer', T, 'late=true')).includes(item.id))
  const late = await S.get('coordinator.staff', '/api/v1/duties?scope=all&kind=crime.transfer_decision&state=met&page_size=200')
  assert.ok(late.json.items.some((x) => x.id === d.id && x.on_time === false), show(late))
  assertError(await S.get('coordinator.staff', `/api/v1/${T}?late=maybe`), 400, { field: 'late' })
})

test('R-CRI-1a: within 24 hours the agency transfers to the police, copied to the procuratorate (刑 and 抄 in one step); R-CRI-5 visibility', async () => {
  await S.setClock('2026-11-27T15:00:00+08:00')
  assertError(await S.unchanged(T, item.id, () => S.post('gaj.officer', `/api/v1/${T}/${item.id}/transfer`, {})), 404)
  item = await S.act('xincheng.officer', T, item.id, 'transfer', { note: '随案移送查扣物品清单' })
  assert.equal(item.state, 'transferred')
  assert.equal(item.to_org.id, orgs.gaj.id)
  const letter = item.documents.find((x) => x.kind === 'crime_transfer_letter')
  const copy = item.documents.find((x) => x.kind === 'crime_transfer_copy')
  assert.ok(letter && copy, JSON.stringify(item.documents))
  assert.ok(letter.number.includes('刑〔2026〕'), letter.number)
  assert.ok(copy.number.includes('抄〔2026〕'), copy.number)
  assert.equal(item.number, letter.number)
  assert.equal(dutiesOf(item, 'crime.transfer_police')[0].on_time, true)
  const [r] = dutiesOf(item, 'crime.police_receipt')
  assert.equal(r.owner_org.id, orgs.gaj.id)
  // The police and the procuratorate now see it, with its documents and files; the court and
  // other orgs still do not (R-CRI-5).
  for (const who of ['gaj.officer', 'jcy.officer']) {
    assert.equal((await S.detail(who, T, item.id)).id, item.id)
    assert.ok((await S.listIds(who, T)).includes(item.id), who)
    assert.equal((await S.get(who, `/api/v1/documents/${letter.id}`)).status, 200, who)
  }
  assert.equal((await S.get('gaj.officer', `/api/v1/files/${file.id}`)).status, 200)
  for (const who of ['fy.officer', 'liuzu.officer', 'scjg.officer']) {
    assertError(await S.get(who, `/api/v1/${T}/${item.id}`), 404)
    assert.equal((await S.get(who, `/api/v1/documents/${copy.id}`)).status, 404, who)
    assert.ok(!(await S.listIds(who, T)).includes(item.id), who)
  }
  assert.ok((await S.noteKinds('gaj.leader', 'criminal_transfer', item.id)).includes('criminal_transfer.transferred'))
})

test('R-CRI-5: only the police\'s acts meet the police\'s duties; the generic routes refuse them', async () => {
  const [r] = dutiesOf(item, 'crime.police_receipt')
  for (const who of ['xincheng.officer', 'xincheng.leader', 'jcy.officer']) {
    assertError(await S.unchanged(T, item.id, () => S.post(who, `/api/v1/${T}/${item.id}/receipt`, {})), 403, { rule: 'R-CRI-1a' })
  }
  assertError(await S.unchanged(T, item.id, () => S.post('coordinator.staff', `/api/v1/${T}/${item.id}/receipt`, {})), 403)
  assertError(await S.post('gaj.officer', `/api/v1/duties/${r.id}/meet`, {}), 409, { code: 'duty_ended_by_workflow', rule: 'R-CRI-1a' })
  assertError(await S.post('coordinator.staff', `/api/v1/duties/${r.id}/waive`, { reason: '试图免除' }), 409, { code: 'duty_ended_by_workflow' })
  item = await S.act('gaj.officer', T, item.id, 'receipt', {})
  assert.equal(item.state, 'received')
  assert.ok(item.documents.some((x) => x.kind === 'police_receipt'))
  const met = dutiesOf(item, 'crime.police_receipt')[0]
  assert.equal(met.state, 'met')
  const detail = await S.duty('coordinator.staff', met.id)
  const audit = await S.get('auditor', `/api/v1/audit?object_type=duty&object_id=${met.id}&limit=50`)
  const entry = audit.json.items.find((e) => e.action === 'duty.meet')
  assert.ok(entry, show(audit))
  assert.equal(entry.actor.username, 'gaj.officer')
  assert.equal(detail.state, 'met')
  const [c] = dutiesOf(item, 'crime.case_decision')
  assert.equal(c.owner_org.id, orgs.gaj.id)
  assert.equal(c.due_at, '2026-12-01T00:00:00+08:00') // 28, 29, 30 November
})

test('R-CRI-1: while the police decide, the agency may not close the case with a penalty; the procuratorate supervises', async () => {
  assertError(await S.unchanged(T, item.id, () => S.post('xincheng.officer', `/api/v1/${T}/${item.id}/handle`, { result: '罚款' })), 409, { code: 'illegal_transition', rule: 'R-CRI-1' })
  assertError(await S.unchanged(T, item.id, () => S.post('gaj.officer', `/api/v1/${T}/${item.id}/supervise`, { opinion: '公安不能监督' })), 403, { rule: 'R-CRI-5' })
  item = await S.act('jcy.officer', T, item.id, 'supervise', { opinion: '请公安机关依法及时审查立案' })
  assert.equal(item.supervision.length, 1)
  assert.equal(item.state, 'received')
})

test('R-CRI-1a: the police refuse; the head challenges within 3 days (议); the police answer (uphold); R-CRI-2: they return the case (退)', async () => {
  await S.setClock('2026-11-30T10:00:00+08:00')
  assertError(await S.unchanged(T, item.id, () => S.post('gaj.officer', `/api/v1/${T}/${item.id}/refuse-case`, {})), 400, { field: 'reason' })
  item = await S.act('gaj.officer', T, item.id, 'refuse-case', { reason: '现有证据不足以证明涉案金额达到追诉标准' })
  assert.equal(item.state, 'refused')
  assert.equal(dutiesOf(item, 'crime.case_decision')[0].on_time, true)
  assert.ok(item.documents.some((x) => x.kind === 'police_case_decision'))
  // Returning during the challenge period is refused.
  assertError(await S.unchanged(T, item.id, () => S.post('gaj.officer', `/api/v1/${T}/${item.id}/return`, { reason: '移回' })), 409, { code: 'challenge_period_open' })
  assertError(await S.unchanged(T, item.id, () => S.post('xincheng.officer', `/api/v1/${T}/${item.id}/reconsider`, { reason: '复议' })), 403)
  item = await S.act('xincheng.leader', T, item.id, 'reconsider', { reason: '检测报告证明添加物为有毒有害物质' })
  assert.equal(item.state, 'reconsideration')
  assert.ok(item.documents.some((x) => x.kind === 'reconsideration_request'))
  const [rv] = dutiesOf(item, 'crime.reconsideration_answer')
  assert.equal(rv.owner_org.id, orgs.gaj.id)
  assertError(await S.unchanged(T, item.id, () => S.post('xincheng.officer', `/api/v1/${T}/${item.id}/handle`, { result: '罚款' })), 409, { rule: 'R-CRI-1' })
  item = await S.act('gaj.leader', T, item.id, 'uphold-refusal', { reason: '维持原决定' })
  assert.equal(item.state, 'refusal_upheld')
  assert.equal(dutiesOf(item, 'crime.reconsideration_answer')[0].state, 'met')
  item = await S.act('gaj.officer', T, item.id, 'return', { reason: '不需要追究刑事责任，移回依法行政处理' })
  assert.equal(item.state, 'returned')
  assert.ok(item.documents.some((x) => x.kind === 'case_return_letter'))
  const [h] = dutiesOf(item, 'crime.administrative_handling')
  assert.equal(h.owner_org.id, orgs.xincheng.id)
  assert.equal(h.rule, 'R-CRI-2')
  assert.ok((await S.noteKinds('xincheng.leader', 'criminal_transfer', item.id)).includes('criminal_transfer.returned'))
  // The agency handles it administratively: its act meets the duty.
  assertError(await S.unchanged(T, item.id, () => S.post('gaj.officer', `/api/v1/${T}/${item.id}/handle`, { result: 'x' })), 403)
  item = await S.act('xincheng.officer', T, item.id, 'handle', { result: '依法作出行政处罚', penalty: '没收违法所得并罚款10万元' })
  assert.equal(item.state, 'handled')
  assert.equal(dutiesOf(item, 'crime.administrative_handling')[0].state, 'met')
  const actions = item.timeline.map((e) => e.action)
  for (const a of ['create', 'approve', 'transfer', 'receipt', 'supervise', 'refuse_case', 'reconsider', 'uphold_refusal',
    'return', 'handle']) assert.ok(actions.includes(a), `${a}: ${actions}`)
  const audit = await S.get('auditor', `/api/v1/audit?object_type=criminal_transfer&object_id=${item.id}&limit=50`)
  assert.ok(audit.json.items.some((e) => e.action === 'criminal_transfer.refuse_case' && e.actor.username === 'gaj.officer'), show(audit))
})

test('R-CRI-1a: a transfer the head does not approve stays administrative; the police opening a case ends the transfer', async () => {
  const a = await S.create('xincheng.officer', T, report({ title: '不予移送的案件', materials: [] }))
  const na = await S.act('xincheng.leader', T, a.id, 'not-approve', { reason: '未达到追诉标准' })
  assert.equal(na.state, 'not_approved')
  assert.equal(dutiesOf(na, 'crime.transfer_decision')[0].on_time, true)
  assert.equal((await S.act('xincheng.officer', T, a.id, 'handle', { result: '罚款' })).state, 'handled')

  const b = await S.create('liuzu.officer', T, report({ title: '六祖镇非法采矿案', materials: [] }))
  await S.act('liuzu.leader', T, b.id, 'approve', {})
  await S.act('liuzu.officer', T, b.id, 'transfer', {})
  await S.act('gaj.officer', T, b.id, 'receipt', {})
  const opened = await S.act('gaj.leader', T, b.id, 'open-case', { case_number: '新公刑立字〔2026〕31号' })
  assert.equal(opened.state, 'case_opened')
  assert.equal(opened.case_decision.case_number, '新公刑立字〔2026〕31号')
  // xincheng does not see liuzu's transfer; the list filters by state and text.
  assertError(await S.get('xincheng.officer', `/api/v1/${T}/${b.id}`), 404)
  assert.deepEqual(await S.listIds('gaj.officer', T, 'state=case_opened'), [b.id])
  assert.ok((await S.listIds('coordinator.staff', T, `q=${encodeURIComponent('非法采矿')}`)).includes(b.id))
  assertError(await S.get('coordinator.staff', `/api/v1/${T}?state=nope`), 400, { field: 'state' })
})

test('R-CRI-1: a referral with an unresolved transfer cannot be handled or closed with a penalty (409); once resolved it can', async () => {
  const R = Referrals(S.server.url, S.as)
  const coord = await S.as('coordinator.staff')
  const cat = await classifyMatters(coord, ['xincheng'], '2026-11-30')
  const m = pick(cat.at.xincheng, (e) => e.competent?.kind === 'county_department' && e.matter.statutory_referral_days == null, 'competent to a county department')
  const C = m.competent.code
  const ref = await R.sent('xincheng.officer', 'xincheng.leader',
    draftBody({ matter: m.matter, to: orgs[C], township: orgs.xincheng, file, discoveredAt: '2026-11-29T10:00:00+08:00' }))
  await R.ok(`${C}.leader`, ref.id, 'accept', { note: '已受理' })
  // The accepting department reports it as a suspected crime.
  const t = await S.create(`${C}.officer`, T, report({ title: '', case_number: '', referral_id: ref.id, materials: [] }))
  assert.equal(t.referral_id, ref.id)
  assert.ok(t.title.length > 0)
  const refused = await R.unchanged(ref.id, () => R.act(`${C}.officer`, ref.id, 'handle', { result: '罚款2000元结案' }))
  assertError(refused, 409, { code: 'criminal_transfer_pending', field: 'state', rule: 'R-CRI-1' })
  // Not approved: the case stays administrative, and the referral may be handled.
  await S.act(`${C}.leader`, T, t.id, 'not-approve', { reason: '情节轻微' })
  const h = await R.ok(`${C}.officer`, ref.id, 'handle', { result: '罚款2000元' })
  assert.equal(h.state, 'handled')
})
