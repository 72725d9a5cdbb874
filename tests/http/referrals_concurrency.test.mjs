// Referral numbers under concurrency (R-DOC-1, R-REF-3): 文号 are issued per org, per year, per
// kind, gap-free. 200 referrals are created and submitted, then approved 16 requests at a time by
// the leader's API token (from `xietong token issue`): the numbers must be 200 distinct serials
// continuing the sender's sequence with no gap; racing approvals of one referral issue one
// number; two orgs numbering at once do not disturb each other; no request fails with a 5xx; and
// the audit chain (R-AUD-1) still verifies. One server; the clock is frozen in 2026.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer } from '../lib/server.mjs'
import { show } from './lib/util.mjs'
import {
  Users, Referrals, orgsByCode, classifyMatters, pick, draftBody, uploadFile, pdfBytes,
  cliToken, pool, serialOf, prefixOf, NUMBER_RE, getRaw,
} from './lib/referrals.mjs'

const NOW = '2026-11-25T09:00:00+08:00'
const DISCOVERED = '2026-11-24T10:00:00+08:00'
const N = 200
const WIDTH = 16

let server
let as
let R
let orgs
let C // receiver of xincheng's referrals
let S // a county department that refers to xincheng (the second numbering org)
const m = {}
const files = {}
const statuses = [] // every status of a request made under concurrency

before(async () => {
  server = await startServer({ fakeClock: NOW, extraArgs: ['--access-log', 'off', '--sweep-interval', '3600'] })
  as = Users(server.url)
  R = Referrals(server.url, as)
  const coord = await as('coordinator.staff')
  orgs = await orgsByCode(coord)
  const cat = await classifyMatters(coord, ['xincheng'], '2026-11-24')
  m.dept = pick(cat.at.xincheng, (e) => e.competent.kind === 'county_department', 'competent to a county department in xincheng')
  m.town = pick(cat.at.xincheng, (e) => e.competent.code === 'xincheng', 'delegated to xincheng')
  C = orgs[m.dept.competent.code]
  S = orgs[m.town.matter.owner_org.code]
  for (const p of ['xincheng.officer', 'xincheng.leader', `${S.code}.officer`, `${S.code}.leader`, `${C.code}.leader`, 'admin']) await as(p)
  files.xincheng = await uploadFile(server.url, await as('xincheng.officer'), { bytes: pdfBytes('concurrency xincheng') })
  files.dept = await uploadFile(server.url, await as(`${S.code}.officer`), { bytes: pdfBytes('concurrency dept') })
})
after(async () => {
  await server?.stop()
})

function xinchengBody(i) {
  return draftBody({ matter: m.dept.matter, to: C, township: orgs.xincheng, file: files.xincheng, discoveredAt: DISCOVERED, facts: `并发编号测试第${i}件：当事人占道经营。` })
}
function deptBody(i) {
  return draftBody({ matter: m.town.matter, to: orgs.xincheng, township: orgs.xincheng, file: files.dept, discoveredAt: DISCOVERED, facts: `并发编号测试（部门）第${i}件。` })
}

/** Creates and submits `count` referrals, `WIDTH` at a time → their ids. */
async function createSubmitted(officer, bodyOf, count) {
  const client = await as(officer)
  const jobs = Array.from({ length: count }, (_, i) => async () => {
    const c = await client.post('/api/v1/referrals', bodyOf(i + 1))
    statuses.push(c.status)
    assert.equal(c.status, 201, show(c))
    const s = await client.post(`/api/v1/referrals/${c.json.id}/submit`, {})
    statuses.push(s.status)
    assert.equal(s.status, 200, show(s))
    return c.json.id
  })
  return pool(jobs, WIDTH)
}

/** The highest serial already issued to `org` for referral letters (from what its officer sees). */
async function highestSerial(officer, org) {
  let max = 0
  for (let page = 1; page < 100; page++) {
    const j = await R.list(officer, `direction=out&page=${page}&page_size=100`)
    for (const x of j.items) {
      if (x.number && prefixOf(x.number) === `${org.doc_prefix}移`) max = Math.max(max, serialOf(x.number))
    }
    if (j.items.length === 0 || page * 100 >= j.total) break
  }
  return max
}

function assertGapFree(numbers, from, what) {
  for (const n of numbers) assert.match(n, NUMBER_RE, `${what}: ${n}`)
  assert.equal(new Set(numbers).size, numbers.length, `${what}: duplicate numbers`)
  const serials = numbers.map(serialOf).sort((a, b) => a - b)
  const want = Array.from({ length: numbers.length }, (_, i) => from + i)
  assert.deepEqual(serials, want, `${what}: not the gap-free sequence ${from}..${from + numbers.length - 1}`)
}

