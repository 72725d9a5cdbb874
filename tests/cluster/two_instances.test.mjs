// Several instances (issue 6): two `xietong serve` on one PostgreSQL database behind nginx on
// 127.0.0.1. Concurrent clients sign in through the balancer and drive referrals (create, submit,
// approve, receive, accept) with an Idempotency-Key on every write, retrying 502/503/504 and
// connection errors with the same key, while one instance is killed (SIGKILL) and restarted, then
// the other. Both run their deadline sweepers every 0.2 s on the same fake clock, which the test
// moves forward so that duties turn yellow and red during the run. Afterwards, against the
// database and the API:
//   - every acknowledged (2xx) write is there exactly once; no referral exists twice;
//   - document numbers per org/kind/year are unique and gap-free (1..n);
//   - no duplicate notifications (same recipient, kind and object), each duty warned at most once
//     per colour, and none missed (every duty past its yellow/due instant was warned);
//   - every session was served by both instances; an API token from `xietong token issue` works
//     on both; `xietong audit verify` passes.
// Needs XT_PG_DSN (`make test` exports it; exit 77 = skipped when XT_ALLOW_NO_PG=1) and nginx
// (`scripts/bootstrap` installs nginx-light; XT_NGINX overrides /usr/sbin/nginx).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { createServer } from 'node:net'
import { mkdtemp, rm, writeFile, mkdir, readFile } from 'node:fs/promises'
import { existsSync, chownSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

if (!process.env.XT_PG_DSN) {
  if (process.env.XT_ALLOW_NO_PG === '1') {
    console.log('SKIPPED: the cluster test needs XT_PG_DSN (XT_ALLOW_NO_PG=1)')
    process.exit(77)
  }
  throw new Error('the cluster test needs XT_PG_DSN (run through `make test`, or eval "$(scripts/pg start)"); ' +
    'set XT_ALLOW_NO_PG=1 to skip it instead')
}

const { XT_BIN, WEB_ROOT, DEMO_PASSWORD, createPgDatabase, psql } = await import('../lib/server.mjs')
const { xt, lastLine } = await import('../http/lib/util.mjs')
const { orgsByCode, classifyMatters, pick, draftBody, uploadFile, pdfBytes, shanghai, prefixOf } =
  await import('../http/lib/referrals.mjs')

const NGINX = process.env.XT_NGINX || '/usr/sbin/nginx'
const T0 = Date.parse('2026-11-25T09:00:00+08:00') // a Wednesday
const HOUR = 3600_000
const RUN_MS = 20_000 // the workload's duration
const WORKERS = 4
const CLOCK_STEP_MS = 2_000 // real time between clock moves
const CLOCK_STEP = 4 * HOUR // fake time per move (below the 8 h session idle limit)
const RUN_ID = `C${process.pid}${Date.now().toString(36)}`

let tmp
let db
let ports
let nginx
const inst = [] // { name, port, child, log, exited }
let clockMs = T0
let token // xincheng.leader's API token from `xietong token issue`
const setup = {} // matter, orgs, files
const ops = [] // every write: { worker, op, ref, key, outcome: 'ack'|'lost'|'refused'|'failed', status, json, tries }
const upstreamsBySession = new Map() // session label → Set of upstream addresses that served it
const seen5xx = [] // statuses ≥ 500 the clients saw (before retrying)
const timeline = [] // [ms since start, event] for failure messages
let t0Run = 0

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const note = (what) => timeline.push(`${((Date.now() - t0Run) / 1000).toFixed(1)}s ${what}`)

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.unref()
    s.on('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

function tail(text, n = 3000) {
  return text.length > n ? `…${text.slice(-n)}` : text
}

// ---------------------------------------------------------------------------------------------
// Instances and nginx.

async function startInstance(i) {
  const it = inst[i]
  const args = ['serve', '--db', db.url, '--listen', `127.0.0.1:${it.port}`, '--web-root', WEB_ROOT,
    '--test-mode', '--fake-clock', shanghai(clockMs), '--sweep-interval', '0.2', '--access-log', 'off',
    '--threads', '4', '--trusted-proxy', '127.0.0.1']
  for (let attempt = 0; ; attempt++) {
    const child = spawn(XT_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    const exited = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal })))
    const up = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), 20_000)
      const look = (d) => {
        out += d
        it.log += d
        if (/listening on http:\/\/127\.0\.0\.1:\d+/.test(out)) {
          clearTimeout(timer)
          resolve(true)
        }
      }
      child.stdout.on('data', look)
      child.stderr.on('data', look)
      exited.then(() => {
        clearTimeout(timer)
        resolve(false)
      })
    })
    if (up) {
      Object.assign(it, { child, exited })
      note(`${it.name} up on ${it.port}`)
      return
    }
    child.kill('SIGKILL')
    await exited
    if (attempt >= 3) throw new Error(`${it.name} did not start on port ${it.port}:\n${tail(out)}`)
    await sleep(500) // e.g. the port not yet free after a kill
  }
}

