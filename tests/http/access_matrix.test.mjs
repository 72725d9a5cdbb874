// R-ACC-1: who may call what. A table covering EVERY route the server documents in
// /api/v1/openapi.json (itself kept equal to the router by src/http/openapi_test.cc), so a new
// route without a row here fails this suite. Each row probes the route as every kind of user and
// states the expected status:
//   401        not signed in
//   403 / 404  refused by access control (404 where existence must not leak: another org's duty,
//              user, notification or token)
//   2xx        allowed
//   400 / 409  allowed: the request got past access control and failed validation afterwards —
//              probes send input that is well-formed for the handler but invalid for the service
//              (checked after its access check), or act on a duty whose state forbids the
//              action (409 illegal_transition), or whose kind forbids it (409: a workflow's
//              duty is ended only by its workflow, a statutory period is never extended — rows
//              with `code` also check the error code), so allowed roles change nothing.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, api } from '../lib/server.mjs'
import { raw, show, cookieHeader } from './lib/util.mjs'
import { uploadFile } from './lib/referrals.mjs'

const START = '2026-11-23T09:00:00+08:00'

// role kind → demo account (null: not signed in)
const ROLES = {
  anonymous: null,
  township_officer: 'xincheng.officer',
  township_leader: 'xincheng.leader',
  liaison: 'xincheng.liaison',
  department_officer: 'scjg.officer',
  coordinator_staff: 'coordinator.staff',
  auditor: 'auditor',
  admin: 'admin',
  judicial_officer: 'gaj.officer',
}
const ROLE_NAMES = Object.keys(ROLES)
const SIGNED_IN = ROLE_NAMES.filter((r) => r !== 'anonymous')
const XINCHENG = ['township_officer', 'township_leader', 'liaison']
const SEES_ALL = ['coordinator_staff', 'auditor', 'admin']

// Expectation builders: every role gets a status.
/** Public route: everyone, signed in or not, gets `status`. */
const everyone = (status) => Object.fromEntries(ROLE_NAMES.map((r) => [r, status]))
/** Any signed-in user gets `status`; anonymous 401. */
const signedIn = (status) => ({ ...everyone(status), anonymous: 401 })
/** `roles` get `yes`, other signed-in users `no`, anonymous 401. */
const only = (roles, yes, no) => ({ ...signedIn(no), ...Object.fromEntries(roles.map((r) => [r, yes])) })
/** A criminal transfer's step refused by access control (R-CRI-5): 403 for those who see it, 404 for the rest. */
const CRIME = { ...signedIn(403), department_officer: 404 }

let server
let clients = {} // role → client
const ctx = {} // ids of fixtures

before(async () => {
  server = await startServer({ fakeClock: START, extraArgs: ['--access-log', 'off'] })
  for (const [role, username] of Object.entries(ROLES)) {
    clients[role] = username ? await api(server.url).login(username, server.password) : api(server.url).anonymous()
  }
  const admin = clients.admin
  const coord = clients.coordinator_staff
  const orgs = (await admin.get('/api/v1/orgs')).json.items
  ctx.org = Object.fromEntries(orgs.map((o) => [o.code, o.id]))
  const users = (await admin.get('/api/v1/users')).json.items
  ctx.user = Object.fromEntries(users.map((u) => [u.username, u.id]))

  const newDuty = async (objectId, trigger, kind = 'task.assigned') => {
    const res = await coord.post('/api/v1/duties', {
      kind, owner_org_id: ctx.org.xincheng, object_type: 'external',
      object_id: objectId, title: `矩阵测试 ${objectId}`, trigger_at: trigger,
    })
    assert.equal(res.status, 201, show(res))
    return res.json.id
  }
  // Workflow duties of xincheng with statutory periods (R-CRI-1a, Decree 310), opened by the
  // criminal transfer's own steps (POST /api/v1/duties refuses workflow kinds): the head's
  // decision, met by the approval, and the open 24-hour transfer to the police.
  const report = await clients.township_officer.post('/api/v1/criminal-transfers', {
    title: '矩阵测试：涉嫌犯罪案件', facts: '矩阵测试', offence: '生产、销售伪劣产品罪',
    police_org: ctx.org.gaj, procuratorate_org: ctx.org.jcy,
  })
  assert.equal(report.status, 201, show(report))
  const approved = await clients.township_leader.post(`/api/v1/criminal-transfers/${report.json.id}/approve`, {})
  assert.equal(approved.status, 200, show(approved))
  ctx.dutyMetStatutory = approved.json.duties.find((d) => d.kind === 'crime.transfer_decision').id
  // A met duty of a kind no workflow ends (R-PLN-2: met by hand).
  ctx.dutyMet = await newDuty('M-MET', START)
  const met = await clients.township_officer.post(`/api/v1/duties/${ctx.dutyMet}/meet`, {})
  assert.equal(met.status, 200, show(met))
  ctx.dutyOpen = approved.json.duties.find((d) => d.kind === 'crime.transfer_police').id
  ctx.crime = report.json.id // approved, not yet transferred: the police do not see it (R-CRI-5)
  const sent = await clients.township_officer.post('/api/v1/criminal-transfers', {
    title: '矩阵测试：已移送案件', facts: '矩阵测试', offence: '非法经营罪', police_org: ctx.org.gaj, procuratorate_org: ctx.org.jcy,
  })
  assert.equal(sent.status, 201, show(sent))
  assert.equal((await clients.township_leader.post(`/api/v1/criminal-transfers/${sent.json.id}/approve`, {})).status, 200)
  const moved = await clients.township_officer.post(`/api/v1/criminal-transfers/${sent.json.id}/transfer`, {})
  assert.equal(moved.status, 200, show(moved))
  ctx.crimeSent = sent.json.id // transferred to gaj, copied to jcy
  // An overdue duty: the sweep notifies xincheng's liaison (and leader, and the coordinator).
  ctx.dutyRed = await newDuty('M-RED', '2026-11-02T09:00:00+08:00')
  assert.equal((await api(server.url).anonymous().post('/api/v1/test/sweep', {})).status, 200)
  const notes = await clients.liaison.get('/api/v1/notifications')
  const note = notes.json.items.find((n) => n.object_type === 'duty' && n.object_id === String(ctx.dutyRed))
  assert.ok(note, `no notification for the liaison: ${JSON.stringify(notes.json)}`)
  ctx.liaisonNote = note.id
  // A token of the admin's, for the "someone else's token" probe.
  ctx.adminToken = (await admin.post('/api/v1/tokens', { name: 'matrix: admin' })).json.id
  await setupReferrals()
  await setupMatters()
  await setupCollaborations()  // --- Collaborations (v4) ---
  await setupCoordItems()  // --- Notices, meetings, participation, violation notices (v5) ---
  await setupCourtPolice()  // --- Court enforcement (R-CRI-3), police support (R-CRI-4) ---
  await setupGuidance()  // --- Guidance, training, technical support (R-GUI-1..3) ---
  await setupPlan()  // --- Annual plan and tasks (R-PLN-1, R-PLN-2) ---
  await setupUrging()  // --- 督办 (R-PLN-2, issue 17) ---
  await setupSharedInfo()  // --- Shared information (R-INF-1..3) ---
})
after(async () => {
  await server?.stop()
})

// --- Referrals and documents (v3): fixtures ---
// A draft and a withdrawn referral from xincheng to the competent county department (scjg),
// and the numbered letter of the withdrawn one. Acting on the withdrawn referral gives the
// allowed roles 409 illegal_transition and changes nothing.
async function setupReferrals() {
  const officer = clients.township_officer
  const leader = clients.township_leader
  const on = '2026-11-23'
  const matters = (await officer.get(`/api/v1/matters?owner=${ctx.org.scjg}&page_size=200`)).json.items
  let matter = null
  for (const m of matters) {
    const j = await officer.get(`/api/v1/jurisdiction?matter=${encodeURIComponent(m.code)}&township=xincheng&on=${on}`)
    if (j.status === 200 && j.json.competent_org.code === 'scjg') {
      matter = m
      break
    }
  }
  assert.ok(matter, 'the demo catalog has no scjg matter that xincheng refers')
  const file = await uploadFile(server.url, officer, { name: '矩阵测试笔录.pdf' })
  const body = {
    to_org: ctx.org.scjg, matter: matter.code, township: ctx.org.xincheng, place: '新城镇解放路',
    discovered_at: '2026-11-23T08:00:00+08:00', facts: '矩阵测试：无照经营', party: { name: '矩阵某' },
    legal_basis: matter.legal_basis || '《无证无照经营查处办法》', evidence: [{ name: '笔录', file: file.id }],
    checklist: { facts_clear: true, evidence_complete: true, procedure_lawful: true, formalities_complete: true },
  }
  const draft = await officer.post('/api/v1/referrals', body)
  assert.equal(draft.status, 201, show(draft))
  ctx.refDraft = draft.json.id
  const w = await officer.post('/api/v1/referrals', body)
  assert.equal(w.status, 201, show(w))
  ctx.refWithdrawn = w.json.id
  assert.equal((await officer.post(`/api/v1/referrals/${w.json.id}/submit`, {})).status, 200)
  const sent = await leader.post(`/api/v1/referrals/${w.json.id}/approve`, {})
  assert.equal(sent.status, 200, show(sent))
  ctx.refDoc = sent.json.documents[0].id
  const wd = await officer.post(`/api/v1/referrals/${w.json.id}/withdraw`, { reason: '矩阵测试' })
  assert.equal(wd.status, 200, show(wd))
}

// --- Collaborations (v4): fixtures ---
// A draft of xincheng, and one sent to scjg (numbered letter) and then withdrawn.
async function setupCollaborations() {
  const officer = clients.township_officer
  const leader = clients.township_leader
  const body = { kind: 'advisory_opinion', to_org: ctx.org.scjg, title: '矩阵测试协作', questions: '矩阵测试问题', case_ref: '矩阵测试案' }
  const draft = await officer.post('/api/v1/collaborations', body)
  assert.equal(draft.status, 201, show(draft))
  ctx.colDraft = draft.json.id
  const w = await officer.post('/api/v1/collaborations', body)
  assert.equal(w.status, 201, show(w))
  ctx.colWithdrawn = w.json.id
  assert.equal((await officer.post(`/api/v1/collaborations/${w.json.id}/submit`, {})).status, 200)
  const sent = await leader.post(`/api/v1/collaborations/${w.json.id}/approve`, {})
  assert.equal(sent.status, 200, show(sent))
  ctx.colDoc = sent.json.documents[0].id
  const wd = await officer.post(`/api/v1/collaborations/${w.json.id}/withdraw`, { reason: '矩阵测试' })
  assert.equal(wd.status, 200, show(wd))
}

// --- Notices, meetings, participation, violation notices (v5): fixtures ---
// Each in a final state, so every action probe is refused (409 for who may act, 403 for others,
// 404 for who cannot see it): a withdrawn notice and violation notice (xincheng → scjg), a
// cancelled meeting (xincheng invites scjg), a cancelled participation request (scjg → xincheng).
async function setupCoordItems() {
  const town = clients.township_officer
  const dept = clients.department_officer
  const ok = (r, status = 201) => { assert.equal(r.status, status, show(r)); return r.json }
  const n = ok(await town.post('/api/v1/notices', { kind: 'hazard', to_org: ctx.org.scjg, description: '矩阵测试隐患', place: '矩阵' }))
  ok(await town.post(`/api/v1/notices/${n.id}/withdraw`, { reason: '矩阵测试' }), 200)
  ctx.notice = n.id
  const m = ok(await town.post('/api/v1/meetings', { subject: '矩阵测试会议', agenda: '议程', start_at: START, place: '会议室', invitees: [{ org: ctx.org.scjg }] }))
  ok(await town.post(`/api/v1/meetings/${m.id}/cancel`, { reason: '矩阵测试' }), 200)
  ctx.meeting = m.id
  const r = ok(await dept.post('/api/v1/participation-requests', { kind: 'special_inspection', to_org: ctx.org.xincheng, subject: '矩阵测试检查', start_at: START, place: '新城' }))
  ctx.participationDoc = r.documents[0].id
  ok(await dept.post(`/api/v1/participation-requests/${r.id}/cancel`, { reason: '矩阵测试' }), 200)
  ctx.participation = r.id
  const v = ok(await town.post('/api/v1/violation-notices', { category: 'safety', to_org: ctx.org.scjg, description: '矩阵测试违法行为', place: '矩阵' }))
  ok(await town.post(`/api/v1/violation-notices/${v.id}/withdraw`, { reason: '矩阵测试' }), 200)
  ctx.violation = v.id
  // --- Jurisdiction disputes (R-DIS-1..3): one settled by agreement (final state) ---
  const d = ok(await town.post('/api/v1/disputes', {
    matter: 'SCJG-002', township: ctx.org.xincheng, facts: '矩阵测试争议',
    parties: [{ org: ctx.org.xincheng, position: '甲' }, { org: ctx.org.scjg, position: '乙' }],
  }))
  ok(await town.post(`/api/v1/disputes/${d.id}/negotiation`, { outcome: 'agreed', record: '矩阵测试' }), 200)
  ctx.dispute = d.id
  // --- First-contact complaints (R-SYS-3): one registered by xincheng ---
  const cp = ok(await town.post('/api/v1/complaints', { channel: 'phone', complainant: '矩阵', contact: '13800000000', subject: '矩阵测试投诉', content: '矩阵测试' }))
  ctx.complaint = cp.id
  // --- Standing mechanisms (R-SYS-1, 4, 5): each in a final state ---
  const coord = clients.coordinator_staff
  const cs = ok(await coord.post('/api/v1/consultations', { kind: 'regular', subject: '矩阵测试联席会议', agenda: '议程', start_at: START, place: '会议室', invitees: [{ org: ctx.org.scjg }] }))
  ok(await coord.post(`/api/v1/consultations/${cs.id}/cancel`, { reason: '矩阵测试' }), 200)
  ctx.consultation = cs.id
  const jm = ok(await dept.post('/api/v1/joint-mechanisms', { title: '矩阵测试机制', kind: 'food_safety', lead_org: ctx.org.scjg, members: [ctx.org.xincheng], body_name: '矩阵办公室' }))
  ok(await dept.post(`/api/v1/joint-mechanisms/${jm.id}/dissolve`, { reason: '矩阵测试' }), 200)
  ctx.mechanism = jm.id
  const ja = ok(await town.post('/api/v1/joint-actions', { participants: [ctx.org.scjg], start_at: START, place: '矩阵', targets: '矩阵测试行动' }))
  ok(await town.post(`/api/v1/joint-actions/${ja.id}/cancel`, { reason: '矩阵测试' }), 200)
  ctx.jointAction = ja.id
}