test(`R-DOC-1: ${N} referrals approved ${WIDTH} at a time get ${N} distinct numbers forming a gap-free sequence; no 5xx`, async () => {
  const base = await highestSerial('xincheng.officer', orgs.xincheng)
  const ids = await createSubmitted('xincheng.officer', xinchengBody, N)
  assert.equal(new Set(ids).size, N)

  const leader = await cliToken(server.url, server.dbPath, 'xincheng.leader')
  const t0 = Date.now()
  const results = await pool(ids.map((id) => async () => {
    const res = await leader.post(`/api/v1/referrals/${id}/approve`, {})
    statuses.push(res.status)
    return { id, res }
  }), WIDTH)
  const elapsed = Date.now() - t0
  for (const { id, res } of results) {
    assert.equal(res.status, 200, `approve ${id}: ${show(res)}`)
    assert.equal(res.json.state, 'sent')
    assert.equal(prefixOf(res.json.number), `${orgs.xincheng.doc_prefix}移`, res.json.number)
  }
  const numbers = results.map(({ res }) => res.json.number)
  assertGapFree(numbers, base + 1, 'xincheng referral letters')

  // What was returned is what was stored, with one letter per referral.
  for (const { id, res } of results.filter((_, i) => i % 20 === 0)) {
    const r = await R.get('xincheng.officer', id)
    assert.equal(r.number, res.json.number)
    const letters = r.documents.filter((d) => d.kind === 'referral_letter')
    assert.deepEqual(letters.map((d) => d.number), [res.json.number])
  }
  assert.ok(elapsed < 60_000, `approving ${N} referrals took ${elapsed} ms`)
  assert.equal(await highestSerial('xincheng.officer', orgs.xincheng), base + N)
})

test('R-DOC-1: racing approvals of the same referral — exactly one wins (200), the other is 409; still gap-free', async () => {
  const base = await highestSerial('xincheng.officer', orgs.xincheng)
  const ids = await createSubmitted('xincheng.officer', xinchengBody, 20)
  const token = await cliToken(server.url, server.dbPath, 'xincheng.leader')
  const session = await as('xincheng.leader')
  const results = await pool(ids.map((id) => async () => {
    const [a, b] = await Promise.all([
      token.post(`/api/v1/referrals/${id}/approve`, {}),
      session.post(`/api/v1/referrals/${id}/approve`, {}),
    ])
    statuses.push(a.status, b.status)
    return { id, a, b }
  }), 8)
  const numbers = []
  for (const { id, a, b } of results) {
    const codes = [a.status, b.status].sort()
    assert.deepEqual(codes, [200, 409], `referral ${id}: ${show(a)} / ${show(b)}`)
    const loser = a.status === 409 ? a : b
    assert.equal(loser.json.error.code, 'illegal_transition', show(loser))
    const winner = a.status === 200 ? a : b
    numbers.push(winner.json.number)
    const r = await R.get('xincheng.officer', id)
    assert.equal(r.number, winner.json.number)
    assert.equal(r.documents.filter((d) => d.kind === 'referral_letter').length, 1)
  }
  assertGapFree(numbers, base + 1, 'raced approvals')
})

test('R-DOC-1: two orgs numbering at the same time keep separate gap-free sequences', async () => {
  const baseX = await highestSerial('xincheng.officer', orgs.xincheng)
  const baseS = await highestSerial(`${S.code}.officer`, S)
  const xs = await createSubmitted('xincheng.officer', xinchengBody, 40)
  const ss = await createSubmitted(`${S.code}.officer`, deptBody, 40)
  const lx = await cliToken(server.url, server.dbPath, 'xincheng.leader')
  const ls = await cliToken(server.url, server.dbPath, `${S.code}.leader`)
  const jobs = []
  for (let i = 0; i < 40; i++) {
    jobs.push(async () => ({ org: 'x', res: await lx.post(`/api/v1/referrals/${xs[i]}/approve`, {}) }))
    jobs.push(async () => ({ org: 's', res: await ls.post(`/api/v1/referrals/${ss[i]}/approve`, {}) }))
  }
  const results = await pool(jobs, WIDTH)
  for (const { res } of results) {
    statuses.push(res.status)
    assert.equal(res.status, 200, show(res))
  }
  const nx = results.filter((r) => r.org === 'x').map((r) => r.res.json.number)
  const ns = results.filter((r) => r.org === 's').map((r) => r.res.json.number)
  assert.ok(nx.every((n) => prefixOf(n) === `${orgs.xincheng.doc_prefix}移`), nx.join(' '))
  assert.ok(ns.every((n) => prefixOf(n) === `${S.doc_prefix}移`), ns.join(' '))
  assertGapFree(nx, baseX + 1, 'xincheng')
  assertGapFree(ns, baseS + 1, S.code)
})