async function killInstance(i) {
  const it = inst[i]
  it.child.kill('SIGKILL')
  await it.exited
  it.child = null
  note(`${it.name} killed`)
}

async function stopInstance(it) {
  if (!it?.child) return
  it.child.kill('SIGTERM')
  const timer = setTimeout(() => it.child?.kill('SIGKILL'), 10_000)
  await it.exited
  clearTimeout(timer)
  it.child = null
}

/** Sets the fake clock of every running instance to clockMs (directly, not through nginx). */
async function pushClock() {
  for (const it of inst) {
    if (!it.child) continue
    const res = await fetch(`http://127.0.0.1:${it.port}/api/v1/test/clock`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ set: shanghai(clockMs) }),
    }).catch((e) => ({ status: 0, text: async () => String(e) }))
    if (res.status !== 200) note(`clock of ${it.name} not set: ${res.status} ${await res.text()}`)
  }
}

function nginxHas(module) {
  const v = spawnSync(NGINX, ['-V'], { encoding: 'utf8' })
  return !`${v.stdout}${v.stderr}`.includes(`--without-${module}`)
}

/** The test's nginx.conf: deploy/nginx/xietong.conf's proxy policy, on loopback, in `dir`. */
function nginxConf(dir, listenPort) {
  const temps = ['client_body_temp_path', 'proxy_temp_path']
  if (nginxHas('http_fastcgi_module')) temps.push('fastcgi_temp_path')
  if (nginxHas('http_uwsgi_module')) temps.push('uwsgi_temp_path')
  if (nginxHas('http_scgi_module')) temps.push('scgi_temp_path')
  return `worker_processes 1;
events { worker_connections 512; }
http {
  ${temps.map((t) => `${t} ${join(dir, t.replace('_temp_path', ''))};`).join('\n  ')}
  access_log ${join(dir, 'access.log')};
  map $http_x_request_id $xt_request_id { default $http_x_request_id; "" $request_id; }
  upstream xietong {
    server 127.0.0.1:${inst[0].port} max_fails=1 fail_timeout=2s;
    server 127.0.0.1:${inst[1].port} max_fails=1 fail_timeout=2s;
    keepalive 16;
  }
  server {
    listen 127.0.0.1:${listenPort};
    client_max_body_size 24m;
    add_header X-Upstream $upstream_addr always;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $scheme;
    proxy_set_header X-Request-Id $xt_request_id;
    proxy_connect_timeout 2s;
    proxy_read_timeout 30s;
    proxy_next_upstream_tries 2;
    proxy_next_upstream_timeout 10s;
    # A write is retried on the other instance only when it carries an Idempotency-Key
    # (the server then runs it at most once); otherwise only when it never reached an instance.
    location / {
      error_page 418 = @keyed;
      if ($http_idempotency_key != "") { return 418; }
      proxy_pass http://xietong;
      proxy_next_upstream error timeout http_502 http_503;
    }
    location @keyed {
      proxy_pass http://xietong;
      proxy_next_upstream error timeout http_502 http_503 non_idempotent;
    }
    location = /api/v1/events {
      proxy_pass http://xietong;
      proxy_buffering off;
      proxy_read_timeout 1h;
    }
  }
}
`
}

