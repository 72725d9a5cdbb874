// Case referrals end to end (案件移送抄告, SPEC §4 R-REF-1..8, R-JUR-1, R-DOC-1, R-ACC-1, R-TIME-1),
// against docs/referrals-contract.md: every transition of the contract's table and every refusal,
// each test naming its rule. The clock is frozen at Wednesday 2026-11-25 09:00 (Shanghai), so
// colours and document dates are fixed; matters are picked by asking /api/v1/jurisdiction.
// Every refused request is checked to change nothing (the referral as the coordinator sees it,
// and the audit trail). The tests run in order on one server.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer } from '../lib/server.mjs'
import { show } from './lib/util.mjs'
import {
  Users, Referrals, orgsByCode, classifyMatters, pick, draftBody, uploadFile, pdfBytes, getRaw,
  assertError, assertIllegal, assertSameInstant, dutyOf, sendDutyOf, notesAbout, addWorkdays,
  cliAddWorkdays, shanghai, serialOf, prefixOf, NUMBER_RE, FULL_CHECKLIST,
} from './lib/referrals.mjs'

const NOW = '2026-11-25T09:00:00+08:00' // a Wednesday; the server clock stays here
const ON = '2026-11-24'
const DISCOVERED = '2026-11-24T10:00:00+08:00'

let server
let as // username → signed-in client
let R // referral operations
let orgs // by code
let C // the county department competent for m.dept in xincheng (the usual receiver)
let W // another county department: not competent for m.dept (the wrong receiver)
let D // a county department that refers a xincheng matter it does not own (R-REF-1 dept → township)
let O // the department that owns m.town (a third party that sees D's referral, R-ACC-1)
let B // a county department that is neither C, W, D nor O (a bystander)
const m = {} // { dept, town, stat, liuzuDept }: { matter, competent }
const files = new Map() // username → uploaded evidence file
const fixtures = {} // referrals shared between tests

before(async () => {
  server = await startServer({ fakeClock: NOW, extraArgs: ['--access-log', 'off', '--sweep-interval', '3600'] })
  as = Users(server.url)
  R = Referrals(server.url, as)
  const coord = await as('coordinator.staff')
  orgs = await orgsByCode(coord)

  const cat = await classifyMatters(coord, ['xincheng', 'liuzu'], ON)
  const noStatute = (e) => e.matter.statutory_referral_days == null
  const isDept = (e) => e.competent.kind === 'county_department'
  m.dept = pick(cat.at.xincheng, (e) => isDept(e) && noStatute(e), 'competent to a county department in xincheng, without a statutory period')
  m.town = pick(cat.at.xincheng, (e) => e.competent.code === 'xincheng' && noStatute(e), 'delegated to xincheng, without a statutory period')
  m.stat = pick(cat.at.xincheng, (e) => e.matter.statutory_referral_days != null && (isDept(e) || e.competent.code === 'xincheng'), 'with statutory_referral_days')
  m.liuzuDept = pick(cat.at.liuzu, (e) => isDept(e) && noStatute(e), 'competent to a county department in liuzu')
  const depts = Object.values(orgs).filter((o) => o.kind === 'county_department')
  C = orgs[m.dept.competent.code]
  assert.equal(m.dept.competent.id, C.id)
  O = orgs[m.town.matter.owner_org.code]
  W = depts.find((o) => o.id !== C.id)
  D = depts.find((o) => o.id !== O.id && o.id !== C.id) ?? depts.find((o) => o.id !== O.id)
  B = depts.find((o) => ![C.id, W.id, D.id, O.id].includes(o.id))
  assert.ok(W && D && B, 'the demo county needs at least five county departments')

  // Sign everyone in now, so that no sign-in happens while a refusal is being checked.
  const people = ['xincheng.officer', 'xincheng.leader', 'xincheng.liaison', 'liuzu.officer', 'liuzu.leader',
    'coordinator.staff', 'auditor', 'admin', 'scjg.xincheng.officer', 'gaj.officer']
  for (const o of [C, W, D, O, B]) people.push(`${o.code}.officer`, `${o.code}.leader`)
  for (const p of people) await as(p)
  // Each org's evidence is its own bytes (files are content-addressed; access follows referrals).
  for (const p of ['xincheng.officer', 'liuzu.officer', `${D.code}.officer`, 'scjg.xincheng.officer', `${C.code}.officer`]) {
    files.set(p, await uploadFile(server.url, await as(p), { name: `现场检查笔录（${p}）.pdf`, bytes: pdfBytes(p) }))
  }
})
after(async () => {
  await server?.stop()
})

// ---------------------------------------------------------------------------------------------
// Bodies and small helpers

/** xincheng → C about m.dept (township → county department, R-REF-1). */
function toDept(over = {}) {
  return draftBody({ matter: m.dept.matter, to: C, township: orgs.xincheng, file: files.get('xincheng.officer'), discoveredAt: DISCOVERED, ...over })
}
/** D → xincheng about m.town (county department → township, R-REF-1). */
function toTown(over = {}) {
  return draftBody({ matter: m.town.matter, to: orgs.xincheng, township: orgs.xincheng, file: files.get(`${D.code}.officer`), discoveredAt: DISCOVERED, ...over })
}
const officer = (o) => `${o.code}.officer`
const leader = (o) => `${o.code}.leader`

/** A referral xincheng → C, sent (approved by xincheng's leader). */
async function sentToDept(over = {}) {
  return R.sent('xincheng.officer', 'xincheng.leader', toDept(over))
}

/** The number of referrals the coordinator sees, and the newest audit entry. */
async function worldState() {
  const list = await R.list('coordinator.staff', 'page_size=1')
  const audit = await (await as('admin')).get('/api/v1/audit?limit=1')
  assert.equal(audit.status, 200, show(audit))
  return { referrals: list.total, lastAudit: audit.json.items[0]?.seq ?? 0 }
}

/** Runs a refused request on referral `id`; asserts neither the referral nor the audit trail changed. */
async function refused(id, fn) {
  const before = await worldState()
  const res = await R.unchanged(id, fn)
  assert.deepEqual(await worldState(), before, `a refused request left a trace (${show(res)})`)
  return res
}
/** Runs a refused create; asserts no referral and no audit entry appeared. */
async function refusedCreate(fn) {
  const before = await worldState()
  const res = await fn()
  assert.deepEqual(await worldState(), before, `a refused create left a trace (${show(res)})`)
  return res
}

function docOf(ref, kind, number) {
  return (ref.documents ?? []).find((d) => d.kind === kind && (number === undefined || d.number === number))
}

// ---------------------------------------------------------------------------------------------
// Create (R-REF-1, R-REF-2, R-JUR-1)

test('R-REF-1: a township officer creates a draft to the competent county department; the send duty is the sender\'s', async () => {
  const me = await as('xincheng.officer')
  const r = await R.create('xincheng.officer', toDept())
  assert.equal(r.state, 'draft')
  assert.equal(r.number, null)
  assert.equal(r.from_org.id, orgs.xincheng.id)
  assert.equal(r.to_org.id, C.id)
  assert.equal(r.matter.code, m.dept.matter.code)
  assert.equal(r.township.id, orgs.xincheng.id)
  assertSameInstant(r.discovered_at, DISCOVERED, 'discovered_at')
  assert.match(r.facts, /巡查发现/)
  assert.equal(r.party.name, '陈某某')
  assert.equal(r.evidence.length, 1)
  assert.equal(r.evidence[0].file.id, files.get('xincheng.officer').id)
  assert.equal(r.evidence[0].file.content_type, 'application/pdf')
  assert.deepEqual(r.checklist, FULL_CHECKLIST)
  assert.equal(r.urgent, false)
  assert.equal(r.ongoing, false)
  assert.equal(r.dissuasion, null)
  assert.equal(r.unit, null)
  assert.equal(r.unit_legal_basis, null)
  assert.equal(r.jurisdiction_override_reason, null)
  assert.equal(r.flagged_for_coordinator, false)
  assert.equal(r.created_by.id, me.user.id)
  assertSameInstant(r.created_at, NOW, 'created_at')
  for (const k of ['submitted_at', 'sent_at', 'received_at', 'accepted_at', 'closed_at', 'coordination']) {
    assert.equal(r[k], null, k)
  }
  const send = sendDutyOf(r)
  assert.ok(send, `no referral.send duty: ${JSON.stringify(r.duties)}`)
  assert.equal(send.kind, 'referral.send')
  assert.equal(send.rule, 'R-REF-4')
  assert.equal(send.owner_org.id, orgs.xincheng.id)
  assert.equal(send.state, 'open')
  assert.equal(send.colour, 'green')
  assert.equal(send.object_type, 'referral')
  assert.equal(send.object_id, String(r.id))
  assert.equal(dutyOf(r, 'referral.ongoing_notice'), undefined, 'not ongoing: no R-REF-5 duty')

  const got = await R.get('xincheng.officer', r.id)
  assert.equal(got.id, r.id)
  assert.equal(got.state, 'draft')
  assert.ok((await R.listIds('xincheng.officer', 'direction=out')).includes(r.id))
  fixtures.draft = r
})

test('R-REF-1: a county department refers a matter delegated to xincheng to the township', async () => {
  const r = await R.create(officer(D), toTown({ facts: `${D.name}执法人员检查时发现属于新城镇管辖的违法行为。` }))
  assert.equal(r.state, 'draft')
  assert.equal(r.from_org.id, D.id)
  assert.equal(r.to_org.id, orgs.xincheng.id)
  assert.equal(r.matter.code, m.town.matter.code)
  assert.equal(sendDutyOf(r).owner_org.id, D.id)
  fixtures.deptDraft = r
})

