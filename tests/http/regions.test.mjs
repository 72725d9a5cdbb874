// Regions (issue 19, R-ACC-2; docs/regions-contract.md) on Yunfu City (`demo load --city`): the
// region tree as each scope shows it; isolation between two counties for every resource type
// (referrals, collaboration items, duties, documents, files, audit, CSV exports, search: another
// county's detail is 404, its rows absent from lists, counts and exports); the city office's
// oversight of its counties; a cross-county referral seen by exactly the offices involved and
// coordinated by the city office (R-REF-7); the escalation of a long-red duty to the city office;
// the CSV import's validation; region-scoped placing; refused writes change nothing.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, api } from '../lib/server.mjs'
import { show, raw } from './lib/util.mjs'
import { Users, orgsByCode, assertError, getRaw, shanghai } from './lib/referrals.mjs'

let server
let as
let orgs
const R = {} // the demo city's referrals: yn (inside 郁南县), ld (inside 罗定市), cross (新兴县 → 郁南县)

const COUNTY = { xinxing: 'coordinator.staff', yunan: 'yn.staff', luoding: 'ld.staff', yuncheng: 'yc.staff', yunan2: 'ya.staff' }

async function get(who, path) {
  const res = await (await as(who)).get(path)
  return res
}
async function ok(who, path) {
  const res = await get(who, path)
  assert.equal(res.status, 200, `${who} GET ${path}: ${show(res)}`)
  return res.json
}
async function listAll(who, path) {
  const sep = path.includes('?') ? '&' : '?'
  return (await ok(who, `${path}${sep}page_size=200`)).items
}
async function auditHead() {
  return (await ok('admin', '/api/v1/audit?limit=1')).items[0]?.seq
}

before(async () => {
  // The demo's times come from the real clock (demo load); the server's fake clock starts now.
  server = await startServer({ fakeClock: new Date(), demoArgs: ['--city'], extraArgs: ['--access-log', 'off', '--sweep-interval', '3600'] })
  as = Users(server.url, { tokens: true })
  orgs = await orgsByCode(await as('admin'))
  const all = await listAll('admin', '/api/v1/referrals')
  const byFrom = (from, to) => all.find((r) => r.from_org.id === orgs[from].id && r.to_org.id === orgs[to].id)
  R.yn = byFrom('yn-ducheng', 'yn-scjg')
  R.ld = byFrom('ld-luocheng', 'ld-scjg')
  R.cross = byFrom('scjg', 'yn-scjg')
  for (const k of ['yn', 'ld', 'cross']) assert.ok(R[k], `demo referral ${k} missing: ${JSON.stringify(all.map((r) => [r.from_org.code, r.to_org.code]))}`)
})
after(async () => server?.stop())

test('R-ACC-2: orgs carry their region; GET /api/v1/regions shows each scope with its ancestors', async () => {
  assert.equal(orgs.coordinator.region_code, '445321')
  assert.equal(orgs.xincheng.region_code, '445321100000')
  assert.equal(orgs.yunfu.region_code, '445300')
  assert.equal(orgs['yn-scjg'].region_code, '445322')
  const yn = await ok('yn.staff', '/api/v1/regions')
  assert.equal(yn.scope, '445322')
  assert.equal(yn.scope_region_code, '445322')
  const codes = (t) => t.items.map((r) => r.code)
  assert.deepEqual(codes(yn), ['440000', '445300', '445322', '445322100000', '445322101000', '445322102000'])
  assert.deepEqual(yn.items.filter((r) => !r.in_scope).map((r) => r.code), ['440000', '445300'], 'ancestors are breadcrumbs only')
  assert.equal(yn.items.find((r) => r.code === '445322').level, 'county')
  assert.ok(yn.items.find((r) => r.code === '445322').org_count >= 3, 'the county office and its departments')
  const city = await ok('yunfu.staff', '/api/v1/regions')
  assert.equal(city.scope, '4453')
  for (const c of ['445302', '445303', '445321', '445322', '445381']) assert.ok(codes(city).includes(c), `city sees ${c}`)
  assert.ok(city.items.every((r) => r.in_scope === (r.code !== '440000')))
  const admin = await ok('admin', '/api/v1/regions')
  assert.equal(admin.scope, '', 'an administrator without a region is deployment-wide')
  assert.ok(admin.items.every((r) => r.in_scope))
  const town = await ok('xincheng.officer', '/api/v1/regions')
  assert.equal(town.scope, null)
  assert.deepEqual(codes(town), ['440000', '445300', '445321', '445321100000'])
  assert.deepEqual(town.items.filter((r) => r.in_scope).map((r) => r.code), ['445321100000'])
  assert.equal((await (api(server.url).anonymous()).get('/api/v1/regions')).status, 401)
})

