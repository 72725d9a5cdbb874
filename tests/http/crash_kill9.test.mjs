// Crashes under keyed writes (issue 15; R-DOC-1, R-AUD-1): the server is killed with SIGKILL at a
// random moment while four clients create, submit and approve referrals with Idempotency-Key,
// then restarted on the same database, again and again. After every restart:
//  - every acknowledged write is there, and replaying its request with the same key answers the
//    same resource (same id, same state, same number) — a crash never runs work twice;
//  - a request that was in flight when the server died is retried with its key and applied at
//    most once (no duplicate referral);
// and at the end the referral letters of the sender are a gap-free sequence of distinct numbers
// and `xietong audit verify` passes.
// Issue 16 (one transaction per write request): the key's reservation, the work and the stored
// response commit together, so a retry after a crash either replays the stored answer or runs
// a request that left no trace: no retry may answer idempotency_response_lost (work done, answer
// lost) or idempotency_in_progress (a reservation of the dead instance) any more.
// XT_KILL_ITERATIONS (default 3) sets the number of crashes; `make soak` runs 100 per backend.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer } from '../lib/server.mjs'
import { serveDb, show, xt } from './lib/util.mjs'
import {
  Users, orgsByCode, classifyMatters, pick, draftBody, uploadFile, pdfBytes, serialOf, prefixOf,
  NUMBER_RE, sleep,
} from './lib/referrals.mjs'

const ITERATIONS = Number(process.env.XT_KILL_ITERATIONS ?? 3)
const WORKERS = 4
const DISCOVERED = '2026-11-24T10:00:00+08:00'
const TAG = `崩溃测试${process.pid}`

let server
let setup // { C, xincheng, matter, file }
const acked = new Map() // key → { path, body, status, id, state, number }
const inflight = new Map() // key → { path, body } sent but never answered
const createKeys = new Set() // every create key ever sent
const verified = new Set() // acknowledged keys replayed after a crash
let lostCreates = 0 // creates done before a crash whose answer was lost
let retriedInflight = 0 // requests in flight at a crash, retried with their key
const lostAnswers = [] // retries answered idempotency_response_lost or _in_progress (issue 16: none)
const refused = [] // answers ≥ 400 under load (for the failure message)

before(async () => {
  server = await startServer({ extraArgs: ['--access-log', 'off', '--sweep-interval', '3600'] })
  const as = Users(server.url)
  const coord = await as('coordinator.staff')
  const orgs = await orgsByCode(coord)
  const cat = await classifyMatters(coord, ['xincheng'], '2026-11-24')
  const m = pick(cat.at.xincheng, (e) => e.competent.kind === 'county_department', 'competent to a county department in xincheng')
  const file = await uploadFile(server.url, await as('xincheng.officer'), { bytes: pdfBytes('crash test') })
  setup = { C: orgs[m.competent.code], xincheng: orgs.xincheng, matter: m.matter, file }
  await server.crash()
})
after(async () => {
  await server?.cleanup()
})

function body(i) {
  return draftBody({
    matter: setup.matter, to: setup.C, township: setup.xincheng, file: setup.file,
    discoveredAt: DISCOVERED, facts: `${TAG}第${i}件：当事人占道经营。`,
  })
}

// One request with its key; resolves { status, json } or null when the connection died.
async function keyed(client, path, key, payload) {
  try {
    return await client.post(path, payload, { headers: { 'Idempotency-Key': key } })
  } catch {
    return null
  }
}

function record(key, path, payload, res) {
  if (!res) {
    inflight.set(key, { path, body: payload })
    return false
  }
  inflight.delete(key)
  assert.ok(res.status < 500, `${path} (${key}) answered ${show(res)}`)
  if (res.status >= 400) {
    refused.push(`${path} ${key}: ${show(res)}`)
    return false
  }
  acked.set(key, { path, body: payload, status: res.status, id: res.json.id, state: res.json.state, number: res.json.number ?? null })
  return true
}

// A worker: create → submit → approve, each keyed, until `stop.now`.
async function worker({ officer, leader }, w, round, stop) {
  for (let n = 0; !stop.now; n++) {
    const i = `${round}-${w}-${n}`
    const ck = `create-${i}`
    const payload = body(i)
    createKeys.add(ck)
    const c = await keyed(officer, '/api/v1/referrals', ck, payload)
    if (!record(ck, '/api/v1/referrals', payload, c)) return
    const id = c.json.id
    const s = await keyed(officer, `/api/v1/referrals/${id}/submit`, `submit-${i}`, {})
    if (!record(`submit-${i}`, `/api/v1/referrals/${id}/submit`, {}, s)) return
    const a = await keyed(leader, `/api/v1/referrals/${id}/approve`, `approve-${i}`, {})
    if (!record(`approve-${i}`, `/api/v1/referrals/${id}/approve`, {}, a)) return
  }
}