test('R-REF-1: coordinator staff and auditors do not refer cases (403); nothing is created', async () => {
  for (const who of ['coordinator.staff', 'auditor']) {
    const res = await refusedCreate(async () => (await as(who)).post('/api/v1/referrals', toDept()))
    assertError(res, 403)
  }
})

test('unknown JSON fields are refused (400 unknown_field); bad ids name their field', async () => {
  const res = await refusedCreate(async () => (await as('xincheng.officer')).post('/api/v1/referrals', { ...toDept(), priority: 'high' }))
  assertError(res, 400, { code: 'unknown_field', field: 'priority' })
  const noMatter = await refusedCreate(async () => (await as('xincheng.officer')).post('/api/v1/referrals', { ...toDept(), matter: 'NO-SUCH-MATTER' }))
  assertError(noMatter, 400, { field: 'matter' })
  const noOrg = await refusedCreate(async () => (await as('xincheng.officer')).post('/api/v1/referrals', { ...toDept(), to_org: 999999 }))
  assertError(noOrg, 400, { field: 'to_org' })
})

test('R-REF-2: an officer of a dispatched unit is refused (400 field unit)', async () => {
  const body = draftBody({ matter: m.town.matter, to: orgs.xincheng, township: orgs.xincheng, file: files.get('scjg.xincheng.officer'), discoveredAt: DISCOVERED })
  const res = await refusedCreate(async () => (await as('scjg.xincheng.officer')).post('/api/v1/referrals', body))
  assertError(res, 400, { field: 'unit', rule: 'R-REF-2' })
})

test('R-REF-2: with unit_legal_basis the unit officer refers in the department\'s name; the unit and the basis are recorded', async () => {
  const basis = '《中华人民共和国食品安全法》第一百零九条（派出机构可以自己的名义实施）'
  const body = draftBody({ matter: m.town.matter, to: orgs.xincheng, township: orgs.xincheng, file: files.get('scjg.xincheng.officer'), discoveredAt: DISCOVERED, unit_legal_basis: basis })
  const r = await R.create('scjg.xincheng.officer', body)
  assert.equal(r.from_org.id, orgs.scjg.id, 'the sender is the department, never the unit')
  assert.equal(r.unit?.id, orgs['scjg-xincheng'].id, JSON.stringify(r.unit))
  assert.equal(r.unit.name, orgs['scjg-xincheng'].name)
  assert.equal(r.unit_legal_basis, basis)
  assert.equal((await R.get('coordinator.staff', r.id)).unit_legal_basis, basis)
  // The letter goes out numbered and signed by the department, never by the unit.
  await R.ok('scjg.xincheng.officer', r.id, 'submit')
  const s = await R.ok('scjg.leader', r.id, 'approve')
  assert.equal(prefixOf(s.number), `${orgs.scjg.doc_prefix}移`)
  const letter = docOf(s, 'referral_letter', s.number)
  const html = (await getRaw(server.url, await as('scjg.leader'), `/api/v1/documents/${letter.id}`, 'text/html')).text
  // A 移送函 takes the 信函格式 (issue 14): the organ's name, without 「文件」.
  assert.ok(html.includes(`>${orgs.scjg.name}</div>`), 'the issuing-org mark is the department')
  assert.ok(!html.includes(`${orgs.scjg.name}文件`), 'a letter carries no 「…文件」 版头')
})

test('R-REF-2: a unit referral cannot lose its legal basis by editing (PATCH unit_legal_basis "" is refused, or submit refuses it)', async () => {
  const body = draftBody({ matter: m.town.matter, to: orgs.xincheng, township: orgs.xincheng, file: files.get('scjg.xincheng.officer'), discoveredAt: DISCOVERED, unit_legal_basis: '《中华人民共和国食品安全法》第一百零九条' })
  const r = await R.create('scjg.xincheng.officer', body)
  const res = await R.patch('scjg.xincheng.officer', r.id, { unit_legal_basis: '' })
  if (res.status === 400) {
    assertError(res, 400, { field: 'unit', rule: 'R-REF-2' })
  } else {
    assert.equal(res.status, 200, show(res))
    const sub = await R.act('scjg.xincheng.officer', r.id, 'submit')
    assertError(sub, 400, { field: 'unit', rule: 'R-REF-2' })
  }
  const now = await R.get('coordinator.staff', r.id)
  assert.ok(!now.unit || (now.unit_legal_basis ?? '').trim().length > 0, `unit ${JSON.stringify(now.unit)} with basis ${JSON.stringify(now.unit_legal_basis)} in state ${now.state}`)
})

test('R-JUR-1: a referral to an org that is not competent is refused (400 field to_org); nothing is created', async () => {
  const res = await refusedCreate(async () => (await as('xincheng.officer')).post('/api/v1/referrals', toDept({ to_org: W.id })))
  const e = assertError(res, 400, { field: 'to_org', rule: 'R-JUR-1' })
  assert.ok(e.message.includes(C.name) || e.message.includes(C.short_name) || e.message.length > 0)
})

test('R-JUR-1: with jurisdiction_override_reason it is accepted, flagged for the coordinator, and coordinator staff are notified', async () => {
  const reason = '当事人住所地在该局辖区，且该局已就同一当事人立案调查，建议并案处理'
  const r = await R.create('xincheng.officer', toDept({ to_org: W.id, jurisdiction_override_reason: reason, facts: '越权移送测试：当事人同时涉及多项违法行为。' }))
  assert.equal(r.to_org.id, W.id)
  assert.equal(r.flagged_for_coordinator, true)
  assert.equal(r.jurisdiction_override_reason, reason)
  await R.ok('xincheng.officer', r.id, 'submit')
  const s = await R.ok('xincheng.leader', r.id, 'approve')
  assert.equal(s.state, 'sent')
  assert.equal(s.flagged_for_coordinator, true)
  const notes = await notesAbout(await as('coordinator.staff'), 'referral', r.id)
  assert.ok(notes.length >= 1, 'coordinator staff were not notified of the flagged referral')
  assert.equal((await notesAbout(await as('liuzu.officer'), 'referral', r.id)).length, 0)
  fixtures.flagged = s
})

test('R-REF-1/R-TIME-5: create refuses the sender itself, a unit or the coordinator as receiver, a discovery in the future, another org\'s file and a township that is not one', async () => {
  const post = async (body) => refusedCreate(async () => (await as('xincheng.officer')).post('/api/v1/referrals', body))
  assertError(await post(toDept({ to_org: orgs.xincheng.id })), 400, { field: 'to_org', rule: 'R-REF-1' })
  assertError(await post(toDept({ to_org: orgs['scjg-xincheng'].id })), 400, { field: 'to_org' })
  assertError(await post(toDept({ to_org: orgs.coordinator.id, jurisdiction_override_reason: '请依法治县办处理' })), 400, { field: 'to_org' })
  assertError(await post(toDept({ to_org: orgs.gaj.id, jurisdiction_override_reason: '涉嫌犯罪' })), 400, { field: 'to_org' })
  assertError(await post(toDept({ discovered_at: '2026-11-25T10:00:00+08:00' })), 400, { field: 'discovered_at' })
  assertError(await post(toDept({ discovered_at: '2026-11-24 10:00' })), 400, { field: 'discovered_at' })
  assertError(await post(toDept({ township: C.id })), 400, { field: 'township' })
  // A file uploaded by another org cannot be attached (nor can one that does not exist).
  assertError(await post(toDept({ evidence: [{ name: '他单位文件', file: files.get(`${D.code}.officer`).id }] })), 400, { field: 'evidence[0].file' })
  assertError(await post(toDept({ evidence: [{ name: '不存在的文件', file: 'ab'.repeat(32) }] })), 400, { field: 'evidence[0].file' })
})

test('R-JUR-2: a case keeps the jurisdiction of its discovery date (a delegation taken back)', async () => {
  const coord = await as('coordinator.staff')
  const all = (await classifyMatters(coord, [], ON)).all
  const matter = all.find((mt) => mt.delegations.some((d) => d.township.code === 'xincheng' && d.to && d.to < ON))
  assert.ok(matter, 'the demo catalog has a delegation to xincheng that was taken back')
  const lastDay = matter.delegations.find((d) => d.township.code === 'xincheng' && d.to).to
  const then = `${lastDay}T10:00:00+08:00`
  const jThen = (await coord.get(`/api/v1/jurisdiction?matter=${matter.code}&township=xincheng&on=${lastDay}`)).json
  const jNow = (await coord.get(`/api/v1/jurisdiction?matter=${matter.code}&township=xincheng&on=${ON}`)).json
  assert.equal(jThen.competent_org.code, 'xincheng')
  assert.equal(jNow.competent_org.code, matter.owner_org.code)
  const owner = orgs[matter.owner_org.code]
  const sender = D.id === owner.id ? B : D
  const body = (to, at, who) => draftBody({ matter, to, township: orgs.xincheng, file: files.get(who === 'xincheng' ? 'xincheng.officer' : `${D.code}.officer`), discoveredAt: at })
  // On its last delegated day xincheng was competent: a department refers to xincheng …
  if (sender.id === D.id) {
    const r = await R.create(officer(D), body(orgs.xincheng, then, 'dept'))
    assert.equal(r.flagged_for_coordinator, false)
    // … and xincheng may not refer that case to the owner without an override.
    assertError(await refusedCreate(async () => (await as('xincheng.officer')).post('/api/v1/referrals', body(owner, then, 'xincheng'))), 400, { field: 'to_org', rule: 'R-JUR-1' })
    // Today the owner is competent again.
    assertError(await refusedCreate(async () => (await as(officer(D))).post('/api/v1/referrals', body(orgs.xincheng, DISCOVERED, 'dept'))), 400, { field: 'to_org', rule: 'R-JUR-1' })
  }
  const today = await R.create('xincheng.officer', body(owner, DISCOVERED, 'xincheng'))
  assert.equal(today.flagged_for_coordinator, false)
  assert.equal(today.to_org.id, owner.id)
})