async function startNginx(port) {
  const dir = join(tmp, 'nginx')
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'nginx.conf'), nginxConf(dir, port))
  const opts = { stdio: ['ignore', 'pipe', 'pipe'] }
  if (process.getuid?.() === 0) {
    // nginx runs unprivileged, as nobody, even when the test runs as root.
    for (const p of [tmp, dir]) chownSync(p, 65534, 65534)
    Object.assign(opts, { uid: 65534, gid: 65534 })
  }
  const args = ['-e', join(dir, 'error.log'), '-p', dir, '-c', join(dir, 'nginx.conf'),
    '-g', `daemon off; pid ${join(dir, 'nginx.pid')}; error_log ${join(dir, 'error.log')};`]
  const child = spawn(NGINX, args, opts)
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (out += d))
  const exited = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal })))
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break
    const ok = await fetch(`${url}/healthz`).then((r) => r.status === 200, () => false)
    if (ok) return { url, dir, child, exited, output: () => out }
    await sleep(100)
  }
  child.kill('SIGKILL')
  await exited
  const log = await readFile(join(dir, 'error.log'), 'utf8').catch(() => '')
  throw new Error(`nginx did not start (${NGINX} ${args.join(' ')}):\n${out}\n${log}`)
}

// ---------------------------------------------------------------------------------------------
// A client through the balancer: session cookie, CSRF, retries with the same Idempotency-Key.

const RETRY_STATUS = new Set([502, 503, 504])

function Client(label, username) {
  const c = { label, username, cookie: '', csrf: '' }
  async function once(method, path, body, key) {
    const h = { Accept: 'application/json' }
    if (body !== undefined) h['Content-Type'] = 'application/json'
    if (c.cookie) h.Cookie = c.cookie
    if (method !== 'GET' && c.csrf) h['X-CSRF-Token'] = c.csrf
    if (key) h['Idempotency-Key'] = key
    const res = await fetch(`${nginx.url}${path}`, {
      method, headers: h, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(20_000),
    })
    const text = await res.text()
    const up = res.headers.get('x-upstream')
    if (up && res.status < 500) {
      if (!upstreamsBySession.has(label)) upstreamsBySession.set(label, { count: 0, ups: new Set() })
      const u = upstreamsBySession.get(label)
      u.count++
      u.ups.add(up.split(/[ ,]+/).pop())
    }
    let json = null
    try {
      json = text ? JSON.parse(text) : null
    } catch {
      json = null
    }
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';')
      if (pair.startsWith('xt_session=')) c.cookie = pair
    }
    if (json?.csrf_token) c.csrf = json.csrf_token
    return { status: res.status, json, text }
  }
  /** A request retried on 502/503/504, connection errors and 409 idempotency_in_progress. */
  async function call(method, path, body, key) {
    let last
    for (let tries = 1; tries <= 120; tries++) {
      try {
        last = await once(method, path, body, key)
      } catch (e) {
        last = { status: 0, text: String(e?.cause ?? e) }
      }
      if (last.status >= 500) seen5xx.push({ label, method, path, status: last.status })
      if (last.status === 0 || RETRY_STATUS.has(last.status)) {
        await sleep(150)
        continue
      }
      if (last.status === 409 && last.json?.error?.code === 'idempotency_in_progress') {
        await sleep(250)
        continue
      }
      if (last.status === 401 && path !== '/api/v1/auth/login') {
        await c.login() // the session expired under the moving clock: sign in again, same key
        continue
      }
      return { ...last, tries }
    }
    return { ...last, tries: 120, gaveUp: true }
  }
  c.login = async () => {
    c.cookie = ''
    c.csrf = ''
    const r = await call('POST', '/api/v1/auth/login', { username, password: DEMO_PASSWORD })
    assert.equal(r.status, 200, `${label}: sign-in through nginx: HTTP ${r.status} ${r.text}`)
  }
  c.call = call
  return c
}

/** A keyed write recorded in `ops`. */
async function write(worker, client, op, ref, path, body = {}) {
  const key = `${RUN_ID}-${worker}-${op}-${ref ?? 'new'}-${ops.length}`
  const res = await client.call('POST', path, body, key)
  const outcome = res.status >= 200 && res.status < 300 ? 'ack'
    : res.status === 409 && res.json?.error?.code === 'idempotency_response_lost' ? 'lost'
      : res.status > 0 && res.status < 500 ? 'refused' : 'failed'
  const rec = { worker, op, ref, key, outcome, status: res.status, json: res.json, text: res.text?.slice(0, 300), tries: res.tries }
  ops.push(rec)
  return rec
}

