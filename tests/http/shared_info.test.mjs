// Shared information (信息共享, SPEC §6 R-INF-1..3) end to end against docs/shared-info-contract.md:
// materials published to townships with per-township acknowledgements (one acknowledged late
// after the fake clock moves), the library search with 1–2 character Chinese queries, R-ACC-1
// (a township not addressed gets 404; an addressed one sees only its own receipt); approvals
// recorded and imported from CSV (a bad row names line and column and imports nothing), each
// township's feed with its unread count; penalty filings with the department owning the matter
// and its acknowledgement duty. Refused writes change nothing.
// The tests run in order on one server; the fake clock only moves forward from Monday 2026-11-23.
// xt-backends: sqlite postgres (servers start in ./lib/coord.mjs through startServer)
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { show } from './lib/util.mjs'
import { assertSameInstant, NUMBER_RE } from './lib/referrals.mjs'
import { CoordSuite, dutiesOf, assertError } from './lib/coord.mjs'

const S = CoordSuite({ start: '2026-11-23T09:00:00+08:00', extraArgs: ['--penalty-filing-ack-days', '4'] })
let orgs
const M = 'materials'
const PF = 'penalty-filings'

before(async () => {
  await S.start()
  orgs = S.orgs
})
after(S.stop)

function material(over = {}) {
  return {
    kind: 'normative_document', title: '关于加强校园周边食品安全执法的通知', issuer: '新兴县市场监督管理局',
    effective_date: '2026-12-01', description: '明确校园周边食品摊贩的检查频次和处置要求。',
    to_orgs: [orgs.xincheng.id, orgs.liuzu.id], ...over,
  }
}
const unchanged = (res, id, fn) => S.unchanged(res, id, fn)

async function postCsv(who, path, text) {
  const client = await S.as(who)
  const res = await fetch(new URL(path, S.server.url), {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'text/csv; charset=utf-8', Authorization: `Bearer ${client.bearerToken}` },
    body: text,
  })
  const body = await res.text()
  return { status: res.status, text: body, json: body ? JSON.parse(body) : null, headers: res.headers }
}

// ---------------------------------------------------------------------------------------------
// R-INF-1 materials

test('R-INF-1: only a county department publishes; bad input names field and rule; nothing is created', async () => {
  const create = (who, body) => S.noneCreated(M, () => S.post(who, `/api/v1/${M}`, body))
  assertError(await create('xincheng.officer', material()), 403, { code: 'permission_denied', rule: 'R-INF-1' })
  assertError(await create('auditor', material()), 403, { rule: 'R-INF-1' })
  assertError(await create('scjg.officer', material({ kind: 'poem' })), 400, { field: 'kind', rule: 'R-INF-1' })
  assertError(await create('scjg.officer', material({ to_orgs: [orgs.zrzy.id] })), 400, { field: 'to_orgs[0]', rule: 'R-INF-1' })
  assertError(await create('scjg.officer', material({ to_orgs: [] })), 400, { code: 'missing_field', field: 'to_orgs', rule: 'R-INF-1' })
  assertError(await create('scjg.officer', material({ all_townships: true })), 400, { field: 'to_orgs', rule: 'R-INF-1' })
  assertError(await create('scjg.officer', material({ title: ' ' })), 400, { code: 'missing_field', field: 'title', rule: 'R-INF-1' })
  assertError(await create('scjg.officer', material({ effective_date: '2026-13-01' })), 400, { field: 'effective_date', rule: 'R-INF-1' })
  assertError(await create('scjg.officer', material({ bogus: 1 })), 400, { code: 'unknown_field', field: 'bogus', rule: 'R-INF-1' })
  assertError(await create('scjg.officer', material({ materials: [{ name: 'x', file: 'f'.repeat(64) }] })), 400, { field: 'materials[0].file', rule: 'R-INF-1' })
})