test('R-ACC-1: before it is first sent, a referral is the sender\'s alone (receiver and owning department get 404)', async () => {
  const d = await R.create('xincheng.officer', toDept())
  const sub = await R.submitted('xincheng.officer', toDept())
  for (const who of [officer(C), leader(C)]) {
    for (const r of [d, sub]) {
      assert.equal((await (await as(who)).get(`/api/v1/referrals/${r.id}`)).status, 404, `${who} sees ${r.state}`)
    }
    const ids = await R.listIds(who, 'direction=all')
    assert.ok(!ids.includes(d.id) && !ids.includes(sub.id), `${who} lists an unsent referral`)
  }
  assert.equal((await (await as('coordinator.staff')).get(`/api/v1/referrals/${d.id}`)).status, 200)
  assert.equal((await (await as('xincheng.liaison')).get(`/api/v1/referrals/${d.id}`)).status, 200)
})

test('R-REF-3/R-JUR-1/R-REF-4: only sender officers edit a draft; to_org is checked again; a new discovered_at recomputes the send duty', async () => {
  const d = await R.create('xincheng.officer', toDept())
  assertError(await refused(d.id, () => R.patch('xincheng.leader', d.id, { facts: '领导不能改' })), 403)
  assertError(await refused(d.id, () => R.patch(officer(C), d.id, { facts: '接收方不能改' })), 404)
  assertError(await refused(d.id, () => R.patch('xincheng.officer', d.id, { to_org: W.id })), 400, { field: 'to_org', rule: 'R-JUR-1' })
  assertError(await refused(d.id, () => R.patch('xincheng.officer', d.id, { colour: 'red' })), 400, { code: 'unknown_field', field: 'colour' })
  assertError(await refused(d.id, () => R.patch('xincheng.officer', d.id, { discovered_at: '2026-12-01T10:00:00+08:00' })), 400, { field: 'discovered_at' })
  const p = await R.patch('xincheng.officer', d.id, { discovered_at: '2026-11-20T10:00:00+08:00' })
  assert.equal(p.status, 200, show(p))
  const open = p.json.duties.filter((x) => x.kind.startsWith('referral.send') && x.state === 'open')
  assert.equal(open.length, 1, JSON.stringify(p.json.duties))
  assertSameInstant(open[0].trigger_at, '2026-11-20T10:00:00+08:00', 'recomputed trigger_at')
  assertSameInstant(open[0].due_at, await addWorkdays(await as('xincheng.officer'), '2026-11-20T10:00:00+08:00', 3), 'recomputed due_at')
  assert.equal(open[0].colour, 'yellow', 'due 24:00 on 11/25: within one working day')
})

// ---------------------------------------------------------------------------------------------
// Submit (R-REF-3, R-REF-5) and the send deadline (R-REF-4)

test('R-REF-3: submit refuses a referral without facts, legal basis, evidence with a file, or a checked checklist — each naming its field', async () => {
  const cases = [
    ['facts', { omit: ['facts'] }],
    ['legal_basis', { omit: ['legal_basis'] }],
    [/^evidence/, { evidence: [{ name: '现场照片', description: '照片3张（未上传）', file: null }] }],
    [/^evidence/, { evidence: [] }],
    ['checklist.procedure_lawful', { checklist: { ...FULL_CHECKLIST, procedure_lawful: false } }],
  ]
  for (const [field, over] of cases) {
    const r = await R.create('xincheng.officer', toDept(over))
    assert.equal(r.state, 'draft')
    const res = await refused(r.id, () => R.act('xincheng.officer', r.id, 'submit'))
    assertError(res, 400, { field, rule: 'R-REF-3' })
  }
  // Completing the last one lets it through.
  const r = await R.create('xincheng.officer', toDept({ checklist: { ...FULL_CHECKLIST, facts_clear: false } }))
  const e = assertError(await R.act('xincheng.officer', r.id, 'submit'), 400, { rule: 'R-REF-3' })
  assert.equal(e.field, 'checklist.facts_clear')
  const patched = await R.patch('xincheng.officer', r.id, { checklist: { ...FULL_CHECKLIST } })
  assert.equal(patched.status, 200, show(patched))
  const s = await R.ok('xincheng.officer', r.id, 'submit')
  assert.equal(s.state, 'submitted')
  assertSameInstant(s.submitted_at, NOW, 'submitted_at')
})

test('R-REF-5: an ongoing violation gets a referral.ongoing_notice duty; submit without the dissuasion is refused; with it the duty is met on sending', async () => {
  const r = await R.create('xincheng.officer', toDept({ ongoing: true, facts: '当事人正在占用人行道摆卖，执法人员到场时违法行为仍在继续。' }))
  assert.equal(r.ongoing, true)
  const notice = dutyOf(r, 'referral.ongoing_notice')
  assert.ok(notice, JSON.stringify(r.duties))
  assert.equal(notice.rule, 'R-REF-5')
  assert.equal(notice.owner_org.id, orgs.xincheng.id)
  assert.equal(notice.state, 'open')

  const res = await refused(r.id, () => R.act('xincheng.officer', r.id, 'submit'))
  assertError(res, 400, { field: 'dissuasion', rule: 'R-REF-5' })

  const dissuasion = { at: '2026-11-24T10:05:00+08:00', note: '当场劝阻当事人停止占道经营，当事人已收拾摊位' }
  const p = await R.patch('xincheng.officer', r.id, { dissuasion })
  assert.equal(p.status, 200, show(p))
  assertSameInstant(p.json.dissuasion.at, dissuasion.at, 'dissuasion.at')
  assert.equal(p.json.dissuasion.note, dissuasion.note)
  await R.ok('xincheng.officer', r.id, 'submit')
  const s = await R.ok('xincheng.leader', r.id, 'approve')
  const met = dutyOf(s, 'referral.ongoing_notice')
  assert.equal(met.state, 'met', JSON.stringify(met))
  assert.equal(met.on_time, true)
})

test('R-REF-4: the send duty is due 3 working days after discovered_at (as the calendar API and `xietong calendar add-workdays` say)', async () => {
  const r = fixtures.draft
  const send = sendDutyOf(r)
  assertSameInstant(send.trigger_at, DISCOVERED, 'trigger_at')
  assert.deepEqual(send.period, { unit: 'working_days', value: 3 })
  const due = await addWorkdays(await as('xincheng.officer'), DISCOVERED, 3)
  assertSameInstant(send.due_at, due, 'due_at')
  // 24:00 of the last working day printed by the CLI
  const lastDay = await cliAddWorkdays(ON, 3)
  assert.equal(shanghai(Date.parse(send.due_at) - 1).slice(0, 10), lastDay)
  assert.equal(Date.parse(send.due_at), Date.parse(`${lastDay}T00:00:00+08:00`) + 24 * 3600_000)
})

test('R-REF-4/R-TIME-1: across National Day and the Spring Festival the send duty skips holidays and counts make-up working days', async () => {
  for (const day of ['2026-09-30', '2026-02-13', '2026-04-30']) {
    const at = `${day}T10:00:00+08:00`
    const r = await R.create('xincheng.officer', toDept({ discovered_at: at }))
    const send = sendDutyOf(r)
    const lastDay = await cliAddWorkdays(day, 3)
    assert.equal(shanghai(Date.parse(send.due_at) - 1).slice(0, 10), lastDay, `discovered ${day}: due ${send.due_at}, CLI ${lastDay}`)
    assertSameInstant(send.due_at, await addWorkdays(await as('xincheng.officer'), at, 3), `discovered ${day}`)
    assert.equal(send.colour, 'red')
    await R.ok('xincheng.officer', r.id, 'withdraw', { reason: '测试用，撤回' })
  }
})

test('R-REF-4: a matter with statutory_referral_days is due after that many working days', async () => {
  const n = m.stat.matter.statutory_referral_days
  const toTownship = m.stat.competent.code === 'xincheng'
  const sender = toTownship ? officer(D) : 'xincheng.officer'
  const body = draftBody({
    matter: m.stat.matter, to: orgs[m.stat.competent.code], township: orgs.xincheng,
    file: files.get(toTownship ? `${D.code}.officer` : 'xincheng.officer'), discoveredAt: DISCOVERED,
  })
  const r = await R.create(sender, body)
  const send = sendDutyOf(r)
  assert.deepEqual(send.period, { unit: 'working_days', value: n })
  assertSameInstant(send.due_at, await addWorkdays(await as('coordinator.staff'), DISCOVERED, n), `due_at (${n} working days)`)
  assert.equal(shanghai(Date.parse(send.due_at) - 1).slice(0, 10), await cliAddWorkdays(ON, n))
})

test('R-REF-4: an urgent referral is due 24 hours after discovery (R-TIME-2)', async () => {
  const r = await R.create('xincheng.officer', toDept({ urgent: true }))
  assert.equal(r.urgent, true)
  const send = sendDutyOf(r)
  assert.ok(send, JSON.stringify(r.duties))
  assert.equal(send.rule, 'R-REF-4')
  assert.deepEqual(send.period, { unit: 'hours', value: 24 })
  assertSameInstant(send.due_at, shanghai(Date.parse(DISCOVERED) + 24 * 3600_000), 'due_at')
})