test('R-ACC-2: referrals — a county office sees its county\'s and the cross-county one, not a neighbour\'s (404, absent from list, count, export, search)', async () => {
  const ids = async (who, q = '') => (await listAll(who, `/api/v1/referrals${q}`)).map((r) => r.id)
  const yn = await ids('yn.staff')
  assert.ok(yn.includes(R.yn.id) && yn.includes(R.cross.id), 'its own county and the cross-county referral')
  assert.ok(!yn.includes(R.ld.id), '罗定市\'s referral is not listed for 郁南县')
  const ld = await ids('ld.staff')
  assert.deepEqual(ld, [R.ld.id])
  assert.equal((await ok('ld.staff', '/api/v1/referrals?page_size=1')).total, 1, 'the count is the scope\'s')
  assert.equal((await get('yn.staff', `/api/v1/referrals/${R.ld.id}`)).status, 404)
  assert.equal((await get('ld.staff', `/api/v1/referrals/${R.yn.id}`)).status, 404)
  assert.equal((await get('ld.staff', `/api/v1/referrals/${R.cross.id}`)).status, 404)
  // Export and search answer only the scope.
  const csv = await getRaw(server.url, await as('yn.staff'), '/api/v1/referrals/export.csv', 'text/csv')
  assert.equal(csv.status, 200)
  assert.ok(csv.text.includes(R.yn.number) && csv.text.includes(R.cross.number), 'own rows exported')
  assert.ok(!csv.text.includes(R.ld.number), 'a neighbour\'s referral is not exported')
  assert.deepEqual(await ids('yn.staff', `?q=${encodeURIComponent('罗城街道')}`), [], 'search does not find a neighbour\'s referral')
  assert.deepEqual(await ids('ld.staff', `?q=${encodeURIComponent('罗城街道')}`), [R.ld.id])
  // 新兴县's own referrals of the plain demo stay out of 郁南县's view.
  const xinxing = await ids('coordinator.staff')
  assert.ok(xinxing.includes(R.cross.id) && !xinxing.includes(R.yn.id) && !xinxing.includes(R.ld.id))
  assert.ok(xinxing.length > 1, 'the county\'s own demo referrals')
  for (const id of xinxing.filter((i) => i !== R.cross.id)) assert.ok(!yn.includes(id), `新兴县 referral ${id} leaked to 郁南县`)
})

test('R-ACC-2: the cross-county referral is seen by exactly the two counties\' offices and the city office', async () => {
  const expect = { 'coordinator.staff': 200, 'yn.staff': 200, 'yunfu.staff': 200, 'ld.staff': 404, 'yc.staff': 404, 'ya.staff': 404,
    'scjg.officer': 200, 'yn-scjg.officer': 200, 'ld-scjg.officer': 404, 'xincheng.officer': 404, admin: 200 }
  for (const [who, status] of Object.entries(expect)) {
    assert.equal((await get(who, `/api/v1/referrals/${R.cross.id}`)).status, status, `${who} on the cross-county referral`)
  }
  const city = (await listAll('yunfu.staff', '/api/v1/referrals')).map((r) => r.id)
  for (const k of ['yn', 'ld', 'cross']) assert.ok(city.includes(R[k].id), `the city office oversees ${k}`)
})