let mat
test('R-INF-1: published to two townships — one material.acknowledge duty each (3 working days); a township not addressed gets 404', async () => {
  mat = await S.create('scjg.officer', M, material())
  assert.equal(mat.type, 'material')
  assert.equal(mat.state, 'published')
  assert.equal(mat.state_label, '已发布')
  assert.equal(mat.kind, 'normative_document')
  assert.equal(mat.kind_label, '规范性文件')
  assert.equal(mat.issuer, '新兴县市场监督管理局')
  assert.deepEqual(mat.addressees.map((o) => o.id).sort(), [orgs.xincheng.id, orgs.liuzu.id].sort())
  const acks = dutiesOf(mat, 'material.acknowledge')
  assert.equal(acks.length, 2)
  const due = await S.addWorkdays('2026-11-23T09:00:00+08:00', 3)
  for (const d of acks) {
    assert.equal(d.rule, 'R-INF-1')
    assert.deepEqual(d.period, { unit: 'working_days', value: 3 })
    assertSameInstant(d.due_at, due, 'acknowledgement due')
  }
  assert.deepEqual(mat.receipt_counts, { addressed: 2, acknowledged: 0, late: 0, pending: 2, overdue: 0 })
  assert.deepEqual(await S.noteKinds('xincheng.leader', 'material', mat.id), ['material.published'])
  // R-ACC-1: not addressed → 404, absent from lists; the coordinator and auditors see it.
  for (const who of ['dongcheng.officer', 'zrzy.officer', 'gaj.officer']) {
    assertError(await S.get(who, `/api/v1/${M}/${mat.id}`), 404, { code: 'not_found' })
    assert.ok(!(await S.listIds(who, M)).includes(mat.id), who)
  }
  assertError(await unchanged(M, mat.id, () => S.post('dongcheng.officer', `/api/v1/${M}/${mat.id}/acknowledge`, {})), 404, { code: 'not_found' })
  assert.equal((await S.detail('auditor', M, mat.id)).receipts.length, 2)
  // R-ACC-1: an addressed township sees its own receipt and duty only, not the other township's.
  const mine = await S.detail('liuzu.officer', M, mat.id)
  assert.deepEqual(mine.receipts.map((r) => r.org.id), [orgs.liuzu.id])
  assert.deepEqual(mine.duties.map((d) => d.owner_org.id), [orgs.liuzu.id])
  assert.deepEqual(mine.addressees.map((o) => o.id), [orgs.liuzu.id])
})

test('R-INF-1: a township acknowledges its own duty only (meet_one); the publisher cannot; twice is 409; nothing changes on refusal', async () => {
  assertError(await unchanged(M, mat.id, () => S.post('scjg.officer', `/api/v1/${M}/${mat.id}/acknowledge`, {})), 403, { code: 'permission_denied', rule: 'R-INF-1' })
  assertError(await unchanged(M, mat.id, () => S.post('coordinator.staff', `/api/v1/${M}/${mat.id}/acknowledge`, {})), 403, { rule: 'R-INF-1' })
  assertError(await unchanged(M, mat.id, () => S.post('xincheng.officer', `/api/v1/${M}/${mat.id}/acknowledge`, { note: 5 })), 400, { field: 'note', rule: 'R-INF-1' })
  await S.setClock('2026-11-24T10:00:00+08:00')
  const a = await S.act('xincheng.officer', M, mat.id, 'acknowledge', { note: '已组织学习' })
  assert.equal(a.state, 'published')
  assert.equal(a.receipts.length, 1, 'the township sees its own receipt')
  assert.equal(a.receipts[0].status, 'acknowledged')
  assert.equal(a.receipts[0].on_time, true)
  assert.equal(a.receipts[0].acknowledged_by.display_name.length > 0, true)
  const pub = await S.detail('scjg.officer', M, mat.id)
  const byOrg = Object.fromEntries(pub.receipts.map((r) => [r.org.id, r]))
  assert.equal(byOrg[orgs.xincheng.id].status, 'acknowledged')
  assertSameInstant(byOrg[orgs.xincheng.id].acknowledged_at, '2026-11-24T10:00:00+08:00')
  assert.equal(byOrg[orgs.xincheng.id].note, '已组织学习')
  assert.equal(byOrg[orgs.liuzu.id].status, 'pending')
  const xc = dutiesOf(pub, 'material.acknowledge').find((d) => d.owner_org.id === orgs.xincheng.id)
  const lz = dutiesOf(pub, 'material.acknowledge').find((d) => d.owner_org.id === orgs.liuzu.id)
  assert.equal(xc.state, 'met')
  assert.equal(lz.state, 'open', 'meet_one: the other township still owes its acknowledgement')
  assertError(await unchanged(M, mat.id, () => S.post('xincheng.officer', `/api/v1/${M}/${mat.id}/acknowledge`, {})), 409, { code: 'already_acknowledged', rule: 'R-INF-1' })
  assert.deepEqual(await S.noteKinds('scjg.leader', 'material', mat.id), ['material.acknowledged'])
})