// ---------------------------------------------------------------------------------------------
// Approve (R-REF-3, R-DOC-1, R-REF-6)

test('R-REF-3: only the sender\'s leader approves; the officer gets 403, the receiver\'s leader and others are refused; the approvals list', async () => {
  const r = await R.submitted('xincheng.officer', toDept())
  const approvals = await (await as('xincheng.leader')).get('/api/v1/referrals/approvals')
  assert.equal(approvals.status, 200, show(approvals))
  assert.ok(approvals.json.items.some((x) => x.id === r.id), JSON.stringify(approvals.json))
  assert.ok(approvals.json.items.every((x) => x.state === 'submitted' && x.from_org.id === orgs.xincheng.id))
  const notLeader = await (await as('xincheng.officer')).get('/api/v1/referrals/approvals')
  assert.equal(notLeader.status, 403, show(notLeader))
  const otherLeader = await (await as(leader(C))).get('/api/v1/referrals/approvals')
  assert.ok(otherLeader.status === 403 || !otherLeader.json.items.some((x) => x.id === r.id), show(otherLeader))

  assertError(await refused(r.id, () => R.act('xincheng.officer', r.id, 'approve')), 403)
  const receiver = await refused(r.id, () => R.act(leader(C), r.id, 'approve'))
  assert.ok([403, 404].includes(receiver.status), show(receiver))
  assertError(await refused(r.id, () => R.act('liuzu.leader', r.id, 'approve')), 404)
  assertError(await refused(r.id, () => R.act('coordinator.staff', r.id, 'approve')), 403)
  fixtures.toApprove = r
})

test('R-REF-3/R-DOC-1/R-REF-6: approval numbers the referral, issues the letter, meets the send duty and opens the receiver\'s accept duty (5 working days after sent_at)', async () => {
  const s = await R.ok('xincheng.leader', fixtures.toApprove.id, 'approve')
  assert.equal(s.state, 'sent')
  assert.match(s.number, NUMBER_RE)
  assert.equal(prefixOf(s.number), `${orgs.xincheng.doc_prefix}移`, `number ${s.number}, doc_prefix ${orgs.xincheng.doc_prefix}`)
  assertSameInstant(s.sent_at, NOW, 'sent_at')
  const letter = docOf(s, 'referral_letter', s.number)
  assert.ok(letter, JSON.stringify(s.documents))
  assert.equal(typeof letter.url, 'string')
  assert.match(letter.title, /移送/)

  const send = sendDutyOf(s)
  assert.equal(send.state, 'met')
  assert.equal(send.on_time, true)
  assertSameInstant(send.met_at, NOW, 'send duty met_at')

  const acc = dutyOf(s, 'referral.accept_notice')
  assert.ok(acc, JSON.stringify(s.duties))
  assert.equal(acc.rule, 'R-REF-6')
  assert.equal(acc.owner_org.id, C.id)
  assert.equal(acc.state, 'open')
  assert.equal(acc.colour, 'green')
  assertSameInstant(acc.trigger_at, s.sent_at, 'accept duty trigger_at')
  assert.deepEqual(acc.period, { unit: 'working_days', value: 5 })
  assertSameInstant(acc.due_at, await addWorkdays(await as(officer(C)), s.sent_at, 5), 'accept duty due_at')

  // The receiver has it: in its referrals (incoming) and its duty inbox.
  assert.ok((await R.listIds(officer(C), 'direction=in')).includes(s.id))
  const inbox = await (await as(officer(C))).get('/api/v1/duties?page_size=200')
  assert.ok(inbox.json.items.some((d) => d.id === acc.id), 'the accept duty is not in the receiver\'s inbox')
  // The approvals list no longer holds it.
  const approvals = await (await as('xincheng.leader')).get('/api/v1/referrals/approvals')
  assert.ok(!approvals.json.items.some((x) => x.id === s.id))
  fixtures.sent = s
})

// ---------------------------------------------------------------------------------------------
// Receive, accept, handle, close (R-REF-6, R-REF-8)

test('R-REF-6: the receiver receives it; only the receiver\'s leader accepts → acceptance notice with its own number; accept duty met on time', async () => {
  const id = fixtures.sent.id
  assertError(await refused(id, () => R.act('liuzu.officer', id, 'receive')), 404)
  assertError(await refused(id, () => R.act('xincheng.officer', id, 'receive')), 403)
  const rec = await R.ok(officer(C), id, 'receive')
  assert.equal(rec.state, 'received')
  assertSameInstant(rec.received_at, NOW, 'received_at')

  assertError(await refused(id, () => R.act(officer(C), id, 'accept', {})), 403)
  assertError(await refused(id, () => R.act('xincheng.leader', id, 'accept', {})), 403)
  const a = await R.ok(leader(C), id, 'accept', { note: '本局已受理，指定专人调查处理' })
  assert.equal(a.state, 'accepted')
  assertSameInstant(a.accepted_at, NOW, 'accepted_at')
  assert.equal(a.number, fixtures.sent.number, 'the referral keeps its letter number')
  const notice = docOf(a, 'acceptance_notice')
  assert.ok(notice, JSON.stringify(a.documents))
  assert.match(notice.number, NUMBER_RE)
  assert.equal(prefixOf(notice.number), `${C.doc_prefix}受`, notice.number)
  assert.notEqual(notice.number, a.number)
  assert.ok(docOf(a, 'referral_letter', a.number), 'the letter is still among the documents')
  const acc = dutyOf(a, 'referral.accept_notice')
  assert.equal(acc.state, 'met')
  assert.equal(acc.on_time, true)
  assert.equal(acc.late_working_days, 0)
  fixtures.accepted = a
})

test('R-REF-8: the receiver handles it (result required) and the sender sees the result; close by a leader only', async () => {
  const id = fixtures.accepted.id
  assertError(await refused(id, () => R.act(officer(C), id, 'handle', {})), 400, { field: 'result' })
  assertError(await refused(id, () => R.act('xincheng.officer', id, 'handle', { result: '越权' })), 403)
  const result = '已依法作出行政处罚决定：责令改正，罚款人民币伍仟元。'
  const h = await R.ok(officer(C), id, 'handle', { result })
  assert.equal(h.state, 'handled')
  assert.equal(h.result, result)
  const seen = await R.get('xincheng.officer', id)
  assert.equal(seen.result, result, 'R-REF-8: the result is copied back to the sender')
  assert.ok((await R.list('xincheng.officer', 'direction=out&state=handled')).items.some((x) => x.id === id && x.result === result))

  assertError(await refused(id, () => R.act('xincheng.officer', id, 'close')), 403)
  assertError(await refused(id, () => R.act(officer(C), id, 'close')), 403)
  const c = await R.ok('xincheng.leader', id, 'close')
  assert.equal(c.state, 'closed')
  assertSameInstant(c.closed_at, NOW, 'closed_at')
  fixtures.closed = c
})

// ---------------------------------------------------------------------------------------------
// Decline and coordination (R-REF-6, R-REF-7)

async function declined(ref) {
  const s = ref ?? await sentToDept()
  const to = s.to_org.id === C.id ? C : Object.values(orgs).find((o) => o.id === s.to_org.id)
  return R.ok(leader(to), s.id, 'decline', { reason: '经核查，该违法行为不属于本单位职责范围，不予受理。' })
}

test('R-REF-6: the receiver\'s leader declines with a reason → notice of non-acceptance, accept duty met', async () => {
  const s = await sentToDept()
  assertError(await refused(s.id, () => R.act(leader(C), s.id, 'decline', {})), 400, { field: 'reason' })
  assertError(await refused(s.id, () => R.act(officer(C), s.id, 'decline', { reason: '不属于本局' })), 403)
  const d = await declined(s)
  assert.equal(d.state, 'declined')
  assert.match(d.decline_reason, /不予受理/)
  const notice = docOf(d, 'acceptance_notice')
  assert.ok(notice, JSON.stringify(d.documents))
  assert.match(notice.number, NUMBER_RE)
  assert.equal(prefixOf(notice.number), `${C.doc_prefix}受`)
  const html = await getRaw(server.url, await as('xincheng.officer'), `/api/v1/documents/${notice.id}`, 'text/html')
  assert.equal(html.status, 200)
  assert.ok(html.text.includes(notice.number) && html.text.includes(s.number), 'the notice cites its own number and the letter\'s')
  assert.ok(html.text.includes('不予受理') && html.text.includes(d.decline_reason), 'the notice states non-acceptance and why')
  assert.ok(html.text.includes(C.name) && html.text.includes(orgs.xincheng.name))
  const acc = dutyOf(d, 'referral.accept_notice')
  assert.equal(acc.state, 'met')
  assert.equal(acc.on_time, true)
  fixtures.declined = d
})