test('R-ACC-2: documents and evidence files follow their referral (404 for a neighbour)', async () => {
  const ld = await ok('ld.staff', `/api/v1/referrals/${R.ld.id}`)
  const letter = (ld.documents ?? []).find((d) => d.kind === 'referral_letter')
  assert.ok(letter, JSON.stringify(ld.documents))
  const file = ld.evidence[0].file.id
  for (const [who, status] of [['ld.staff', 200], ['yunfu.staff', 200], ['yn.staff', 404], ['coordinator.staff', 404]]) {
    const doc = await getRaw(server.url, await as(who), `/api/v1/documents/${letter.id}`, 'text/html')
    assert.equal(doc.status, status, `${who} document`)
    const f = await getRaw(server.url, await as(who), `/api/v1/files/${file}`)
    assert.equal(f.status, status, `${who} file`)
  }
})

test('R-ACC-2: collaboration items — a violation notice inside 罗定市 is invisible to 郁南县 (detail 404, list)', async () => {
  const res = await (await as('ld-luocheng.officer')).post('/api/v1/violation-notices', {
    category: 'safety', to_org: orgs['ld-scjg'].id, description: '【区划测试】某餐饮店后厨违规使用液化气瓶', place: '罗城街道兴华路', found_at: shanghai(Date.now() - 3600_000),
  })
  assert.equal(res.status, 201, show(res))
  const id = res.json.id
  for (const [who, status] of [['ld.staff', 200], ['ld-scjg.officer', 200], ['yunfu.staff', 200], ['yn.staff', 404], ['coordinator.staff', 404], ['yn-scjg.officer', 404]]) {
    assert.equal((await get(who, `/api/v1/violation-notices/${id}`)).status, status, `${who} on the violation notice`)
  }
  const listed = async (who) => (await listAll(who, '/api/v1/collab-items')).some((x) => x.type === 'violation_notice' && x.id === id)
  assert.equal(await listed('yn.staff'), false)
  assert.equal(await listed('ld.staff'), true)
  assert.equal(await listed('yunfu.staff'), true)
  assert.equal((await listAll('yn.staff', '/api/v1/violation-notices')).some((x) => x.id === id), false)
})

test('R-ACC-2: duties and audit — only the scope\'s orgs', async () => {
  const owners = async (who) => new Set((await listAll(who, '/api/v1/duties?scope=all')).map((d) => d.owner_org.id))
  const ynOrgs = new Set(Object.values(orgs).filter((o) => o.region_code?.startsWith('445322')).map((o) => o.id))
  const yn = await owners('yn.staff')
  assert.ok(yn.size >= 1)
  for (const o of yn) assert.ok(ynOrgs.has(o), `郁南县 sees a duty of org ${o}`)
  const ldDuty = (await listAll('ld.staff', '/api/v1/duties?scope=all'))[0]
  assert.ok(ldDuty, '罗定市 has duties (its referral\'s)')
  assert.equal((await get('yn.staff', `/api/v1/duties/${ldDuty.id}`)).status, 404)
  assert.equal((await get('yunfu.staff', `/api/v1/duties/${ldDuty.id}`)).status, 200)
  const city = await owners('yunfu.staff')
  assert.ok([...yn].every((o) => city.has(o)), 'the city office sees 郁南县\'s duties')
  assert.equal((await get('xincheng.officer', '/api/v1/duties?scope=all')).status, 403)
  // Audit: entries by actors of the scope's orgs only.
  const ldActors = new Set(Object.values(orgs).filter((o) => o.region_code?.startsWith('445381')).map((o) => o.id))
  const entries = await listAll('yn.staff', '/api/v1/audit?limit=200')
  assert.ok(entries.length >= 1)
  for (const e of entries) assert.ok(!ldActors.has(e.org?.id ?? e.actor_org_id), `郁南县 sees an audit entry of 罗定市: ${JSON.stringify(e)}`)
  const ldAudit = await listAll('ld.staff', `/api/v1/audit?object_type=referral&object_id=${R.ld.id}`)
  assert.ok(ldAudit.length >= 3, 'create, submit, approve')
  assert.deepEqual(await listAll('yn.staff', `/api/v1/audit?object_type=referral&object_id=${R.ld.id}`), [])
})

