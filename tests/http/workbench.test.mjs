// The workbench, approvals in 待办, the coordinator's overview and 督办 (issue 17; R-PLN-2;
// docs/workbench-contract.md), end to end on one server with a fake clock: each workbench count
// equals the total of the list it links to (same filter); a leader's pending approval is a 待办
// row; the overview per org and the coordination queue; an urging is numbered (督), reaches the
// owner's leaders and liaisons, shows on the urged item's timeline, and its answer meets the
// urging.answer duty; refused urgings change nothing.
// xt-backends: sqlite postgres (servers start in ./lib/coord.mjs through startServer)
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { show } from './lib/util.mjs'
import { classifyMatters, pick, draftBody, uploadFile, getRaw, NUMBER_RE } from './lib/referrals.mjs'
import { CoordSuite, assertError } from './lib/coord.mjs'

const S = CoordSuite({ start: '2026-12-01T09:00:00+08:00', extraArgs: ['--violation-dispatch-hours', '2'] })
let orgs
let C // the county department competent for the referral's matter
let referral
let violation // xincheng → scjg, dispatch overdue after 2 hours
let fresh // a violation notice whose duty is still green

before(async () => {
  await S.start()
  orgs = S.orgs
  const coord = await S.as('coordinator.staff')
  const cat = await classifyMatters(coord, ['xincheng'], '2026-12-01')
  const m = pick(cat.at.xincheng, (e) => e.competent.kind === 'county_department' && e.matter.statutory_referral_days == null,
    'competent to a county department in xincheng')
  C = orgs[m.competent.code]
  for (const u of ['xincheng.officer', 'xincheng.leader', 'xincheng.liaison', 'liuzu.leader', 'scjg.officer', 'scjg.leader',
    'scjg.liaison', 'zrzy.leader', `${C.code}.officer`, `${C.code}.leader`, 'auditor', 'admin']) await S.as(u)
  const file = await uploadFile(S.server.url, await S.as('xincheng.officer'), { name: '现场检查笔录.pdf' })
  const draft = await S.create('xincheng.officer', 'referrals', draftBody({ matter: m.matter, to: C, township: orgs.xincheng, file, discoveredAt: '2026-11-30T10:00:00+08:00' }))
  referral = await S.act('xincheng.officer', 'referrals', draft.id, 'submit')
  assert.equal(referral.state, 'submitted')
  const body = (over) => ({ category: 'safety', to_org: orgs.scjg.id, description: '某餐饮店后厨违规使用无合格证的液化气瓶', place: '新城镇新兴大道88号', found_at: '2026-12-01T08:30:00+08:00', ...over })
  violation = await S.create('xincheng.officer', 'violation-notices', body())
})
after(S.stop)

const get = async (who, path) => {
  const res = await S.get(who, path)
  assert.equal(res.status, 200, `${who} GET ${path}: ${show(res)}`)
  return res.json
}
const total = async (who, path) => (await get(who, path)).total

/** Every count of the workbench equals the total of the list it links to (the same filter). */
async function assertCountsMatch(who) {
  const w = await get(who, '/api/v1/workbench')
  const month = `from=${w.month.from}&to=${w.month.to}`
  for (const c of ['green', 'yellow', 'red']) {
    assert.equal(w.duties[c], await total(who, `/api/v1/duties?scope=org&state=open&colour=${c}&page_size=1`), `${who} duties ${c}`)
  }
  assert.equal(w.duties.open, await total(who, '/api/v1/duties?scope=org&state=open&page_size=1'), `${who} duties open`)
  for (const d of ['in', 'out']) {
    assert.equal(w.referrals[d], await total(who, `/api/v1/referrals?direction=${d}&${month}&page_size=1`), `${who} referrals ${d}`)
    // This month's collaboration items (issue 17: the combined list's from/to filter).
    assert.equal(w.collaborations[d], await total(who, `/api/v1/collab-items?direction=${d}&${month}&page_size=1`), `${who} collab items ${d}`)
  }
  assert.equal(w.urgings_open, await total(who, '/api/v1/urgings?direction=in&state=open&page_size=1'), `${who} urgings`)
  assert.equal(w.approvals, await total(who, '/api/v1/pending-approvals'), `${who} approvals`)
  assert.equal(w.unread, (await get(who, '/api/v1/notifications?unread=true&page_size=1')).unread, `${who} unread`)
  return w
}