test('R-REF-7: the sender asks the coordinator (reason required, receiver refused) → coordination; coordinator staff notified; receiver_accepts → accepted', async () => {
  const id = fixtures.declined.id
  assertError(await refused(id, () => R.act('xincheng.officer', id, 'coordination', {})), 400, { field: 'reason' })
  assertError(await refused(id, () => R.act(leader(C), id, 'coordination', { reason: '接收方不能申请' })), 403)
  const reason = '该违法行为属于县直部门职责，接收方拒不受理，请求协调'
  const c = await R.ok('xincheng.officer', id, 'coordination', { reason })
  assert.equal(c.state, 'coordination')
  assert.equal(c.coordination.reason, reason)
  assertSameInstant(c.coordination.requested_at, NOW, 'coordination.requested_at')
  assert.equal(c.coordination.decision, null)
  for (const staff of ['coordinator.staff']) {
    const notes = await notesAbout(await as(staff), 'referral', id)
    assert.ok(notes.length >= 1, `${staff} was not notified of the coordination request`)
  }

  // Only the coordinator decides; a bad decision names its field.
  for (const who of ['xincheng.leader', leader(C), 'auditor', 'admin']) {
    assertError(await refused(id, () => R.act(who, id, 'coordination/decision', { decision: 'receiver_accepts', reason: '越权' })), 403)
  }
  assertError(await refused(id, () => R.act('coordinator.staff', id, 'coordination/decision', { decision: 'maybe', reason: '无效' })), 400, { field: 'decision' })

  const decided = await R.ok('coordinator.staff', id, 'coordination/decision', { decision: 'receiver_accepts', reason: '经协调，该事项由接收方依法受理' })
  assert.equal(decided.state, 'accepted')
  assert.equal(decided.coordination.decision, 'receiver_accepts')
  assertSameInstant(decided.coordination.decided_at, NOW, 'decided_at')
  assert.ok(decided.coordination.decided_by, 'decided_by is recorded')
  // … and the binding decision is carried out: the receiver handles it and its leader closes it.
  await R.ok(officer(C), id, 'handle', { result: '已按协调意见受理并办结。' })
  const closed = await R.ok(leader(C), id, 'close')
  assert.equal(closed.state, 'closed')
})

test('R-REF-7: sender_keeps → closed', async () => {
  const d = await declined()
  await R.ok('xincheng.leader', d.id, 'coordination', { reason: '请求协调明确管辖' })
  const k = await R.ok('coordinator.staff', d.id, 'coordination/decision', { decision: 'sender_keeps', reason: '经协调，由移送方自行处理' })
  assert.equal(k.state, 'closed')
  assert.equal(k.coordination.decision, 'sender_keeps')
  assert.ok(k.closed_at)
  // R-DOC-1: the decision is the coordinator's numbered 协调决定书, which both parties can open.
  const decision = docOf(k, 'coordination_decision')
  assert.ok(decision, JSON.stringify(k.documents))
  assert.match(decision.number, /调〔\d{4}〕\d+号$/)
  for (const who of ['xincheng.leader', leader(C), 'coordinator.staff']) {
    const html = await getRaw(server.url, await as(who), `/api/v1/documents/${decision.id}`, 'text/html')
    assert.equal(html.status, 200, who)
    assert.ok(html.text.includes(decision.number) && html.text.includes('经协调，由移送方自行处理'), who)
  }
})

test('R-REF-7: reassign → a new receiver, sent, with a fresh accept duty owned by it (to_org required)', async () => {
  // The flagged referral went to W (not competent); W declines; the coordinator reassigns to C.
  const flagged = fixtures.flagged
  await declined(flagged)
  await R.ok('xincheng.officer', flagged.id, 'coordination', { reason: '接收方不予受理，请求重新指定' })
  const decide = (body) => refused(flagged.id, () => R.act('coordinator.staff', flagged.id, 'coordination/decision', body))
  assertError(await decide({ decision: 'reassign', reason: '改由主管部门受理' }), 400, { field: 'to_org' })
  assertError(await decide({ decision: 'reassign', to_org: orgs.xincheng.id, reason: '改回移送方' }), 400, { field: 'to_org', rule: 'R-REF-7' })
  assertError(await decide({ decision: 'reassign', to_org: W.id, reason: '仍由原接收方' }), 400, { field: 'to_org', rule: 'R-REF-7' })
  assertError(await decide({ decision: 'reassign', to_org: orgs['scjg-xincheng'].id, reason: '派出机构' }), 400, { field: 'to_org' })
  assertError(await decide({ decision: 'receiver_accepts', to_org: C.id, reason: '受理并改派' }), 400, { field: 'to_org' })
  const r = await R.ok('coordinator.staff', flagged.id, 'coordination/decision', { decision: 'reassign', to_org: C.id, reason: '经协调，改由主管部门受理' })
  assert.equal(r.state, 'sent')
  assert.equal(r.to_org.id, C.id)
  assert.equal(r.coordination.decision, 'reassign')
  assert.ok(docOf(r, 'coordination_decision'), 'R-DOC-1: the reassignment is a numbered decision')
  const fresh = dutyOf(r, 'referral.accept_notice', (d) => d.owner_org.id === C.id)
  assert.ok(fresh, JSON.stringify(r.duties))
  assert.equal(fresh.state, 'open')
  assertSameInstant(fresh.trigger_at, NOW, 'fresh accept duty trigger_at')
  assertSameInstant(fresh.due_at, await addWorkdays(await as(officer(C)), NOW, 5), 'fresh accept duty due_at')
  const old = dutyOf(r, 'referral.accept_notice', (d) => d.owner_org.id === W.id)
  assert.ok(!old || old.state !== 'open', 'the old receiver\'s duty is no longer open')
  assert.equal(r.duties.filter((d) => d.kind === 'referral.accept_notice' && d.state === 'open').length, 1)
  assert.ok((await R.listIds(officer(C), 'direction=in')).includes(r.id))
  const a = await R.ok(leader(C), r.id, 'accept', {})
  assert.equal(a.state, 'accepted')
  fixtures.reassigned = a
})

test('R-DOC-1: after a reassignment the first receiver can still open the notice it issued itself', async () => {
  const r = fixtures.reassigned
  const notice = r.documents.find((d) => d.kind === 'acceptance_notice' && prefixOf(d.number) === `${W.doc_prefix}受`)
  assert.ok(notice, `W's decline notice is among the documents: ${JSON.stringify(r.documents)}`)
  const doc = await getRaw(server.url, await as(officer(W)), `/api/v1/documents/${notice.id}`, 'text/html')
  assert.equal(doc.status, 200, `${W.code} cannot open the notice it issued (${notice.number}): HTTP ${doc.status}`)
})

test('R-ACC-1, R-REF-7: after a reassignment the first receiver still sees the referral it declined (issue 15 finding 9), read-only', async () => {
  const r = fixtures.reassigned
  for (const who of [officer(W), leader(W)]) {
    const got = await (await as(who)).get(`/api/v1/referrals/${r.id}`)
    assert.equal(got.status, 200, `${W.code}, which declined it, gets ${show(got)}`)
    assert.equal(got.json.to_org.id, C.id)
    // … and in its list of everything it may see, though no longer among its incoming ones.
    assert.ok((await R.listIds(who)).includes(r.id), `${who}: not in the list`)
    assert.ok(!(await R.listIds(who, 'direction=in')).includes(r.id), `${who}: still incoming`)
  }
  // Seeing is not acting: the first receiver cannot take a step, and the refusal changes nothing.
  assertError(await refused(r.id, () => R.act(leader(W), r.id, 'handle', { result: '越权办理' })), 403)
  // A bystander still sees nothing (404 without data).
  const bystander = await (await as(officer(B))).get(`/api/v1/referrals/${r.id}`)
  assert.equal(bystander.status, 404, show(bystander))
  assert.ok(!(await R.listIds(officer(B))).includes(r.id))
})

test('R-REF-7: coordination from sent while the accept duty is green is refused (409), naming R-REF-7', async () => {
  const s = await sentToDept()
  const res = await refused(s.id, () => R.act('xincheng.officer', s.id, 'coordination', { reason: '过早申请' }))
  assertError(res, 409, { rule: 'R-REF-7' })
})

// ---------------------------------------------------------------------------------------------
// Return (退回 / 退回补正) and withdraw

test('R-REF-3: the sender\'s leader returns a submitted referral to the drafter (reason required); it is edited and resubmitted', async () => {
  const r = await R.submitted('xincheng.officer', toDept())
  assertError(await refused(r.id, () => R.act('xincheng.leader', r.id, 'return', {})), 400, { field: 'reason' })
  assertError(await refused(r.id, () => R.act('xincheng.officer', r.id, 'return', { reason: '自己退回' })), 403)
  const ret = await R.ok('xincheng.leader', r.id, 'return', { reason: '证据材料不全，请补充现场照片' })
  assert.equal(ret.state, 'returned')
  assert.equal(ret.return_reason, '证据材料不全，请补充现场照片')
  assert.equal(ret.number, null)
  const p = await R.patch('xincheng.officer', r.id, { facts: '补充：执法人员现场拍摄照片5张，当事人拒绝签字。' })
  assert.equal(p.status, 200, show(p))
  assert.equal(p.json.state, 'returned')
  await R.ok('xincheng.officer', r.id, 'submit')
  const s = await R.ok('xincheng.leader', r.id, 'approve')
  assert.equal(s.state, 'sent')
  assert.match(s.number, NUMBER_RE)
})

