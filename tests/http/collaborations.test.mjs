// Collaboration requests end to end (执法协作文书, SPEC §5 R-COL-1..4, R-DOC-1, R-ACC-1), against
// docs/collaboration-contract.md: the happy path answered on time, an extension of a technical
// appraisal (R-COL-4), an urgent request whose dispatch duty is met by `arrived` (R-COL-3), a
// follow-up round, and refusals naming field and rule that change nothing. xincheng asks scjg.
// The tests run in order on one server; the fake clock starts on Monday 2026-11-23 09:00.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer } from '../lib/server.mjs'
import { show } from './lib/util.mjs'
import {
  Users, orgsByCode, uploadFile, getRaw, assertError, assertSameInstant, dutyOf,
  notesAbout, addWorkdays, NUMBER_RE,
} from './lib/referrals.mjs'

const NOW = '2026-11-23T09:00:00+08:00'

let server
let as
let orgs
let file

before(async () => {
  server = await startServer({ fakeClock: NOW, extraArgs: ['--access-log', 'off', '--sweep-interval', '3600'] })
  as = Users(server.url, { tokens: true })
  orgs = await orgsByCode(await as('coordinator.staff'))
  for (const p of ['xincheng.officer', 'xincheng.leader', 'scjg.officer', 'scjg.leader', 'scjg.liaison',
    'liuzu.officer', 'coordinator.staff', 'auditor']) await as(p)
  file = await uploadFile(server.url, await as('xincheng.officer'), { name: '检测样品照片.pdf' })
})
after(async () => {
  await server?.stop()
})

async function advance(seconds) {
  const res = await (await as('admin')).post('/api/v1/test/clock', { advance_seconds: seconds })
  assert.ok(res.status === 200 || res.status === 204, show(res))
}

function body(over = {}) {
  return {
    kind: 'technical_appraisal', to_org: orgs.scjg.id, title: '涉案饮料是否过期<script>',
    questions: '请对现场查扣的12箱饮料是否超过保质期进行技术鉴定', case_ref: '新城镇2026年第18号案',
    materials: [{ name: '样品照片', description: '3张', file: file.id }], ...over,
  }
}

async function ok(res, status = 200) {
  assert.equal(res.status, status, show(res))
  return res.json
}

async function sent(over = {}) {
  const created = await ok(await (await as('xincheng.officer')).post('/api/v1/collaborations', body(over)), 201)
  await ok(await (await as('xincheng.officer')).post(`/api/v1/collaborations/${created.id}/submit`, {}))
  return ok(await (await as('xincheng.leader')).post(`/api/v1/collaborations/${created.id}/approve`, {}))
}

const path = (c, action = '') => `/api/v1/collaborations/${c.id}${action ? '/' + action : ''}`

