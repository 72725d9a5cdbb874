// First-contact complaints (投诉举报, 首问责任, SPEC §8 R-SYS-3; R-ASM-1 counts) end to end against
// docs/complaints-contract.md: register → investigate → reply (numbered 登 and 答, the reply duty
// met on time), a complaint forwarded by referral whose reply duty stays with the first org,
// confidentiality of the complainant and contact (another org, the referral's receiver, auditors,
// CSV, printed documents, search, audit), the anonymous close, stats, and refusals that name
// field and rule and change nothing. The tests run in order on one server; the fake clock starts
// on Monday 2026-11-23 and only moves forward.
// xt-backends: sqlite postgres (servers start in ./lib/coord.mjs through startServer)
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { show } from './lib/util.mjs'
import { uploadFile, getRaw, classifyMatters, pick, draftBody, Referrals, NUMBER_RE } from './lib/referrals.mjs'
import { CoordSuite, dutiesOf, assertError } from './lib/coord.mjs'

const S = CoordSuite({ start: '2026-11-23T09:00:00+08:00' })
const C = 'complaints'
const CONTACT = '13912345678'
const NAME = '王某某'
let orgs
let file
let R
let base // the counts before this suite (the demo county holds a few complaints)

async function stats(who, q = '') {
  const res = await S.get(who, `/api/v1/complaints/stats${q}`)
  assert.equal(res.status, 200, show(res))
  return res.json
}
const ZERO = { registered: 0, replied: 0, replied_on_time: 0, replied_late: 0, referred: 0, closed_no_reply: 0, open: 0, open_overdue: 0 }
/** The counts of org `code` in a stats answer (zeros when absent), without org and rate. */
function countsOf(st, code) {
  const { org, on_time_rate, ...c } = st.orgs.find((o) => o.org.id === orgs[code].id) ?? { ...ZERO }
  return c
}

before(async () => {
  await S.start()
  orgs = S.orgs
  R = Referrals(S.server.url, S.as)
  base = await stats('coordinator.staff')
  file = await uploadFile(S.server.url, await S.as('xincheng.officer'), { name: '来信扫描件.pdf' })
})
after(S.stop)

function complaint(over = {}) {
  return {
    channel: '12345', complainant: NAME, contact: CONTACT, subject: '东堤路夜间施工噪声扰民',
    place: '新城镇东堤路18号工地', content: '工地连续多日夜间22时后施工，噪声扰民<script>', received_at: '2026-11-23T08:30:00+08:00',
    materials: [{ name: '来信扫描件', description: '1页', file: file.id }], ...over,
  }
}

const REPLY = { content: '经调查，该工地已停止夜间施工，并已责令整改。', channel: 'phone' }

test('R-SYS-3: refusals of registration name field and rule and register nothing', async () => {
  const create = (who, body) => S.noneCreated(C, () => S.post(who, '/api/v1/complaints', body))
  assertError(await create('auditor', complaint()), 403, { code: 'permission_denied', rule: 'R-SYS-3' })
  assertError(await create('xincheng.officer', complaint({ channel: 'fax' })), 400, { field: 'channel', rule: 'R-SYS-3' })
  assertError(await create('xincheng.officer', complaint({ subject: undefined })), 400, { code: 'missing_field', field: 'subject', rule: 'R-SYS-3' })
  assertError(await create('xincheng.officer', complaint({ subject: '' })), 400, { code: 'too_short', field: 'subject', rule: 'R-SYS-3' })
  assertError(await create('xincheng.officer', complaint({ complainant: undefined })), 400, { field: 'complainant', rule: 'R-SYS-3' })
  assertError(await create('xincheng.officer', complaint({ colour: 'red' })), 400, { code: 'unknown_field', field: 'colour', rule: 'R-SYS-3' })
  assertError(await create('xincheng.officer', complaint({ received_at: '2026-12-01T09:00:00+08:00' })), 400, { field: 'received_at', rule: 'R-SYS-3' })
  assertError(await create('xincheng.officer', complaint({ received_at: 'yesterday' })), 400, { field: 'received_at', rule: 'R-SYS-3' })
  assertError(await create('liuzu.officer', complaint()), 400, { field: 'materials[0].file', rule: 'R-SYS-3' })
  assertError(await create('xincheng.officer', complaint({ content: '长'.repeat(5001) })), 400, { code: 'too_long', field: 'content' })
})