// --- Court enforcement (R-CRI-3), police support (R-CRI-4): fixtures ---
// Each in a final state: a withdrawn application of xincheng to the court (fy), and a cancelled
// request of xincheng for support of the police (gaj, the judicial_officer's org).
async function setupCourtPolice() {
  const town = clients.township_officer
  const ok = (r, status = 201) => { assert.equal(r.status, status, show(r)); return r.json }
  const ce = ok(await town.post('/api/v1/court-enforcements', { kind: 'court_application', to_org: ctx.org.fy, case_number: '矩阵案', decision_number: '矩阵决〔2026〕1号', party: '矩阵', obligations: '矩阵', non_compliance: '矩阵' }))
  ok(await town.post(`/api/v1/court-enforcements/${ce.id}/withdraw`, { reason: '矩阵测试' }), 200)
  ctx.courtEnforcement = ce.id
  const ps = ok(await town.post('/api/v1/police-support-requests', { to_org: ctx.org.gaj, action_at: '2026-11-25T09:00:00+08:00', place: '矩阵', reason: '矩阵', risk: '矩阵' }))
  ok(await town.post(`/api/v1/police-support-requests/${ps.id}/cancel`, { reason: '矩阵测试' }), 200)
  ctx.policeSupport = ps.id
}

// --- Guidance, training, technical support (R-GUI-1..3): fixtures ---
// Each in a final state: a withdrawn guidance request and a withdrawn technical support request of
// xincheng to scjg (the department_officer's org), and a cancelled training of scjg for xincheng.
async function setupGuidance() {
  const town = clients.township_officer
  const dept = clients.department_officer
  const ok = (r, status = 201) => { assert.equal(r.status, status, show(r)); return r.json }
  const g = ok(await town.post('/api/v1/guidance-requests', { kind: 'consultation', to_org: ctx.org.scjg, question: '矩阵' }))
  ok(await town.post(`/api/v1/guidance-requests/${g.id}/withdraw`, { reason: '矩阵测试' }), 200)
  ctx.guidance = g.id
  const t = ok(await dept.post('/api/v1/trainings', { title: '矩阵培训', date: '2026-11-20', place: '矩阵', hours: 1, trainers: ['矩阵'], invited_orgs: [ctx.org.xincheng] }))
  ok(await dept.post(`/api/v1/trainings/${t.id}/cancel`, { reason: '矩阵测试' }), 200)
  ctx.training = t.id
  const s = ok(await town.post('/api/v1/tech-support-requests', { kind: 'request', to_org: ctx.org.scjg, subject: '矩阵' }))
  ok(await town.post(`/api/v1/tech-support-requests/${s.id}/withdraw`, { reason: '矩阵测试' }), 200)
  ctx.techSupport = s.id
}

// --- Annual plan and tasks (R-PLN-1, R-PLN-2): fixtures ---
// An issued plan (scjg was consulted before the issue) whose one task, owned by xincheng, is
// done: every step probe is refused (409 for who may act, 403 for others who see it, 404 for
// the police, to whom neither is addressed).
async function setupPlan() {
  const coord = clients.coordinator_staff
  const ok = (r, status = 200) => { assert.equal(r.status, status, show(r)); return r.json }
  const plan = ok(await coord.post('/api/v1/plans', { year: 2027, title: '矩阵测试计划', text: '矩阵测试' }), 201)
  ok(await coord.post(`/api/v1/plans/${plan.id}/consult`, { orgs: [ctx.org.scjg] }))
  ok(await coord.post(`/api/v1/plans/${plan.id}/tasks`, { tasks: [{ title: '矩阵任务', owner_org: ctx.org.xincheng, due_date: '2026-12-31', output: '矩阵' }] }))
  const issued = ok(await coord.post(`/api/v1/plans/${plan.id}/issue`, {}))
  ctx.plan = plan.id
  ctx.planTask = issued.tasks[0].task_id
  ok(await clients.township_officer.post(`/api/v1/plan-tasks/${ctx.planTask}/progress`, { percent: 100, text: '矩阵', outcome: '矩阵' }))
}

// --- 督办 (R-PLN-2, issue 17): fixtures ---
// An urging addressed to scjg, about a duty the coordinator gave it that is long overdue.
async function setupUrging() {
  const coord = clients.coordinator_staff
  const duty = await coord.post('/api/v1/duties', {
    kind: 'task.assigned', owner_org_id: ctx.org.scjg, object_type: 'external', object_id: 'M-URGE',
    title: '矩阵测试：督办', trigger_at: '2026-10-08T09:00:00+08:00',
  })
  assert.equal(duty.status, 201, show(duty))
  const u = await coord.post('/api/v1/urgings', { target_type: 'duty', target_id: duty.json.id, text: '矩阵测试' })
  assert.equal(u.status, 201, show(u))
  ctx.urging = u.json.id
}

// --- Shared information (R-INF-1..3): fixtures ---
// Each in a final state: a material of scjg to xincheng, withdrawn; a penalty filing of xincheng
// with scjg (owning SCJG-002), acknowledged; an approval of the demo county.
async function setupSharedInfo() {
  const dept = clients.department_officer
  const ok = (r, status = 201) => { assert.equal(r.status, status, show(r)); return r.json }
  const m = ok(await dept.post('/api/v1/materials', { kind: 'law', title: '矩阵资料', issuer: '矩阵', to_orgs: [ctx.org.xincheng] }))
  ok(await dept.post(`/api/v1/materials/${m.id}/withdraw`, { reason: '矩阵测试' }), 200)
  ctx.material = m.id
  const f = ok(await clients.township_officer.post('/api/v1/penalty-filings', { decision_number: '矩阵罚〔2026〕1号', party: '矩阵', matter_code: 'SCJG-002', facts: '矩阵', penalty: '矩阵', decision_date: '2026-11-20' }))
  ok(await dept.post(`/api/v1/penalty-filings/${f.id}/acknowledge`, {}), 200)
  ctx.penaltyFiling = f.id
  const list = ok(await dept.get('/api/v1/approvals?page_size=1'), 200)
  ctx.approval = list.items[0].id
}

// --- Matters, files (v2): fixtures ---
// A matter of the demo catalog, and a file xincheng uploaded that no referral carries.
async function setupMatters() {
  const list = await clients.township_officer.get('/api/v1/matters?page_size=1')
  assert.equal(list.status, 200, show(list))
  ctx.matter = list.json.items[0]
  ctx.privateFile = (await uploadFile(server.url, clients.township_officer, { name: '矩阵-仅新城.pdf', bytes: new TextEncoder().encode('%PDF-1.4\n% matrix private file\n%%EOF\n') })).id
}

/** POST a non-JSON body as `client` (session cookie + CSRF token, or nothing when anonymous). */
async function postBody(client, path, body, contentType, extra = {}) {
  const headers = { Accept: 'application/json', 'Content-Type': contentType, ...extra }
  const cookie = cookieHeader(client)
  if (cookie) headers.Cookie = cookie
  if (client.csrfToken) headers['X-CSRF-Token'] = client.csrfToken
  return raw(server.url, 'POST', path, { body, headers })
}

/** GET an SSE stream: resolve once the headers arrive, then hang up. */
async function openStream(client, path) {
  const headers = { Accept: 'text/event-stream' }
  const cookies = client.cookies
  if (cookies && cookies.size) headers.Cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  const ac = new AbortController()
  const res = await fetch(new URL(path, server.url), { headers, signal: ac.signal })
  const contentType = res.headers.get('content-type') ?? ''
  let text = ''
  if (!contentType.includes('event-stream')) text = await res.text()
  ac.abort()
  return { status: res.status, text, headers: res.headers, contentType }
}