test('R-REF-6/R-DOC-1: the receiver returns it for supplementation (退回补正); the resend gets a new number and the old one stays in documents', async () => {
  const s = await sentToDept()
  const n1 = s.number
  await R.ok(officer(C), s.id, 'receive')
  assertError(await refused(s.id, () => R.act(leader(C), s.id, 'return', {})), 400, { field: 'reason' })
  const ret = await R.ok(leader(C), s.id, 'return', { reason: '请补正当事人身份证明材料' })
  assert.equal(ret.state, 'returned')
  assert.equal(ret.return_reason, '请补正当事人身份证明材料')
  const evidence = [
    ...ret.evidence.map((e) => ({ name: e.name, description: e.description, file: e.file?.id ?? null })),
    { name: '当事人身份证复印件', description: '补正材料', file: files.get('xincheng.officer').id },
  ]
  const p = await R.patch('xincheng.officer', s.id, { evidence, party: { name: '陈某某', id_type: '居民身份证', id_number: '445321199001011234', address: '新兴县新城镇解放路12号', phone: '13800000000' } })
  assert.equal(p.status, 200, show(p))
  assert.equal(p.json.evidence.length, 2)
  await R.ok('xincheng.officer', s.id, 'submit')
  const again = await R.ok('xincheng.leader', s.id, 'approve')
  assert.equal(again.state, 'sent')
  assert.match(again.number, NUMBER_RE)
  assert.notEqual(again.number, n1)
  assert.ok(serialOf(again.number) > serialOf(n1))
  const letters = again.documents.filter((d) => d.kind === 'referral_letter').map((d) => d.number)
  assert.ok(letters.includes(n1), `the old number is kept: ${letters}`)
  assert.ok(letters.includes(again.number))
  assert.equal(again.duties.filter((d) => d.kind === 'referral.accept_notice' && d.state === 'open').length, 1)
  fixtures.resent = again
})

test('R-REF-3/R-ACC-1: a referral returned for supplementation cannot be redirected to another org by editing (400 field to_org); that org never sees it', async () => {
  const s = await sentToDept()
  await R.ok(leader(C), s.id, 'return', { reason: '请补正，并核实管辖' })
  const before = await R.get('coordinator.staff', s.id)
  const p = await R.patch('xincheng.officer', s.id, { to_org: W.id, jurisdiction_override_reason: '经核实，改送该局并案处理' })
  assertError(p, 400, { field: 'to_org', rule: 'R-REF-3' })
  const after = await R.get('coordinator.staff', s.id)
  assert.equal(after.to_org.id, before.to_org.id)
  assert.equal(after.state, 'returned')
  assert.equal((await (await as(officer(W))).get(`/api/v1/referrals/${s.id}`)).status, 404)
  assert.equal((await R.listIds(officer(W), 'direction=in')).includes(s.id), false)
})

test('R-REF-1: withdrawing before acceptance waives the open duties (from draft and from sent); a reason is required', async () => {
  const d = await R.create('xincheng.officer', toDept())
  assertError(await refused(d.id, () => R.act('xincheng.officer', d.id, 'withdraw', {})), 400, { field: 'reason' })
  const w = await R.ok('xincheng.officer', d.id, 'withdraw', { reason: '经核实，当事人已自行整改' })
  assert.equal(w.state, 'withdrawn')
  assert.equal(sendDutyOf(w).state, 'waived')

  const s = await sentToDept()
  assertError(await refused(s.id, () => R.act(leader(C), s.id, 'withdraw', { reason: '接收方不能撤回' })), 403)
  const w2 = await R.ok('xincheng.leader', s.id, 'withdraw', { reason: '移送错误，撤回' })
  assert.equal(w2.state, 'withdrawn')
  assert.equal(dutyOf(w2, 'referral.accept_notice').state, 'waived')
  assert.equal(w2.duties.filter((x) => x.state === 'open').length, 0, JSON.stringify(w2.duties))
  // The receiver's inbox no longer lists the waived duty as open.
  const inbox = await (await as(officer(C))).get('/api/v1/duties?page_size=200')
  assert.ok(!inbox.json.items.some((x) => x.id === dutyOf(w2, 'referral.accept_notice').id && x.state === 'open'))
})

test('R-REF-1: withdrawing after acceptance is refused: 409 illegal_transition naming the state', async () => {
  const s = await sentToDept()
  await R.ok(leader(C), s.id, 'accept', {})
  assertIllegal(await refused(s.id, () => R.act('xincheng.officer', s.id, 'withdraw', { reason: '已受理后撤回' })), 'accepted')
})

// ---------------------------------------------------------------------------------------------
// Illegal transitions

test('illegal transitions are 409 illegal_transition naming the current state, and change nothing', async () => {
  const draft = await R.create('xincheng.officer', toDept())
  const submitted = await R.submitted('xincheng.officer', toDept())
  const sent = await sentToDept()
  const received = await sentToDept()
  await R.ok(officer(C), received.id, 'receive')
  const accepted = await sentToDept()
  await R.ok(leader(C), accepted.id, 'accept', {})
  const declinedRef = await declined()
  const handled = await sentToDept()
  await R.ok(leader(C), handled.id, 'accept', {})
  await R.ok(officer(C), handled.id, 'handle', { result: '已处理' })
  const closed = fixtures.closed
  const withdrawn = await R.create('xincheng.officer', toDept())
  await R.ok('xincheng.officer', withdrawn.id, 'withdraw', { reason: '撤回' })
  const returned = await R.submitted('xincheng.officer', toDept())
  await R.ok('xincheng.leader', returned.id, 'return', { reason: '退回修改' })

  const reason = { reason: '测试' }
  const rows = [
    [draft, 'draft', 'xincheng.leader', 'approve', {}],
    [submitted, 'submitted', 'xincheng.officer', 'submit', {}],
    [sent, 'sent', 'xincheng.officer', 'submit', {}],
    [sent, 'sent', 'xincheng.leader', 'approve', {}],
    [sent, 'sent', officer(C), 'handle', { result: '过早' }],
    [sent, 'sent', leader(C), 'close', {}],
    [sent, 'sent', 'coordinator.staff', 'coordination/decision', { decision: 'receiver_accepts', reason: '无协调申请' }],
    [received, 'received', officer(C), 'receive', {}],
    [accepted, 'accepted', leader(C), 'accept', {}],
    [accepted, 'accepted', leader(C), 'decline', reason],
    [accepted, 'accepted', leader(C), 'return', reason],
    [accepted, 'accepted', officer(C), 'receive', {}],
    [accepted, 'accepted', 'xincheng.officer', 'withdraw', reason],
    [declinedRef, 'declined', leader(C), 'accept', {}],
    [declinedRef, 'declined', officer(C), 'handle', { result: '无' }],
    [handled, 'handled', officer(C), 'handle', { result: '再次' }],
    [closed, 'closed', 'xincheng.leader', 'close', {}],
    [closed, 'closed', 'xincheng.officer', 'coordination', reason],
    [withdrawn, 'withdrawn', 'xincheng.officer', 'submit', {}],
    [withdrawn, 'withdrawn', 'xincheng.officer', 'withdraw', reason],
    [returned, 'returned', 'xincheng.leader', 'approve', {}],
  ]
  for (const [ref, state, who, action, body] of rows) {
    const res = await refused(ref.id, () => R.act(who, ref.id, action, body))
    try {
      assertIllegal(res, state)
    } catch (e) {
      e.message = `${action} by ${who} in ${state}: ${e.message}`
      throw e
    }
  }
  // In English the message names the state by its code.
  const en = await refused(sent.id, () => R.act('xincheng.officer', sent.id, 'submit', {}, { headers: { 'Accept-Language': 'en' } }))
  assert.match(assertIllegal(en, 'sent').message, /\bsent\b/)
  // Editing is only for drafts and returned referrals.
  for (const [ref, state] of [[submitted, 'submitted'], [sent, 'sent'], [accepted, 'accepted']]) {
    assertIllegal(await refused(ref.id, () => R.patch('xincheng.officer', ref.id, { facts: '改动已报批的内容' })), state)
  }
})

// ---------------------------------------------------------------------------------------------
// Visibility (R-ACC-1, R-REF-8)

test('R-ACC-1/R-REF-8: sender, receiver, the matter\'s owning department and the coordinator see a referral; another township or department gets 404 on detail, list, documents and files', async () => {
  const v = await R.sent(officer(D), leader(D), toTown({ facts: '县直部门移送乡镇的可见性测试案件。' }))
  const letter = docOf(v, 'referral_letter', v.number)
  const fileId = v.evidence[0].file.id
  const seers = [officer(D), 'xincheng.officer', 'xincheng.liaison', officer(O), 'coordinator.staff', 'auditor', 'admin']
  for (const who of seers) {
    const got = await (await as(who)).get(`/api/v1/referrals/${v.id}`)
    assert.equal(got.status, 200, `${who}: ${show(got)}`)
    assert.ok((await R.listIds(who, 'direction=all')).includes(v.id), `${who} does not see it in the list`)
    const doc = await getRaw(server.url, await as(who), `/api/v1/documents/${letter.id}`, 'text/html')
    assert.equal(doc.status, 200, `${who} document: ${doc.status}`)
  }
  const strangers = ['liuzu.officer', 'liuzu.leader', officer(B), 'gaj.officer']
  for (const who of strangers) {
    const got = await (await as(who)).get(`/api/v1/referrals/${v.id}`)
    assert.equal(got.status, 404, `${who}: ${show(got)}`)
    assert.ok(!(await R.listIds(who, 'direction=all')).includes(v.id), `${who} sees it in the list`)
    assert.ok(!(await R.listIds(who, `q=${encodeURIComponent('可见性测试')}`)).includes(v.id), `${who} finds it by search`)
    const doc = await getRaw(server.url, await as(who), `/api/v1/documents/${letter.id}`, 'text/html')
    assert.equal(doc.status, 404, `${who} document: ${doc.status}`)
    const file = await getRaw(server.url, await as(who), `/api/v1/files/${fileId}`)
    assert.equal(file.status, 404, `${who} file: ${file.status}`)
    assertError(await refused(v.id, () => R.act(who, v.id, 'receive')), 404)
  }
  // The receiver may open the evidence files attached to a referral it sees.
  const file = await getRaw(server.url, await as('xincheng.officer'), `/api/v1/files/${fileId}`)
  assert.equal(file.status, 200)
  assert.match(new TextDecoder().decode(file.bytes.slice(0, 5)), /%PDF-/)

  // R-REF-8: copied both ways — in xincheng's incoming list, in D's outgoing one.
  assert.ok((await R.listIds('xincheng.officer', 'direction=in')).includes(v.id))
  assert.ok(!(await R.listIds('xincheng.officer', 'direction=out')).includes(v.id))
  assert.ok((await R.listIds(officer(D), 'direction=out')).includes(v.id))
  assert.ok(!(await R.listIds(officer(D), 'direction=in')).includes(v.id))
  // … and xincheng's own referral to C is no business of liuzu's.
  assert.equal((await (await as('liuzu.officer')).get(`/api/v1/referrals/${fixtures.closed.id}`)).status, 404)
  fixtures.visible = v
})