test('R-INF-1: after the period the publisher sees the other township overdue; its late acknowledgement stays late', async () => {
  await S.setClock('2026-12-01T10:00:00+08:00')
  await S.sweep()
  const pub = await S.detail('scjg.officer', M, mat.id)
  const lz = pub.receipts.find((r) => r.org.id === orgs.liuzu.id)
  assert.equal(lz.status, 'overdue')
  assert.equal(pub.receipt_counts.overdue, 1)
  assert.equal(pub.colour, 'red')
  const a = await S.act('liuzu.officer', M, mat.id, 'acknowledge', {})
  assert.equal(a.receipts[0].status, 'acknowledged')
  assert.equal(a.receipts[0].on_time, false)
  assert.ok(a.receipts[0].late_working_days >= 1, show({ json: a.receipts[0] }))
  const after = await S.detail('scjg.officer', M, mat.id)
  assert.deepEqual(after.receipt_counts, { addressed: 2, acknowledged: 2, late: 1, pending: 0, overdue: 0 })
  assert.equal(after.colour, null)
  assert.ok(after.timeline.some((t) => t.action === 'acknowledge' && t.summary.includes('逾期')))
})

test('R-INF-1: the library searches title, description, kind, issuer and effective date, with 1–2 Chinese characters', async () => {
  const news = await S.create('zrzy.officer', M, {
    kind: 'enforcement_news', title: '国土执法动态第12期', issuer: '新兴县自然资源局', effective_date: '2026-11-20',
    description: '本期通报违法占地案件查处情况。', all_townships: true,
  })
  assert.ok(news.addressees.length >= 2)
  assert.ok(dutiesOf(news, 'material.acknowledge').length === news.addressees.length)
  const ids = (who, q) => S.listIds(who, M, q)
  assert.ok((await ids('xincheng.officer', 'q=' + encodeURIComponent('校园'))).includes(mat.id))
  assert.ok((await ids('xincheng.officer', 'q=' + encodeURIComponent('摊'))).includes(mat.id), '1 character, in the description')
  assert.ok(!(await ids('xincheng.officer', 'q=' + encodeURIComponent('校园'))).includes(news.id))
  assert.ok((await ids('xincheng.officer', 'q=' + encodeURIComponent('占地'))).includes(news.id))
  assert.deepEqual(await ids('xincheng.officer', 'kind=enforcement_news&q=' + encodeURIComponent('国土')), [news.id])
  const byIssuer = await ids('xincheng.officer', 'issuer=' + encodeURIComponent('自然资源'))
  assert.ok(byIssuer.includes(news.id) && !byIssuer.includes(mat.id))
  const byDate = await ids('xincheng.officer', 'from=2026-11-25&to=2026-12-31')
  assert.ok(byDate.includes(mat.id) && !byDate.includes(news.id))
  assertError(await S.get('xincheng.officer', `/api/v1/${M}?kind=poem`), 400, { field: 'kind', rule: 'R-INF-1' })
  assertError(await S.get('xincheng.officer', `/api/v1/${M}?from=2026-02-30`), 400, { field: 'from' })
  // A department not addressed sees only its own and what the coordinator sees.
  assert.ok(!(await ids('zrzy.officer', '')).includes(mat.id))
  assert.ok((await ids('coordinator.staff', '')).includes(mat.id))
  const csv = await S.get('scjg.officer', `/api/v1/${M}/export.csv?direction=out`)
  assert.equal(csv.status, 200, show(csv))
  assert.ok(csv.text.includes('关于加强校园周边食品安全执法的通知'))
  assert.ok(csv.text.split('\r\n')[0].includes('逾期确认'))
})