const clients = [] // every Client of the workload

async function workerLoop(w, stopAt) {
  const officer = Client(`w${w}:xincheng.officer`, 'xincheng.officer')
  const leader = Client(`w${w}:xincheng.leader`, 'xincheng.leader')
  const receiver = Client(`w${w}:${setup.C.code}.leader`, `${setup.C.code}.leader`)
  clients.push(officer, leader, receiver)
  await officer.login()
  await leader.login()
  await receiver.login()
  for (let n = 0; Date.now() < stopAt; n++) {
    const marker = `${RUN_ID}-w${w}-n${n}`
    // Discovered 1..4 days before the start, some urgent (24 h): their R-REF-4 duties turn yellow
    // and red while the clock moves.
    const urgent = n % 5 === 0
    const discovered = shanghai(T0 - (urgent ? 20 * HOUR : (24 + 24 * (n % 4)) * HOUR))
    const body = draftBody({
      matter: setup.matter, to: setup.C, township: setup.orgs.xincheng, file: setup.file,
      discoveredAt: discovered, urgent, facts: `集群测试 ${marker}：当事人占道经营。`,
    })
    const created = await write(w, officer, 'create', marker, '/api/v1/referrals', body)
    let id = created.outcome === 'ack' ? created.json.id : null
    if (created.outcome === 'lost') {
      const rows = await psql(`SELECT id FROM referrals WHERE facts LIKE '%${marker}：%'`, db.name)
      id = Number(rows.trim()) || null
      created.ref = marker
    }
    if (!id) continue
    created.id = id
    const stage = [3, 0, 1, 2][n % 4] // 0: submitted only; 1: approved; 2: received; 3: accepted (first)
    const s = await write(w, officer, 'submit', id, `/api/v1/referrals/${id}/submit`)
    if (s.outcome !== 'ack' || stage === 0) continue
    const a = await write(w, leader, 'approve', id, `/api/v1/referrals/${id}/approve`)
    if (a.outcome !== 'ack' || stage === 1) continue
    const r = await write(w, receiver, 'receive', id, `/api/v1/referrals/${id}/receive`)
    if (r.outcome !== 'ack' || stage === 2) continue
    await write(w, receiver, 'accept', id, `/api/v1/referrals/${id}/accept`, { note: `受理 ${marker}` })
  }
}

// ---------------------------------------------------------------------------------------------

before(async () => {
  assert.ok(existsSync(XT_BIN), `${XT_BIN} not found: build the server first or set XT_BIN`)
  assert.ok(existsSync(NGINX), `${NGINX} not found: scripts/bootstrap installs nginx-light (or set XT_NGINX)`)
  tmp = await mkdtemp(join(tmpdir(), 'xt-cluster-'))
  db = await createPgDatabase('xt_cluster')
  // Two migrations at once: the advisory lock makes the second wait and find nothing to do.
  const migrations = await Promise.all([xt(['migrate', '--db', db.url]), xt(['migrate', '--db', db.url])])
  for (const m of migrations) assert.equal(m.code, 0, `concurrent migrate:\n${m.stdout}${m.stderr}`)
  const demo = await xt(['demo', 'load', '--db', db.url, '--password', DEMO_PASSWORD])
  assert.equal(demo.code, 0, `demo load:\n${demo.stdout}${demo.stderr}`)
  const t = await xt(['token', 'issue', '--db', db.url, '--user', 'xincheng.leader', '--name', 'cluster test'])
  assert.equal(t.code, 0, `token issue:\n${t.stdout}${t.stderr}`)
  token = lastLine(t.stdout)

  ports = [await freePort(), await freePort(), await freePort()]
  inst.push({ name: 'A', port: ports[0], child: null, log: '' }, { name: 'B', port: ports[1], child: null, log: '' })
  t0Run = Date.now()
  await Promise.all([startInstance(0), startInstance(1)])
  nginx = await startNginx(ports[2])

  // What the workload needs, asked through the balancer before anything is killed.
  const { api } = await import('../lib/server.mjs')
  const coord = await api(nginx.url).login('coordinator.staff', DEMO_PASSWORD)
  setup.orgs = await orgsByCode(coord)
  const cat = await classifyMatters(coord, ['xincheng'], '2026-11-24')
  setup.matter = pick(cat.at.xincheng, (e) => e.competent.kind === 'county_department', 'competent to a county department in xincheng').matter
  setup.C = setup.orgs[pick(cat.at.xincheng, (e) => e.competent.kind === 'county_department', '').competent.code]
  const officer = await api(nginx.url).login('xincheng.officer', DEMO_PASSWORD)
  setup.file = await uploadFile(nginx.url, officer, { bytes: pdfBytes(`cluster ${RUN_ID}`) })
})