// ---------------------------------------------------------------------------------------------
// The printable document (R-DOC-1)

test('R-DOC-1: the printable letter is text/html with the number, the issuing org, the date 2026年11月25日, and user text HTML-escaped', async () => {
  const facts = '当事人在店门口张贴<script>alert(1)</script>字样的广告 & 标语"促销"。'
  const s = await sentToDept({ facts, place: '新城镇<b>解放路</b>' })
  const letter = docOf(s, 'referral_letter', s.number)
  const res = await getRaw(server.url, await as('xincheng.officer'), `/api/v1/documents/${letter.id}`, 'text/html')
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type') ?? '', /^text\/html;\s*charset=utf-8/i)
  const html = res.text
  assert.ok(html.includes(s.number), 'the number')
  assert.ok(html.includes(orgs.xincheng.name), 'the issuing org')
  assert.ok(html.includes(C.name), 'the addressee')
  assert.ok(html.includes('2026年11月25日'), 'the date')
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the facts, escaped')
  assert.ok(!html.includes('<script>alert(1)'), 'raw user markup in the document')
  assert.ok(!html.includes('<b>解放路</b>'), 'raw user markup in the document')
  assert.ok(html.includes(`/referrals/${s.id}`), 'the verification link back to the referral')

  // The acceptance notice is a document too, issued by the receiver.
  const a = await R.ok(leader(C), s.id, 'accept', { note: '<i>已受理</i>' })
  const notice = docOf(a, 'acceptance_notice')
  const n = await getRaw(server.url, await as('xincheng.officer'), `/api/v1/documents/${notice.id}`, 'text/html')
  assert.equal(n.status, 200)
  assert.ok(n.text.includes(notice.number))
  assert.ok(n.text.includes(C.name))
  assert.ok(n.text.includes('2026年11月25日'))
  assert.ok(!n.text.includes('<i>已受理</i>'))

  const none = await getRaw(server.url, await as('xincheng.officer'), '/api/v1/documents/999999', 'text/html')
  assert.equal(none.status, 404)
})

// ---------------------------------------------------------------------------------------------
// Timeline

test('R-AUD-1/R-REF-8: the timeline lists every action in order, with actor and org', async () => {
  const t = (await R.get('xincheng.officer', fixtures.closed.id)).timeline
  assert.ok(Array.isArray(t) && t.length >= 7, JSON.stringify(t))
  const want = [/create/, /submit/, /approve/, /receive/, /accept/, /handle/, /close/]
  let at = -1
  for (const re of want) {
    const i = t.findIndex((e, k) => k > at && re.test(e.action))
    assert.ok(i > at, `${re} missing or out of order: ${t.map((e) => e.action).join(', ')}`)
    at = i
  }
  for (let k = 1; k < t.length; k++) assert.ok(Date.parse(t[k].at) >= Date.parse(t[k - 1].at), 'timeline out of time order')
  for (const e of t) {
    assert.equal(typeof e.summary, 'string')
    assert.ok(e.actor && e.org, JSON.stringify(e))
  }
  const byAction = (re) => t.find((e) => re.test(e.action))
  assert.equal(byAction(/approve/).org.id, orgs.xincheng.id, JSON.stringify(byAction(/approve/)))
  assert.equal(byAction(/accept/).org.id, C.id, JSON.stringify(byAction(/accept/)))

  // A return and a resend show up as such.
  const r = (await R.get('xincheng.officer', fixtures.resent.id)).timeline.map((e) => e.action)
  assert.ok(r.some((a) => /return/.test(a)), r.join(', '))
  assert.equal(r.filter((a) => /approve/.test(a)).length, 2, r.join(', '))
})

// ---------------------------------------------------------------------------------------------
// Lists, search, paging, export

test('R-REF-8: list filters — direction, state, matter, township, colour and date range; bad values name the parameter', async () => {
  const out = await R.listIds('xincheng.officer', 'direction=out')
  const inc = await R.listIds('xincheng.officer', 'direction=in')
  assert.ok(out.includes(fixtures.closed.id) && !out.includes(fixtures.visible.id))
  assert.ok(inc.includes(fixtures.visible.id) && !inc.includes(fixtures.closed.id))

  const drafts = await R.list('xincheng.officer', 'state=draft&page_size=100')
  assert.ok(drafts.items.length > 0 && drafts.items.every((x) => x.state === 'draft'))
  assert.ok(drafts.items.some((x) => x.id === fixtures.draft.id))
  assert.ok(!drafts.items.some((x) => x.id === fixtures.closed.id))
  const closed = await R.list('xincheng.officer', 'state=closed&page_size=100')
  assert.ok(closed.items.every((x) => x.state === 'closed') && closed.items.some((x) => x.id === fixtures.closed.id))
  for (const x of drafts.items) assert.equal(x.timeline, undefined, 'list items carry no timeline')

  const byMatter = await R.list('coordinator.staff', `matter=${encodeURIComponent(m.town.matter.code)}&page_size=100`)
  assert.ok(byMatter.items.length > 0 && byMatter.items.every((x) => x.matter.code === m.town.matter.code))
  assert.ok(byMatter.items.some((x) => x.id === fixtures.visible.id))

  const byOrg = await R.list('coordinator.staff', `org=${C.id}&page_size=200`)
  assert.ok(byOrg.items.length > 0 && byOrg.items.every((x) => x.from_org.id === C.id || x.to_org.id === C.id))
  assert.ok(byOrg.items.some((x) => x.id === fixtures.closed.id) && !byOrg.items.some((x) => x.id === fixtures.visible.id))

  // A liuzu referral: only under township=liuzu.
  const lz = await R.create('liuzu.officer', draftBody({ matter: m.liuzuDept.matter, to: orgs[m.liuzuDept.competent.code], township: orgs.liuzu, file: files.get('liuzu.officer'), discoveredAt: DISCOVERED, place: '六祖镇龙山塘村' }))
  const inLiuzu = await R.list('coordinator.staff', `township=${orgs.liuzu.id}&page_size=100`)
  assert.ok(inLiuzu.items.some((x) => x.id === lz.id) && inLiuzu.items.every((x) => x.township.id === orgs.liuzu.id))
  assert.ok(!(await R.listIds('coordinator.staff', `township=${orgs.xincheng.id}`)).includes(lz.id))

  // Colour: a referral discovered on 11-10 has had its send duty overdue since 11-14 (red).
  const late = await R.create('xincheng.officer', toDept({ discovered_at: '2026-11-10T10:00:00+08:00' }))
  assert.equal(sendDutyOf(late).colour, 'red')
  const red = await R.listIds('xincheng.officer', 'colour=red')
  const green = await R.listIds('xincheng.officer', 'colour=green')
  assert.ok(red.includes(late.id) && !red.includes(fixtures.draft.id), 'colour=red')
  assert.ok(green.includes(fixtures.draft.id) && !green.includes(late.id), 'colour=green')
  assert.ok(!(await R.listIds('xincheng.officer', 'colour=yellow')).includes(late.id))

  // Date range (whatever date the filter uses, every referral here is from November 2026).
  const nov = await R.listIds('xincheng.officer', 'from=2026-11-01&to=2026-11-30')
  assert.ok(nov.includes(fixtures.draft.id) && nov.includes(late.id))
  // (The demo county's own examples are created when the database is loaded, on the real date.)
  const dec = await R.listIds('xincheng.officer', 'from=2026-12-01')
  assert.ok(!dec.includes(fixtures.draft.id) && !dec.includes(late.id) && !dec.includes(fixtures.closed.id))
  assert.equal((await R.list('xincheng.officer', 'to=2026-10-31')).total, 0)

  for (const [q, field] of [['direction=sideways', 'direction'], ['state=lost', 'state'], ['colour=purple', 'colour'], ['from=2026-13-01', 'from']]) {
    const res = await (await as('xincheng.officer')).get(`/api/v1/referrals?${q}`)
    assertError(res, 400, { field })
  }
})

test('R-REF-8: full-text q finds Chinese text with a 2-character and a longer query, and numbers; others\' referrals stay hidden', async () => {
  const a = await R.create('xincheng.officer', toDept({ facts: '当事人在路边摆卖貔貅摆件等工艺品，占用人行道。' }))
  const b = await R.create('xincheng.officer', toDept({ facts: '当事人经营夜光风筝摊档，未办理营业执照。', place: '新城镇人民广场东侧' }))
  const q = async (who, text) => R.listIds(who, `q=${encodeURIComponent(text)}`)
  assert.deepEqual(await q('xincheng.officer', '貔貅'), [a.id])
  assert.deepEqual(await q('xincheng.officer', '夜光风筝摊'), [b.id])
  assert.ok((await q('xincheng.officer', '风筝')).includes(b.id))
  assert.ok((await q('coordinator.staff', '人民广场')).includes(b.id), 'place')
  assert.ok((await q('xincheng.officer', fixtures.closed.number)).includes(fixtures.closed.id), 'number')
  assert.ok((await q('xincheng.officer', '陈某某')).includes(a.id), 'party name')
  assert.deepEqual(await q('xincheng.officer', '貅'), [a.id], 'a 1-character query')
  // SQL LIKE wildcards are literal characters (no referral here contains them).
  for (const wild of ['%', '_', '%%', '貔_']) assert.deepEqual(await q('coordinator.staff', wild), [], `q=${wild}`)
  assert.deepEqual(await q('liuzu.officer', '貔貅'), [])
  assert.deepEqual(await q('xincheng.officer', '不存在的词语组合'), [])
})