// The matrix: "METHOD path" → cases. A case's probe(client, role) returns a response.
const MATRIX = {
  // ---------------------------------------------------------------- auth
  'POST /api/v1/auth/login': [
    { name: 'empty body (400 missing_field proves the public route ran)', probe: (c) => c.post('/api/v1/auth/login', {}), expect: everyone(400) },
  ],
  'POST /api/v1/auth/logout': [
    {
      name: 'a second session of the same user signs out',
      probe: async (c, role) => {
        if (!ROLES[role]) return c.post('/api/v1/auth/logout')
        const fresh = await api(server.url).login(ROLES[role], server.password)
        return fresh.post('/api/v1/auth/logout')
      },
      expect: signedIn(204),
    },
  ],
  'POST /api/v1/auth/password': [
    { name: 'wrong old password (400 old_password)', probe: (c) => c.post('/api/v1/auth/password', { old_password: 'NotMine2026', new_password: 'Matrix2026pw' }), expect: signedIn(400) },
  ],
  'GET /api/v1/me': [{ name: 'own user', probe: (c) => c.get('/api/v1/me'), expect: signedIn(200) }],
  'GET /api/v1/tokens': [{ name: 'own tokens', probe: (c) => c.get('/api/v1/tokens'), expect: signedIn(200) }],
  'POST /api/v1/tokens': [
    { name: 'own token', probe: (c) => c.post('/api/v1/tokens', { name: 'matrix: own' }), expect: signedIn(201) },
    { name: 'a token for someone else (admin only)', probe: (c) => c.post('/api/v1/tokens', { name: 'matrix: other', user_id: ctx.user['liuzu.officer'] }), expect: only(['admin'], 201, 403) },
  ],
  'DELETE /api/v1/tokens/{id}': [
    {
      name: 'own token',
      probe: async (c, role) => {
        if (!ROLES[role]) return c.del('/api/v1/tokens/1')
        const t = await c.post('/api/v1/tokens', { name: 'matrix: to revoke' })
        assert.equal(t.status, 201)
        return c.del(`/api/v1/tokens/${t.json.id}`)
      },
      expect: signedIn(204),
    },
    {
      // Runs for admin too: its own token, revoked once by the admin (204).
      name: "the admin's token (someone else's: not found)",
      probe: (c) => c.del(`/api/v1/tokens/${ctx.adminToken}`),
      expect: only(['admin'], 204, 404),
    },
  ],
  // ---------------------------------------------------------------- orgs and users
  'GET /api/v1/orgs': [{ name: 'directory', probe: (c) => c.get('/api/v1/orgs'), expect: signedIn(200) }],
  'GET /api/v1/orgs/{id}': [{ name: 'another org', probe: (c) => c.get(`/api/v1/orgs/${ctx.org.liuzu}`), expect: signedIn(200) }],
  'POST /api/v1/orgs': [
    { name: 'bad code (admin: 400 code)', probe: (c) => c.post('/api/v1/orgs', { code: 'Bad Code!', name: '矩阵', short_name: '矩阵', kind: 'township' }), expect: only(['admin'], 400, 403) },
  ],
  'PATCH /api/v1/orgs/{id}': [
    { name: 'empty name (admin: 400 name)', probe: (c) => c.patch(`/api/v1/orgs/${ctx.org.xincheng}`, { name: '' }), expect: only(['admin'], 400, 403) },
  ],
  'GET /api/v1/users': [
    { name: 'list (own org only unless seeing all)', probe: (c) => c.get('/api/v1/users'), expect: signedIn(200) },
    { name: "filter on another org (scjg)", probe: (c) => c.get(`/api/v1/users?org=${ctx.org.scjg}`), expect: only([...SEES_ALL, 'department_officer'], 200, 403) },
  ],
  'GET /api/v1/users/{id}': [
    { name: 'a xincheng user', probe: (c) => c.get(`/api/v1/users/${ctx.user['xincheng.leader']}`), expect: only([...XINCHENG, ...SEES_ALL], 200, 404) },
  ],
  'POST /api/v1/users': [
    {
      name: 'bad username (admin: 400 username)',
      probe: (c) => c.post('/api/v1/users', { username: 'BAD NAME', display_name: '矩阵', org_id: ctx.org.xincheng, roles: ['officer'], password: 'Matrix2026pw' }),
      expect: only(['admin'], 400, 403),
    },
  ],
  'PATCH /api/v1/users/{id}': [
    { name: 'empty display_name (admin: 400)', probe: (c) => c.patch(`/api/v1/users/${ctx.user['xincheng.officer']}`, { display_name: '' }), expect: only(['admin'], 400, 403) },
  ],
  'POST /api/v1/users/{id}/password': [
    { name: 'weak password (admin: 400 weak_password)', probe: (c) => c.post(`/api/v1/users/${ctx.user['xincheng.officer']}/password`, { new_password: 'weak' }), expect: only(['admin'], 400, 403) },
  ],
  'POST /api/v1/users/{id}/unlock': [
    { name: 'clear the sign-in back-off (admin: 204)', probe: (c) => c.post(`/api/v1/users/${ctx.user['xincheng.officer']}/unlock`, {}), expect: only(['admin'], 204, 403) },
  ],
  // ---------------------------------------------------------------- audit
  'GET /api/v1/audit': [{ name: 'entries (own org only unless seeing all)', probe: (c) => c.get('/api/v1/audit?limit=5'), expect: signedIn(200) }],
  'GET /api/v1/audit/verify': [{ name: 'chain check', probe: (c) => c.get('/api/v1/audit/verify'), expect: only(SEES_ALL, 200, 403) }],
  'GET /api/v1/audit/checkpoint': [{ name: 'R-AUD-1: the latest signed checkpoint (every org keeps one)', probe: (c) => c.get('/api/v1/audit/checkpoint'), expect: signedIn(200) }],
  // ---------------------------------------------------------------- calendar
  'GET /api/v1/calendar/years': [{ name: 'loaded years', probe: (c) => c.get('/api/v1/calendar/years'), expect: signedIn(200) }],
  'POST /api/v1/calendar/years': [
    { name: 'incomplete schedule (admin: 400)', probe: (c) => c.post('/api/v1/calendar/years', { year: 2027 }), expect: only(['admin'], 400, 403) },
  ],
  'GET /api/v1/calendar/days/{date}': [{ name: 'a day', probe: (c) => c.get('/api/v1/calendar/days/2026-10-10'), expect: signedIn(200) }],
  'GET /api/v1/calendar/add-workdays': [{ name: 'a deadline', probe: (c) => c.get('/api/v1/calendar/add-workdays?from=2026-09-30&n=3'), expect: signedIn(200) }],
  // ---------------------------------------------------------------- duties
  'GET /api/v1/duties': [
    { name: 'own inbox', probe: (c) => c.get('/api/v1/duties'), expect: signedIn(200) },
    { name: 'scope=all', probe: (c) => c.get('/api/v1/duties?scope=all'), expect: only(SEES_ALL, 200, 403) },
  ],
  'POST /api/v1/duties': [
    {
      name: 'create a duty for xincheng',
      probe: (c) => c.post('/api/v1/duties', { kind: 'task.assigned', owner_org_id: ctx.org.xincheng, object_type: 'external', object_id: 'M-NEW', title: '矩阵测试：新建', trigger_at: START }),
      expect: only(['coordinator_staff', 'admin'], 201, 403),
    },
    {
      name: 'a workflow kind: a workflow opens its own duties (allowed: 409 duty_opened_by_workflow)',
      code: 'duty_opened_by_workflow',
      probe: (c) => c.post('/api/v1/duties', { kind: 'collaboration.answer', owner_org_id: ctx.org.xincheng, object_type: 'collaboration', object_id: 'M-NEW', title: '矩阵测试：新建', trigger_at: START }),
      expect: only(['coordinator_staff', 'admin'], 409, 403),
    },
  ],
  'GET /api/v1/duties/{id}': [
    { name: "xincheng's duty", probe: (c) => c.get(`/api/v1/duties/${ctx.dutyOpen}`), expect: only([...XINCHENG, ...SEES_ALL], 200, 404) },
  ],
  'POST /api/v1/duties/{id}/meet': [
    { name: 'a met duty (allowed: 409 illegal_transition)', code: 'illegal_transition', probe: (c) => c.post(`/api/v1/duties/${ctx.dutyMet}/meet`, {}), expect: { ...only([...XINCHENG, 'coordinator_staff'], 409, 404), auditor: 403, admin: 403 } },
    {
      name: 'R-CRI-1a: an open transfer duty, ended only by its workflow, back-dated (allowed: 409 duty_ended_by_workflow)',
      code: 'duty_ended_by_workflow',
      probe: (c) => c.post(`/api/v1/duties/${ctx.dutyOpen}/meet`, { met_at: START }),
      expect: { ...only([...XINCHENG, 'coordinator_staff'], 409, 404), auditor: 403, admin: 403 },
    },
  ],
  'POST /api/v1/duties/{id}/waive': [
    { name: 'a met duty (allowed: 409)', code: 'illegal_transition', probe: (c) => c.post(`/api/v1/duties/${ctx.dutyMet}/waive`, { reason: '矩阵测试' }), expect: { ...only(['coordinator_staff', 'admin'], 409, 404), ...Object.fromEntries(XINCHENG.map((r) => [r, 403])), auditor: 403 } },
    {
      name: 'R-CRI-1a: an open transfer duty, waived only by its workflow (allowed: 409 duty_ended_by_workflow)',
      code: 'duty_ended_by_workflow',
      probe: (c) => c.post(`/api/v1/duties/${ctx.dutyOpen}/waive`, { reason: '矩阵测试' }),
      expect: { ...only(['coordinator_staff', 'admin'], 409, 404), ...Object.fromEntries(XINCHENG.map((r) => [r, 403])), auditor: 403 },
    },
  ],
  'POST /api/v1/duties/{id}/extend': [
    {
      name: 'R-CRI-1a: a met duty with a statutory period (allowed: 409)',
      code: 'duty_not_extendable',
      probe: (c) => c.post(`/api/v1/duties/${ctx.dutyMetStatutory}/extend`, { reason: '矩阵测试', new_due: '2026-12-31T00:00:00+08:00' }),
      expect: { ...only(['township_leader', 'coordinator_staff'], 409, 404), township_officer: 403, liaison: 403, auditor: 403, admin: 403 },
    },
    {
      name: 'R-CRI-1a: an open transfer duty, statutory period (allowed: 409 duty_not_extendable)',
      code: 'duty_not_extendable',
      probe: (c) => c.post(`/api/v1/duties/${ctx.dutyOpen}/extend`, { reason: '矩阵测试', new_due: '2026-12-31T00:00:00+08:00' }),
      expect: { ...only(['township_leader', 'coordinator_staff'], 409, 404), township_officer: 403, liaison: 403, auditor: 403, admin: 403 },
    },
  ],
  'POST /api/v1/duties/{id}/suspend': [
    { name: 'R-CRI-1a: a met duty with a statutory period (allowed: 409)', code: 'duty_not_suspendable', probe: (c) => c.post(`/api/v1/duties/${ctx.dutyMetStatutory}/suspend`, { reason: '矩阵测试' }), expect: { ...only(['coordinator_staff'], 409, 404), ...Object.fromEntries(XINCHENG.map((r) => [r, 403])), auditor: 403, admin: 403 } },
    { name: 'R-CRI-1a: an open transfer duty, statutory period (allowed: 409 duty_not_suspendable)', code: 'duty_not_suspendable', probe: (c) => c.post(`/api/v1/duties/${ctx.dutyOpen}/suspend`, { reason: '矩阵测试' }), expect: { ...only(['coordinator_staff'], 409, 404), ...Object.fromEntries(XINCHENG.map((r) => [r, 403])), auditor: 403, admin: 403 } },
  ],
  'POST /api/v1/duties/{id}/resume': [
    { name: 'a met duty (allowed: 409)', probe: (c) => c.post(`/api/v1/duties/${ctx.dutyMet}/resume`, {}), expect: { ...only(['coordinator_staff'], 409, 404), ...Object.fromEntries(XINCHENG.map((r) => [r, 403])), auditor: 403, admin: 403 } },
  ],
  'GET /api/v1/rules': [{ name: 'the policy rules in words (issue 17 defect 3)', probe: (c) => c.get('/api/v1/rules'), expect: signedIn(200) }],
  // ---------------------------------------------------------------- notifications
  'GET /api/v1/notifications': [{ name: 'own notifications', probe: (c) => c.get('/api/v1/notifications'), expect: signedIn(200) }],
  'POST /api/v1/notifications/{id}/read': [
    { name: "the liaison's notification", probe: (c) => c.post(`/api/v1/notifications/${ctx.liaisonNote}/read`), expect: only(['liaison'], 204, 404) },
  ],
  'POST /api/v1/notifications/read-all': [{ name: 'own notifications', probe: (c) => c.post('/api/v1/notifications/read-all'), expect: signedIn(204) }],
  // --- Notifications away from the browser (issue 18): a user's own contact, the admin's outbox ---
  'GET /api/v1/users/{id}/contact': [
    { name: "xincheng.officer's contact (self or admin)", probe: (c) => c.get(`/api/v1/users/${ctx.user['xincheng.officer']}/contact`), expect: { ...signedIn(404), township_officer: 200, admin: 200 } },
  ],
  'PUT /api/v1/users/{id}/contact': [
    { name: 'bad email (self or admin: 400)', probe: (c) => c.put(`/api/v1/users/${ctx.user['xincheng.officer']}/contact`, { email: 'no-at-sign', mobile: '', urgent_channels: [], routine_channels: [] }), expect: { ...signedIn(404), township_officer: 400, admin: 400 } },
  ],
  'GET /api/v1/admin/deliveries': [{ name: 'the outbox', probe: (c) => c.get('/api/v1/admin/deliveries'), expect: only(['admin'], 200, 403) }],
  // --- Regions (R-ACC-2, issue 19): the tree as each scope shows it, the import, escalations. The
  // regional rows (a county office against its neighbour 404, the city office 200, a province
  // office over all) are in tests/http/regions.test.mjs, on the city demo. ---
  'GET /api/v1/regions': [{ name: 'the tree of my scope', probe: (c) => c.get('/api/v1/regions'), expect: signedIn(200) }],
  'POST /api/v1/admin/regions/import': [
    { name: 'bad code (admin: 400 line 1 column 1)', probe: (c) => postBody(c, '/api/v1/admin/regions/import', '44532,某县,\n', 'text/csv'), expect: only(['admin'], 400, 403) },
  ],
  'GET /api/v1/escalations': [{ name: 'escalations of my scope', probe: (c) => c.get('/api/v1/escalations'), expect: signedIn(200) }],
  'GET /api/v1/events': [{ name: 'event stream', probe: (c) => openStream(c, '/api/v1/events'), expect: signedIn(200) }],
  // ---------------------------------------------------------------- referrals and documents (v3)
  // ctx.refWithdrawn was sent xincheng → scjg, then withdrawn: scjg (receiver) sees it, the judicial
  // officer does not (404); allowed roles get 409 illegal_transition; others 403.
  'GET /api/v1/referrals': [{ name: 'list (what I may see)', probe: (c) => c.get('/api/v1/referrals'), expect: signedIn(200) }],
  'POST /api/v1/referrals': [
    { name: 'no receiver (officers of a township or department: 400 to_org)', probe: (c) => c.post('/api/v1/referrals', {}), expect: only(['township_officer', 'liaison', 'department_officer'], 400, 403) },
  ],
  'GET /api/v1/referrals/export.csv': [{ name: 'export', probe: (c) => c.get('/api/v1/referrals/export.csv'), expect: signedIn(200) }],
  'GET /api/v1/referrals/approvals': [{ name: "leader's queue", probe: (c) => c.get('/api/v1/referrals/approvals'), expect: only(['township_leader'], 200, 403) }],
  'GET /api/v1/referrals/{id}': [
    { name: "xincheng's draft", probe: (c) => c.get(`/api/v1/referrals/${ctx.refDraft}`), expect: only([...XINCHENG, ...SEES_ALL], 200, 404) },
    { name: 'a referral sent to scjg', probe: (c) => c.get(`/api/v1/referrals/${ctx.refWithdrawn}`), expect: only([...XINCHENG, ...SEES_ALL, 'department_officer'], 200, 404) },
  ],
  'PATCH /api/v1/referrals/{id}': [
    { name: 'a withdrawn referral (sender officers: 409)', probe: (c) => c.patch(`/api/v1/referrals/${ctx.refWithdrawn}`, { place: '矩阵' }), expect: { ...only(['township_officer', 'liaison'], 409, 403), judicial_officer: 404 } },
  ],
  'POST /api/v1/referrals/{id}/submit': [
    { name: 'withdrawn (sender officers: 409)', probe: (c) => c.post(`/api/v1/referrals/${ctx.refWithdrawn}/submit`, {}), expect: { ...only(['township_officer', 'liaison'], 409, 403), judicial_officer: 404 } },
  ],
  'POST /api/v1/referrals/{id}/approve': [
    { name: 'withdrawn (sender leader: 409)', probe: (c) => c.post(`/api/v1/referrals/${ctx.refWithdrawn}/approve`, {}), expect: { ...only(['township_leader'], 409, 403), judicial_officer: 404 } },
  ],
  'POST /api/v1/referrals/{id}/return': [
    { name: 'withdrawn (sender leader, receiver staff: 409)', probe: (c) => c.post(`/api/v1/referrals/${ctx.refWithdrawn}/return`, { reason: '矩阵测试' }), expect: { ...only(['township_leader', 'department_officer'], 409, 403), judicial_officer: 404 } },
  ],
  'POST /api/v1/referrals/{id}/receive': [
    { name: 'withdrawn (receiver staff: 409)', probe: (c) => c.post(`/api/v1/referrals/${ctx.refWithdrawn}/receive`, {}), expect: { ...only(['department_officer'], 409, 403), judicial_officer: 404 } },
  ],
  'POST /api/v1/referrals/{id}/accept': [
    { name: 'withdrawn (only the receiver leader, not in the matrix)', probe: (c) => c.post(`/api/v1/referrals/${ctx.refWithdrawn}/accept`, {}), expect: { ...only([], 409, 403), judicial_officer: 404 } },
  ],
  'POST /api/v1/referrals/{id}/decline': [
    { name: 'withdrawn (only the receiver leader, not in the matrix)', probe: (c) => c.post(`/api/v1/referrals/${ctx.refWithdrawn}/decline`, { reason: '矩阵测试' }), expect: { ...only([], 409, 403), judicial_officer: 404 } },
  ],
  'POST /api/v1/referrals/{id}/withdraw': [
    { name: 'withdrawn (sender staff: 409)', probe: (c) => c.post(`/api/v1/referrals/${ctx.refWithdrawn}/withdraw`, { reason: '矩阵测试' }), expect: { ...only(XINCHENG, 409, 403), judicial_officer: 404 } },
  ],
  'POST /api/v1/referrals/{id}/handle': [
    { name: 'withdrawn (receiver staff: 409)', probe: (c) => c.post(`/api/v1/referrals/${ctx.refWithdrawn}/handle`, { result: '矩阵测试' }), expect: { ...only(['department_officer'], 409, 403), judicial_officer: 404 } },
  ],
  'POST /api/v1/referrals/{id}/close': [
    { name: 'withdrawn (a leader of either side: 409)', probe: (c) => c.post(`/api/v1/referrals/${ctx.refWithdrawn}/close`, {}), expect: { ...only(['township_leader'], 409, 403), judicial_officer: 404 } },
  ],
  'POST /api/v1/referrals/{id}/coordination': [
    { name: 'withdrawn (sender staff: 409)', probe: (c) => c.post(`/api/v1/referrals/${ctx.refWithdrawn}/coordination`, { reason: '矩阵测试' }), expect: { ...only(XINCHENG, 409, 403), judicial_officer: 404 } },
  ],
  'POST /api/v1/referrals/{id}/coordination/decision': [
    { name: 'withdrawn (coordinator staff: 409)', probe: (c) => c.post(`/api/v1/referrals/${ctx.refWithdrawn}/coordination/decision`, { decision: 'sender_keeps', reason: '矩阵测试' }), expect: { ...only(['coordinator_staff'], 409, 403), judicial_officer: 404 } },
  ],
  'GET /api/v1/documents/{id}': [
    { name: 'the letter of a referral sent to scjg', probe: (c) => c.get(`/api/v1/documents/${ctx.refDoc}`), expect: only([...XINCHENG, ...SEES_ALL, 'department_officer'], 200, 404) },
    { name: 'the letter of a collaboration sent to scjg', probe: (c) => c.get(`/api/v1/documents/${ctx.colDoc}`), expect: only([...XINCHENG, ...SEES_ALL, 'department_officer'], 200, 404) },
    { name: 'a participation notice scjg sent to xincheng', probe: (c) => c.get(`/api/v1/documents/${ctx.participationDoc}`), expect: only([...XINCHENG, ...SEES_ALL, 'department_officer'], 200, 404) },
  ],
  // ---------------------------------------------------------------- collaborations (v4, R-COL-1..4)
  'GET /api/v1/collaborations': [{ name: 'list (what I may see)', probe: (c) => c.get('/api/v1/collaborations'), expect: signedIn(200) }],
  'POST /api/v1/collaborations': [
    { name: 'no kind (township officers/leaders: 400 kind)', probe: (c) => c.post('/api/v1/collaborations', {}), expect: only(XINCHENG, 400, 403) },
  ],
  'GET /api/v1/collaborations/export.csv': [{ name: 'export', probe: (c) => c.get('/api/v1/collaborations/export.csv'), expect: signedIn(200) }],
  // ---------------------------------------------------------------- the combined 协作 list (R-COL-1..8)
  'GET /api/v1/collab-items': [
    { name: 'list (what I may see)', probe: (c) => c.get('/api/v1/collab-items'), expect: signedIn(200) },
    { name: 'unknown type (400 type)', probe: (c) => c.get('/api/v1/collab-items?type=bogus'), expect: signedIn(400) },
  ],
  'GET /api/v1/collab-items/export.csv': [{ name: 'export', probe: (c) => c.get('/api/v1/collab-items/export.csv'), expect: signedIn(200) }],
  'GET /api/v1/collaborations/{id}': [
    { name: "xincheng's draft", probe: (c) => c.get(`/api/v1/collaborations/${ctx.colDraft}`), expect: only([...XINCHENG, ...SEES_ALL], 200, 404) },
    { name: 'one sent to scjg', probe: (c) => c.get(`/api/v1/collaborations/${ctx.colWithdrawn}`), expect: only([...XINCHENG, ...SEES_ALL, 'department_officer'], 200, 404) },
  ],
  'PATCH /api/v1/collaborations/{id}': [
    { name: 'withdrawn (sender staff: 409)', probe: (c) => c.patch(`/api/v1/collaborations/${ctx.colWithdrawn}`, { title: '矩阵' }), expect: { ...only(XINCHENG, 409, 403), judicial_officer: 404 } },
  ],
  'POST /api/v1/collaborations/{id}/submit': [
    { name: 'withdrawn (sender staff: 409)', probe: (c) => c.post(`/api/v1/collaborations/${ctx.colWithdrawn}/submit`, {}), expect: { ...only(XINCHENG, 409, 403), judicial_officer: 404 } },
  ],
  'POST /api/v1/collaborations/{id}/approve': [
    { name: 'withdrawn (sender leader: 409)', probe: (c) => c.post(`/api/v1/collaborations/${ctx.colWithdrawn}/approve`, {}), expect: { ...only(['township_leader'], 409, 403), judicial_officer: 404 } },
  ],
  'POST /api/v1/collaborations/{id}/return': [
    { name: 'withdrawn (sender leader: 409)', probe: (c) => c.post(`/api/v1/collaborations/${ctx.colWithdrawn}/return`, { reason: '矩阵测试' }), expect: { ...only(['township_leader'], 409, 403), judicial_officer: 404 } },
  ],
  'POST /api/v1/collaborations/{id}/receive': [
    { name: 'withdrawn (receiver staff: 409)', probe: (c) => c.post(`/api/v1/collaborations/${ctx.colWithdrawn}/receive`, {}), expect: { ...only(['department_officer'], 409, 403), judicial_officer: 404 } },
  ],
  'POST /api/v1/collaborations/{id}/extend': [
    { name: 'withdrawn (only the receiver leader, not in the matrix)', probe: (c) => c.post(`/api/v1/collaborations/${ctx.colWithdrawn}/extend`, { reason: '矩阵测试', new_due: '2026-12-31', complex: true }), expect: { ...only([], 409, 403), judicial_officer: 404 } },
  ],
  'POST /api/v1/collaborations/{id}/answer': [
    { name: 'withdrawn (receiver staff: 409)', probe: (c) => c.post(`/api/v1/collaborations/${ctx.colWithdrawn}/answer`, { conclusion: '矩阵', text: '矩阵测试' }), expect: { ...only(['department_officer'], 409, 403), judicial_officer: 404 } },
  ],
  'POST /api/v1/collaborations/{id}/approve-answer': [
    { name: 'withdrawn (only the receiver leader, not in the matrix)', probe: (c) => c.post(`/api/v1/collaborations/${ctx.colWithdrawn}/approve-answer`, {}), expect: { ...only([], 409, 403), judicial_officer: 404 } },
  ],
  'POST /api/v1/collaborations/{id}/reject-answer': [
    { name: 'withdrawn (only the receiver leader, not in the matrix)', probe: (c) => c.post(`/api/v1/collaborations/${ctx.colWithdrawn}/reject-answer`, { reason: '矩阵测试' }), expect: { ...only([], 409, 403), judicial_officer: 404 } },
  ],
  'POST /api/v1/collaborations/{id}/follow-up': [
    { name: 'withdrawn (sender staff: 409)', probe: (c) => c.post(`/api/v1/collaborations/${ctx.colWithdrawn}/follow-up`, { questions: '矩阵测试' }), expect: { ...only(XINCHENG, 409, 403), judicial_officer: 404 } },
  ],
  'POST /api/v1/collaborations/{id}/dispatch': [
    { name: 'withdrawn (receiver staff: 409)', probe: (c) => c.post(`/api/v1/collaborations/${ctx.colWithdrawn}/dispatch`, { staff: ['张三'] }), expect: { ...only(['department_officer'], 409, 403), judicial_officer: 404 } },
  ],
  'POST /api/v1/collaborations/{id}/arrived': [
    { name: 'withdrawn (receiver staff: 409)', probe: (c) => c.post(`/api/v1/collaborations/${ctx.colWithdrawn}/arrived`, {}), expect: { ...only(['department_officer'], 409, 403), judicial_officer: 404 } },
  ],
  'POST /api/v1/collaborations/{id}/withdraw': [
    { name: 'withdrawn (sender staff: 409)', probe: (c) => c.post(`/api/v1/collaborations/${ctx.colWithdrawn}/withdraw`, { reason: '矩阵测试' }), expect: { ...only(XINCHENG, 409, 403), judicial_officer: 404 } },
  ],
  'POST /api/v1/collaborations/{id}/close': [
    { name: 'withdrawn (sender staff: 409)', probe: (c) => c.post(`/api/v1/collaborations/${ctx.colWithdrawn}/close`, {}), expect: { ...only(XINCHENG, 409, 403), judicial_officer: 404 } },
  ],
  // ---------------------------------------------------------------- matters and files (v2)
  'GET /api/v1/matters': [{ name: 'catalog', probe: (c) => c.get('/api/v1/matters'), expect: signedIn(200) }],
  'GET /api/v1/matters/{id}': [{ name: 'a matter', probe: (c) => c.get(`/api/v1/matters/${ctx.matter.id}`), expect: signedIn(200) }],
  'GET /api/v1/matters/export.csv': [{ name: 'export', probe: (c) => c.get('/api/v1/matters/export.csv'), expect: signedIn(200) }],
  'POST /api/v1/matters/import': [
    { name: 'bad header (admin: 400 line 1: header)', probe: (c) => postBody(c, '/api/v1/matters/import', 'nonsense\n', 'text/csv'), expect: only(['admin'], 400, 403) },
  ],
  'GET /api/v1/jurisdiction': [
    { name: 'who is competent', probe: (c) => c.get(`/api/v1/jurisdiction?matter=${encodeURIComponent(ctx.matter.code)}&township=xincheng&on=2026-11-23`), expect: signedIn(200) },
  ],
  'POST /api/v1/files': [
    { name: 'upload a PDF (auditors are read-only)', probe: (c, role) => postBody(c, '/api/v1/files', `%PDF-1.4\n% matrix ${role}\n%%EOF\n`, 'application/pdf', { 'X-File-Name': encodeURIComponent('矩阵.pdf') }), expect: { ...signedIn(201), auditor: 403 } },
  ],
  'GET /api/v1/files/{id}': [
    { name: "xincheng's unattached file", probe: (c) => c.get(`/api/v1/files/${ctx.privateFile}`), expect: only([...XINCHENG, ...SEES_ALL], 200, 404) },
  ],
  // ---------------------------------------------------------------- notices, meetings, participation, violation notices (v5, R-COL-5..8)
  'GET /api/v1/notices': [{ name: 'list (what I may see)', probe: (c) => c.get('/api/v1/notices'), expect: signedIn(200) }],
  'POST /api/v1/notices': [{ name: 'empty body (who may start it: 400 missing field)', probe: (c) => c.post('/api/v1/notices', {}), expect: only(XINCHENG, 400, 403) }],
  'GET /api/v1/notices/{id}': [{ name: 'withdrawn notice', probe: (c) => c.get(`/api/v1/notices/${ctx.notice}`), expect: only([...XINCHENG, ...SEES_ALL, 'department_officer'], 200, 404) }],
  'POST /api/v1/notices/{id}/measures': [{ name: 'withdrawn notice (final state)', probe: (c) => c.post(`/api/v1/notices/${ctx.notice}/measures`, {}), expect: { ...only(['department_officer'], 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/notices/{id}/close': [{ name: 'withdrawn notice (final state)', probe: (c) => c.post(`/api/v1/notices/${ctx.notice}/close`, {}), expect: { ...only(XINCHENG, 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/notices/{id}/withdraw': [{ name: 'withdrawn notice (final state)', probe: (c) => c.post(`/api/v1/notices/${ctx.notice}/withdraw`, {}), expect: { ...only(XINCHENG, 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/notices/{id}/messages': [{ name: 'withdrawn notice (final state)', probe: (c) => c.post(`/api/v1/notices/${ctx.notice}/messages`, {}), expect: { ...only([...XINCHENG, 'department_officer', 'coordinator_staff'], 409, 403), judicial_officer: 404 } }],
  'GET /api/v1/meetings': [{ name: 'list (what I may see)', probe: (c) => c.get('/api/v1/meetings'), expect: signedIn(200) }],
  'POST /api/v1/meetings': [{ name: 'empty body (who may start it: 400 missing field)', probe: (c) => c.post('/api/v1/meetings', {}), expect: only([...XINCHENG, 'department_officer'], 400, 403) }],
  'GET /api/v1/meetings/{id}': [{ name: 'cancelled meeting', probe: (c) => c.get(`/api/v1/meetings/${ctx.meeting}`), expect: only([...XINCHENG, ...SEES_ALL, 'department_officer'], 200, 404) }],
  'POST /api/v1/meetings/{id}/reply': [{ name: 'cancelled meeting (final state)', probe: (c) => c.post(`/api/v1/meetings/${ctx.meeting}/reply`, {}), expect: { ...only(['department_officer'], 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/meetings/{id}/minutes': [{ name: 'cancelled meeting (final state)', probe: (c) => c.post(`/api/v1/meetings/${ctx.meeting}/minutes`, {}), expect: { ...only(XINCHENG, 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/meetings/{id}/close': [{ name: 'cancelled meeting (final state)', probe: (c) => c.post(`/api/v1/meetings/${ctx.meeting}/close`, {}), expect: { ...only(XINCHENG, 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/meetings/{id}/cancel': [{ name: 'cancelled meeting (final state)', probe: (c) => c.post(`/api/v1/meetings/${ctx.meeting}/cancel`, {}), expect: { ...only(XINCHENG, 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/meetings/{id}/messages': [{ name: 'cancelled meeting (final state)', probe: (c) => c.post(`/api/v1/meetings/${ctx.meeting}/messages`, {}), expect: { ...only([...XINCHENG, 'department_officer', 'coordinator_staff'], 409, 403), judicial_officer: 404 } }],
  'GET /api/v1/participation-requests': [{ name: 'list (what I may see)', probe: (c) => c.get('/api/v1/participation-requests'), expect: signedIn(200) }],
  'POST /api/v1/participation-requests': [{ name: 'empty body (who may start it: 400 missing field)', probe: (c) => c.post('/api/v1/participation-requests', {}), expect: only(['department_officer'], 400, 403) }],
  'GET /api/v1/participation-requests/{id}': [{ name: 'cancelled request', probe: (c) => c.get(`/api/v1/participation-requests/${ctx.participation}`), expect: only([...XINCHENG, ...SEES_ALL, 'department_officer'], 200, 404) }],
  'POST /api/v1/participation-requests/{id}/written-notice': [{ name: 'cancelled request (final state)', probe: (c) => c.post(`/api/v1/participation-requests/${ctx.participation}/written-notice`, {}), expect: { ...only(['department_officer'], 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/participation-requests/{id}/confirm': [{ name: 'cancelled request (final state)', probe: (c) => c.post(`/api/v1/participation-requests/${ctx.participation}/confirm`, {}), expect: { ...only(XINCHENG, 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/participation-requests/{id}/complete': [{ name: 'cancelled request (final state)', probe: (c) => c.post(`/api/v1/participation-requests/${ctx.participation}/complete`, {}), expect: { ...only(['department_officer'], 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/participation-requests/{id}/cancel': [{ name: 'cancelled request (final state)', probe: (c) => c.post(`/api/v1/participation-requests/${ctx.participation}/cancel`, {}), expect: { ...only(['department_officer'], 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/participation-requests/{id}/messages': [{ name: 'cancelled request (final state)', probe: (c) => c.post(`/api/v1/participation-requests/${ctx.participation}/messages`, {}), expect: { ...only([...XINCHENG, 'department_officer', 'coordinator_staff'], 409, 403), judicial_officer: 404 } }],
  'GET /api/v1/violation-notices': [{ name: 'list (what I may see)', probe: (c) => c.get('/api/v1/violation-notices'), expect: signedIn(200) }],
  'POST /api/v1/violation-notices': [{ name: 'empty body (who may start it: 400 missing field)', probe: (c) => c.post('/api/v1/violation-notices', {}), expect: only(XINCHENG, 400, 403) }],
  'GET /api/v1/violation-notices/{id}': [{ name: 'withdrawn notice', probe: (c) => c.get(`/api/v1/violation-notices/${ctx.violation}`), expect: only([...XINCHENG, ...SEES_ALL, 'department_officer'], 200, 404) }],
  'POST /api/v1/violation-notices/{id}/dispatch': [{ name: 'withdrawn notice (final state)', probe: (c) => c.post(`/api/v1/violation-notices/${ctx.violation}/dispatch`, {}), expect: { ...only(['department_officer'], 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/violation-notices/{id}/handle': [{ name: 'withdrawn notice (final state)', probe: (c) => c.post(`/api/v1/violation-notices/${ctx.violation}/handle`, {}), expect: { ...only(['department_officer'], 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/violation-notices/{id}/refuse': [{ name: 'withdrawn notice (final state)', probe: (c) => c.post(`/api/v1/violation-notices/${ctx.violation}/refuse`, {}), expect: { ...only([], 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/violation-notices/{id}/withdraw': [{ name: 'withdrawn notice (final state)', probe: (c) => c.post(`/api/v1/violation-notices/${ctx.violation}/withdraw`, {}), expect: { ...only(XINCHENG, 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/violation-notices/{id}/coordination': [{ name: 'withdrawn notice (final state)', probe: (c) => c.post(`/api/v1/violation-notices/${ctx.violation}/coordination`, {}), expect: { ...only(XINCHENG, 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/violation-notices/{id}/coordination/decision': [{ name: 'withdrawn notice (final state)', probe: (c) => c.post(`/api/v1/violation-notices/${ctx.violation}/coordination/decision`, { decision: 'department_handles', reason: '矩阵' }), expect: { ...only(['coordinator_staff'], 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/violation-notices/{id}/messages': [{ name: 'withdrawn notice (final state)', probe: (c) => c.post(`/api/v1/violation-notices/${ctx.violation}/messages`, {}), expect: { ...only([...XINCHENG, 'department_officer', 'coordinator_staff'], 409, 403), judicial_officer: 404 } }],
  // ---------------------------------------------------------------- jurisdiction disputes (R-DIS-1..3; a settled one)
  'GET /api/v1/disputes': [{ name: 'list (what I may see)', probe: (c) => c.get('/api/v1/disputes'), expect: signedIn(200) }],
  'GET /api/v1/disputes/export.csv': [{ name: 'export (what I may see)', probe: (c) => c.get('/api/v1/disputes/export.csv'), expect: signedIn(200) }],
  'POST /api/v1/disputes': [{ name: 'empty body (who may open one: 400 missing field)', probe: (c) => c.post('/api/v1/disputes', {}), expect: only([...XINCHENG, 'department_officer'], 400, 403) }],
  'GET /api/v1/disputes/{id}': [{ name: 'settled dispute', probe: (c) => c.get(`/api/v1/disputes/${ctx.dispute}`), expect: only([...XINCHENG, 'department_officer', ...SEES_ALL], 200, 404) }],
  'POST /api/v1/disputes/{id}/joint-handling': [{ name: 'settled dispute (final state)', probe: (c) => c.post(`/api/v1/disputes/${ctx.dispute}/joint-handling`, {}), expect: { ...only([...XINCHENG, 'department_officer'], 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/disputes/{id}/negotiation': [{ name: 'settled dispute (final state)', probe: (c) => c.post(`/api/v1/disputes/${ctx.dispute}/negotiation`, {}), expect: { ...only([...XINCHENG, 'department_officer'], 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/disputes/{id}/coordination': [{ name: 'settled dispute (final state)', probe: (c) => c.post(`/api/v1/disputes/${ctx.dispute}/coordination`, {}), expect: { ...only(['coordinator_staff'], 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/disputes/{id}/decision': [{ name: 'settled dispute (government staff only)', probe: (c) => c.post(`/api/v1/disputes/${ctx.dispute}/decision`, {}), expect: { ...only([], 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/meetings/{id}/decisions/{no}/done': [{ name: 'no such decision', probe: (c) => c.post(`/api/v1/meetings/${ctx.meeting}/decisions/1/done`, { note: '矩阵' }), expect: signedIn(404) }],
  'POST /api/v1/meetings/{id}/decisions/{no}/joint-action': [{ name: 'no such decision', probe: (c) => c.post(`/api/v1/meetings/${ctx.meeting}/decisions/1/joint-action`, {}), expect: signedIn(404) }],
  // --- Standing mechanisms (R-SYS-1, 2, 4, 5; docs/mechanisms-contract.md): a cancelled
  // consultation of the coordinator inviting scjg, a dissolved mechanism led by scjg with member
  // xincheng, a cancelled joint action of xincheng with scjg. Who may act: 409 (final state);
  // who sees it but may not act: 403; who does not see it: 404.
  'GET /api/v1/consultations': [{ name: 'list (what I may see)', probe: (c) => c.get('/api/v1/consultations'), expect: signedIn(200) }],
  'POST /api/v1/consultations': [{ name: 'empty body (who may convene: 400 missing field)', probe: (c) => c.post('/api/v1/consultations', {}), expect: only(['department_officer', 'coordinator_staff'], 400, 403) }],
  'GET /api/v1/consultations/{id}': [{ name: 'cancelled consultation', probe: (c) => c.get(`/api/v1/consultations/${ctx.consultation}`), expect: only(['department_officer', ...SEES_ALL], 200, 404) }],
  'POST /api/v1/consultations/{id}/reply': [{ name: 'cancelled (final state)', probe: (c) => c.post(`/api/v1/consultations/${ctx.consultation}/reply`, {}), expect: { ...only(['department_officer'], 409, 403), ...Object.fromEntries([...XINCHENG, 'judicial_officer'].map((r) => [r, 404])) } }],
  'POST /api/v1/consultations/{id}/minutes': [{ name: 'cancelled (final state)', probe: (c) => c.post(`/api/v1/consultations/${ctx.consultation}/minutes`, {}), expect: { ...only(['coordinator_staff'], 409, 403), ...Object.fromEntries([...XINCHENG, 'judicial_officer'].map((r) => [r, 404])) } }],
  'POST /api/v1/consultations/{id}/close': [{ name: 'cancelled (final state)', probe: (c) => c.post(`/api/v1/consultations/${ctx.consultation}/close`, {}), expect: { ...only(['coordinator_staff'], 409, 403), ...Object.fromEntries([...XINCHENG, 'judicial_officer'].map((r) => [r, 404])) } }],
  'POST /api/v1/consultations/{id}/cancel': [{ name: 'cancelled (final state)', probe: (c) => c.post(`/api/v1/consultations/${ctx.consultation}/cancel`, {}), expect: { ...only(['coordinator_staff'], 409, 403), ...Object.fromEntries([...XINCHENG, 'judicial_officer'].map((r) => [r, 404])) } }],
  'POST /api/v1/consultations/{id}/messages': [{ name: 'cancelled (final state)', probe: (c) => c.post(`/api/v1/consultations/${ctx.consultation}/messages`, {}), expect: { ...only(['department_officer', 'coordinator_staff'], 409, 403), ...Object.fromEntries([...XINCHENG, 'judicial_officer'].map((r) => [r, 404])) } }],
  'POST /api/v1/consultations/{id}/decisions/{no}/done': [{ name: 'no such decision', probe: (c) => c.post(`/api/v1/consultations/${ctx.consultation}/decisions/1/done`, { note: '矩阵' }), expect: signedIn(404) }],
  'GET /api/v1/liaisons': [{ name: 'the directory (everyone signed in)', probe: (c) => c.get('/api/v1/liaisons'), expect: signedIn(200) }],
  'GET /api/v1/joint-mechanisms': [{ name: 'list (what I may see)', probe: (c) => c.get('/api/v1/joint-mechanisms'), expect: signedIn(200) }],
  'POST /api/v1/joint-mechanisms': [{ name: 'empty body (who may establish: 400 missing field)', probe: (c) => c.post('/api/v1/joint-mechanisms', {}), expect: only(['department_officer', 'coordinator_staff'], 400, 403) }],
  'GET /api/v1/joint-mechanisms/{id}': [{ name: 'dissolved mechanism', probe: (c) => c.get(`/api/v1/joint-mechanisms/${ctx.mechanism}`), expect: only([...XINCHENG, 'department_officer', ...SEES_ALL], 200, 404) }],
  'POST /api/v1/joint-mechanisms/{id}/update': [{ name: 'dissolved (final state)', probe: (c) => c.post(`/api/v1/joint-mechanisms/${ctx.mechanism}/update`, {}), expect: { ...only(['department_officer', 'coordinator_staff'], 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/joint-mechanisms/{id}/briefings': [{ name: 'dissolved (final state)', probe: (c) => c.post(`/api/v1/joint-mechanisms/${ctx.mechanism}/briefings`, {}), expect: { ...only(['department_officer', 'coordinator_staff'], 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/joint-mechanisms/{id}/dissolve': [{ name: 'dissolved (final state)', probe: (c) => c.post(`/api/v1/joint-mechanisms/${ctx.mechanism}/dissolve`, {}), expect: { ...only(['department_officer', 'coordinator_staff'], 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/joint-mechanisms/{id}/messages': [{ name: 'dissolved (final state)', probe: (c) => c.post(`/api/v1/joint-mechanisms/${ctx.mechanism}/messages`, {}), expect: { ...only([...XINCHENG, 'department_officer', 'coordinator_staff'], 409, 403), judicial_officer: 404 } }],
  'GET /api/v1/joint-actions': [{ name: 'list (what I may see)', probe: (c) => c.get('/api/v1/joint-actions'), expect: signedIn(200) }],
  'POST /api/v1/joint-actions': [{ name: 'empty body (who may organise: 400 missing field)', probe: (c) => c.post('/api/v1/joint-actions', {}), expect: only([...XINCHENG, 'department_officer', 'coordinator_staff', 'judicial_officer'], 400, 403) }],
  'GET /api/v1/joint-actions/{id}': [{ name: 'cancelled action', probe: (c) => c.get(`/api/v1/joint-actions/${ctx.jointAction}`), expect: only([...XINCHENG, 'department_officer', ...SEES_ALL], 200, 404) }],
  'POST /api/v1/joint-actions/{id}/result': [{ name: 'cancelled (final state)', probe: (c) => c.post(`/api/v1/joint-actions/${ctx.jointAction}/result`, {}), expect: { ...only(XINCHENG, 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/joint-actions/{id}/cancel': [{ name: 'cancelled (final state)', probe: (c) => c.post(`/api/v1/joint-actions/${ctx.jointAction}/cancel`, {}), expect: { ...only(XINCHENG, 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/joint-actions/{id}/messages': [{ name: 'cancelled (final state)', probe: (c) => c.post(`/api/v1/joint-actions/${ctx.jointAction}/messages`, {}), expect: { ...only([...XINCHENG, 'department_officer', 'coordinator_staff'], 409, 403), judicial_officer: 404 } }],
  // --- First-contact complaints (R-SYS-3): the registering org acts; another org gets 404; whoever
  // SeesAll reads but may not act (403); the fixture is "registered", so steps from elsewhere 409.
  'GET /api/v1/complaints': [{ name: 'list (what I may see)', probe: (c) => c.get('/api/v1/complaints'), expect: signedIn(200) }],
  'GET /api/v1/complaints/export.csv': [{ name: 'export (what I may see)', probe: (c) => c.get('/api/v1/complaints/export.csv'), expect: signedIn(200) }],
  'GET /api/v1/complaints/stats': [{ name: 'counts (own org, or every org for whoever sees all)', probe: (c) => c.get('/api/v1/complaints/stats'), expect: signedIn(200) }],
  'POST /api/v1/complaints': [{ name: 'empty body (staff of any org: 400 missing field)', probe: (c) => c.post('/api/v1/complaints', {}), expect: only([...XINCHENG, 'department_officer', 'coordinator_staff', 'judicial_officer'], 400, 403) }],
  'GET /api/v1/complaints/{id}': [{ name: "xincheng's complaint", probe: (c) => c.get(`/api/v1/complaints/${ctx.complaint}`), expect: only([...XINCHENG, ...SEES_ALL], 200, 404) }],
  'POST /api/v1/complaints/{id}/investigate': [{ name: 'empty body (400 for the first org)', probe: (c) => c.post(`/api/v1/complaints/${ctx.complaint}/investigate`, {}), expect: { ...only(SEES_ALL, 403, 404), township_officer: 400, township_leader: 400, liaison: 400 } }],
  'POST /api/v1/complaints/{id}/handle': [{ name: 'registered (409 for the first org)', probe: (c) => c.post(`/api/v1/complaints/${ctx.complaint}/handle`, {}), expect: { ...only(SEES_ALL, 403, 404), township_officer: 409, township_leader: 409, liaison: 409 } }],
  'POST /api/v1/complaints/{id}/refer': [{ name: 'empty body (400 for the first org)', probe: (c) => c.post(`/api/v1/complaints/${ctx.complaint}/refer`, {}), expect: { ...only(SEES_ALL, 403, 404), township_officer: 400, township_leader: 400, liaison: 400 } }],
  'POST /api/v1/complaints/{id}/reply': [{ name: 'registered (409 for the first org)', probe: (c) => c.post(`/api/v1/complaints/${ctx.complaint}/reply`, {}), expect: { ...only(SEES_ALL, 403, 404), township_officer: 409, township_leader: 409, liaison: 409 } }],
  'POST /api/v1/complaints/{id}/close': [{ name: 'registered (409 for the first org)', probe: (c) => c.post(`/api/v1/complaints/${ctx.complaint}/close`, {}), expect: { ...only(SEES_ALL, 403, 404), township_officer: 409, township_leader: 409, liaison: 409 } }],
  // ---------------------------------------------------------------- court enforcement, police support (R-CRI-3, R-CRI-4, R-CRI-5)
  'GET /api/v1/court-enforcements': [{ name: 'list (what I may see)', probe: (c) => c.get('/api/v1/court-enforcements'), expect: signedIn(200) }],
  'GET /api/v1/court-enforcements/export.csv': [{ name: 'export (what I may see)', probe: (c) => c.get('/api/v1/court-enforcements/export.csv'), expect: signedIn(200) }],
  'POST /api/v1/court-enforcements': [{ name: 'empty body (who may start it: 400 missing field)', probe: (c) => c.post('/api/v1/court-enforcements', {}), expect: only([...XINCHENG, 'department_officer'], 400, 403) }],
  'GET /api/v1/court-enforcements/{id}': [{ name: 'withdrawn application', probe: (c) => c.get(`/api/v1/court-enforcements/${ctx.courtEnforcement}`), expect: only([...XINCHENG, ...SEES_ALL], 200, 404) }],
  'POST /api/v1/court-enforcements/{id}/accept': [{ name: 'withdrawn application (final state)', probe: (c) => c.post(`/api/v1/court-enforcements/${ctx.courtEnforcement}/accept`, {}), expect: { ...only([], 409, 403), department_officer: 404, judicial_officer: 404 } }],
  'POST /api/v1/court-enforcements/{id}/reject': [{ name: 'withdrawn application (final state)', probe: (c) => c.post(`/api/v1/court-enforcements/${ctx.courtEnforcement}/reject`, {}), expect: { ...only([], 409, 403), department_officer: 404, judicial_officer: 404 } }],
  'POST /api/v1/court-enforcements/{id}/ruling': [{ name: 'withdrawn application (final state)', probe: (c) => c.post(`/api/v1/court-enforcements/${ctx.courtEnforcement}/ruling`, {}), expect: { ...only([], 409, 403), department_officer: 404, judicial_officer: 404 } }],
  'POST /api/v1/court-enforcements/{id}/execution': [{ name: 'withdrawn application (final state)', probe: (c) => c.post(`/api/v1/court-enforcements/${ctx.courtEnforcement}/execution`, {}), expect: { ...only(XINCHENG, 409, 403), department_officer: 404, judicial_officer: 404 } }],
  'POST /api/v1/court-enforcements/{id}/withdraw': [{ name: 'withdrawn application (final state)', probe: (c) => c.post(`/api/v1/court-enforcements/${ctx.courtEnforcement}/withdraw`, {}), expect: { ...only(XINCHENG, 409, 403), department_officer: 404, judicial_officer: 404 } }],
  'GET /api/v1/police-support-requests': [{ name: 'list (what I may see)', probe: (c) => c.get('/api/v1/police-support-requests'), expect: signedIn(200) }],
  'GET /api/v1/police-support-requests/export.csv': [{ name: 'export (what I may see)', probe: (c) => c.get('/api/v1/police-support-requests/export.csv'), expect: signedIn(200) }],
  'POST /api/v1/police-support-requests': [{ name: 'empty body (who may start it: 400 missing field)', probe: (c) => c.post('/api/v1/police-support-requests', {}), expect: only([...XINCHENG, 'department_officer'], 400, 403) }],
  'GET /api/v1/police-support-requests/{id}': [{ name: 'cancelled request', probe: (c) => c.get(`/api/v1/police-support-requests/${ctx.policeSupport}`), expect: only([...XINCHENG, ...SEES_ALL, 'judicial_officer'], 200, 404) }],
  'POST /api/v1/police-support-requests/{id}/answer': [{ name: 'cancelled request (final state)', probe: (c) => c.post(`/api/v1/police-support-requests/${ctx.policeSupport}/answer`, {}), expect: { ...only(['judicial_officer'], 409, 403), department_officer: 404 } }],
  'POST /api/v1/police-support-requests/{id}/outcome': [{ name: 'cancelled request (final state)', probe: (c) => c.post(`/api/v1/police-support-requests/${ctx.policeSupport}/outcome`, {}), expect: { ...only(XINCHENG, 409, 403), department_officer: 404 } }],
  'POST /api/v1/police-support-requests/{id}/hand-over': [{ name: 'cancelled request (final state)', probe: (c) => c.post(`/api/v1/police-support-requests/${ctx.policeSupport}/hand-over`, {}), expect: { ...only(XINCHENG, 409, 403), department_officer: 404 } }],
  'POST /api/v1/police-support-requests/{id}/handle': [{ name: 'cancelled request (final state)', probe: (c) => c.post(`/api/v1/police-support-requests/${ctx.policeSupport}/handle`, {}), expect: { ...only(['judicial_officer'], 409, 403), department_officer: 404 } }],
  'POST /api/v1/police-support-requests/{id}/cancel': [{ name: 'cancelled request (final state)', probe: (c) => c.post(`/api/v1/police-support-requests/${ctx.policeSupport}/cancel`, {}), expect: { ...only(XINCHENG, 409, 403), department_officer: 404 } }],
  // Guidance, training, technical support (R-GUI-1..3): the township and the department party to an item.
  'GET /api/v1/guidance-requests': [{ name: 'list (what I may see)', probe: (c) => c.get('/api/v1/guidance-requests'), expect: signedIn(200) }],
  'GET /api/v1/guidance-requests/export.csv': [{ name: 'export (what I may see)', probe: (c) => c.get('/api/v1/guidance-requests/export.csv'), expect: signedIn(200) }],
  'POST /api/v1/guidance-requests': [{ name: 'empty body (township staff: 400 missing field)', probe: (c) => c.post('/api/v1/guidance-requests', {}), expect: only(XINCHENG, 400, 403) }],
  'GET /api/v1/guidance-requests/{id}': [{ name: 'withdrawn request', probe: (c) => c.get(`/api/v1/guidance-requests/${ctx.guidance}`), expect: only([...XINCHENG, ...SEES_ALL, 'department_officer'], 200, 404) }],
  'POST /api/v1/guidance-requests/{id}/schedule': [{ name: 'withdrawn request (final state)', probe: (c) => c.post(`/api/v1/guidance-requests/${ctx.guidance}/schedule`, {}), expect: { ...only(['department_officer'], 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/guidance-requests/{id}/decline': [{ name: 'withdrawn request (final state)', probe: (c) => c.post(`/api/v1/guidance-requests/${ctx.guidance}/decline`, {}), expect: { ...only(['department_officer'], 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/guidance-requests/{id}/record': [{ name: 'withdrawn request (final state)', probe: (c) => c.post(`/api/v1/guidance-requests/${ctx.guidance}/record`, {}), expect: { ...only(['department_officer'], 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/guidance-requests/{id}/withdraw': [{ name: 'withdrawn request (final state)', probe: (c) => c.post(`/api/v1/guidance-requests/${ctx.guidance}/withdraw`, {}), expect: { ...only(XINCHENG, 409, 403), judicial_officer: 404 } }],
  'GET /api/v1/trainings': [{ name: 'list (what I may see)', probe: (c) => c.get('/api/v1/trainings'), expect: signedIn(200) }],
  'GET /api/v1/trainings/export.csv': [{ name: 'export (what I may see)', probe: (c) => c.get('/api/v1/trainings/export.csv'), expect: signedIn(200) }],
  'GET /api/v1/trainings/summary': [{ name: 'yearly view (rows I may see)', probe: (c) => c.get('/api/v1/trainings/summary?year=2026'), expect: signedIn(200) }],
  'POST /api/v1/trainings': [{ name: 'empty body (department staff: 400 missing field)', probe: (c) => c.post('/api/v1/trainings', {}), expect: only(['department_officer'], 400, 403) }],
  'GET /api/v1/trainings/{id}': [{ name: 'cancelled training', probe: (c) => c.get(`/api/v1/trainings/${ctx.training}`), expect: only([...XINCHENG, ...SEES_ALL, 'department_officer'], 200, 404) }],
  'POST /api/v1/trainings/{id}/attendance': [{ name: 'cancelled training (final state)', probe: (c) => c.post(`/api/v1/trainings/${ctx.training}/attendance`, {}), expect: { ...only(['department_officer'], 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/trainings/{id}/close': [{ name: 'cancelled training (final state)', probe: (c) => c.post(`/api/v1/trainings/${ctx.training}/close`, {}), expect: { ...only(['department_officer'], 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/trainings/{id}/cancel': [{ name: 'cancelled training (final state)', probe: (c) => c.post(`/api/v1/trainings/${ctx.training}/cancel`, {}), expect: { ...only(['department_officer'], 409, 403), judicial_officer: 404 } }],
  'GET /api/v1/tech-support-requests': [{ name: 'list (what I may see)', probe: (c) => c.get('/api/v1/tech-support-requests'), expect: signedIn(200) }],
  'GET /api/v1/tech-support-requests/export.csv': [{ name: 'export (what I may see)', probe: (c) => c.get('/api/v1/tech-support-requests/export.csv'), expect: signedIn(200) }],
  'POST /api/v1/tech-support-requests': [{ name: 'empty body (township staff: 400 missing field)', probe: (c) => c.post('/api/v1/tech-support-requests', {}), expect: only(XINCHENG, 400, 403) }],
  'GET /api/v1/tech-support-requests/{id}': [{ name: 'withdrawn request', probe: (c) => c.get(`/api/v1/tech-support-requests/${ctx.techSupport}`), expect: only([...XINCHENG, ...SEES_ALL, 'department_officer'], 200, 404) }],
  'POST /api/v1/tech-support-requests/{id}/answer': [{ name: 'withdrawn request (final state)', probe: (c) => c.post(`/api/v1/tech-support-requests/${ctx.techSupport}/answer`, {}), expect: { ...only(['department_officer'], 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/tech-support-requests/{id}/withdraw': [{ name: 'withdrawn request (final state)', probe: (c) => c.post(`/api/v1/tech-support-requests/${ctx.techSupport}/withdraw`, {}), expect: { ...only(XINCHENG, 409, 403), judicial_officer: 404 } }],
  // ---------------------------------------------------------------- annual plan and tasks (R-PLN-1, R-PLN-2)
  'GET /api/v1/plans': [{ name: 'list (what I may see)', probe: (c) => c.get('/api/v1/plans'), expect: signedIn(200) }],
  'GET /api/v1/plans/export.csv': [{ name: 'export (what I may see)', probe: (c) => c.get('/api/v1/plans/export.csv'), expect: signedIn(200) }],
  'POST /api/v1/plans': [{ name: 'empty body (the coordinator only: 400 missing field)', probe: (c) => c.post('/api/v1/plans', {}), expect: only(['coordinator_staff'], 400, 403) }],
  'GET /api/v1/plans/{id}': [{ name: 'issued plan (townships and departments, not the police)', probe: (c) => c.get(`/api/v1/plans/${ctx.plan}`), expect: only([...XINCHENG, 'department_officer', ...SEES_ALL], 200, 404) }],
  'POST /api/v1/plans/{id}/consult': [{ name: 'issued plan (final state)', probe: (c) => c.post(`/api/v1/plans/${ctx.plan}/consult`, { orgs: [ctx.org.zrzy] }), expect: { ...only(['coordinator_staff'], 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/plans/{id}/comment': [{ name: 'issued plan (final state; scjg was consulted)', probe: (c) => c.post(`/api/v1/plans/${ctx.plan}/comment`, { text: '矩阵' }), expect: { ...only(['department_officer'], 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/plans/{id}/tasks': [{ name: 'issued plan (final state)', probe: (c) => c.post(`/api/v1/plans/${ctx.plan}/tasks`, {}), expect: { ...only(['coordinator_staff'], 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/plans/{id}/issue': [{ name: 'issued plan (final state)', probe: (c) => c.post(`/api/v1/plans/${ctx.plan}/issue`, {}), expect: { ...only(['coordinator_staff'], 409, 403), judicial_officer: 404 } }],
  'GET /api/v1/plan-tasks': [{ name: 'list (what I may see)', probe: (c) => c.get('/api/v1/plan-tasks'), expect: signedIn(200) }],
  'GET /api/v1/plan-tasks/export.csv': [{ name: 'export (what I may see)', probe: (c) => c.get('/api/v1/plan-tasks/export.csv'), expect: signedIn(200) }],
  'POST /api/v1/plan-tasks': [{ name: 'empty body (the coordinator only: 400 missing field)', probe: (c) => c.post('/api/v1/plan-tasks', {}), expect: only(['coordinator_staff'], 400, 403) }],
  'GET /api/v1/plan-tasks/{id}': [{ name: 'done task of xincheng', probe: (c) => c.get(`/api/v1/plan-tasks/${ctx.planTask}`), expect: only([...XINCHENG, ...SEES_ALL], 200, 404) }],
  'POST /api/v1/plan-tasks/{id}/progress': [{ name: 'done task (final state)', probe: (c) => c.post(`/api/v1/plan-tasks/${ctx.planTask}/progress`, {}), expect: { ...only(XINCHENG, 409, 403), department_officer: 404, judicial_officer: 404 } }],
  // Workbench, approvals, overview and 督办 (issue 17, R-PLN-2).
  'GET /api/v1/workbench': [{ name: 'my counts', probe: (c) => c.get('/api/v1/workbench'), expect: signedIn(200) }],
  'GET /api/v1/pending-approvals': [{ name: 'my approvals (leaders; empty for others)', probe: (c) => c.get('/api/v1/pending-approvals'), expect: signedIn(200) }],
  'GET /api/v1/overview/orgs': [{ name: 'county overview', probe: (c) => c.get('/api/v1/overview/orgs'), expect: only(SEES_ALL, 200, 403) }],
  'GET /api/v1/urgings': [{ name: 'list (what I may see)', probe: (c) => c.get('/api/v1/urgings'), expect: signedIn(200) }],
  'POST /api/v1/urgings': [{ name: 'a met duty (coordinator: 409 not_late)', probe: (c) => c.post('/api/v1/urgings', { target_type: 'duty', target_id: ctx.dutyMet }), expect: only(['coordinator_staff'], 409, 403) }],
  'GET /api/v1/urgings/{id}': [{ name: 'urging of scjg', probe: (c) => c.get(`/api/v1/urgings/${ctx.urging}`), expect: only(['department_officer', ...SEES_ALL], 200, 404) }],
  'POST /api/v1/urgings/{id}/answer': [{ name: 'empty body (the urged org: 400)', probe: (c) => c.post(`/api/v1/urgings/${ctx.urging}/answer`, {}), expect: { ...only(['department_officer'], 400, 404), coordinator_staff: 403, auditor: 403, admin: 403 } }],
  // Shared information (R-INF-1..3): materials to addressed townships, filings with the owning department, approvals public.
  'GET /api/v1/materials': [{ name: 'library (what I may see)', probe: (c) => c.get('/api/v1/materials'), expect: signedIn(200) }],
  'GET /api/v1/materials/export.csv': [{ name: 'export (what I may see)', probe: (c) => c.get('/api/v1/materials/export.csv'), expect: signedIn(200) }],
  'POST /api/v1/materials': [{ name: 'empty body (county department: 400 missing field)', probe: (c) => c.post('/api/v1/materials', {}), expect: only(['department_officer'], 400, 403) }],
  'GET /api/v1/materials/{id}': [{ name: 'withdrawn material (publisher, addressed township, sees-all)', probe: (c) => c.get(`/api/v1/materials/${ctx.material}`), expect: only([...XINCHENG, 'department_officer', ...SEES_ALL], 200, 404) }],
  'POST /api/v1/materials/{id}/acknowledge': [{ name: 'withdrawn material (addressed township: 409)', probe: (c) => c.post(`/api/v1/materials/${ctx.material}/acknowledge`, {}), expect: { ...only(XINCHENG, 409, 403), judicial_officer: 404 } }],
  'POST /api/v1/materials/{id}/withdraw': [{ name: 'withdrawn material (publisher: 409)', probe: (c) => c.post(`/api/v1/materials/${ctx.material}/withdraw`, {}), expect: { ...only(['department_officer'], 409, 403), judicial_officer: 404 } }],
  'GET /api/v1/penalty-filings': [{ name: 'list (what I may see)', probe: (c) => c.get('/api/v1/penalty-filings'), expect: signedIn(200) }],
  'GET /api/v1/penalty-filings/export.csv': [{ name: 'export (what I may see)', probe: (c) => c.get('/api/v1/penalty-filings/export.csv'), expect: signedIn(200) }],
  'POST /api/v1/penalty-filings': [{ name: 'empty body (township staff: 400 missing field)', probe: (c) => c.post('/api/v1/penalty-filings', {}), expect: only(XINCHENG, 400, 403) }],
  'GET /api/v1/penalty-filings/{id}': [{ name: 'acknowledged filing (township, owning department, sees-all)', probe: (c) => c.get(`/api/v1/penalty-filings/${ctx.penaltyFiling}`), expect: only([...XINCHENG, 'department_officer', ...SEES_ALL], 200, 404) }],
  'POST /api/v1/penalty-filings/{id}/acknowledge': [{ name: 'acknowledged filing (owning department: 409)', probe: (c) => c.post(`/api/v1/penalty-filings/${ctx.penaltyFiling}/acknowledge`, {}), expect: { ...only(['department_officer'], 409, 403), judicial_officer: 404 } }],
  'GET /api/v1/approvals': [{ name: 'public records', probe: (c) => c.get('/api/v1/approvals'), expect: signedIn(200) }],
  'GET /api/v1/approvals/export.csv': [{ name: 'public records', probe: (c) => c.get('/api/v1/approvals/export.csv'), expect: signedIn(200) }],
  'POST /api/v1/approvals': [{ name: 'empty body (county department: 400 missing field)', probe: (c) => c.post('/api/v1/approvals', {}), expect: only(['department_officer'], 400, 403) }],
  'POST /api/v1/approvals/import': [{ name: 'bad header (county department: 400 line 1)', probe: (c) => postBody(c, '/api/v1/approvals/import', 'nonsense\n', 'text/csv'), expect: only(['department_officer'], 400, 403) }],
  'GET /api/v1/approvals/feed': [{ name: "the township's feed", probe: (c) => c.get('/api/v1/approvals/feed'), expect: only(XINCHENG, 200, 403) }],
  'POST /api/v1/approvals/feed/read': [{ name: 'an id not in the feed (township: 400, nothing marked)', probe: (c) => c.post('/api/v1/approvals/feed/read', { ids: [999999999] }), expect: only(XINCHENG, 400, 403) }],
  'GET /api/v1/approvals/{id}': [{ name: 'a public record', probe: (c) => c.get(`/api/v1/approvals/${ctx.approval}`), expect: signedIn(200) }],
  // ---------------------------------------------------------------- test mode (public by design: test servers only)
  // Criminal transfers (R-CRI-1a, R-CRI-5): the agency's staff and head, the addressed police only.
  'GET /api/v1/criminal-transfers': [{ name: 'list (own transfers only)', probe: (c) => c.get('/api/v1/criminal-transfers'), expect: signedIn(200) }],
  'POST /api/v1/criminal-transfers': [
    { name: 'report without facts (allowed: 400)', probe: (c) => c.post('/api/v1/criminal-transfers', { title: '矩阵', facts: '', offence: 'x', police_org: ctx.org.gaj, procuratorate_org: ctx.org.jcy }), expect: only([...XINCHENG, 'department_officer'], 400, 403) },
  ],
  'GET /api/v1/criminal-transfers/{id}': [
    { name: 'not yet transferred: the agency only', probe: (c) => c.get(`/api/v1/criminal-transfers/${ctx.crime}`), expect: only([...XINCHENG, ...SEES_ALL], 200, 404) },
    { name: 'transferred: also the police addressed', probe: (c) => c.get(`/api/v1/criminal-transfers/${ctx.crimeSent}`), expect: only([...XINCHENG, ...SEES_ALL, 'judicial_officer'], 200, 404) },
  ],
  'POST /api/v1/criminal-transfers/{id}/approve': [{ name: 'already approved (head: 409)', probe: (c) => c.post(`/api/v1/criminal-transfers/${ctx.crime}/approve`, {}), expect: { ...CRIME, township_leader: 409, judicial_officer: 404 } }],
  'POST /api/v1/criminal-transfers/{id}/not-approve': [{ name: 'already approved (head: 409)', probe: (c) => c.post(`/api/v1/criminal-transfers/${ctx.crime}/not-approve`, { reason: '矩阵' }), expect: { ...CRIME, township_leader: 409, judicial_officer: 404 } }],
  'POST /api/v1/criminal-transfers/{id}/transfer': [{ name: 'unknown field (agency staff: 400)', probe: (c) => c.post(`/api/v1/criminal-transfers/${ctx.crime}/transfer`, { bogus: 1 }), expect: { ...CRIME, township_officer: 400, township_leader: 400, liaison: 400, judicial_officer: 404 } }],
  'POST /api/v1/criminal-transfers/{id}/receipt': [{ name: 'unknown field (the police: 400)', probe: (c) => c.post(`/api/v1/criminal-transfers/${ctx.crimeSent}/receipt`, { bogus: 1 }), expect: { ...CRIME, judicial_officer: 400 } }],
  'POST /api/v1/criminal-transfers/{id}/open-case': [{ name: 'not received yet (the police: 409)', probe: (c) => c.post(`/api/v1/criminal-transfers/${ctx.crimeSent}/open-case`, {}), expect: { ...CRIME, judicial_officer: 409 } }],
  'POST /api/v1/criminal-transfers/{id}/refuse-case': [{ name: 'not received yet (the police: 409)', probe: (c) => c.post(`/api/v1/criminal-transfers/${ctx.crimeSent}/refuse-case`, { reason: '矩阵' }), expect: { ...CRIME, judicial_officer: 409 } }],
  'POST /api/v1/criminal-transfers/{id}/reconsider': [{ name: 'not refused (head: 409)', probe: (c) => c.post(`/api/v1/criminal-transfers/${ctx.crimeSent}/reconsider`, { reason: '矩阵' }), expect: { ...CRIME, township_leader: 409 } }],
  'POST /api/v1/criminal-transfers/{id}/uphold-refusal': [{ name: 'no reconsideration (the police: 409)', probe: (c) => c.post(`/api/v1/criminal-transfers/${ctx.crimeSent}/uphold-refusal`, { reason: '矩阵' }), expect: { ...CRIME, judicial_officer: 409 } }],
  'POST /api/v1/criminal-transfers/{id}/return': [{ name: 'not decided (the police: 409)', probe: (c) => c.post(`/api/v1/criminal-transfers/${ctx.crimeSent}/return`, { reason: '矩阵' }), expect: { ...CRIME, judicial_officer: 409 } }],
  'POST /api/v1/criminal-transfers/{id}/handle': [{ name: 'R-CRI-1: pending at the police (agency staff: 409)', code: 'illegal_transition', probe: (c) => c.post(`/api/v1/criminal-transfers/${ctx.crimeSent}/handle`, { result: '矩阵' }), expect: { ...CRIME, township_officer: 409, township_leader: 409, liaison: 409 } }],
  'POST /api/v1/criminal-transfers/{id}/supervise': [{ name: 'the procuratorate only (the police: 403)', probe: (c) => c.post(`/api/v1/criminal-transfers/${ctx.crimeSent}/supervise`, { opinion: '矩阵' }), expect: { ...CRIME, judicial_officer: 403 } }],
  'GET /api/v1/test/clock': [{ name: 'read the clock', probe: (c) => c.get('/api/v1/test/clock'), expect: everyone(200) }],
  'POST /api/v1/test/clock': [{ name: 'neither set nor advance (400)', probe: (c) => c.post('/api/v1/test/clock', {}), expect: everyone(400) }],
  'POST /api/v1/test/sweep': [{ name: 'one pass', probe: (c) => c.post('/api/v1/test/sweep', {}), expect: everyone(200) }],
  'POST /api/v1/test/boundary': [{ name: 'bad input (400, R-DIS-3)', probe: (c) => c.post('/api/v1/test/boundary', { matter_code: 'NOPE-9', change: 'owner', owner_org: 'zjj', effective: '2026-12-01' }), expect: everyone(400) }],
  // ---------------------------------------------------------------- ops
  'GET /healthz': [{ name: 'health', probe: (c) => c.get('/healthz'), expect: everyone(200) }],
  'GET /metrics': [{ name: 'metrics', probe: (c) => c.get('/metrics'), expect: everyone(200) }],
  // --- Operating (issue 18) ---
  'GET /readyz': [{ name: 'readiness', probe: (c) => c.get('/readyz'), expect: everyone(200) }],
  'GET /api/v1/admin/backups': [{ name: 'backup state (admin only, R-ACC-1)', probe: (c) => c.get('/api/v1/admin/backups'), expect: only(['admin'], 200, 403) }],
  'GET /api/v1/openapi.json': [{ name: 'document', probe: (c) => c.get('/api/v1/openapi.json'), expect: everyone(200) }],
}

// --- .xlsx beside every CSV export (issue 14) ---
// GET …/export.xlsx has exactly the access of its GET …/export.csv: one row per route, the CSV
// row's probes sent to the .xlsx path (the client's get() rewritten), the same expectations.
const toXlsx = (path) => path.replace(/\/export\.csv(?=\?|$)/, '/export.xlsx')
const xlsxClient = (c) => new Proxy(c, {
  get: (t, prop) => (prop === 'get' ? (path, ...rest) => t.get(toXlsx(path), ...rest) : t[prop]),
})
// The converter for the tables the web UI exports itself reads nothing: every signed-in user.
MATRIX['POST /api/v1/exports/xlsx'] = [
  { name: 'CSV → .xlsx (any signed-in user)', probe: (c) => postBody(c, '/api/v1/exports/xlsx?name=' + encodeURIComponent('审计日志'), '序号,时间\r\n1,2026-11-23 09:00:00\r\n', 'text/csv'), expect: signedIn(200) },
  { name: 'not CSV (400)', probe: (c) => postBody(c, '/api/v1/exports/xlsx', '{}', 'application/json'), expect: signedIn(400) },
]
for (const route of Object.keys(MATRIX).filter((r) => /^GET \/api\/v1\/.+\/export\.csv$/.test(r))) {
  MATRIX[toXlsx(route)] = MATRIX[route].map((k) => ({ ...k, name: `${k.name} (.xlsx)`, probe: (c, role) => k.probe(xlsxClient(c), role) }))
}

function cellKey(route, name, role) {
  return `${route} | ${name} | ${role}`
}

function classify(status) {
  if (status === 401) return 'unauthenticated'
  if (status === 403 || status === 404) return 'denied'
  if (status >= 200 && status < 300) return 'allowed'
  return 'allowed-validation'
}

async function runCell(route, kase, role) {
  const res = await kase.probe(clients[role], role)
  const expected = kase.expect[role]
  const problems = []
  if (res.status !== expected) {
    problems.push(`${cellKey(route, kase.name, role)}: expected ${expected} (${classify(expected)}), got ${show(res)}`)
  } else if (classify(expected) === 'allowed-validation') {
    // The refusal must come from validation, not access control.
    const code = res.json?.error?.code
    if (['permission_denied', 'csrf_failed', 'unauthenticated', 'not_found'].includes(code)) {
      problems.push(`${cellKey(route, kase.name, role)}: ${expected} but error code ${code}`)
    } else if (kase.code && code !== kase.code) {
      problems.push(`${cellKey(route, kase.name, role)}: error code ${code}, expected ${kase.code}`)
    }
  }
  if (route === 'GET /api/v1/events' && res.status === 200 && !res.contentType.includes('text/event-stream')) {
    problems.push(`${cellKey(route, kase.name, role)}: content-type ${res.contentType}`)
  }
  return problems
}

test('R-ACC-1: the matrix has a row for every documented route, and every row a status for every role', async () => {
  const doc = await raw(server.url, 'GET', '/api/v1/openapi.json')
  assert.equal(doc.status, 200)
  const documented = []
  for (const [path, item] of Object.entries(doc.json.paths)) {
    for (const m of ['get', 'post', 'put', 'patch', 'delete']) if (item[m]) documented.push(`${m.toUpperCase()} ${path}`)
  }
  assert.ok(documented.length >= 40, `only ${documented.length} routes documented`)
  const missing = documented.filter((r) => !MATRIX[r])
  const stale = Object.keys(MATRIX).filter((r) => !documented.includes(r))
  assert.deepEqual(missing, [], `routes without a row in access_matrix.test.mjs: ${missing.join(', ')}`)
  assert.deepEqual(stale, [], `rows for routes the server does not have: ${stale.join(', ')}`)
  for (const [route, cases] of Object.entries(MATRIX)) {
    assert.ok(cases.length > 0, route)
    for (const k of cases) assert.deepEqual(Object.keys(k.expect).sort(), [...ROLE_NAMES].sort(), `${route} ${k.name}`)
  }
})

for (const [route, cases] of Object.entries(MATRIX)) {
  test(`R-ACC-1: ${route}`, async () => {
    const problems = []
    for (const kase of cases) {
      for (const role of ROLE_NAMES) {
        problems.push(...(await runCell(route, kase, role)))
      }
    }
    assert.deepEqual(problems, [], problems.join('\n'))
  })
}

test('R-CRI-1a: every role refused on the open transfer duty changed nothing (state, deadline, events, audit)', async () => {
  const d = await clients.coordinator_staff.get(`/api/v1/duties/${ctx.dutyOpen}`)
  assert.equal(d.status, 200, show(d))
  assert.equal(d.json.state, 'open')
  assert.equal(d.json.due_at, '2026-11-24T09:00:00+08:00') // 24 hours from the approval on Monday 11/23
  assert.equal(d.json.met_at, null)
  assert.deepEqual(d.json.events.map((e) => e.kind), ['created'])
  const audit = await clients.coordinator_staff.get(`/api/v1/audit?object_type=duty&object_id=${ctx.dutyOpen}&limit=200`)
  assert.deepEqual(audit.json.items.map((e) => e.action), ['duty.create'])
})

test('R-ACC-1: a township officer lists only their own org\'s users; coordinator staff list everyone', async () => {
  const own = await clients.township_officer.get('/api/v1/users')
  assert.equal(own.status, 200)
  const names = own.json.items.map((x) => x.username).sort()
  assert.deepEqual(names, ['xincheng.leader', 'xincheng.liaison', 'xincheng.officer'])
  for (const x of own.json.items) assert.equal(x.org_id, ctx.org.xincheng)
  assert.ok(!own.json.items.some((x) => x.username.startsWith('liuzu.') || x.username === 'admin'))
  const search = await clients.township_officer.get('/api/v1/users?q=scjg')
  assert.equal(search.json.items.length, 0, 'a search does not reach other orgs')

  const all = await clients.coordinator_staff.get('/api/v1/users')
  const every = new Set(all.json.items.map((x) => x.username))
  for (const n of ['xincheng.officer', 'liuzu.officer', 'scjg.officer', 'gaj.officer', 'admin']) assert.ok(every.has(n), n)

  const judicial = await clients.judicial_officer.get('/api/v1/users')
  for (const x of judicial.json.items) assert.equal(x.org_id, ctx.org.gaj)
})

test("R-ACC-1: a duty of org A is invisible to org B (list and detail) but visible to the coordinator", async () => {
  for (const role of ['department_officer', 'judicial_officer']) {
    const list = await clients[role].get('/api/v1/duties?page_size=200')
    assert.equal(list.status, 200)
    assert.ok(!list.json.items.some((d) => d.id === ctx.dutyOpen), role)
    assert.equal((await clients[role].get(`/api/v1/duties/${ctx.dutyOpen}`)).status, 404, role)
  }
  const inbox = await clients.township_officer.get('/api/v1/duties?page_size=200')
  assert.ok(inbox.json.items.some((d) => d.id === ctx.dutyOpen))
  const all = await clients.coordinator_staff.get('/api/v1/duties?scope=all&page_size=200')
  assert.ok(all.json.items.some((d) => d.id === ctx.dutyOpen))
  const detail = await clients.coordinator_staff.get(`/api/v1/duties/${ctx.dutyOpen}`)
  assert.equal(detail.status, 200)
  assert.equal(detail.json.owner_org.id, ctx.org.xincheng)
})

test('R-ACC-1: audit entries of other orgs are not listed for a township officer', async () => {
  const mine = await clients.township_officer.get('/api/v1/audit?limit=200')
  assert.ok(mine.json.items.length > 0)
  for (const e of mine.json.items) assert.equal(e.actor_org_id, ctx.org.xincheng, JSON.stringify(e))
  const coordinator = await clients.coordinator_staff.get('/api/v1/audit?limit=200')
  assert.ok(coordinator.json.items.some((e) => e.actor_org_id !== ctx.org.coordinator))
})

test('R-ACC-1: a bearer token carries exactly its user\'s rights', async () => {
  const t = await clients.township_officer.post('/api/v1/tokens', { name: 'matrix: bearer' })
  const bearer = api(server.url).bearer(t.json.token)
  assert.equal((await bearer.get(`/api/v1/duties/${ctx.dutyOpen}`)).status, 200)
  assert.equal((await bearer.get('/api/v1/audit/verify')).status, 403)
  assert.equal((await bearer.post('/api/v1/orgs', { code: 'Bad Code!', name: 'x', short_name: 'x', kind: 'township' })).status, 403)
  assert.equal((await bearer.get('/api/v1/duties?scope=all')).status, 403)
})

test('R-ACC-1: the read-only auditor cannot change a duty', async () => {
  const created = await clients.coordinator_staff.post('/api/v1/duties', {
    kind: 'task.assigned', owner_org_id: ctx.org.xincheng, object_type: 'external',
    object_id: 'M-AUDITOR', title: '矩阵测试：审计员', trigger_at: START,
  })
  assert.equal(created.status, 201)
  const waive = await clients.auditor.post(`/api/v1/duties/${created.json.id}/waive`, { reason: '审计员不应能免除' })
  const after = await clients.coordinator_staff.get(`/api/v1/duties/${created.json.id}`)
  assert.equal(after.json.state, 'open', `the auditor waived the duty (${show(waive)})`)
  assert.equal(waive.status, 403, show(waive))
})