test('R-INF-1: the publisher withdraws a material — pending acknowledgements waived, no acknowledgement after', async () => {
  const w = await S.create('scjg.officer', M, material({ title: '待撤回的资料', to_orgs: [orgs.dongcheng.id] }))
  assertError(await unchanged(M, w.id, () => S.post('dongcheng.officer', `/api/v1/${M}/${w.id}/withdraw`, { reason: 'x' })), 403, { rule: 'R-INF-1' })
  assertError(await unchanged(M, w.id, () => S.post('scjg.officer', `/api/v1/${M}/${w.id}/withdraw`, {})), 400, { code: 'missing_field', field: 'reason', rule: 'R-INF-1' })
  const x = await S.act('scjg.officer', M, w.id, 'withdraw', { reason: '内容有误' })
  assert.equal(x.state, 'withdrawn')
  assert.equal(dutiesOf(x, 'material.acknowledge')[0].state, 'waived')
  assertError(await unchanged(M, w.id, () => S.post('dongcheng.officer', `/api/v1/${M}/${w.id}/acknowledge`, {})), 409, { code: 'illegal_transition', field: 'state', rule: 'R-INF-1' })
})

// ---------------------------------------------------------------------------------------------
// R-INF-2 approvals

const HEADER = '行政相对人名称,统一社会信用代码,许可决定文书号,许可类别,许可内容,许可决定日期,有效期自,有效期至,许可机关,地址,所属乡镇'
const ROW = (n, over = {}) => {
  const r = {
    holder: `测试商户${n}`, code: '92445321MA4X0A1B2C', no: `测试食许〔2026〕${n}号`, cat: '食品经营许可', content: '预包装食品销售',
    date: '2026-11-20', from: '2026-11-20', to: '2031-11-19', org: '新兴县市场监督管理局', addr: `新兴县新城镇测试路${n}号`, town: '', ...over,
  }
  return [r.holder, r.code, r.no, r.cat, r.content, r.date, r.from, r.to, r.org, r.addr, r.town].join(',')
}
async function approvalsTotal() {
  const res = await S.get('coordinator.staff', '/api/v1/approvals?page_size=1')
  assert.equal(res.status, 200, show(res))
  return res.json.total
}
async function feed(who, q = '') {
  const res = await S.get(who, `/api/v1/approvals/feed?page_size=200${q ? '&' + q : ''}`)
  assert.equal(res.status, 200, show(res))
  return res.json
}

test('R-INF-2: an import with a bad row names line and column and imports nothing', async () => {
  const total = await approvalsTotal()
  const head = await S.auditHead()
  const bad = [HEADER, ROW(1), ROW(2, { date: '2026-11-31' }), ROW(3)].join('\n') + '\n'
  const res = await postCsv('scjg.officer', '/api/v1/approvals/import', bad)
  assertError(res, 400, { field: 'line 3, column 许可决定日期', rule: 'R-INF-2' })
  const e = res.json.error
  assert.ok(e.message.includes('第3行'), e.message)
  assertError(await postCsv('scjg.officer', '/api/v1/approvals/import', [HEADER, ROW(1), ROW(2, { town: '火星镇' })].join('\n')), 400, { field: 'line 3, column 所属乡镇' })
  assertError(await postCsv('scjg.officer', '/api/v1/approvals/import', [HEADER, ROW(1), ROW(1)].join('\n')), 400, { field: 'line 3, column 许可决定文书号' })
  assertError(await postCsv('scjg.officer', '/api/v1/approvals/import', [HEADER, ROW(1, { holder: '' })].join('\n')), 400, { code: 'missing_field', field: 'line 2, column 行政相对人名称' })
  assertError(await postCsv('scjg.officer', '/api/v1/approvals/import', [HEADER, ROW(1, { code: 'abc' })].join('\n')), 400, { field: 'line 2, column 统一社会信用代码' })
  assertError(await postCsv('scjg.officer', '/api/v1/approvals/import', '行政相对人名称,地址\n甲,乙\n'), 400, { code: 'missing_field', field: 'line 1, column 许可决定文书号' })
  assertError(await postCsv('xincheng.officer', '/api/v1/approvals/import', [HEADER, ROW(1)].join('\n')), 403, { code: 'permission_denied', rule: 'R-INF-2' })
  assertError(await S.post('scjg.officer', '/api/v1/approvals/import', { csv: 'x' }), 400, { field: 'body' })
  assert.equal(await approvalsTotal(), total, 'nothing imported')
  assert.equal(await S.auditHead(), head, 'no audit entry')
})