let first
test('R-SYS-3: register → investigate → reply; numbered 登 and 答, the reply duty met on time', async () => {
  const c = await S.create('xincheng.officer', C, complaint())
  first = c
  assert.equal(c.state, 'registered')
  assert.equal(c.state_label, '已登记')
  assert.equal(c.channel, '12345')
  assert.equal(c.kind, '12345')
  assert.equal(c.from_org.id, orgs.xincheng.id)
  assert.deepEqual(c.complainant, { name: NAME, contact: CONTACT })
  assert.equal(c.confidential, 'visible')
  assert.equal(c.materials[0].file.id, file.id)
  assert.deepEqual(c.documents.map((d) => d.kind), ['complaint_registration'])
  assert.match(c.number, NUMBER_RE)
  assert.ok(c.number.includes('登〔2026〕'), c.number)
  const [duty] = dutiesOf(c, 'complaint.reply')
  assert.equal(duty.owner_org.id, orgs.xincheng.id)
  assert.equal(duty.rule, 'R-SYS-3')
  assert.equal(duty.state, 'open')
  assert.equal(Date.parse(duty.due_at), Date.parse(await S.addWorkdays('2026-11-23T08:30:00+08:00', 15)))
  assert.equal(c.colour, 'green')

  // The printed registration never shows the complainant or the contact.
  const page = await getRaw(S.server.url, await S.as('xincheng.officer'), `/api/v1/documents/${c.documents[0].id}`)
  assert.equal(page.status, 200)
  assert.ok(page.text.includes(c.number) && page.text.includes('东堤路夜间施工噪声扰民'))
  assert.ok(!page.text.includes(CONTACT) && !page.text.includes(NAME), 'the 登记表 must not carry the contact')

  // Someone not of the first org may not act (404 for an org not involved).
  assertError(await S.unchanged(C, c.id, () => S.post('liuzu.officer', `/api/v1/complaints/${c.id}/investigate`, { findings: 'x' })), 404, { code: 'not_found' })
  assertError(await S.unchanged(C, c.id, () => S.post('coordinator.staff', `/api/v1/complaints/${c.id}/investigate`, { findings: 'x' })), 403, { rule: 'R-SYS-3' })
  // Reply before investigating: 409 naming the state.
  const e = assertError(await S.unchanged(C, c.id, () => S.post('xincheng.officer', `/api/v1/complaints/${c.id}/reply`, REPLY)), 409, { code: 'illegal_transition', field: 'state', rule: 'R-SYS-3' })
  assert.ok(e.message.includes('已登记'), e.message)
  assertError(await S.unchanged(C, c.id, () => S.post('xincheng.officer', `/api/v1/complaints/${c.id}/investigate`, {})), 400, { code: 'missing_field', field: 'findings', rule: 'R-SYS-3' })

  const inv = await S.act('xincheng.officer', C, c.id, 'investigate', { findings: '现场核实：工地确于夜间施工。' })
  assert.equal(inv.state, 'investigated')
  assert.equal(inv.investigation.findings, '现场核实：工地确于夜间施工。')

  await S.setClock('2026-11-26T10:00:00+08:00')
  assertError(await S.unchanged(C, c.id, () => S.post('xincheng.officer', `/api/v1/complaints/${c.id}/reply`, { ...REPLY, channel: 'fax' })), 400, { field: 'channel', rule: 'R-SYS-3' })
  assertError(await S.unchanged(C, c.id, () => S.post('xincheng.officer', `/api/v1/complaints/${c.id}/reply`, { ...REPLY, replied_at: '2026-11-27T10:00:00+08:00' })), 400, { field: 'replied_at', rule: 'R-SYS-3' })
  assertError(await S.unchanged(C, c.id, () => S.post('xincheng.officer', `/api/v1/complaints/${c.id}/close`, { reason: '无法联系' })), 409, { code: 'reply_required', rule: 'R-SYS-3' })

  const r = await S.act('xincheng.officer', C, c.id, 'reply', { ...REPLY, replied_at: '2026-11-26T09:30:00+08:00' })
  assert.equal(r.state, 'replied')
  assert.equal(r.reply.channel, 'phone')
  assert.deepEqual(r.documents.map((d) => d.kind), ['complaint_registration', 'complaint_reply'])
  assert.ok(r.documents[1].number.includes('答〔2026〕'), r.documents[1].number)
  const [met] = dutiesOf(r, 'complaint.reply')
  assert.equal(met.state, 'met')
  assert.equal(met.on_time, true)
  assert.equal(Date.parse(met.met_at), Date.parse('2026-11-26T09:30:00+08:00'))
  assert.equal(r.colour, null)
  assert.deepEqual(r.timeline.map((t) => t.action), ['create', 'investigate', 'reply'])
  const replyPage = await getRaw(S.server.url, await S.as('xincheng.officer'), `/api/v1/documents/${r.documents[1].id}`)
  assert.ok(replyPage.text.includes('已停止夜间施工') && !replyPage.text.includes(CONTACT))
  // Replied: nothing else may happen.
  assertError(await S.unchanged(C, c.id, () => S.post('xincheng.officer', `/api/v1/complaints/${c.id}/reply`, REPLY)), 409, { code: 'illegal_transition' })
})