test('workbench: every count equals the list it links to (constructed data)', async () => {
  const x = await assertCountsMatch('xincheng.officer')
  assert.equal(x.month.from, '2026-12-01')
  assert.equal(x.month.to, '2026-12-31')
  assert.ok(x.referrals.out >= 1, 'the referral created this month is counted as out')
  assert.ok(x.duties.open >= 1, 'the referral has its send duty (R-REF-4)')
  const s = await assertCountsMatch('scjg.officer')
  assert.ok(s.duties.open >= 1, 'the violation notice opened scjg\'s dispatch duty (R-COL-8)')
  assert.ok(s.collaborations.in >= 1, 'the violation notice is a collaboration item addressed to scjg')
  assert.equal(s.coordination_queue, null, 'only the coordinator sees the queue count')
  await assertCountsMatch(`${C.code}.leader`)
  const c = await assertCountsMatch('coordinator.staff')
  assert.equal(typeof c.coordination_queue, 'number')
  assert.equal(typeof c.urgings_unanswered, 'number')
  const res = await (await S.as('xincheng.officer')).get('/api/v1/workbench')
  assert.equal(res.status, 200)
})

test('R-REF-3: a leader\'s pending approval appears in 待办 (GET /api/v1/pending-approvals), nobody else\'s', async () => {
  const mine = await get('xincheng.leader', '/api/v1/pending-approvals')
  const row = mine.items.find((r) => r.type === 'referral' && r.id === referral.id)
  assert.ok(row, `the submitted referral is waiting for xincheng.leader: ${JSON.stringify(mine)}`)
  assert.equal(row.path, `/referrals/${referral.id}`)
  assert.equal(row.rule, 'R-REF-3')
  assert.equal(row.what, '批准移送')
  assert.equal(mine.total, mine.items.length)
  assert.equal((await get('xincheng.leader', '/api/v1/workbench')).approvals, mine.total)
  // Not a leader, or a leader of another org: nothing of it.
  assert.equal((await get('xincheng.officer', '/api/v1/pending-approvals')).total, 0)
  assert.ok(!(await get('liuzu.leader', '/api/v1/pending-approvals')).items.some((r) => r.type === 'referral' && r.id === referral.id))
  assert.ok(!(await get(`${C.code}.leader`, '/api/v1/pending-approvals')).items.some((r) => r.type === 'referral' && r.id === referral.id))
  // Once approved it leaves 待审批.
  await S.act('xincheng.leader', 'referrals', referral.id, 'approve')
  assert.ok(!(await get('xincheng.leader', '/api/v1/pending-approvals')).items.some((r) => r.type === 'referral' && r.id === referral.id))
  await assertCountsMatch(`${C.code}.leader`)
})

test('R-PLN-2: refused urgings change nothing (403 not coordinator, 404 unknown, 409 not late, 400 body)', async () => {
  const urge = (who, body) => S.noneCreated('urgings', () => S.post(who, '/api/v1/urgings', body))
  const target = { target_type: 'violation_notice', target_id: violation.id, text: '请立即派员' }
  // Green: nothing to urge yet.
  const before = await S.detail('coordinator.staff', 'violation-notices', violation.id)
  assertError(await urge('coordinator.staff', target), 409, { code: 'not_late', rule: 'R-PLN-2' })
  assertError(await urge('xincheng.leader', target), 403, { code: 'permission_denied', rule: 'R-PLN-2' })
  assertError(await urge('auditor', target), 403, { rule: 'R-PLN-2' })
  assertError(await urge('admin', target), 403, { rule: 'R-PLN-2' })
  assertError(await urge('coordinator.staff', { ...target, target_id: 999999 }), 404, { code: 'not_found', field: 'target_id' })
  assertError(await urge('coordinator.staff', { ...target, target_type: 'referral', target_id: violation.id + 100000 }), 404, { field: 'target_id' })
  assertError(await urge('coordinator.staff', { ...target, target_type: 'spaceship' }), 400, { field: 'target_type', rule: 'R-PLN-2' })
  assertError(await urge('coordinator.staff', { ...target, bogus: 1 }), 400, { code: 'unknown_field', field: 'bogus', rule: 'R-PLN-2' })
  assertError(await urge('coordinator.staff', { ...target, target_id: 'x' }), 400, { field: 'target_id' })
  assertError(await urge('coordinator.staff', { ...target, text: '长'.repeat(2001) }), 400, { code: 'too_long', field: 'text' })
  assert.deepEqual(await S.detail('coordinator.staff', 'violation-notices', violation.id), before)
  const anon = await fetch(new URL('/api/v1/urgings', S.server.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(target) })
  assert.equal(anon.status, 401)
})

