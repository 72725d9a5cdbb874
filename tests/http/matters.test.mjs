// Matters catalog and jurisdiction (R-JUR-1, R-JUR-2), evidence files, Idempotency-Key and org
// document prefixes — docs/referrals-contract.md. Runs the real binary on the demo county.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { startServer, api } from '../lib/server.mjs'
import { raw, show, errorOf, cookieHeader } from './lib/util.mjs'

const START = '2026-11-23T09:00:00+08:00'
let server
const as = {}
const org = {}

before(async () => {
  server = await startServer({ fakeClock: START, extraArgs: ['--access-log', 'off'] })
  for (const u of ['admin', 'xincheng.officer', 'liuzu.officer', 'scjg.officer', 'coordinator.staff', 'auditor']) {
    as[u] = await api(server.url).login(u, server.password)
  }
  for (const o of (await as.admin.get('/api/v1/orgs')).json.items) org[o.code] = o
})
after(async () => {
  await server?.stop()
})

/** A request with the client's session (cookie + CSRF) and full control over body and headers. */
function send(client, method, path, { body, headers = {} } = {}) {
  const h = { Accept: 'application/json', ...headers }
  const cookie = cookieHeader(client)
  if (cookie) h.Cookie = cookie
  if (client.csrfToken && method !== 'GET') h['X-CSRF-Token'] = client.csrfToken
  return raw(server.url, method, path, { body, headers: h })
}
const importCsv = (client, csv, headers = {}) =>
  send(client, 'POST', '/api/v1/matters/import', { body: csv, headers: { 'Content-Type': 'text/csv', ...headers } })
const upload = (client, bytes, name, headers = {}) =>
  send(client, 'POST', '/api/v1/files', {
    body: bytes,
    headers: { 'Content-Type': 'application/octet-stream', ...(name === undefined ? {} : { 'X-File-Name': encodeURIComponent(name) }), ...headers },
  })
async function download(client, id) {
  const res = await fetch(new URL(`/api/v1/files/${id}`, server.url), { headers: { Cookie: cookieHeader(client) } })
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) }
}
const jurisdiction = (client, matter, township, on) =>
  client.get(`/api/v1/jurisdiction?matter=${encodeURIComponent(matter)}&township=${encodeURIComponent(township)}${on ? `&on=${on}` : ''}`)
async function exportCsv(client) {
  const res = await fetch(new URL('/api/v1/matters/export.csv', server.url), { headers: { Cookie: cookieHeader(client) } })
  return { status: res.status, headers: res.headers, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer()) }
}
const pdf = (label) => Buffer.from(`%PDF-1.4\n% ${label}\n%%EOF\n`)

// ------------------------------------------------------------------------------------- orgs
test('R-DOC-1: every demo org has a document prefix; admins set it, validated', async () => {
  assert.equal(org.xincheng.doc_prefix, '新城执')
  assert.equal(org.liuzu.doc_prefix, '六祖执')
  assert.equal(org.scjg.doc_prefix, '新市监')
  assert.equal(org.coordinator.doc_prefix, '新法治办')
  for (const o of Object.values(org)) assert.ok(o.doc_prefix.length >= 1, `${o.code} has no doc_prefix`)
  const bad = await as.admin.patch(`/api/v1/orgs/${org.dajiang.id}`, { doc_prefix: '大江〔执〕' })
  assert.equal(bad.status, 400, show(bad))
  assert.equal(errorOf(bad).field, 'doc_prefix')
  const ok = await as.admin.patch(`/api/v1/orgs/${org.dajiang.id}`, { doc_prefix: '大江执' })
  assert.equal(ok.status, 200, show(ok))
  assert.equal(ok.json.doc_prefix, '大江执')
  const created = await as.admin.post('/api/v1/orgs', { code: 'testdept', name: '新兴县测试局', short_name: '县测试局', kind: 'county_department' })
  assert.equal(created.status, 201, show(created))
  assert.equal(created.json.doc_prefix, '县测试', 'default: short name without 局')
})