test('R-SYS-3 / R-ACC-1: the complainant and contact only for the registering org and the coordinator', async () => {
  const id = first.id
  assert.deepEqual((await S.detail('coordinator.staff', C, id)).complainant, { name: NAME, contact: CONTACT })
  const aud = await S.detail('auditor', C, id)
  assert.equal(aud.complainant, null)
  assert.equal(aud.confidential, 'hidden')
  assert.ok(!JSON.stringify(aud).includes(CONTACT))
  assertError(await S.get('liuzu.officer', `/api/v1/complaints/${id}`), 404, { code: 'not_found' })
  assertError(await S.get('scjg.officer', `/api/v1/complaints/${id}`), 404, { code: 'not_found' })
  assert.equal((await S.listIds('liuzu.officer', C)).includes(id), false)
  assert.equal((await S.listIds('xincheng.liaison', C)).includes(id), true)
  // Another org cannot open its documents either.
  assert.equal((await getRaw(S.server.url, await S.as('liuzu.officer'), `/api/v1/documents/${first.documents[0].id}`)).status, 404)
  // Search matches the contact only for those who may see it.
  assert.deepEqual(await S.listIds('auditor', C, `q=${CONTACT}`), [])
  assert.deepEqual(await S.listIds('xincheng.officer', C, `q=${CONTACT}`), [id])
  assert.deepEqual(await S.listIds('coordinator.staff', C, `q=${CONTACT}`), [id])
  // CSV.
  const csvAud = await getRaw(S.server.url, await S.as('auditor'), '/api/v1/complaints/export.csv')
  assert.equal(csvAud.status, 200)
  assert.match(csvAud.headers.get('content-type'), /text\/csv/)
  assert.ok(csvAud.text.includes('东堤路夜间施工噪声扰民') && csvAud.text.includes('（保密）'))
  assert.ok(!csvAud.text.includes(CONTACT) && !csvAud.text.includes(NAME))
  const csvOwn = await getRaw(S.server.url, await S.as('xincheng.officer'), '/api/v1/complaints/export.csv')
  assert.ok(csvOwn.text.includes(CONTACT) && csvOwn.text.includes(NAME))
  // Never in the audit trail.
  const audit = await S.get('auditor', '/api/v1/audit?limit=200')
  assert.equal(audit.status, 200, show(audit))
  assert.ok(audit.json.items.some((e) => e.action === 'complaint.create'))
  assert.ok(!JSON.stringify(audit.json).includes(CONTACT), 'the contact must not enter the audit trail')
})

