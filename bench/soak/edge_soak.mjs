// Memory under hostile input (issue 15 finding 8): a fresh demo database, `xietong serve`, and for
// --minutes a mix of mutated raw requests (flipped/inserted/deleted bytes, junk methods, random
// paths and query strings, random Idempotency-Key / X-Request-Id / X-Forwarded-For, bogus
// Transfer-Encoding, oversized headers, truncated bodies, abrupt resets, pipelining) and valid
// signed-in traffic (reads, event streams opened and dropped). The server's RSS (VmRSS) is
// sampled every --sample-s; at the end the script compares the mean RSS of the last quarter of
// the run with the mean of the first samples after --warmup-s and fails (exit 1) when it kept
// climbing beyond --max-growth-mb. With an ASan/LSan build (bench/soak/README.md) the server is
// stopped with SIGTERM so LeakSanitizer reports at exit; any sanitizer report fails the run.
//
//   node bench/soak/edge_soak.mjs --bin build/src/cli/xietong --minutes 10
//   node bench/soak/edge_soak.mjs --bin build-asan/src/cli/xietong --minutes 5 --max-growth-mb 64
//   node bench/soak/edge_soak.mjs --minutes 3 --preload /usr/lib/x86_64-linux-gnu/liblsan.so.0
//
// Not a test: nothing in `make test` runs it (it takes minutes and measures the machine).
import { spawn, execFileSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import net from 'node:net'

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
)
const BIN = resolve(args.bin ?? 'build/src/cli/xietong')
const MINUTES = Number(args.minutes ?? 5)
const CONC = Number(args.conc ?? 24)
const SAMPLE_S = Number(args['sample-s'] ?? 10)
const WARMUP_S = Number(args['warmup-s'] ?? Math.min(60, MINUTES * 60 * 0.25))
const MAX_GROWTH_MB = Number(args['max-growth-mb'] ?? 24)
const PASSWORD = 'Demo#2026'
const SEED = Number(args.seed ?? 15)