after(async () => {
  await Promise.all(inst.map(stopInstance))
  if (nginx?.child && nginx.child.exitCode === null) {
    nginx.child.kill('SIGQUIT')
    const timer = setTimeout(() => nginx.child.kill('SIGKILL'), 5_000)
    await nginx.exited
    clearTimeout(timer)
  }
  await db?.drop().catch(() => {})
  if (tmp) await rm(tmp, { recursive: true, force: true })
})

function missedDuties() {
  return psql(`SELECT id, kind, notified_level, yellow_at, due_at FROM duties WHERE state = 1 AND ` +
    `((due_at <= ${clockMs} AND notified_level < 2) OR (yellow_at <= ${clockMs} AND notified_level < 1))`, db.name)
    .then((t) => t.trim())
}

function context() {
  const logs = inst.map((it) => `--- ${it.name} (port ${it.port}) output:\n${tail(it.log, 1500)}`).join('\n')
  return `\n--- timeline:\n${timeline.join('\n')}\n${logs}`
}

test('referrals driven through nginx while each instance is killed (SIGKILL) and restarted in turn', async () => {
  t0Run = Date.now()
  note('workload starts')
  const stopAt = Date.now() + RUN_MS
  const workers = Array.from({ length: WORKERS }, (_, w) => workerLoop(w, stopAt))
  const controller = (async () => {
    const plan = [
      [4_000, () => killInstance(0)],
      [7_000, () => startInstance(0)],
      [11_000, () => killInstance(1)],
      [14_000, () => startInstance(1)],
    ]
    let nextClock = CLOCK_STEP_MS
    while (Date.now() < stopAt) {
      const elapsed = Date.now() - t0Run
      if (plan.length && elapsed >= plan[0][0]) {
        await plan.shift()[1]()
        continue
      }
      if (elapsed >= nextClock) {
        clockMs += CLOCK_STEP
        await pushClock()
        note(`clock → ${shanghai(clockMs)}`)
        nextClock += CLOCK_STEP_MS
      }
      await sleep(50)
    }
  })()
  await Promise.all([...workers, controller])
  note(`workload ends: ${ops.length} writes`)
  // Both instances run; their clocks agree; let the sweepers catch up with the final time.
  await pushClock()
  await sleep(1_500)

  const failed = ops.filter((o) => o.outcome === 'failed')
  assert.deepEqual(failed, [], `writes that never succeeded despite retries:${context()}`)
  const refused = ops.filter((o) => o.outcome === 'refused')
  assert.deepEqual(refused, [], `writes refused (4xx) — a retry must replay, not refuse:${context()}`)
  const acked = ops.filter((o) => o.outcome === 'ack')
  for (const op of ['create', 'submit', 'approve', 'receive', 'accept']) {
    assert.ok(acked.some((o) => o.op === op), `no ${op} was acknowledged (${acked.length} acknowledged writes)${context()}`)
  }
  console.log(`# ${ops.length} writes (${acked.length} acknowledged, ${ops.filter((o) => o.outcome === 'lost').length} ` +
    `response lost), ${seen5xx.length} 5xx seen and retried; ${timeline.length} events`)
})