test('R-SYS-3: forwarded by referral, the reply duty stays with the first org', async () => {
  const cat = await classifyMatters(await S.as('coordinator.staff'), ['xincheng'], '2026-11-26')
  const m = pick(cat.at.xincheng, (e) => e.competent.kind === 'county_department', 'competent to a county department in xincheng')
  const dept = m.competent
  const deptUser = `${dept.code}.officer`
  const c = await S.create('xincheng.officer', C, complaint({ subject: '路边店铺销售过期食品', content: '某便利店货架上有过期食品', materials: [] }))
  // A bad referral body is refused naming the field, and nothing is written (no referral either).
  const refs = async () => (await R.listIds('xincheng.officer')).length
  const n = await refs()
  assertError(await S.unchanged(C, c.id, () => S.post('xincheng.officer', `/api/v1/complaints/${c.id}/refer`, { to_org: dept.id, township: orgs.xincheng.id })), 400, { field: 'matter', rule: 'R-SYS-3' })
  assertError(await S.unchanged(C, c.id, () => S.post('xincheng.officer', `/api/v1/complaints/${c.id}/refer`, { to_org: dept.id, matter: 'NO-SUCH', township: orgs.xincheng.id })), 400, { field: 'matter' })
  assert.equal(await refs(), n)

  const f = await S.act('xincheng.officer', C, c.id, 'refer', { to_org: dept.id, matter: m.matter.code, township: orgs.xincheng.id, note: '属市场监管职责' })
  assert.equal(f.state, 'referred')
  assert.ok(f.referral_id > 0)
  assert.equal(f.referral.to_org.id, dept.id)
  const [duty] = dutiesOf(f, 'complaint.reply')
  assert.equal(duty.state, 'open', 'the first org still owes the reply')
  assert.equal(duty.owner_org.id, orgs.xincheng.id)
  assert.equal(await refs(), n + 1)

  // The referral is an ordinary draft of the first org, naming the complaint, never the contact.
  const ref = await R.get('xincheng.officer', f.referral_id)
  assert.equal(ref.state, 'draft')
  assert.equal(ref.from_org.id, orgs.xincheng.id)
  assert.ok(ref.facts.includes(c.number), ref.facts)
  assert.ok(!JSON.stringify(ref).includes(CONTACT) && !JSON.stringify(ref).includes(NAME))
  // Completed and sent like any referral: the receiver sees the referral, not the complaint.
  const body = draftBody({ matter: m.matter, to: dept, township: orgs.xincheng, file })
  const patch = await R.patch('xincheng.officer', f.referral_id, { party: body.party, legal_basis: body.legal_basis, evidence: body.evidence, checklist: body.checklist })
  assert.equal(patch.status, 200, show(patch))
  await R.ok('xincheng.officer', f.referral_id, 'submit')
  await R.ok('xincheng.leader', f.referral_id, 'approve')
  assert.equal((await R.get(deptUser, f.referral_id)).state, 'sent')
  assertError(await S.get(deptUser, `/api/v1/complaints/${c.id}`), 404, { code: 'not_found' })
  assert.equal((await S.listIds(deptUser, C)).includes(c.id), false)

  // The receiver cannot reply for the first org; the first org replies.
  assertError(await S.unchanged(C, c.id, () => S.post(deptUser, `/api/v1/complaints/${c.id}/reply`, REPLY)), 404)
  const still = await S.detail('xincheng.officer', C, c.id)
  assert.equal(dutiesOf(still, 'complaint.reply')[0].state, 'open')
  const done = await S.act('xincheng.officer', C, c.id, 'reply', { content: '已移送县市场监督管理局依法处理，特此答复。', channel: 'letter' })
  assert.equal(done.state, 'replied')
  assert.equal(dutiesOf(done, 'complaint.reply')[0].state, 'met')
})

test('R-SYS-3: an anonymous complaint without contact may close without a reply; the duty is waived', async () => {
  const c = await S.create('xincheng.officer', C, complaint({ anonymous: true, complainant: undefined, contact: undefined, channel: 'letter', materials: [] }))
  assert.equal(c.anonymous, true)
  assert.deepEqual(c.complainant, { name: '', contact: '' })
  assertError(await S.unchanged(C, c.id, () => S.post('xincheng.officer', `/api/v1/complaints/${c.id}/close`, { reason: '匿名' })), 409, { code: 'illegal_transition' })
  await S.act('xincheng.officer', C, c.id, 'investigate', { findings: '现场未发现所反映问题' })
  const closed = await S.act('xincheng.officer', C, c.id, 'close', { reason: '匿名来信，未留联系方式' })
  assert.equal(closed.state, 'closed')
  assert.equal(dutiesOf(closed, 'complaint.reply')[0].state, 'waived')
  // Anonymous but with a contact: a reply is owed.
  const d = await S.create('xincheng.officer', C, complaint({ anonymous: true, complainant: undefined, materials: [] }))
  await S.act('xincheng.officer', C, d.id, 'investigate', { findings: '核实中' })
  assertError(await S.unchanged(C, d.id, () => S.post('xincheng.officer', `/api/v1/complaints/${d.id}/close`, { reason: '匿名' })), 409, { code: 'reply_required', rule: 'R-SYS-3' })
})