let urging
test('R-PLN-2: 督办 of an overdue item: numbered 督, to the owner\'s leaders and liaisons, on the timeline; the answer meets the duty', async () => {
  await S.setClock('2026-12-01T12:00:00+08:00') // the 2-hour dispatch duty is overdue (red)
  const v = await S.detail('coordinator.staff', 'violation-notices', violation.id)
  assert.equal(v.colour, 'red', JSON.stringify(v.duties))
  const openBefore = (await get('scjg.leader', '/api/v1/workbench')).urgings_open
  urging = await S.create('coordinator.staff', 'urgings', { target_type: 'violation_notice', target_id: violation.id, text: '请立即派员核查处置' })
  assert.equal(urging.type, 'urging')
  assert.equal(urging.state, 'open')
  assert.match(urging.number, NUMBER_RE)
  assert.ok(urging.number.includes('督'), urging.number)
  assert.equal(urging.to_org.id, orgs.scjg.id)
  assert.equal(urging.from_org.id, orgs.coordinator.id)
  assert.equal(urging.target.path, `/violation-notices/${violation.id}`)
  assert.equal(urging.duty.colour, 'red')
  const d = urging.duties.find((x) => x.kind === 'urging.answer')
  assert.ok(d && d.state === 'open' && d.owner_org.id === orgs.scjg.id, JSON.stringify(urging.duties))
  assert.equal(d.due_at, await S.addWorkdays('2026-12-01T12:00:00+08:00', 2), 'urging.answer: 2 working days')
  const doc = urging.documents.find((x) => x.kind === 'urging_notice')
  assert.ok(doc && doc.number === urging.number, JSON.stringify(urging.documents))
  // Notified: the owner's leaders and liaisons; not its officers, not another org.
  for (const who of ['scjg.leader', 'scjg.liaison']) {
    assert.deepEqual(await S.noteKinds(who, 'urging', urging.id), ['urging.created'], who)
  }
  assert.deepEqual(await S.noteKinds('scjg.officer', 'urging', urging.id), [])
  assert.deepEqual(await S.noteKinds('zrzy.leader', 'urging', urging.id), [])
  // On the urged item's timeline, with the number.
  const after = await S.detail('xincheng.officer', 'violation-notices', violation.id)
  const line = after.timeline.find((e) => e.action === 'urged')
  assert.ok(line && line.summary.includes(urging.number), JSON.stringify(after.timeline))
  // Visibility: the coordinator, the owner, auditors; not the notifier nor other orgs (R-ACC-1).
  for (const who of ['scjg.officer', 'auditor']) await S.detail(who, 'urgings', urging.id)
  for (const who of ['xincheng.officer', 'zrzy.leader']) assert.equal((await S.get(who, `/api/v1/urgings/${urging.id}`)).status, 404, who)
  // The owner's workbench counts it; the counts still equal the lists.
  assert.equal((await assertCountsMatch('scjg.leader')).urgings_open, openBefore + 1)
  // Refused answers change nothing.
  await S.unchanged('urgings', urging.id, () => S.post('zrzy.leader', `/api/v1/urgings/${urging.id}/answer`, { text: '已处理' }))
  assertError(await S.unchanged('urgings', urging.id, () => S.post('coordinator.staff', `/api/v1/urgings/${urging.id}/answer`, { text: '已处理' })), 403, { rule: 'R-PLN-2' })
  assertError(await S.unchanged('urgings', urging.id, () => S.post('scjg.officer', `/api/v1/urgings/${urging.id}/answer`, { text: ' ' })), 400, { field: 'text' })
  assertError(await S.unchanged('urgings', urging.id, () => S.post('scjg.officer', `/api/v1/urgings/${urging.id}/answer`, {})), 400, { field: 'text' })
  // The answer meets urging.answer.
  const answered = await S.act('scjg.officer', 'urgings', urging.id, 'answer', { text: '已派员到场核查，责令停止使用' })
  assert.equal(answered.state, 'answered')
  assert.equal(answered.answer.text, '已派员到场核查，责令停止使用')
  assert.equal(answered.duties.find((x) => x.kind === 'urging.answer').state, 'met')
  assert.deepEqual(await S.noteKinds('coordinator.staff', 'urging', urging.id), ['urging.answered'])
  const again = await S.post('scjg.officer', `/api/v1/urgings/${urging.id}/answer`, { text: '再答一次' })
  assertError(again, 409, { code: 'illegal_transition', rule: 'R-PLN-2' })
  // The coordinator sees which urgings were answered.
  const ids = (q) => S.listIds('coordinator.staff', 'urgings', q)
  assert.ok((await ids('state=answered')).includes(urging.id))
  assert.ok(!(await ids('state=open')).includes(urging.id))
  assert.ok((await ids(`org=${orgs.scjg.id}`)).includes(urging.id))
  assertError(await S.get('coordinator.staff', '/api/v1/urgings?state=bogus'), 400, { field: 'state' })
  // 导出 (issue 17): the same filters, every page, CSV with BOM; what each may see (R-ACC-1).
  const csv = async (who, q = '') => {
    const res = await getRaw(S.server.url, await S.as(who), `/api/v1/urgings/export.csv${q}`, 'text/csv')
    assert.equal(res.status, 200, `${who}: ${res.text}`)
    assert.match(res.headers.get('content-type') ?? '', /^text\/csv/)
    return res.text
  }
  const all = await csv('coordinator.staff')
  assert.ok(all.startsWith('\uFEFF文号,督办事项,被督办单位,办理期限,督办要求,状态,督办时间,答复时间,答复内容,期限状态\r\n'), all.slice(0, 80))
  const row = all.split('\r\n').find((l) => l.startsWith(urging.number))
  assert.ok(row, all)
  for (const part of ['新兴县市场监督管理局', '请立即派员核查处置', '已答复', '已派员到场核查，责令停止使用']) assert.ok(row.includes(part), `${part} in ${row}`)
  assert.doesNotMatch(row, /T\d\d:\d\d|Z,/, 'times in Shanghai words, not ISO')
  assert.ok((await csv('coordinator.staff', '?state=answered')).includes(urging.number))
  assert.ok(!(await csv('coordinator.staff', '?state=open')).includes(urging.number), 'the filter applies')
  assert.ok((await csv('scjg.officer')).includes(urging.number), 'the urged org')
  assert.ok(!(await csv('zrzy.leader')).includes(urging.number), 'not another org (R-ACC-1)')
  assertError(await S.get('coordinator.staff', '/api/v1/urgings/export.csv?state=bogus'), 400, { field: 'state' })
})