test('R-COL-1/2: the happy path, answered on time, numbered letter and answer, both sides notified', async () => {
  const officer = await as('xincheng.officer')
  const res = await officer.post('/api/v1/collaborations', body())
  const draft = await ok(res, 201)
  assert.equal(res.headers.get('location'), `/api/v1/collaborations/${draft.id}`)
  assert.equal(draft.state, 'draft')
  assert.equal(draft.number, null)
  assert.equal(draft.materials[0].file.id, file.id)
  // A draft is the sender's alone (R-ACC-1).
  assertError(await (await as('scjg.officer')).get(path(draft)), 404)

  let c = await ok(await officer.post(path(draft, 'submit'), {}))
  assert.equal(c.state, 'submitted')
  c = await ok(await (await as('xincheng.leader')).post(path(c, 'approve'), {}))
  assert.equal(c.state, 'sent')
  assert.match(c.number, NUMBER_RE)
  assert.ok(c.number.includes('协〔2026〕'), c.number)
  assert.equal(c.rounds.length, 1)
  const duty = dutyOf(c, 'collaboration.answer')
  assert.ok(duty, JSON.stringify(c.duties))
  assert.equal(duty.rule, 'R-COL-2')
  assert.equal(duty.owner_org.id, orgs.scjg.id)
  assertSameInstant(duty.due_at, await addWorkdays(officer, c.sent_at, 3), 'answer due: 3 working days from sent_at')
  assert.equal(dutyOf(c, 'collaboration.dispatch'), undefined)
  assert.equal(c.documents.length, 1)
  assert.equal(c.documents[0].kind, 'collaboration_letter')
  // The department's leaders and liaisons are told it arrived.
  for (const u of ['scjg.leader', 'scjg.liaison']) {
    const notes = await notesAbout(await as(u), 'collaboration', c.id)
    assert.ok(notes.some((n) => n.kind === 'collaboration.received'), `${u}: ${JSON.stringify(notes)}`)
  }
  // The printable letter: escaped, for both sides.
  const letter = await getRaw(server.url, await as('scjg.officer'), c.documents[0].url, 'text/html')
  assert.equal(letter.status, 200)
  const html = letter.text
  assert.ok(html.includes(c.number), 'the number is printed')
  assert.ok(html.includes('&lt;script&gt;') && !html.includes('<script>'), 'the title is escaped')

  c = await ok(await (await as('scjg.officer')).post(path(c, 'receive'), {}))
  assert.equal(c.state, 'received')
  await advance(3 * 3600)
  c = await ok(await (await as('scjg.officer')).post(path(c, 'answer'), { conclusion: '均已过期', text: '经检测，12箱饮料均已超过保质期。' }))
  assert.equal(c.state, 'answer_pending')
  assert.equal(c.rounds[0].answer.answered_at, null)
  c = await ok(await (await as('scjg.leader')).post(path(c, 'approve-answer'), {}))
  assert.equal(c.state, 'answered')
  const met = dutyOf(c, 'collaboration.answer')
  assert.equal(met.state, 'met')
  assert.equal(met.on_time, true)
  assert.ok(c.rounds[0].answer.answered_at)
  assert.equal(c.rounds[0].answer.approved_by.id, (await as('scjg.leader')).user.id)
  const answerDoc = c.documents.find((d) => d.kind === 'collaboration_answer')
  assert.ok(answerDoc && answerDoc.number.includes('复〔2026〕'), JSON.stringify(c.documents))
  assert.equal(c.rounds[0].answer.document.id, answerDoc.id)
  const page = await getRaw(server.url, officer, answerDoc.url, 'text/html')
  assert.equal(page.status, 200)
  assert.ok(page.text.includes('经检测，12箱饮料均已超过保质期。'))
  assert.equal((await getRaw(server.url, await as('liuzu.officer'), answerDoc.url, 'text/html')).status, 404)
  // The sender is told.
  const notes = await notesAbout(officer, 'collaboration', c.id)
  assert.ok(notes.some((n) => n.kind === 'collaboration.answered'), JSON.stringify(notes))
  // Materials are readable by the department (file access follows the collaboration).
  assert.equal((await getRaw(server.url, await as('scjg.officer'), `/api/v1/files/${file.id}`)).status, 200)

  c = await ok(await officer.post(path(c, 'close'), {}))
  assert.equal(c.state, 'closed')
  assert.deepEqual(c.timeline.map((t) => t.action),
    ['create', 'submit', 'approve', 'receive', 'answer', 'approve_answer', 'close'])
  // Lists: out for xincheng, in for scjg.
  const out = await ok(await officer.get('/api/v1/collaborations?direction=out'))
  assert.ok(out.items.some((x) => x.id === c.id))
  const inbox = await ok(await (await as('scjg.officer')).get('/api/v1/collaborations?direction=in&state=closed'))
  assert.ok(inbox.items.some((x) => x.id === c.id))
  const csv = await getRaw(server.url, officer, '/api/v1/collaborations/export.csv')
  assert.equal(csv.status, 200)
  assert.ok(csv.text.includes(c.number))
})