// ------------------------------------------------------------------------------------- catalog
test('R-JUR-1: the demo catalog lists, filters and pages', async () => {
  const all = await as['xincheng.officer'].get('/api/v1/matters?page_size=200')
  assert.equal(all.status, 200, show(all))
  assert.ok(all.json.total >= 45, `only ${all.json.total} matters`)
  assert.equal(all.json.items.length, all.json.total)
  const owners = new Set(all.json.items.map((m) => m.owner_org.code))
  for (const c of ['scjg', 'zrzy', 'sthj', 'zjj', 'jtys', 'nync', 'swj', 'wjj', 'yjgl', 'wglt', 'lyj']) assert.ok(owners.has(c), c)
  for (const m of all.json.items) {
    assert.match(m.legal_basis, /《.+》/, m.code)
    assert.ok('statutory_referral_days' in m)
  }
  assert.ok(all.json.items.some((m) => m.statutory_referral_days !== null))
  assert.ok(all.json.items.some((m) => m.delegations.some((d) => d.to !== null)), 'a withdrawn delegation')

  const zjj = await as['xincheng.officer'].get(`/api/v1/matters?owner=${org.zjj.id}&page_size=200`)
  assert.ok(zjj.json.total > 0)
  for (const m of zjj.json.items) assert.equal(m.owner_org.code, 'zjj')
  const q = await as['xincheng.officer'].get(`/api/v1/matters?q=${encodeURIComponent('占道经营')}`)
  assert.ok(q.json.items.some((m) => m.name.includes('占道经营')), show(q))
  const town = await as['xincheng.officer'].get(`/api/v1/matters?township=${org.lidong.id}&page_size=200`)
  for (const m of town.json.items) assert.ok(m.delegations.some((d) => d.township.code === 'lidong'), m.code)
  assert.ok(town.json.total < all.json.total)
  const page2 = await as['xincheng.officer'].get('/api/v1/matters?page=2&page_size=10')
  assert.equal(page2.json.items.length, 10)
  assert.equal(page2.json.items[0].code, all.json.items[10].code)

  const one = await as['liuzu.officer'].get(`/api/v1/matters/${all.json.items[0].id}`)
  assert.equal(one.status, 200)
  assert.deepEqual(one.json, all.json.items[0])
  assert.equal((await as['liuzu.officer'].get('/api/v1/matters/999999')).status, 404)
  assert.equal((await as['liuzu.officer'].get('/api/v1/matters?page_size=500')).status, 400)
})

test('R-JUR-1/R-JUR-2: jurisdiction follows delegations, withdrawals and the day asked about', async () => {
  const officer = as['xincheng.officer']
  // Delegated to every town from the policy date.
  let j = await jurisdiction(officer, 'ZJJ-005', 'xincheng', '2026-11-23')
  assert.equal(j.status, 200, show(j))
  assert.equal(j.json.competent_org.code, 'xincheng')
  assert.equal(j.json.delegation.from, '2023-07-12')
  assert.equal(j.json.reason, '该事项自2023年7月12日起划转新城镇实施')
  assert.match(j.json.legal_basis, /城市市容和环境卫生管理条例/)
  j = await jurisdiction(officer, 'ZJJ-005', String(org.xincheng.id), '2023-07-11')
  assert.equal(j.json.competent_org.code, 'zjj', 'the day before the policy date')
  // Never delegated.
  j = await jurisdiction(officer, 'SCJG-002', 'xincheng', '2026-11-23')
  assert.equal(j.json.competent_org.code, 'scjg')
  assert.equal(j.json.delegation, null)
  assert.match(j.json.reason, /未划转新城镇/)
  // Withdrawn after 2025-12-31; the past keeps its answer (R-JUR-2).
  j = await jurisdiction(officer, 'STHJ-004', 'xincheng', '2026-01-01')
  assert.equal(j.json.competent_org.code, 'sthj')
  assert.equal(j.json.basis, 'withdrawn')
  assert.match(j.json.reason, /已于2025年12月31日收回/)
  j = await jurisdiction(officer, 'STHJ-004', 'xincheng', '2025-12-31')
  assert.equal(j.json.competent_org.code, 'xincheng')
  j = await jurisdiction(officer, 'STHJ-004', 'dongcheng', '2026-11-23')
  assert.equal(j.json.competent_org.code, 'dongcheng', 'only xincheng was withdrawn')
  // Default day: today on the server's clock.
  j = await jurisdiction(officer, 'STHJ-004', 'xincheng')
  assert.equal(j.json.competent_org.code, 'sthj')
  // Errors name the field.
  for (const [m, t, on, field] of [['', 'xincheng', '', 'matter'], ['NOPE-1', 'xincheng', '', 'matter'],
    ['ZJJ-005', 'scjg', '', 'township'], ['ZJJ-005', 'nowhere', '', 'township'], ['ZJJ-005', 'xincheng', '2026-02-30', 'on']]) {
    const r = await jurisdiction(officer, m, t, on)
    assert.equal(r.status, 400, show(r))
    assert.equal(errorOf(r).field, field, show(r))
  }
})