test('paging: totals stay the same on every page, pages do not overlap and cover everything', async () => {
  const first = await R.list('coordinator.staff', 'page=1&page_size=3')
  const total = first.total
  assert.ok(total >= 10, `total ${total}`)
  assert.equal(first.items.length, 3)
  const seen = []
  for (let page = 1; page <= Math.ceil(total / 3); page++) {
    const j = await R.list('coordinator.staff', `page=${page}&page_size=3`)
    assert.equal(j.total, total, `page ${page}`)
    assert.equal(j.items.length, Math.min(3, total - (page - 1) * 3), `page ${page}`)
    seen.push(...j.items.map((x) => x.id))
  }
  assert.equal(new Set(seen).size, total, 'pages overlap or miss items')
  const beyond = await R.list('coordinator.staff', `page=${Math.ceil(total / 3) + 1}&page_size=3`)
  assert.equal(beyond.items.length, 0)
  assert.equal(beyond.total, total)
  for (const bad of ['page_size=201', 'page_size=0', 'page=0']) {
    assertError(await (await as('coordinator.staff')).get(`/api/v1/referrals?${bad}`), 400, { field: bad.split('=')[0] })
  }
  // Filtered totals count only what matches.
  const drafts = await R.list('xincheng.officer', 'state=draft&page_size=1')
  assert.equal(drafts.items.length, 1)
  assert.equal(drafts.total, (await R.listIds('xincheng.officer', 'state=draft')).length)
})

test('R-REF-8: CSV export has a UTF-8 BOM, a header line and one row per referral matching the filters', async () => {
  const filter = `direction=out&matter=${encodeURIComponent(m.dept.matter.code)}`
  const expected = await R.list('xincheng.officer', `${filter}&page_size=1`)
  const res = await getRaw(server.url, await as('xincheng.officer'), `/api/v1/referrals/export.csv?${filter}`, 'text/csv')
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type') ?? '', /^text\/csv;\s*charset=utf-8/i)
  assert.deepEqual([...res.bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM')
  const lines = res.text.slice(1).split(/\r?\n/).filter((l) => l.length > 0)
  assert.ok(lines[0].split(',').length >= 5, `header: ${lines[0]}`)
  assert.ok(!/^\d/.test(lines[0]), `the first line is a header, not data: ${lines[0]}`)
  assert.equal(lines.length - 1, expected.total, 'one row per referral')
  assert.ok(res.text.includes(fixtures.closed.number))
  assert.ok(!res.text.includes(fixtures.visible.number), 'an incoming referral in an outgoing export')
  // Others' export never shows xincheng's referrals.
  const other = await getRaw(server.url, await as('liuzu.officer'), '/api/v1/referrals/export.csv', 'text/csv')
  assert.equal(other.status, 200)
  assert.ok(!other.text.includes(fixtures.closed.number))
})

// ---------------------------------------------------------------------------------------------
// Idempotency

test('Idempotency-Key: approving twice with the same key issues one number; the second response is the replayed first', async () => {
  const r = await R.submitted('xincheng.officer', toDept())
  const key = `approve-${r.id}-once`
  const first = await R.act('xincheng.leader', r.id, 'approve', {}, { headers: { 'Idempotency-Key': key } })
  assert.equal(first.status, 200, show(first))
  assert.notEqual(first.headers.get('idempotent-replayed'), 'true')
  const second = await R.act('xincheng.leader', r.id, 'approve', {}, { headers: { 'Idempotency-Key': key } })
  assert.equal(second.status, 200, `a replay, not 409 illegal_transition: ${show(second)}`)
  assert.equal(second.headers.get('idempotent-replayed'), 'true')
  assert.deepEqual(second.json, first.json)
  const now = await R.get('coordinator.staff', r.id)
  assert.equal(now.number, first.json.number)
  assert.equal(now.documents.filter((d) => d.kind === 'referral_letter').length, 1)
  // No number was consumed by the replay: the next approval takes the next serial.
  const next = await sentToDept()
  assert.equal(serialOf(next.number), serialOf(first.json.number) + 1, `${first.json.number} then ${next.number}`)
  // Without the key, a second approval is an illegal transition.
  assertIllegal(await refused(r.id, () => R.act('xincheng.leader', r.id, 'approve', {})), 'sent')
})

test('Idempotency-Key: the same key on create replays (one referral); with a different body it is 409 idempotency_key_reused', async () => {
  const before = (await R.list('coordinator.staff', 'page_size=1')).total
  const key = 'create-idem-0001'
  const body = toDept({ facts: '幂等键测试：同一请求重复提交。' })
  const client = await as('xincheng.officer')
  const a = await client.post('/api/v1/referrals', body, { headers: { 'Idempotency-Key': key } })
  assert.equal(a.status, 201, show(a))
  const b = await client.post('/api/v1/referrals', body, { headers: { 'Idempotency-Key': key } })
  assert.equal(b.status, 201, show(b))
  assert.equal(b.headers.get('idempotent-replayed'), 'true')
  assert.equal(b.json.id, a.json.id)
  assert.equal((await R.list('coordinator.staff', 'page_size=1')).total, before + 1)
  const c = await refusedCreate(() => client.post('/api/v1/referrals', { ...body, facts: '另一份内容' }, { headers: { 'Idempotency-Key': key } }))
  assertError(c, 409, { code: 'idempotency_key_reused' })
  // Another user with the same key is a different request.
  const d = await (await as(officer(D))).post('/api/v1/referrals', toTown(), { headers: { 'Idempotency-Key': key } })
  assert.equal(d.status, 201, show(d))
  assert.notEqual(d.json.id, a.json.id)
})

test('R-REF-3: evidence files — unsupported types are refused naming "file"; the same bytes give the same id; the uploader reads them back', async () => {
  const client = await as('xincheng.officer')
  const exe = await fetch(new URL('/api/v1/files', server.url), {
    method: 'POST',
    headers: { Cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'X-CSRF-Token': client.csrfToken, 'Content-Type': 'application/octet-stream', 'X-File-Name': 'setup.exe' },
    body: new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00]),
  })
  const ej = await exe.json()
  assert.equal(exe.status, 400, JSON.stringify(ej))
  assert.equal(ej.error.code, 'unsupported_file_type')
  assert.equal(ej.error.field, 'file')
  const again = await uploadFile(server.url, client, { name: '现场检查笔录（xincheng.officer）.pdf', bytes: pdfBytes('xincheng.officer') })
  assert.equal(again.id, files.get('xincheng.officer').id)
  assert.match(again.id, /^[0-9a-f]{64}$/)
  const back = await getRaw(server.url, client, `/api/v1/files/${again.id}`)
  assert.equal(back.status, 200)
  assert.match(back.headers.get('content-type') ?? '', /^application\/pdf/)
  assert.deepEqual([...back.bytes], [...pdfBytes('xincheng.officer')])
})

test('R-DOC-1: every number issued in this file is unique, and per org and kind the serials are gap-free from 1', async () => {
  const ids = await R.listIds('coordinator.staff', 'direction=all')
  const numbers = new Map() // number → document id
  for (const id of ids) {
    for (const d of (await R.get('coordinator.staff', id)).documents) {
      assert.match(d.number, NUMBER_RE)
      assert.ok(!numbers.has(d.number) || numbers.get(d.number) === d.id, `number ${d.number} issued twice`)
      numbers.set(d.number, d.id)
    }
  }
  const byPrefix = new Map()
  for (const n of numbers.keys()) byPrefix.set(prefixOf(n), [...(byPrefix.get(prefixOf(n)) ?? []), serialOf(n)])
  assert.ok(byPrefix.get(`${orgs.xincheng.doc_prefix}移`)?.length >= 10, JSON.stringify([...byPrefix]))
  assert.ok(byPrefix.get(`${C.doc_prefix}受`)?.length >= 5, `C=${C.code} D=${D.code} W=${W.code} O=${O.code} ${JSON.stringify([...byPrefix])}`)
  for (const [prefix, serials] of byPrefix) {
    serials.sort((a, b) => a - b)
    assert.deepEqual(serials, serials.map((_, i) => i + 1), `${prefix}: ${serials.join(',')}`)
  }
})

test('R-AUD-1: every referral action is in the audit trail and the chain verifies', async () => {
  const admin = await as('admin')
  const audit = await admin.get(`/api/v1/audit?object_type=referral&object_id=${fixtures.closed.id}`)
  assert.equal(audit.status, 200, show(audit))
  const actions = audit.json.items.map((e) => e.action)
  for (const a of ['create', 'submit', 'approve', 'receive', 'accept', 'handle', 'close']) {
    assert.ok(actions.some((x) => x.includes(a)), `${a} not audited: ${actions.join(', ')}`)
  }
  const v = await admin.get('/api/v1/audit/verify')
  assert.equal(v.json.ok, true, JSON.stringify(v.json))
})