// After a restart: every acknowledged write is stored and replays identically; requests lost in
// flight are retried with their key (applied at most once).
async function verify(url, { all = false } = {}) {
  const as = Users(url)
  const officer = await as('xincheng.officer')
  const leader = await as('xincheng.leader')
  const clients = { officer, leader }
  const clientFor = (path) => (path.endsWith('/approve') ? leader : officer)
  // Acknowledged writes not yet seen after a crash (every one at the end).
  const keys = all ? [...acked.keys()] : [...acked.keys()].filter((k) => !verified.has(k))
  for (const key of keys) {
    const a = acked.get(key)
    verified.add(key)
    const res = await clientFor(a.path).post(a.path, a.body, { headers: { 'Idempotency-Key': key } })
    assert.equal(res.status, a.status, `replay of acknowledged ${key}: ${show(res)}`)
    assert.equal(res.json.id, a.id, `replay of ${key} answers another referral`)
    assert.equal(res.json.state, a.state, `replay of ${key}`)
    assert.equal(res.json.number ?? null, a.number, `replay of ${key}`)
    const stored = await officer.get(`/api/v1/referrals/${a.id}`)
    assert.equal(stored.status, 200, `acknowledged ${key}: referral ${a.id} lost: ${show(stored)}`)
    if (a.number) assert.equal(stored.json.number, a.number, `acknowledged ${key}: number changed`)
  }
  for (const [key, f] of [...inflight]) {
    // A reservation of the killed instance is taken over once its lease ran out (409
    // idempotency_in_progress until then); a key whose work was done but whose answer was lost
    // says so (409 idempotency_response_lost): the work is never run twice.
    let res
    for (let tries = 0; tries < 40; tries++) {
      res = await clientFor(f.path).post(f.path, f.body, { headers: { 'Idempotency-Key': key } })
      if (['idempotency_in_progress', 'idempotency_response_lost'].includes(res.json?.error?.code)) lostAnswers.push(`${key}: ${res.json.error.code}`)
      if (!(res.status === 409 && res.json?.error?.code === 'idempotency_in_progress')) break
      await sleep(500)
    }
    assert.ok(res.status < 500, `retry of in-flight ${key}: ${show(res)}`)
    inflight.delete(key)
    retriedInflight++
    if (res.status < 400) {
      acked.set(key, { path: f.path, body: f.body, status: res.status, id: res.json.id, state: res.json.state, number: res.json.number ?? null })
    } else if (res.json?.error?.code === 'idempotency_response_lost') {
      if (f.path.endsWith('/referrals')) lostCreates++
    } else {
      // A step whose referral moved on meanwhile may be refused (409); a create must go through.
      assert.ok(!f.path.endsWith('/referrals'), `retry of create ${key}: ${show(res)}`)
    }
  }
  return clients
}

// Every referral of this suite, as the sender sees it.
async function ours(url) {
  const officer = await Users(url)('xincheng.officer')
  const out = []
  for (let page = 1; ; page++) {
    const res = await officer.get(`/api/v1/referrals?direction=out&q=${encodeURIComponent(TAG)}&page=${page}&page_size=100`)
    assert.equal(res.status, 200, show(res))
    out.push(...res.json.items)
    if (res.json.items.length === 0 || out.length >= res.json.total) break
  }
  return out
}

test(`issue 15: ${ITERATIONS} kill -9 under keyed writes lose, duplicate and misnumber nothing; the audit chain verifies (R-DOC-1, R-AUD-1)`, { timeout: 60_000 + ITERATIONS * 30_000 }, async () => {
  for (let round = 0; round < ITERATIONS; round++) {
    if (process.env.XT_DEBUG) console.log(`# round ${round}: ${acked.size} acknowledged, ${inflight.size} in flight`)
    const srv = await serveDb(server.db, { extraArgs: ['--sweep-interval', '3600'] })
    const clients = await verify(srv.url) // signed in before the clock of the crash starts
    const stop = { now: false }
    const running = Array.from({ length: WORKERS }, (_, w) => worker(clients, w, round, stop))
    await sleep(300 + Math.floor(Math.random() * 1200))
    await srv.kill()
    stop.now = true
    await Promise.all(running)
  }
  const srv = await serveDb(server.db, { extraArgs: ['--sweep-interval', '3600'] })
  try {
    await verify(srv.url, { all: true })
    const mine = await ours(srv.url)
    // No duplicates: one referral per create key that went through.
    const created = [...acked.keys()].filter((k) => k.startsWith('create-'))
    assert.equal(mine.length, new Set(created.map((k) => acked.get(k).id)).size + lostCreates,
      `${mine.length} referrals stored for ${created.length} acknowledged creates and ${lostCreates} done with their answer lost`)
    assert.deepEqual(lostAnswers, [], 'issue 16: a retry after a crash must replay or run, never find a half-done key')
    assert.equal(lostCreates, 0)
    assert.ok(created.length >= ITERATIONS, `only ${created.length} creates were acknowledged; refused: ${refused.slice(0, 3).join('\n')}`)
    // Numbers: distinct and gap-free for the sender's letters of this year.
    const numbers = mine.map((r) => r.number).filter(Boolean)
    for (const n of numbers) assert.match(n, NUMBER_RE)
    assert.equal(new Set(numbers).size, numbers.length, 'duplicate numbers')
    const prefix = `${setup.xincheng.doc_prefix}移`
    const serials = numbers.filter((n) => prefixOf(n) === prefix).map(serialOf).sort((a, b) => a - b)
    for (let i = 1; i < serials.length; i++) assert.equal(serials[i], serials[i - 1] + 1, `gap after ${serials[i - 1]}`)
  } finally {
    await srv.stop()
  }
  const v = await xt(['audit', 'verify', '--db', server.db])
  assert.equal(v.code, 0, `audit verify after ${ITERATIONS} crashes:\n${v.stdout}${v.stderr}`)
  console.log(`# ${ITERATIONS} crashes: ${acked.size} acknowledged writes, ${createKeys.size} creates sent, ${retriedInflight} in-flight requests retried`)
})