test('R-JUR-1: CSV export → import round trip changes nothing; only admins import', async () => {
  const before = await exportCsv(as['liuzu.officer'])
  assert.equal(before.status, 200)
  assert.match(before.headers.get('content-type'), /^text\/csv; charset=utf-8/)
  assert.ok(before.text.startsWith('\uFEFFcode,name,legal_basis,owner_org_code,statutory_referral_days,delegations\r\n'))
  assert.ok(before.text.includes('xincheng@2023-07-12..2025-12-31'))
  const denied = await importCsv(as['coordinator.staff'], before.text)
  assert.equal(denied.status, 403, show(denied))
  const r = await importCsv(as.admin, before.text)
  assert.equal(r.status, 200, show(r))
  assert.equal(r.json.created, 0)
  assert.equal(r.json.updated, 0)
  assert.equal((await exportCsv(as.admin)).text, before.text)
  const json = await as.admin.post('/api/v1/matters/import', { csv: 'x' })
  assert.equal(json.status, 400)
  assert.equal(errorOf(json).code, 'unsupported_media_type')
})

test('R-JUR-1: import errors name the line and column, and nothing changes', async () => {
  const before = (await exportCsv(as.admin)).text
  const header = 'code,name,legal_basis,owner_org_code,statutory_referral_days,delegations\n'
  const cases = [
    [header + 'NEW-1,新事项,《某法》第一条,scjg,,\nNEW-2,新事项二,《某法》第二条,nowhere,,\n', 'line 3: owner_org_code'],
    [header + 'NEW-1,新事项,《某法》第一条,scjg,,xincheng@2026-13-01\n', 'line 2: delegations'],
    [header + 'NEW-1,新事项,《某法》第一条,scjg,x,\n', 'line 2: statutory_referral_days'],
    ['code,name\n', 'line 1: header'],
  ]
  for (const [csv, field] of cases) {
    const r = await importCsv(as.admin, csv)
    assert.equal(r.status, 400, show(r))
    assert.equal(errorOf(r).field, field, show(r))
  }
  assert.equal((await exportCsv(as.admin)).text, before, 'a refused import changes nothing')
  assert.equal((await as.admin.get('/api/v1/matters?q=NEW-1')).json.total, 0)
})

test('R-JUR-2: a re-import withdraws a delegation as of today and keeps its past', async () => {
  const header = 'code,name,legal_basis,owner_org_code,statutory_referral_days,delegations\n'
  const row = 'TEST-JUR2,测试事项,《某法》第一条,scjg,,'
  let r = await importCsv(as.admin, `${header}${row}xincheng@2023-07-12;liuzu@2023-07-12\n`)
  assert.equal(r.status, 200, show(r))
  assert.equal(r.json.created, 1)
  // Drop xincheng: its period ends yesterday (2026-11-22), never deleted.
  r = await importCsv(as.admin, `${header}${row}liuzu@2023-07-12\n`)
  assert.equal(r.status, 200, show(r))
  assert.equal(r.json.updated, 1)
  assert.equal((await jurisdiction(as.admin, 'TEST-JUR2', 'xincheng', '2026-11-22')).json.competent_org.code, 'xincheng')
  assert.equal((await jurisdiction(as.admin, 'TEST-JUR2', 'xincheng', '2026-11-23')).json.competent_org.code, 'scjg')
  const m = (await as.admin.get('/api/v1/matters?q=TEST-JUR2')).json.items[0]
  assert.deepEqual(m.delegations.map((d) => `${d.township.code}@${d.from}..${d.to}`).sort(),
    ['liuzu@2023-07-12..null', 'xincheng@2023-07-12..2026-11-22'])
  // Rewriting the past is refused.
  r = await importCsv(as.admin, `${header}${row}xincheng@2023-07-12..2024-01-01;liuzu@2023-07-12\n`)
  assert.equal(r.status, 400, show(r))
  assert.equal(errorOf(r).rule, 'R-JUR-2')
  // The change is audited.
  const audit = await as.admin.get(`/api/v1/audit?object_type=matter&object_id=${m.id}`)
  assert.equal(audit.status, 200, show(audit))
  assert.ok(audit.json.items.length >= 2, show(audit))
})