test('R-PLN-2: urging a duty directly, and a referral', async () => {
  // scjg's dispatch duty is still red: urge the duty itself.
  const v = await S.detail('coordinator.staff', 'violation-notices', violation.id)
  const duty = v.duties.find((x) => x.kind === 'violation.dispatch' && x.state === 'open')
  assert.ok(duty, JSON.stringify(v.duties))
  const u = await S.create('coordinator.staff', 'urgings', { target_type: 'duty', target_id: duty.id })
  assert.equal(u.to_org.id, orgs.scjg.id)
  assert.equal(u.target.path, `/violation-notices/${violation.id}`)
  assert.ok(u.text.length > 0, 'a default request text')
  // The referral's acceptance duty is green: 409.
  assertError(await S.noneCreated('urgings', () => S.post('coordinator.staff', '/api/v1/urgings', { target_type: 'referral', target_id: referral.id })), 409, { code: 'not_late' })
})

test('R-PLN-2: the overview per org (sortable) and the coordination queue', async () => {
  const o = await get('coordinator.staff', '/api/v1/overview/orgs')
  const scjg = o.orgs.find((r) => r.org.id === orgs.scjg.id)
  assert.ok(scjg && scjg.red >= 1 && scjg.open >= scjg.red, JSON.stringify(scjg))
  assert.equal(scjg.late_this_month, scjg.red, 'every overdue duty of scjg fell due this month')
  // Equal to the coordinator's duty list restricted to the org's red duties.
  const reds = (await get('coordinator.staff', '/api/v1/duties?scope=all&state=open&colour=red&page_size=200')).items
  assert.equal(scjg.red, reds.filter((d) => d.owner_org.id === orgs.scjg.id).length)
  for (let i = 1; i < o.orgs.length; i++) assert.ok(o.orgs[i - 1].red >= o.orgs[i].red, 'sorted by red, most first')
  const byOpen = (await get('coordinator.staff', '/api/v1/overview/orgs?sort=open')).orgs
  for (let i = 1; i < byOpen.length; i++) assert.ok(byOpen[i - 1].open >= byOpen[i].open)
  assertError(await S.get('coordinator.staff', '/api/v1/overview/orgs?sort=bogus'), 400, { field: 'sort' })
  assertError(await S.get('scjg.leader', '/api/v1/overview/orgs'), 403, { rule: 'R-PLN-2' })
  await get('auditor', '/api/v1/overview/orgs')
  assert.ok(Array.isArray(o.queue))
  // R-COL-8: the dispatch is overdue, so the township asks the coordinator: the queue shows it.
  assert.ok(!o.queue.some((r) => r.type === 'violation_notice' && r.id === violation.id))
  const c = await S.act('xincheng.officer', 'violation-notices', violation.id, 'coordination', { reason: '市场监管局逾期未派员' })
  assert.equal(c.state, 'coordination')
  const q = (await get('coordinator.staff', '/api/v1/overview/orgs')).queue
  const row = q.find((r) => r.type === 'violation_notice' && r.id === violation.id)
  assert.ok(row, JSON.stringify(q))
  assert.equal(row.rule, 'R-COL-8')
  assert.equal(row.path, `/violation-notices/${violation.id}`)
  assert.equal((await get('coordinator.staff', '/api/v1/workbench')).coordination_queue, q.length)
})