test('R-ACC-2: the overview — a county office its own orgs, the city office all five counties', async () => {
  const rows = async (who) => (await ok(who, '/api/v1/overview/orgs')).orgs.map((r) => r.org.code)
  const yn = await rows('yn.staff')
  assert.ok(yn.includes('yn-scjg') && !yn.includes('ld-scjg') && !yn.includes('scjg'))
  const city = await rows('yunfu.staff')
  for (const c of ['scjg', 'yn-scjg', 'ld-scjg', 'yc-scjg', 'ya-scjg', 'xincheng']) assert.ok(city.includes(c), `city overview has ${c}`)
})

test('R-ACC-2 / R-TIME-4: a duty red longer than --escalate-red-hours escalates to the city office, once; fresh red ones do not', async () => {
  // A task 郁南县's office gives its market regulator now, due in one hour: red soon, not long.
  const fresh = await (await as('yn.staff')).post('/api/v1/duties', {
    kind: 'task.assigned', owner_org_id: orgs['yn-scjg'].id, title: '【区划测试】一小时内报送', trigger_at: shanghai(Date.now() - 2 * 3600_000),
    period: { unit: 'hours', value: 1 }, object_type: 'external', object_id: 'region-test-1',
  })
  assert.equal(fresh.status, 201, show(fresh))
  const sweep = await api(server.url).anonymous().post('/api/v1/test/sweep', {})
  assert.equal(sweep.status, 200, show(sweep))
  assert.ok(sweep.json.escalated >= 1, `the demo's two-day red duty is escalated: ${show(sweep)}`)
  const esc = await ok('yunfu.staff', '/api/v1/escalations')
  const demo = esc.items.find((e) => e.title.includes('都城镇农贸市场'))
  assert.ok(demo, JSON.stringify(esc.items))
  assert.equal(demo.owner_org.id, orgs['yn-scjg'].id)
  assert.equal(demo.to_org_id, orgs.yunfu.id)
  assert.equal(demo.from_region, '445322')
  assert.equal(demo.to_region, '445300')
  assert.ok(!esc.items.some((e) => e.duty_id === fresh.json.id), 'red for one hour only: not escalated')
  // Recorded: the city office is notified, 郁南县's office sees it in its subtree, a neighbour not.
  const notes = (await ok('yunfu.staff', '/api/v1/notifications?page_size=200')).items
  assert.ok(notes.some((n) => n.kind === 'duty.escalated' && n.object_id === String(demo.duty_id)), 'the city office was notified')
  assert.ok((await ok('yn.staff', '/api/v1/escalations')).items.some((e) => e.duty_id === demo.duty_id))
  assert.deepEqual((await ok('ld.staff', '/api/v1/escalations')).items, [])
  assert.ok((await listAll('admin', `/api/v1/audit?object_type=duty&object_id=${demo.duty_id}`)).some((e) => e.action === 'duty.escalate'))
  // Once: a second sweep escalates nothing new; a day later the fresh one goes up too.
  const again = await api(server.url).anonymous().post('/api/v1/test/sweep', {})
  assert.equal(again.json.escalated, 0)
  const clock = await api(server.url).anonymous().post('/api/v1/test/clock', { advance_seconds: 25 * 3600 })
  assert.equal(clock.status, 200, show(clock))
  const later = await api(server.url).anonymous().post('/api/v1/test/sweep', {})
  assert.ok(later.json.escalated >= 1, show(later))
  assert.ok((await ok('yunfu.staff', '/api/v1/escalations')).items.some((e) => e.duty_id === fresh.json.id))
})