test('R-SYS-3 / R-ASM-1: overdue complaints red for the coordinator; counts per org and period', async () => {
  // Received long ago (registered late): its reply duty is already overdue.
  const old = await S.create('liuzu.officer', C, complaint({ subject: '采石场粉尘污染', received_at: '2026-10-09T09:00:00+08:00', materials: [] }))
  assert.equal(old.colour, 'red')
  assert.ok((await S.listIds('coordinator.staff', C, 'colour=red')).includes(old.id))
  assert.ok(!(await S.listIds('coordinator.staff', C, 'colour=green')).includes(old.id))
  assert.ok(!(await S.listIds('coordinator.staff', C, 'state=referred')).includes(old.id))
  assert.ok((await S.listIds('coordinator.staff', C, 'channel=letter')).length >= 1)
  const liuzu = await S.listIds('coordinator.staff', C, `org=${orgs.liuzu.id}`)
  assert.ok(liuzu.includes(old.id) && !liuzu.includes(first.id))
  assertError(await S.get('coordinator.staff', '/api/v1/complaints?colour=purple'), 400, { field: 'colour' })
  assertError(await S.get('coordinator.staff', '/api/v1/complaints?state=lost'), 400, { field: 'state', rule: 'R-SYS-3' })

  // This suite registered 4 complaints at xincheng: 2 replied on time, 1 referred (replied), 1
  // anonymous closed, 1 open (anonymous with contact); and 1 overdue at liuzu.
  const plus = (b, d) => Object.fromEntries(Object.keys(ZERO).map((k) => [k, b[k] + (d[k] ?? 0)]))
  let s = await stats('coordinator.staff')
  assert.deepEqual(countsOf(s, 'xincheng'), plus(countsOf(base, 'xincheng'),
    { registered: 4, replied: 2, replied_on_time: 2, referred: 1, closed_no_reply: 1, open: 1 }))
  assert.deepEqual(countsOf(s, 'liuzu'), plus(countsOf(base, 'liuzu'), { registered: 1, open: 1, open_overdue: 1 }))
  assert.equal(s.total.registered, base.total.registered + 5)

  await S.act('liuzu.officer', C, old.id, 'investigate', { findings: '属实' })
  await S.act('liuzu.officer', C, old.id, 'reply', { content: '已督促整改', channel: 'phone' })
  s = await stats('coordinator.staff')
  assert.deepEqual(countsOf(s, 'liuzu'), plus(countsOf(base, 'liuzu'), { registered: 1, replied: 1, replied_late: 1 }))
  assert.equal(s.total.replied_late, base.total.replied_late + 1)
  // The period counts by the day received (liuzu's was received on 2026-10-09).
  s = await stats('coordinator.staff', '?from=2026-11-01&to=2026-11-30')
  assert.equal(s.from, '2026-11-01')
  assert.equal(s.to, '2026-11-30')
  assert.equal(countsOf(s, 'liuzu').registered, 0)
  assert.ok(countsOf(s, 'xincheng').registered >= 4)
  s = await stats('coordinator.staff', '?from=2026-10-09&to=2026-10-09')
  assert.deepEqual(s.orgs.map((o) => [o.org.id, o.registered, o.replied_late]), [[orgs.liuzu.id, 1, 1]])
  // Others see their own org only.
  const own = await stats('xincheng.officer')
  assert.deepEqual(own.orgs.map((o) => o.org.id), [orgs.xincheng.id])
  const none = await stats('zrzy.officer')
  assert.deepEqual(none.orgs.map((o) => [o.org.id, o.registered]), [[orgs.zrzy.id, 0]])
  assertError(await S.get('coordinator.staff', '/api/v1/complaints/stats?from=2026-13-01'), 400, { field: 'from', rule: 'R-SYS-3' })
  assertError(await S.get('coordinator.staff', '/api/v1/complaints/stats?from=2026-11-30&to=2026-11-01'), 400, { field: 'to' })
})