test('R-COL-4: a technical appraisal is extended; the answer duty due moves, history kept', async () => {
  let c = await sent()
  const duty = dutyOf(c, 'collaboration.answer')
  // A date means the end of that Shanghai day.
  const day = new Date(Date.parse(duty.due_at) + 10 * 86400_000 + 8 * 3600_000).toISOString().slice(0, 10)
  // An officer may not extend.
  assertError(await (await as('scjg.officer')).post(path(c, 'extend'), { reason: '需送检', new_due: day }), 403)
  // Not before the current due.
  assertError(await (await as('scjg.leader')).post(path(c, 'extend'), { reason: '需送检', new_due: duty.due_at }), 400, { field: 'new_due', rule: 'R-COL-4' })
  c = await ok(await (await as('scjg.leader')).post(path(c, 'extend'), { reason: '需送省级检测机构检验', new_due: day }))
  assert.equal(c.state, 'sent')
  const moved = dutyOf(c, 'collaboration.answer')
  assert.equal(moved.id, duty.id)
  // R-TIME-5, issue 17 defect 4: a date means 24:00 of that day (the next 00:00), never 23:59.
  assertSameInstant(moved.due_at, new Date(Date.parse(`${day}T00:00:00+08:00`) + 86400_000).toISOString(), 'new due')
  assert.equal(c.extensions.length, 1)
  assertSameInstant(c.extensions[0].old_due, duty.due_at, 'old_due')
  const detail = await ok(await (await as('scjg.leader')).get(`/api/v1/duties/${duty.id}`))
  const ev = detail.events.find((e) => e.kind === 'extended')
  assert.ok(ev, JSON.stringify(detail.events))
  assertSameInstant(ev.old_due, duty.due_at, 'event old_due')
  assertSameInstant(ev.new_due, moved.due_at, 'event new_due')
  const notes = await notesAbout(await as('xincheng.officer'), 'collaboration', c.id)
  assert.ok(notes.some((n) => n.kind === 'collaboration.extended'), JSON.stringify(notes))
  // The message (and its e-mail) words the new due the policy's way: 「…日24时」 (R-TIME-5).
  const extNote = notes.find((n) => n.kind === 'collaboration.extended')
  const [y, m, d] = day.split('-').map(Number)
  assert.ok(extNote.body.includes(`${y}年${m}月${d}日24时`), extNote.body)
  assert.doesNotMatch(extNote.body, /23:59|23时59|00:00:00/)
})

test('R-COL-3: urgent → a dispatch duty, met by arrived', async () => {
  let c = await sent({ kind: 'determination', urgent: true })
  const duty = dutyOf(c, 'collaboration.dispatch')
  assert.ok(duty, JSON.stringify(c.duties))
  assert.equal(duty.rule, 'R-COL-3')
  assert.equal(Date.parse(duty.due_at) - Date.parse(c.sent_at), 2 * 3600_000)
  assertError(await (await as('scjg.officer')).post(path(c, 'arrived'), {}), 409, { code: 'dispatch_not_recorded', rule: 'R-COL-3' })
  assertError(await (await as('scjg.officer')).post(path(c, 'dispatch'), { staff: [] }), 400, { field: 'staff', rule: 'R-COL-3' })
  await advance(1800)
  c = await ok(await (await as('scjg.officer')).post(path(c, 'dispatch'), { staff: ['张三', '李四'], note: '携带快检设备' }))
  assert.deepEqual(c.dispatch.staff, ['张三', '李四'])
  await advance(1800)
  c = await ok(await (await as('scjg.officer')).post(path(c, 'arrived'), {}))
  assert.ok(c.dispatch.arrived_at)
  const met = dutyOf(c, 'collaboration.dispatch')
  assert.equal(met.state, 'met')
  assert.equal(met.on_time, true)
  assert.equal(c.state, 'sent')
  // Not urgent: nothing to dispatch.
  const plain = await sent({ kind: 'determination' })
  assertError(await (await as('scjg.officer')).post(path(plain, 'dispatch'), { staff: ['张三'] }), 409, { code: 'dispatch_not_required', rule: 'R-COL-3' })
})