// A small deterministic PRNG (mulberry32), so runs are comparable.
let state = SEED >>> 0
function rnd() {
  state = (state + 0x6d2b79f5) >>> 0
  let t = state
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const int = (n) => Math.floor(rnd() * n)
const oneOf = (xs) => xs[int(xs.length)]
const hex = (n) => Array.from({ length: n }, () => '0123456789abcdef'[int(16)]).join('')

function rssKb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
  } catch {
    return 0
  }
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'xt-soak-'))
  const db = `sqlite:${join(dir, 'xt.db')}`
  execFileSync(BIN, ['migrate', '--db', db], { stdio: 'ignore' })
  execFileSync(BIN, ['demo', 'load', '--db', db, '--password', PASSWORD], { stdio: 'ignore' })
  const stderrPath = join(dir, 'serve.stderr')
  const child = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--web-root', args['web-root'] ?? 'web/dist',
    '--access-log', 'off', '--test-mode', '--session-recheck-ms', '1000'],
  // --preload: a sanitizer runtime for the server only, e.g. LeakSanitizer on a Release build
  // (--preload /usr/lib/x86_64-linux-gnu/liblsan.so.0); not for this script's node.
  { stdio: ['ignore', 'pipe', 'pipe'], env: args.preload ? { ...process.env, LD_PRELOAD: args.preload } : process.env })
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += d))
  const exited = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal })))
  const port = await new Promise((ok, fail) => {
    let out = ''
    child.stdout.on('data', (d) => {
      out += d
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)
      if (m) ok(Number(m[1]))
    })
    exited.then(() => fail(new Error(`serve exited early:\n${stderr}`)))
  })
  const url = `http://127.0.0.1:${port}`

  // Valid sessions to mix in (and to give mutated requests real cookies).
  const sessions = []
  for (const u of ['xincheng.officer', 'scjg.leader', 'coordinator.staff', 'admin']) {
    const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: u, password: PASSWORD }) })
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('xt_session='))?.split(';')[0]
    const { csrf_token: csrf } = await res.json()
    sessions.push({ cookie, csrf })
  }

  const PATHS = ['/api/v1/me', '/api/v1/referrals', '/api/v1/referrals?state=sent&page=2', '/api/v1/notifications',
    '/api/v1/duties', '/api/v1/orgs', '/api/v1/audit', '/healthz', '/metrics', '/', '/login', '/assets/none.js',
    '/api/v1/documents/1', '/api/v1/files/abc', '/api/v1/collab-items', '/api/v1/calendar/days?from=2026-01-01&to=2026-12-31']
  const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT', 'PRI', 'FOO', 'get', 'G\x00T']

  function template() {
    const s = oneOf(sessions)
    const method = rnd() < 0.8 ? oneOf(['GET', 'POST', 'PATCH']) : oneOf(METHODS)
    let path = rnd() < 0.7 ? oneOf(PATHS) : `/api/v1/${hex(int(12) + 1)}/${int(1e9)}?${hex(4)}=${'%'.repeat(int(3))}${hex(int(40))}`
    if (rnd() < 0.05) path = '/' + 'a'.repeat(int(20000))
    const body = method === 'GET' ? '' : rnd() < 0.5 ? JSON.stringify({ name: hex(int(50)), n: int(1e6), nested: [[[{ a: hex(8) }]]] }) : '{"a":' .repeat(int(60))
    const h = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1']
    if (rnd() < 0.7) h.push(`Cookie: ${s.cookie}`)
    if (rnd() < 0.5) h.push(`X-CSRF-Token: ${s.csrf}`)
    if (rnd() < 0.3) h.push(`Idempotency-Key: ${hex(32)}`)
    if (rnd() < 0.3) h.push(`X-Request-Id: ${hex(int(80))}`)
    if (rnd() < 0.3) h.push(`X-Forwarded-For: ${int(256)}.${int(256)}.${int(256)}.${int(256)}`)
    if (rnd() < 0.2) h.push(`Authorization: Bearer ${hex(64)}`)
    if (rnd() < 0.1) h.push(oneOf(['Transfer-Encoding: xchunked', 'Transfer-Encoding: chunked, identity', 'Transfer-Encoding: chunked']))
    if (rnd() < 0.05) h.push(`X-Big: ${'x'.repeat(int(40000))}`)
    if (rnd() < 0.1) h.push('Expect: 100-continue')
    if (rnd() < 0.1) h.push('Accept-Language: en')
    if (body) {
      h.push('Content-Type: application/json')
      h.push(`Content-Length: ${rnd() < 0.9 ? Buffer.byteLength(body) : int(100000)}`)
    }
    let big = ''
    if (rnd() < 0.02) {
      // A large body (up to 4 MiB, sometimes beyond --max-body-bytes of the server under test).
      big = 'x'.repeat(int(4 << 20))
      h.push('Content-Type: application/json', `Content-Length: ${big.length}`)
      return Buffer.from(h.join('\r\n') + '\r\n\r\n' + big, 'latin1')
    }
    if (rnd() < 0.5) h.push('Connection: close')
    return Buffer.from(h.join('\r\n') + '\r\n\r\n' + body, 'latin1')
  }

  function mutate(buf) {
    const b = Array.from(buf)
    const n = int(4)
    for (let i = 0; i < n && b.length; i++) {
      const at = int(b.length)
      switch (int(4)) {
        case 0: b[at] = int(256); break
        case 1: b.splice(at, 0, ...Array.from({ length: int(8) + 1 }, () => int(256))); break
        case 2: b.splice(at, int(16) + 1); break
        default: b.splice(at, 0, ...b.slice(at, at + int(64)))
      }
    }
    return Buffer.from(b)
  }

  let requests = 0
  let stop = false
  function shot() {
    return new Promise((done) => {
      const sock = net.connect({ host: '127.0.0.1', port })
      const finish = () => {
        sock.destroy()
        done()
      }
      sock.on('error', finish)
      sock.on('close', finish)
      sock.setTimeout(3000, finish)
      sock.on('data', () => {})
      sock.once('connect', () => {
        const pipelined = 1 + (rnd() < 0.2 ? int(4) : 0)
        for (let i = 0; i < pipelined; i++) {
          const t = template()
          sock.write(rnd() < 0.6 && t.length < 65536 ? mutate(t) : t)
          requests++
        }
        if (rnd() < 0.15) setTimeout(() => sock.resetAndDestroy?.() ?? sock.destroy(), int(50))
        else if (rnd() < 0.5) sock.end()
      })
    })
  }
  async function valid() {
    const s = oneOf(sessions)
    if (rnd() < 0.1) {
      // An event stream opened and dropped.
      const ac = new AbortController()
      const res = await fetch(`${url}/api/v1/events`, { headers: { Cookie: s.cookie }, signal: ac.signal }).catch(() => null)
      await new Promise((r) => setTimeout(r, int(300)))
      ac.abort()
      await res?.body?.cancel().catch(() => {})
    } else {
      const res = await fetch(`${url}${oneOf(PATHS.slice(0, 8))}`, { headers: { Cookie: s.cookie } }).catch(() => null)
      await res?.arrayBuffer().catch(() => {})
    }
    requests++
  }
  const workers = Array.from({ length: CONC }, async (_, i) => {
    while (!stop) await (i % 4 === 0 ? valid() : shot()).catch(() => {})
  })

  const samples = []
  const t0 = Date.now()
  console.log(`soak: ${BIN} pid ${child.pid}, ${MINUTES} min, ${CONC} clients, sample every ${SAMPLE_S} s, warm-up ${WARMUP_S} s`)
  console.log('t_s\trss_mb\trequests')
  while (Date.now() - t0 < MINUTES * 60_000) {
    await new Promise((r) => setTimeout(r, SAMPLE_S * 1000))
    const t = (Date.now() - t0) / 1000
    const rss = rssKb(child.pid) / 1024
    samples.push({ t, rss })
    console.log(`${t.toFixed(0)}\t${rss.toFixed(1)}\t${requests}`)
    if (child.exitCode !== null || child.signalCode !== null) break
  }
  stop = true
  await Promise.race([Promise.all(workers), new Promise((r) => setTimeout(r, 5000))])
  const health = await fetch(`${url}/healthz`).then((r) => r.status).catch(() => 0)
  child.kill('SIGTERM')
  const { code, signal } = await Promise.race([exited, new Promise((r) => setTimeout(() => r({ code: 'timeout' }), 30_000))])
  await writeFile(join(dir, 'serve.stderr'), stderr)

  const after = samples.filter((s) => s.t >= WARMUP_S)
  const early = after.slice(0, Math.max(1, Math.floor(after.length / 4)))
  const late = after.slice(-Math.max(1, Math.floor(after.length / 4)))
  const mean = (xs) => xs.reduce((a, s) => a + s.rss, 0) / Math.max(1, xs.length)
  const growth = mean(late) - mean(early)
  const sanitizer = /(ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:)/.test(stderr)
  console.log(`requests ${requests}; /healthz at the end ${health}; server exit ${code ?? signal}`)
  console.log(`RSS after warm-up: first quarter ${mean(early).toFixed(1)} MB, last quarter ${mean(late).toFixed(1)} MB, growth ${growth.toFixed(1)} MB (limit ${MAX_GROWTH_MB})`)
  if (sanitizer) console.log(`sanitizer report:\n${stderr.split('\n').filter((l) => /Sanitizer|#\d+ 0x|SUMMARY/.test(l)).slice(0, 60).join('\n')}`)
  const ok = growth <= MAX_GROWTH_MB && !sanitizer && health === 200 && code === 0
  console.log(ok ? 'soak: OK' : 'soak: FAILED')
  if (ok) await rm(dir, { recursive: true, force: true })
  else console.log(`kept ${dir} (serve.stderr)`)
  process.exit(ok ? 0 : 1)
}

main().catch((e) => {
  console.error(e)
  process.exit(2)
})