test('Idempotency-Key under concurrency: the same approval sent twice at once is done once (replay or 409 idempotency_in_progress), one number each', async () => {
  const base = await highestSerial('xincheng.officer', orgs.xincheng)
  const ids = await createSubmitted('xincheng.officer', xinchengBody, 20)
  const leader = await cliToken(server.url, server.dbPath, 'xincheng.leader')
  const results = await pool(ids.map((id) => async () => {
    const headers = { 'Idempotency-Key': `race-${id}` }
    const [a, b] = await Promise.all([
      leader.post(`/api/v1/referrals/${id}/approve`, {}, { headers }),
      leader.post(`/api/v1/referrals/${id}/approve`, {}, { headers }),
    ])
    statuses.push(a.status, b.status)
    return { id, a, b }
  }), 8)
  const numbers = []
  for (const { id, a, b } of results) {
    const ok = [a, b].filter((r) => r.status === 200)
    assert.ok(ok.length >= 1, `referral ${id}: ${show(a)} / ${show(b)}`)
    for (const r of [a, b]) {
      if (r.status === 200) continue
      assert.equal(r.status, 409, show(r))
      assert.equal(r.json.error.code, 'idempotency_in_progress', `the work was attempted twice: ${show(r)}`)
    }
    if (ok.length === 2) {
      assert.deepEqual(ok[1].json, ok[0].json)
      assert.ok([a, b].some((r) => r.headers.get('idempotent-replayed') === 'true'))
    }
    numbers.push(ok[0].json.number)
    assert.equal((await R.get('xincheng.officer', id)).documents.filter((d) => d.kind === 'referral_letter').length, 1)
  }
  assertGapFree(numbers, base + 1, 'approvals with a shared key')
})

test('R-REF-6/R-DOC-1: racing acceptances by the receiver\'s leader — one acceptance notice per referral, gap-free', async () => {
  const ids = await createSubmitted('xincheng.officer', xinchengBody, 20)
  const lx = await cliToken(server.url, server.dbPath, 'xincheng.leader')
  await pool(ids.map((id) => async () => {
    const r = await lx.post(`/api/v1/referrals/${id}/approve`, {})
    statuses.push(r.status)
    assert.equal(r.status, 200, show(r))
  }), WIDTH)
  const token = await cliToken(server.url, server.dbPath, `${C.code}.leader`)
  const session = await as(`${C.code}.leader`)
  const results = await pool(ids.map((id) => async () => {
    const [a, b] = await Promise.all([
      token.post(`/api/v1/referrals/${id}/accept`, {}),
      session.post(`/api/v1/referrals/${id}/accept`, {}),
    ])
    statuses.push(a.status, b.status)
    return { id, a, b }
  }), 8)
  const numbers = []
  for (const { id, a, b } of results) {
    assert.deepEqual([a.status, b.status].sort(), [200, 409], `referral ${id}: ${show(a)} / ${show(b)}`)
    const r = await R.get('xincheng.officer', id)
    const notices = r.documents.filter((d) => d.kind === 'acceptance_notice')
    assert.equal(notices.length, 1, JSON.stringify(r.documents))
    numbers.push(notices[0].number)
    const acc = r.duties.filter((d) => d.kind === 'referral.accept_notice')
    assert.equal(acc.length, 1)
    assert.equal(acc[0].state, 'met')
  }
  for (const n of numbers) assert.equal(prefixOf(n), `${C.doc_prefix}受`, n)
  assertGapFree(numbers, Math.min(...numbers.map(serialOf)), 'acceptance notices')
  assert.equal(Math.min(...numbers.map(serialOf)), 1, 'the receiver\'s first acceptance notices of the year')
})

test('no request made under concurrency failed with a 5xx; the audit chain verifies afterwards (R-AUD-1)', async () => {
  assert.ok(statuses.length >= 3 * N, `only ${statuses.length} requests recorded`)
  const fives = statuses.filter((s) => s >= 500)
  assert.deepEqual(fives, [], `${fives.length} requests failed with 5xx`)
  const admin = await as('admin')
  // The export is not limited to one page: one row per referral of the sender.
  const total = (await R.list('xincheng.officer', 'direction=out&page_size=1')).total
  assert.ok(total >= N + 80, `total ${total}`)
  const csv = await getRaw(server.url, await as('xincheng.officer'), '/api/v1/referrals/export.csv?direction=out', 'text/csv')
  assert.equal(csv.status, 200)
  assert.equal(csv.text.slice(1).split(/\r?\n/).filter((l) => l.length > 0).length, total + 1)
  const v = await admin.get('/api/v1/audit/verify')
  assert.equal(v.status, 200, show(v))
  assert.equal(v.json.ok, true, JSON.stringify(v.json))
})