test('R-INF-2: a good import — the township feed (assigned or by address), newest first, unread count and read marks', async () => {
  const before = await feed('xincheng.officer')
  const lzBefore = await feed('liuzu.officer')
  const csv = '\uFEFF' + [HEADER,
    ROW(11, { date: '2026-11-21' }),
    ROW(12, { date: '2026-11-22', addr: '新兴县城区某路1号', town: '新城镇' }),
    ROW(13, { date: '2026-11-19', addr: '新兴县六祖镇某路3号' }),
    '"测试商户,14",,测试食许〔2026〕14号,食品经营许可,"热食类食品制售，含""冷食""",2026-11-23,,,新兴县市场监督管理局,新兴县新城镇测试路14号,'].join('\r\n') + '\r\n'
  const res = await postCsv('scjg.officer', '/api/v1/approvals/import', csv)
  assert.equal(res.status, 200, show(res))
  assert.deepEqual(res.json, { rows: 4, created: 4, updated: 0 })
  const f = await feed('xincheng.officer')
  assert.equal(f.total, before.total + 3, 'assigned (12) and by address (11, 14)')
  assert.equal(f.unread, before.unread + 3)
  const mine = f.items.filter((a) => a.decision_number.startsWith('测试食许'))
  assert.deepEqual(mine.map((a) => a.decision_number), ['测试食许〔2026〕14号', '测试食许〔2026〕12号', '测试食许〔2026〕11号'], 'newest decision first')
  assert.equal(mine[0].holder, '测试商户,14')
  assert.equal(mine[0].content, '热食类食品制售，含"冷食"')
  assert.equal(mine[0].valid_to, null)
  assert.equal(mine[1].township.id, orgs.xincheng.id)
  assert.ok(mine.every((a) => a.read === false))
  const lz = await feed('liuzu.officer')
  assert.equal(lz.total, lzBefore.total + 1)
  assert.ok(!lz.items.some((a) => a.decision_number === '测试食许〔2026〕11号'))
  // Read marks are per user.
  let r = await S.post('xincheng.officer', '/api/v1/approvals/feed/read', { ids: [mine[0].id] })
  assert.equal(r.status, 200, show(r))
  assert.equal(r.json.unread, f.unread - 1)
  assert.equal((await feed('xincheng.officer')).items.find((a) => a.id === mine[0].id).read, true)
  assert.equal((await feed('xincheng.leader')).items.find((a) => a.id === mine[0].id).read, false, 'another user has not read it')
  assert.equal((await feed('xincheng.officer', 'unread=true')).total, f.unread - 1)
  const other = lz.items.find((a) => a.decision_number === '测试食许〔2026〕13号')
  assertError(await S.post('xincheng.officer', '/api/v1/approvals/feed/read', { ids: [other.id] }), 400, { field: 'ids[0]', rule: 'R-INF-2' })
  r = await S.post('xincheng.officer', '/api/v1/approvals/feed/read', {})
  assert.equal(r.json.unread, 0)
  assert.equal((await feed('xincheng.officer')).unread, 0)
  assertError(await S.get('scjg.officer', '/api/v1/approvals/feed'), 403, { rule: 'R-INF-2' })
  // Re-importing a decision number updates that record (a corrected export).
  const again = await postCsv('scjg.officer', '/api/v1/approvals/import', [HEADER, ROW(11, { content: '预包装食品销售（含冷藏冷冻食品）', date: '2026-11-21' })].join('\n'))
  assert.deepEqual(again.json, { rows: 1, created: 0, updated: 1 })
  const list = await S.get('xincheng.officer', '/api/v1/approvals?q=' + encodeURIComponent('冷藏'))
  assert.deepEqual(list.json.items.map((a) => a.decision_number), ['测试食许〔2026〕11号'])
  const csvOut = await S.get('xincheng.officer', '/api/v1/approvals/export.csv?q=' + encodeURIComponent('测试'))
  assert.equal(csvOut.status, 200)
  assert.ok(csvOut.text.replace(/^\uFEFF/, '').startsWith('行政相对人名称,'), csvOut.text.slice(0, 40))
})