// ------------------------------------------------------------------------- boundary decisions
// R-DIS-3: a boundary decision changes the catalog from its effective day, citing the decision;
// earlier days keep their answers (R-JUR-2). Applied through the test-mode route (in production
// only a dispute's government decision applies one).
const boundary = (body) => api(server.url).anonymous().post('/api/v1/test/boundary', body)

test('R-DIS-3/R-JUR-2: an owner change, a delegation and a withdrawal count from their day and cite the decision', async () => {
  const header = 'code,name,legal_basis,owner_org_code,statutory_referral_days,delegations\n'
  let r = await importCsv(as.admin, `${header}TEST-DIS3,争议事项,《某法》第三条,scjg,,liuzu@2023-07-12\n`)
  assert.equal(r.status, 200, show(r))
  const ans = async (town, on) => (await jurisdiction(as['xincheng.officer'], 'TEST-DIS3', town, on)).json
  assert.equal((await ans('xincheng', '2026-12-01')).competent_org.code, 'scjg')

  // The owner changes from 2026-12-01 by the government's decision.
  r = await boundary({ matter_code: 'TEST-DIS3', change: 'owner', owner_org: 'zjj', effective: '2026-12-01', decision_number: '新政决〔2026〕3号', decision_document_id: 4242 })
  assert.equal(r.status, 200, show(r))
  let j = await ans('xincheng', '2026-11-30')
  assert.equal(j.competent_org.code, 'scjg', 'the day before keeps its answer')
  assert.equal(j.decision, null)
  j = await ans('xincheng', '2024-05-01')
  assert.equal(j.competent_org.code, 'scjg')
  j = await ans('xincheng', '2026-12-01')
  assert.equal(j.competent_org.code, 'zjj')
  assert.equal(j.owner_since, '2026-12-01')
  assert.deepEqual(j.decision, { number: '新政决〔2026〕3号', document_id: 4242 })
  assert.match(j.reason, /依据新政决〔2026〕3号/)
  const m = (await as.admin.get('/api/v1/matters?q=TEST-DIS3')).json.items[0]
  let view = (await as['liuzu.officer'].get(`/api/v1/matters/${m.id}`)).json
  assert.equal(view.owner_org.code, 'scjg', 'the owner today (2026-11-23)')
  assert.deepEqual(view.owner_history.map((p) => [p.from, p.owner_org.code, p.decision?.number ?? null]),
    [[null, 'scjg', null], ['2026-12-01', 'zjj', '新政决〔2026〕3号']])

  // A delegation to xincheng from 2026-12-10; liuzu's withdrawn from 2026-12-15.
  r = await boundary({ matter_code: 'TEST-DIS3', change: 'delegate', township: 'xincheng', effective: '2026-12-10', decision_number: '新政决〔2026〕4号' })
  assert.equal(r.status, 200, show(r))
  r = await boundary({ matter_code: 'TEST-DIS3', change: 'withdraw', township: 'liuzu', effective: '2026-12-15', decision_number: '新政决〔2026〕5号', decision_document_id: 4243 })
  assert.equal(r.status, 200, show(r))
  assert.equal((await ans('xincheng', '2026-12-09')).competent_org.code, 'zjj')
  j = await ans('xincheng', '2026-12-10')
  assert.equal(j.competent_org.code, 'xincheng')
  assert.deepEqual(j.delegation.decision, { number: '新政决〔2026〕4号', document_id: null })
  assert.equal(j.decision.number, '新政决〔2026〕4号')
  assert.equal((await ans('liuzu', '2026-12-14')).competent_org.code, 'liuzu')
  assert.equal((await ans('liuzu', '2024-01-01')).competent_org.code, 'liuzu', 'R-JUR-2: the past is unchanged')
  j = await ans('liuzu', '2026-12-15')
  assert.equal(j.competent_org.code, 'zjj')
  assert.equal(j.basis, 'withdrawn')
  assert.deepEqual(j.delegation.withdrawal_decision, { number: '新政决〔2026〕5号', document_id: 4243 })
  assert.equal(j.decision.number, '新政决〔2026〕5号')
  view = (await as.admin.get(`/api/v1/matters/${m.id}`)).json
  assert.deepEqual(view.delegations.map((d) => `${d.township.code}@${d.from}..${d.to}:${d.decision?.number ?? '-'}`).sort(),
    ['liuzu@2023-07-12..2026-12-14:-', 'xincheng@2026-12-10..null:新政决〔2026〕4号'])
  // The catalog audits its own change.
  const audit = await as.admin.get(`/api/v1/audit?object_type=matter&object_id=${m.id}`)
  assert.equal(audit.json.items.filter((e) => e.action === 'matter.boundary').length, 3, show(audit))
})