test('follow-up: a new round with a new answer duty, answered with a second number', async () => {
  let c = await sent({ kind: 'advisory_opinion' })
  c = await ok(await (await as('scjg.officer')).post(path(c, 'answer'), { conclusion: '属于', text: '意见正文' }))
  c = await ok(await (await as('scjg.leader')).post(path(c, 'approve-answer'), {}))
  c = await ok(await (await as('xincheng.officer')).post(path(c, 'follow-up'), { questions: '请进一步说明依据' }))
  assert.equal(c.state, 'received')
  assert.equal(c.rounds.length, 2)
  assert.equal(c.rounds[1].n, 2)
  assert.equal(c.rounds[1].answer, null)
  const answers = c.duties.filter((d) => d.kind === 'collaboration.answer')
  assert.equal(answers.length, 2)
  assert.deepEqual(answers.map((d) => d.state), ['met', 'open'])
  const notes = await notesAbout(await as('scjg.leader'), 'collaboration', c.id)
  assert.ok(notes.some((n) => n.kind === 'collaboration.follow_up'), JSON.stringify(notes))
  c = await ok(await (await as('scjg.officer')).post(path(c, 'answer'), { conclusion: '补充', text: '补充说明' }))
  c = await ok(await (await as('scjg.leader')).post(path(c, 'approve-answer'), {}))
  assert.equal(c.documents.filter((d) => d.kind === 'collaboration_answer').length, 2)
  assert.ok(c.rounds[1].answer.document)
})

test('refusals name field and rule and change nothing', async () => {
  const coord = await as('coordinator.staff')
  const created = await ok(await (await as('xincheng.officer')).post('/api/v1/collaborations', body({ kind: 'advisory_opinion' })), 201)
  await ok(await (await as('xincheng.officer')).post(path(created, 'submit'), {}))
  // The officer approves → 403.
  assertError(await (await as('xincheng.officer')).post(path(created, 'approve'), {}), 403)
  const c = await ok(await (await as('xincheng.leader')).post(path(created, 'approve'), {}))
  const before = await ok(await coord.get(path(c)))
  const audit = (await ok(await (await as('auditor')).get('/api/v1/audit?limit=1'))).items[0].id
  // An advisory opinion without `complex` → 400 extension_not_allowed, field complex.
  assertError(await (await as('scjg.leader')).post(path(c, 'extend'), { reason: '需要研究', new_due: '2026-12-31' }), 400,
    { code: 'extension_not_allowed', field: 'complex', rule: 'R-COL-4' })
  // Another township → 404 (existence does not leak).
  assertError(await (await as('liuzu.officer')).get(path(c)), 404)
  assertError(await (await as('liuzu.officer')).post(path(c, 'withdraw'), { reason: 'x' }), 404)
  // Illegal transition names the state.
  const illegal = assertError(await (await as('xincheng.officer')).post(path(c, 'close'), {}), 409, { code: 'illegal_transition', field: 'state' })
  assert.ok(illegal.message.includes('已发送'), `names the current state: ${illegal.message}`)
  // Shapes.
  assertError(await (await as('xincheng.officer')).post('/api/v1/collaborations', body({ to_org: orgs.liuzu.id })), 400, { field: 'to_org', rule: 'R-COL-1' })
  assertError(await (await as('scjg.officer')).post('/api/v1/collaborations', body()), 403, { rule: 'R-COL-1' })
  assertError(await (await as('xincheng.officer')).post('/api/v1/collaborations', { ...body(), bogus: 1 }), 400, { code: 'unknown_field', field: 'bogus' })
  assertError(await (await as('scjg.officer')).post(path(c, 'answer'), { conclusion: '' , text: 'x' }), 400, { field: 'conclusion' })
  const after = await ok(await coord.get(path(c)))
  assert.deepEqual(after, before)
  assert.equal((await ok(await (await as('auditor')).get('/api/v1/audit?limit=1'))).items[0].id, audit)
  // With complex: true it goes through.
  const ext = await ok(await (await as('scjg.leader')).post(path(c, 'extend'), { reason: '涉及多部门职责，情况复杂', new_due: '2026-12-31', complex: true }))
  assert.equal(ext.complex, true)
})