test('R-INF-2: recording one approval — 201; the same decision number again is 409, nothing written', async () => {
  const body = {
    holder: '新兴县测试药店', credit_code: '91445321MA4X0A1B2D', decision_number: '测试药许〔2026〕1号', category: '药品经营许可',
    content: '零售药品', decision_date: '2026-11-22', valid_from: '2026-11-22', valid_to: '2031-11-21', authority: '新兴县市场监督管理局',
    address: '新兴县东成镇测试路1号', township_org_id: orgs.dongcheng.id,
  }
  assertError(await S.post('xincheng.officer', '/api/v1/approvals', body), 403, { rule: 'R-INF-2' })
  assertError(await S.post('scjg.officer', '/api/v1/approvals', { ...body, valid_to: '2020-01-01' }), 400, { field: 'valid_to', rule: 'R-INF-2' })
  assertError(await S.post('scjg.officer', '/api/v1/approvals', { ...body, township_org_id: orgs.scjg.id }), 400, { field: 'township_org_id', rule: 'R-INF-2' })
  const res = await S.post('scjg.officer', '/api/v1/approvals', body)
  assert.equal(res.status, 201, show(res))
  assert.equal(res.headers.get('location'), `/api/v1/approvals/${res.json.id}`)
  assert.equal(res.json.township.id, orgs.dongcheng.id)
  assert.equal(res.json.recorded_by_org.id, orgs.scjg.id)
  const total = await approvalsTotal()
  const head = await S.auditHead()
  assertError(await S.post('scjg.officer', '/api/v1/approvals', body), 409, { code: 'already_exists', field: 'decision_number' })
  assert.equal(await approvalsTotal(), total)
  assert.equal(await S.auditHead(), head)
  assert.ok((await feed('dongcheng.officer')).items.some((a) => a.id === res.json.id))
  assert.equal((await S.get('liuzu.officer', `/api/v1/approvals/${res.json.id}`)).status, 200, '双公示 records are public')
  assert.equal((await S.get('liuzu.officer', '/api/v1/approvals/99999999')).status, 404)
})

// ---------------------------------------------------------------------------------------------
// R-INF-3 penalty filings

function filing(over = {}) {
  return {
    decision_number: '新城执罚决〔2026〕31号', party: '新兴县某食品店', matter_code: 'SCJG-002',
    facts: '销售超过保质期的食品', penalty: '没收违法所得，罚款人民币五千元', amount: 5000, decision_date: '2026-11-30', ...over,
  }
}

test('R-INF-3: only a township files; unknown matter, future date, bad amount are 400; nothing is created', async () => {
  const create = (who, body) => S.noneCreated(PF, () => S.post(who, `/api/v1/${PF}`, body))
  assertError(await create('scjg.officer', filing()), 403, { code: 'permission_denied', rule: 'R-INF-3' })
  assertError(await create('auditor', filing()), 403, { rule: 'R-INF-3' })
  assertError(await create('xincheng.officer', filing({ matter_code: 'NOPE-1' })), 400, { field: 'matter_code', rule: 'R-INF-3' })
  assertError(await create('xincheng.officer', filing({ decision_date: '2026-12-25' })), 400, { field: 'decision_date', rule: 'R-INF-3' })
  assertError(await create('xincheng.officer', filing({ amount: -1 })), 400, { field: 'amount', rule: 'R-INF-3' })
  assertError(await create('xincheng.officer', filing({ facts: undefined })), 400, { code: 'missing_field', field: 'facts', rule: 'R-INF-3' })
})