test('R-REF-7 / R-ACC-2: a coordination between two counties is decided by the city office, not by either county', async () => {
  const id = R.cross.id
  const act = async (who, action, body = {}) => (await as(who)).post(`/api/v1/referrals/${id}/${action}`, body)
  const declined = await act('yn-scjg.leader', 'decline', { reason: '该批发部已迁出本县，不属本局管辖' })
  assert.equal(declined.status, 200, show(declined))
  const asked = await act('scjg.officer', 'coordination', { reason: '接收方拒不受理，请求协调' })
  assert.equal(asked.status, 200, show(asked))
  assert.equal(asked.json.state, 'coordination')
  // The city office is notified, the counties' offices are not the ones to decide.
  const notes = (await ok('yunfu.staff', '/api/v1/notifications?page_size=200')).items
  assert.ok(notes.some((n) => n.object_type === 'referral' && n.object_id === String(id)), 'the city office was asked')
  const head = await auditHead()
  for (const who of ['coordinator.staff', 'yn.staff']) {
    assertError(await act(who, 'coordination/decision', { decision: 'receiver_accepts', reason: '越级' }), 403)
  }
  assert.equal(await auditHead(), head, 'a refused decision wrote nothing')
  assert.equal((await ok('yn.staff', `/api/v1/referrals/${id}`)).state, 'coordination')
  const queue = (await ok('yunfu.staff', '/api/v1/overview/orgs')).queue
  assert.ok(queue.some((q) => q.type === 'referral' && q.id === id), 'in the city office\'s queue')
  assert.ok(!(await ok('yn.staff', '/api/v1/overview/orgs')).queue.some((q) => q.type === 'referral' && q.id === id), 'not in the county\'s')
  const decided = await act('yunfu.staff', 'coordination/decision', { decision: 'receiver_accepts', reason: '经市委依法治市办协调，由郁南县市场监管局受理' })
  assert.equal(decided.status, 200, show(decided))
  assert.equal(decided.json.state, 'accepted')
})

test('R-ACC-2: region import — admin only; a bad row names line and column and nothing is imported', async () => {
  const post = async (who, text) => raw(server.url, 'POST', '/api/v1/admin/regions/import', {
    body: text, headers: { Accept: 'application/json', 'Content-Type': 'text/csv', Authorization: `Bearer ${(await as(who)).bearerToken}` },
  })
  const before = await ok('admin', '/api/v1/regions')
  const head = await auditHead()
  const bad = [
    ['code,name,parent_code\n445323,新县甲,445300\n44532X,新县乙,445300\n', 'code', /第3行第1列/],
    ['445323,新县甲,445300\n445324100000,某镇,449999\n', 'parent_code', /第2行第3列/],
    ['445323,新县甲,440000\n', 'parent_code', /第1行/],
    ['445323,新县甲,445300\n445323,新县丙,445300\n', 'code', /第2行第1列/],
    ['445322,郁南县,445300\n', 'code', /第1行第1列/],
  ]
  for (const [text, field, message] of bad) {
    const e = assertError(await post('admin', text), 400, { field, rule: 'R-ACC-2' })
    assert.match(e.message, message, text)
  }
  for (const who of ['yn.staff', 'yunfu.staff', 'auditor', 'xincheng.officer']) assertError(await post(who, '445323,新县甲,445300\n'), 403)
  assert.equal(await auditHead(), head, 'refused imports wrote nothing')
  assert.deepEqual(await ok('admin', '/api/v1/regions'), before, 'nothing imported')
  const good = await post('admin', '\ufeffcode,name,parent_code\n445323100000,新镇,445323\n445323,新县,445300\n')
  assert.equal(good.status, 200, show(good))
  assert.equal(good.json.imported, 2)
  assert.ok((await ok('yunfu.staff', '/api/v1/regions')).items.some((r) => r.code === '445323100000'))
})