test('every acknowledged write is there exactly once; no referral was created twice', async () => {
  const rows = (await psql(`SELECT id, state, COALESCE(number, ''), substring(facts from '${RUN_ID}-w[0-9]+-n[0-9]+') FROM referrals ` +
    `WHERE facts LIKE '%${RUN_ID}%' ORDER BY id`, db.name)).trim().split('\n').filter(Boolean).map((l) => l.split('|'))
  const byMarker = new Map()
  for (const [id, state, number, marker] of rows) {
    assert.ok(!byMarker.has(marker), `referral "${marker}" exists twice: ${byMarker.get(marker)?.id} and ${id}`)
    byMarker.set(marker, { id: Number(id), state: Number(state), number })
  }
  const docs = (await psql(`SELECT referral_id, kind, count(*) FROM documents WHERE referral_id IS NOT NULL GROUP BY 1, 2`, db.name))
    .trim().split('\n').filter(Boolean).map((l) => l.split('|').map(Number))
  const docCount = new Map(docs.map(([r, k, n]) => [`${r}/${k}`, n]))
  for (const [r, k, n] of docs) assert.equal(n, 1, `referral ${r} has ${n} documents of kind ${k}`)

  const api = (id) => fetch(`${nginx.url}/api/v1/referrals/${id}`, { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.json())
  for (const o of ops.filter((x) => x.outcome === 'ack')) {
    if (o.op === 'create') {
      const got = byMarker.get(o.ref)
      assert.ok(got, `acknowledged create ${o.ref} (id ${o.json.id}) is missing`)
      assert.equal(got.id, o.json.id, `create ${o.ref}: acknowledged id ${o.json.id}, stored ${got.id}`)
      continue
    }
    const r = await api(o.ref)
    assert.ok(r.id === o.ref, `referral ${o.ref}: ${JSON.stringify(r).slice(0, 300)}`)
    const docsOf = (kind) => r.documents.filter((d) => d.kind === kind)
    if (o.op === 'submit') assert.notEqual(r.state, 'draft', `acknowledged submit of ${o.ref} is lost`)
    if (o.op === 'approve') {
      assert.equal(r.number, o.json.number, `acknowledged approve of ${o.ref}: number ${o.json.number}, stored ${r.number}`)
      assert.equal(docsOf('referral_letter').length, 1, `referral ${o.ref}: ${JSON.stringify(r.documents)}`)
    }
    if (o.op === 'receive') assert.ok(['received', 'accepted'].includes(r.state), `acknowledged receive of ${o.ref}: ${r.state}`)
    if (o.op === 'accept') {
      assert.equal(r.state, 'accepted', `acknowledged accept of ${o.ref}: ${r.state}`)
      assert.equal(docsOf('acceptance_notice').length, 1, `referral ${o.ref}: ${JSON.stringify(r.documents)}`)
    }
  }
  assert.ok(docCount.size > 0)
})

test('document numbers per org, kind and year are unique and gap-free', async () => {
  const rows = (await psql(`SELECT org_id, kind, year, string_agg(serial::text, ',' ORDER BY serial), ` +
    `count(DISTINCT number), count(*) FROM documents GROUP BY 1, 2, 3`, db.name)).trim().split('\n').filter(Boolean)
  assert.ok(rows.length >= 2, `expected letters and acceptance notices, got ${rows.join(' / ')}`)
  for (const row of rows) {
    const [org, kind, year, serials, distinct, total] = row.split('|')
    const got = serials.split(',').map(Number)
    const want = Array.from({ length: got.length }, (_, i) => i + 1)
    assert.deepEqual(got, want, `org ${org} kind ${kind} year ${year}: serials are not 1..${got.length}`)
    assert.equal(distinct, total, `org ${org} kind ${kind} year ${year}: duplicate numbers`)
  }
  // Each acknowledged number is one of them, with the right prefix.
  for (const o of ops.filter((x) => x.outcome === 'ack' && x.op === 'approve')) {
    assert.equal(prefixOf(o.json.number), `${setup.orgs.xincheng.doc_prefix}移`, o.json.number)
  }
})

test('no duplicate notifications; each duty warned at most once per colour by the two sweepers, none missed', async () => {
  const dupNotes = (await psql(`SELECT user_id, kind, object_type, object_id, count(*) FROM notifications ` +
    `GROUP BY 1, 2, 3, 4 HAVING count(*) > 1`, db.name)).trim()
  assert.equal(dupNotes, '', `the same notification twice (user|kind|type|object|count):\n${dupNotes}`)
  const dupEvents = (await psql(`SELECT duty_id, kind, new_due, count(*) FROM duty_events WHERE kind IN ('yellow', 'red') ` +
    `GROUP BY 1, 2, 3 HAVING count(*) > 1`, db.name)).trim()
  assert.equal(dupEvents, '', `a duty turned the same colour twice (duty|colour|due|count):\n${dupEvents}`)
  const dupAudit = (await psql(`SELECT object_id, action, count(*) FROM audit WHERE action LIKE 'duty.colour.%' ` +
    `GROUP BY 1, 2 HAVING count(*) > 1`, db.name)).trim()
  assert.equal(dupAudit, '', `duty colour audited twice:\n${dupAudit}`)
  const colours = (await psql(`SELECT kind, count(*) FROM duty_events WHERE kind IN ('yellow', 'red') GROUP BY 1 ORDER BY 1`, db.name)).trim()
  assert.match(colours, /red\|\d+/, `no duty turned red during the run: ${colours}`)
  assert.match(colours, /yellow\|\d+/, `no duty turned yellow during the run: ${colours}`)
  // None missed: at the final clock every open duty past its yellow/due instant was warned, and
  // each warned duty's warning reached someone.
  let missed = ''
  for (let i = 0; i < 50; i++) { // the sweepers run every 0.2 s; give them up to 10 s to catch up
    missed = await missedDuties()
    if (missed === '') break
    await sleep(200)
  }
  assert.equal(missed, '', `duties the sweepers missed (id|kind|level|yellow|due) at ${shanghai(clockMs)}:\n${missed}`)
  const silent = (await psql(`SELECT e.duty_id, e.kind FROM duty_events e WHERE e.kind IN ('yellow', 'red') AND NOT EXISTS ` +
    `(SELECT 1 FROM notifications n WHERE n.object_type = 'duty' AND n.object_id = e.duty_id::text AND n.kind = 'duty.' || e.kind)`, db.name)).trim()
  assert.equal(silent, '', `colour changes without a notification (duty|colour):\n${silent}`)
  console.log(`# duty colour changes: ${colours.replace(/\n/g, ', ')}`)
})

test('sessions were served by both instances; the CLI-issued API token works on each', async () => {
  // Through nginx, the clients' sessions were served by both instances (round robin; a client
  // that ran mostly while one instance was down may have seen only one).
  assert.ok(upstreamsBySession.size >= WORKERS * 3, `clients seen: ${upstreamsBySession.size}`)
  const both = [...upstreamsBySession].filter(([, u]) => u.ups.size >= 2)
  assert.ok(both.length >= upstreamsBySession.size / 2, 'most sessions should have been served by both instances: ' +
    [...upstreamsBySession].map(([l, u]) => `${l}: ${u.count} requests on ${[...u.ups].join(' ')}`).join('; '))
  // And directly: every session (signed in through nginx, on either instance) works on each.
  for (const c of clients) {
    await c.call('GET', '/api/v1/me') // signs in again if the moving clock expired the session
    for (const it of inst) {
      const res = await fetch(`http://127.0.0.1:${it.port}/api/v1/me`, { headers: { Cookie: c.cookie } })
      const text = await res.text()
      assert.equal(res.status, 200, `session of ${c.label} on ${it.name}: HTTP ${res.status} ${text}`)
      assert.match(text, new RegExp(c.username.replace('.', '\\.')), `session of ${c.label} on ${it.name}: ${text}`)
    }
  }
  for (const it of inst) {
    const res = await fetch(`http://127.0.0.1:${it.port}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } })
    const text = await res.text()
    assert.equal(res.status, 200, `token on ${it.name}: HTTP ${res.status} ${text}`)
    assert.match(text, /xincheng\.leader/, `token on ${it.name}: ${text}`)
  }
})

test('`xietong audit verify` passes on the shared database', async () => {
  const v = await xt(['audit', 'verify', '--db', db.url])
  assert.equal(v.code, 0, `audit verify:\n${v.stdout}${v.stderr}`)
})