test('R-DIS-3: bad boundary input names the field and changes nothing', async () => {
  const before = (await exportCsv(as.admin)).text
  const m = (await as.admin.get('/api/v1/matters?q=SCJG-002')).json.items[0]
  const viewBefore = (await as.admin.get(`/api/v1/matters/${m.id}`)).json
  const cases = [
    [{ matter_code: 'NOPE-9', change: 'owner', owner_org: 'zjj', effective: '2026-12-01' }, 400, 'boundary.matter_code'],
    [{ matter_code: 'SCJG-002', change: 'owner', owner_org: 'zjj', effective: '2026-11-22' }, 400, 'boundary.effective'],
    [{ matter_code: 'SCJG-002', change: 'owner', owner_org: 'xincheng', effective: '2026-12-01' }, 400, 'boundary.owner_org'],
    [{ matter_code: 'SCJG-002', change: 'owner', owner_org: 'scjg', effective: '2026-12-01' }, 400, 'boundary.owner_org'],
    [{ matter_code: 'SCJG-002', change: 'owner', effective: '2026-12-01' }, 400, 'boundary.owner_org'],
    [{ matter_code: 'SCJG-002', change: 'delegate', township: 'scjg', effective: '2026-12-01' }, 400, 'boundary.township'],
    [{ matter_code: 'SCJG-002', change: 'delegate', township: 'nowhere', effective: '2026-12-01' }, 400, 'boundary.township'],
    [{ matter_code: 'SCJG-002', change: 'withdraw', township: 'xincheng', effective: '2026-12-01' }, 409, 'boundary.effective'],
    [{ matter_code: 'ZJJ-005', change: 'delegate', township: 'xincheng', effective: '2026-12-01' }, 409, 'boundary.effective'],
  ]
  for (const [body, status, field] of cases) {
    const r = await boundary(body)
    assert.equal(r.status, status, show(r))
    assert.equal(errorOf(r).field, field, show(r))
    assert.equal(errorOf(r).rule, 'R-DIS-3', show(r))
  }
  assert.equal((await exportCsv(as.admin)).text, before, 'a refused decision changes nothing')
  assert.deepEqual((await as.admin.get(`/api/v1/matters/${m.id}`)).json, viewBefore)
})