test('R-ACC-2: refused writes across the border change nothing; a scoped admin places only inside its region', async () => {
  const head = await auditHead()
  const total = (await ok('ld.staff', '/api/v1/duties?scope=all&page_size=1')).total
  const res = await (await as('yn.staff')).post('/api/v1/duties', {
    kind: 'task.assigned', owner_org_id: orgs['ld-scjg'].id, title: '越界交办', trigger_at: shanghai(Date.now()),
    period: { unit: 'hours', value: 24 }, object_type: 'external', object_id: 'region-test-2',
  })
  assertError(res, 400, { field: 'owner_org_id', rule: 'R-ACC-2' })
  assert.equal((await ok('ld.staff', '/api/v1/duties?scope=all&page_size=1')).total, total)
  assert.equal(await auditHead(), head)
  // An administrator scoped to 郁南县 (PATCH users region_code by the deployment-wide admin).
  const admin = await as('admin')
  const created = await admin.post('/api/v1/users', { username: 'yn.admin', display_name: '郁南管理员', password: 'Demo#2026', org_id: orgs.yn.id, roles: ['admin'] })
  assert.equal(created.status, 201, show(created))
  const scoped = await admin.patch(`/api/v1/users/${created.json.id}`, { region_code: '445322' })
  assert.equal(scoped.status, 200, show(scoped))
  assert.equal(scoped.json.region_code, '445322')
  const yAdmin = await api(server.url).login('yn.admin', 'Demo#2026')
  assert.equal((await yAdmin.get('/api/v1/regions')).json.scope, '445322')
  const before = await auditHead()
  assertError(await yAdmin.patch(`/api/v1/orgs/${orgs['ld-zrzy'].id}`, { region_code: '445322' }), 404)  // another region's org
  assertError(await yAdmin.patch(`/api/v1/orgs/${orgs['yn-zrzy'].id}`, { region_code: '445399' }), 400, { field: 'region_code' })
  assert.equal(await auditHead(), before)
  assert.equal((await yAdmin.get(`/api/v1/referrals/${R.ld.id}`)).status, 404, 'a scoped admin sees only its region')
  assert.equal((await yAdmin.get(`/api/v1/referrals/${R.yn.id}`)).status, 200)
  const moved = await yAdmin.patch(`/api/v1/orgs/${orgs['yn-zrzy'].id}`, { region_code: '445322100000' })
  assert.equal(moved.status, 200, show(moved))
  assert.equal(moved.json.region_code, '445322100000')
})