let pf
test('R-INF-3: a filing goes to the department owning the matter — numbered 备, penalty_filing.acknowledge (configured 4 working days), the department sees all filings on its matters', async () => {
  pf = await S.create('xincheng.officer', PF, filing())
  assert.equal(pf.state, 'filed')
  assert.equal(pf.to_org.id, orgs.scjg.id)
  assert.equal(pf.matter.code, 'SCJG-002')
  assert.equal(pf.kind, 'SCJG-002')
  assert.match(pf.number, NUMBER_RE)
  assert.ok(pf.number.includes('备'), pf.number)
  assert.deepEqual(pf.documents.map((d) => d.kind), ['penalty_filing'])
  const [d] = dutiesOf(pf, 'penalty_filing.acknowledge')
  assert.equal(d.owner_org.id, orgs.scjg.id)
  assert.equal(d.rule, 'R-INF-3')
  assert.deepEqual(d.period, { unit: 'working_days', value: 4 })
  assertSameInstant(d.due_at, await S.addWorkdays('2026-12-01T10:00:00+08:00', 4))
  assert.deepEqual(await S.noteKinds('scjg.leader', 'penalty_filing', pf.id), ['penalty_filing.filed'])
  assert.ok((await S.listIds('scjg.officer', PF, 'direction=in')).includes(pf.id))
  assert.ok((await S.listIds('scjg.officer', PF, 'matter=SCJG-002')).includes(pf.id))
  assert.ok(!(await S.listIds('scjg.officer', PF, 'matter=SCJG-001')).includes(pf.id))
  for (const who of ['liuzu.officer', 'zrzy.officer']) {
    assertError(await S.get(who, `/api/v1/${PF}/${pf.id}`), 404, { code: 'not_found' })
  }
  const doc = await S.get('scjg.officer', `/api/v1/documents/${pf.documents[0].id}`)
  assert.equal(doc.status, 200, show(doc))
  assert.equal((await S.get('liuzu.officer', `/api/v1/documents/${pf.documents[0].id}`)).status, 404)
})

test('R-INF-3: the department acknowledges (duty met); the township cannot; twice is 409; CSV export', async () => {
  assertError(await unchanged(PF, pf.id, () => S.post('xincheng.officer', `/api/v1/${PF}/${pf.id}/acknowledge`, {})), 403, { rule: 'R-INF-3' })
  assertError(await unchanged(PF, pf.id, () => S.post('zrzy.officer', `/api/v1/${PF}/${pf.id}/acknowledge`, {})), 404, { code: 'not_found' })
  await S.setClock('2026-12-02T10:00:00+08:00')
  const a = await S.act('scjg.officer', PF, pf.id, 'acknowledge', { note: '已备案' })
  assert.equal(a.state, 'acknowledged')
  assert.equal(a.acknowledgement.note, '已备案')
  const [d] = dutiesOf(a, 'penalty_filing.acknowledge')
  assert.equal(d.state, 'met')
  assert.equal(d.on_time, true)
  assertError(await unchanged(PF, pf.id, () => S.post('scjg.officer', `/api/v1/${PF}/${pf.id}/acknowledge`, {})), 409, { code: 'illegal_transition', field: 'state', rule: 'R-INF-3' })
  assert.deepEqual(await S.noteKinds('xincheng.leader', 'penalty_filing', pf.id), ['penalty_filing.acknowledged'])
  const csv = await S.get('scjg.officer', `/api/v1/${PF}/export.csv?direction=in`)
  assert.equal(csv.status, 200)
  assert.ok(csv.text.includes(pf.number))
})