// ------------------------------------------------------------------------------------- files
test('files: upload, content-addressed download, access and refusals', async () => {
  const bytes = pdf('matters suite')
  const up = await upload(as['xincheng.officer'], bytes, '现场检查笔录（一）.pdf')
  assert.equal(up.status, 201, show(up))
  assert.equal(up.json.id, createHash('sha256').update(bytes).digest('hex'))
  assert.equal(up.json.content_type, 'application/pdf')
  assert.equal(up.json.size, bytes.length)
  assert.equal(up.json.name, '现场检查笔录（一）.pdf')
  const again = await upload(as['xincheng.officer'], bytes, '另一个名字.pdf')
  assert.equal(again.json.id, up.json.id, 'same bytes, same id')

  const got = await download(as['xincheng.officer'], up.json.id)
  assert.equal(got.status, 200)
  assert.ok(got.bytes.equals(bytes))
  assert.equal(got.headers.get('content-type'), 'application/pdf')
  assert.equal(got.headers.get('x-content-type-options'), 'nosniff')
  assert.match(got.headers.get('content-disposition'), /filename\*=UTF-8''%E7%8E%B0%E5%9C%BA/)
  assert.equal((await download(as['coordinator.staff'], up.json.id)).status, 200, 'R-ACC-1: the coordinator sees all')
  assert.equal((await download(as['liuzu.officer'], up.json.id)).status, 404, 'another org: as if missing')
  assert.equal((await download(as['liuzu.officer'], 'f'.repeat(64))).status, 404)

  const exe = await upload(as['xincheng.officer'], Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0]), 'a.exe')
  assert.equal(exe.status, 400, show(exe))
  assert.equal(errorOf(exe).code, 'unsupported_file_type')
  assert.equal(errorOf(exe).field, 'file')
  const noName = await upload(as['xincheng.officer'], bytes, undefined)
  assert.equal(noName.status, 400)
  assert.equal(errorOf(noName).field, 'name')
  const big = Buffer.alloc(20 * 1024 * 1024 + 1, 0x20)
  big.write('%PDF-1.4\n')
  const tooBig = await upload(as['xincheng.officer'], big, 'big.pdf')
  assert.equal(tooBig.status, 413, show(tooBig))
  assert.equal(errorOf(tooBig).code, 'body_too_large')
  const auditor = await upload(as.auditor, pdf('auditor'), 'a.pdf')
  assert.equal(auditor.status, 403)
})

test('files: docx, png and plain text are accepted by their bytes', async () => {
  const txt = await upload(as['scjg.officer'], Buffer.from('询问笔录\n当事人：陈某某\n'), '笔录.txt')
  assert.equal(txt.status, 201, show(txt))
  assert.equal(txt.json.content_type, 'text/plain; charset=utf-8')
  const png = await upload(as['scjg.officer'], Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]), '照片.png')
  assert.equal(png.json.content_type, 'image/png')
  const docx = await upload(as['scjg.officer'], Buffer.concat([Buffer.from([0x50, 0x4b, 3, 4]), Buffer.from('[Content_Types].xml word/document.xml')]), '告知书.docx')
  assert.equal(docx.json.content_type, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
})

// ------------------------------------------------------------------------------------- idempotency
test('Idempotency-Key: a repeat replays the first response; reuse with another body is a conflict', async () => {
  const officer = as['xincheng.officer']
  const key = 'matters-suite-upload-1'
  const first = await upload(officer, pdf('idem one'), '一.pdf', { 'Idempotency-Key': key })
  assert.equal(first.status, 201, show(first))
  assert.equal(first.headers.get('idempotent-replayed'), null)
  const second = await upload(officer, pdf('idem one'), '一.pdf', { 'Idempotency-Key': key })
  assert.equal(second.status, 201)
  assert.equal(second.text, first.text)
  assert.equal(second.headers.get('idempotent-replayed'), 'true')
  const reused = await upload(officer, pdf('idem two'), '一.pdf', { 'Idempotency-Key': key })
  assert.equal(reused.status, 409, show(reused))
  assert.equal(errorOf(reused).code, 'idempotency_key_reused')
  assert.equal(errorOf(reused).field, 'Idempotency-Key')
  // Another user may use the same key.
  const other = await upload(as['liuzu.officer'], pdf('idem two'), '二.pdf', { 'Idempotency-Key': key })
  assert.equal(other.status, 201, show(other))

  // A JSON route: the token is issued once.
  const count = async () => (await officer.get('/api/v1/tokens')).json.items.length
  const n0 = await count()
  const t1 = await officer.post('/api/v1/tokens', { name: 'idem' }, { headers: { 'Idempotency-Key': 'tok-1' } })
  const t2 = await officer.post('/api/v1/tokens', { name: 'idem' }, { headers: { 'Idempotency-Key': 'tok-1' } })
  assert.equal(t1.status, 201, show(t1))
  assert.equal(t2.status, 201)
  assert.equal(t2.json.id, t1.json.id)
  assert.equal(await count(), n0 + 1, 'the work ran once')

  for (const bad of ['', 'x'.repeat(101), 'two words']) {
    const r = await officer.post('/api/v1/tokens', { name: 'idem' }, { headers: { 'Idempotency-Key': bad } })
    assert.equal(r.status, 400, show(r))
    assert.equal(errorOf(r).field, 'Idempotency-Key')
  }
  assert.equal(await count(), n0 + 1, 'refused keys did nothing')
})