test('R-ACC-2 access matrix: a county office against its neighbour 404, the city office over its counties 200, a province office over all 200', async () => {
  // A province office (依法治省办), created and placed by the deployment-wide administrator.
  const admin = await as('admin')
  const org = await admin.post('/api/v1/orgs', { code: 'gd-office', name: '中共广东省委全面依法治省委员会办公室', short_name: '省委依法治省办', kind: 'coordinator' })
  assert.equal(org.status, 201, show(org))
  const placed = await admin.patch(`/api/v1/orgs/${org.json.id}`, { region_code: '440000' })
  assert.equal(placed.status, 200, show(placed))
  const user = await admin.post('/api/v1/users', { username: 'gd.staff', display_name: '省办工作人员', password: 'Demo#2026', org_id: org.json.id, roles: ['coordinator_staff'] })
  assert.equal(user.status, 201, show(user))
  const province = await api(server.url).login('gd.staff', 'Demo#2026')
  assert.equal((await province.get('/api/v1/regions')).json.scope, '44')

  const ld = await ok('ld.staff', `/api/v1/referrals/${R.ld.id}`)
  const ldDuty = (await listAll('ld.staff', '/api/v1/duties?scope=all'))[0]
  const ynDuty = (await listAll('yn.staff', '/api/v1/duties?scope=all'))[0]
  const rows = [
    ['罗定市 referral', `/api/v1/referrals/${R.ld.id}`, { 'yn.staff': 404, 'coordinator.staff': 404, 'ld.staff': 200, 'yunfu.staff': 200 }],
    ['郁南县 referral', `/api/v1/referrals/${R.yn.id}`, { 'ld.staff': 404, 'yc.staff': 404, 'yn.staff': 200, 'yunfu.staff': 200 }],
    ['罗定市 duty', `/api/v1/duties/${ldDuty.id}`, { 'yn.staff': 404, 'ld.staff': 200, 'yunfu.staff': 200 }],
    ['郁南县 duty', `/api/v1/duties/${ynDuty.id}`, { 'ld.staff': 404, 'ya.staff': 404, 'yn.staff': 200, 'yunfu.staff': 200 }],
    ['罗定市 referral letter', `/api/v1/documents/${ld.documents.find((d) => d.kind === 'referral_letter').id}`, { 'yn.staff': 404, 'ld.staff': 200, 'yunfu.staff': 200 }],
  ]
  for (const [what, path, expect] of rows) {
    for (const [who, status] of Object.entries(expect)) {
      const res = path.startsWith('/api/v1/documents/')
        ? await getRaw(server.url, await as(who), path, 'text/html')
        : await get(who, path)
      assert.equal(res.status, status, `${who} on ${what}`)
    }
    const res = path.startsWith('/api/v1/documents/')
      ? await getRaw(server.url, province, path, 'text/html')
      : await province.get(path)
    assert.equal(res.status, 200, `the province office on ${what}`)
    assert.equal((await api(server.url).anonymous().get(path)).status, 401)
  }
  const all = (await province.get('/api/v1/referrals?page_size=200')).json.items.map((r) => r.id)
  for (const k of ['yn', 'ld', 'cross']) assert.ok(all.includes(R[k].id), `the province office sees ${k}`)
})

test('R-ACC-2: ?region= narrows a read to a region of the scope (the city office picks a county); outside it 403, a bad code 400', async () => {
  const ids = async (who, q) => (await listAll(who, `/api/v1/referrals?${q}`)).map((r) => r.id).sort()
  assert.deepEqual(await ids('yunfu.staff', 'region=445322'), [R.yn.id, R.cross.id].sort(), '郁南县: its own and the cross-county referral')
  assert.deepEqual(await ids('yunfu.staff', 'region=445381'), [R.ld.id])
  assert.deepEqual(await ids('yunfu.staff', 'region=445381001000'), [R.ld.id], 'a township of it')
  const rows = (await ok('yunfu.staff', '/api/v1/overview/orgs?region=445381')).orgs.map((r) => r.org.code)
  assert.ok(rows.length >= 5 && rows.every((c) => c === 'ld' || c.startsWith('ld-')), JSON.stringify(rows))
  const duties = await listAll('yunfu.staff', '/api/v1/duties?scope=all&region=445322')
  const yn = new Set(Object.values(orgs).filter((o) => o.region_code?.startsWith('445322')).map((o) => o.id))
  assert.ok(duties.length >= 1 && duties.every((d) => yn.has(d.owner_org.id)))
  assertError(await get('yn.staff', '/api/v1/referrals?region=445381'), 403, { rule: 'R-ACC-2' })
  assertError(await get('xincheng.officer', '/api/v1/referrals?region=445321'), 403, { rule: 'R-ACC-2' })
  assertError(await get('yunfu.staff', '/api/v1/referrals?region=4453'), 400, { field: 'region' })
  // Narrowing never grants: the city office viewing one county does not become its coordinator.
  assert.equal((await get('yunfu.staff', `/api/v1/referrals/${R.ld.id}?region=445322`)).status, 404)
})
