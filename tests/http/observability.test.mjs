// Observability (issue 18): a request id on every response (a sane incoming X-Request-Id is
// echoed, anything else replaced) and on the log lines of that request (access log and the
// server's own log, text and --log-format json); /readyz (database reachable, schema current:
// 503 otherwise) apart from /healthz (liveness).
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { rename } from 'node:fs/promises'
import { startServer, api, psql, DB_BACKEND } from '../lib/server.mjs'

const servers = []
after(async () => {
  for (const s of servers) await s.stop().catch(() => {})
})

async function start(extraArgs = []) {
  const s = await startServer({ extraArgs })
  servers.push(s)
  return s
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** The server's output lines (stdout and stderr) once they mention `needle`. */
async function linesWith(srv, needle) {
  for (let i = 0; i < 50; i++) {
    const { stdout, stderr } = srv.output()
    const lines = (stdout + '\n' + stderr).split('\n').filter(Boolean)
    if (lines.filter((l) => l.includes(needle)).length >= 2) return lines
    await sleep(100)
  }
  const { stdout, stderr } = srv.output()
  return (stdout + '\n' + stderr).split('\n').filter(Boolean)
}

/** The PostgreSQL database name of a server's postgres://user@/NAME?host=… URL. */
const dbName = (srv) => decodeURIComponent(/^postgres(?:ql)?:\/\/[^/]*\/([^?]+)/.exec(srv.db)[1])

function sqlOn(srv, sql) {
  if (DB_BACKEND === 'postgres') {
    const name = dbName(srv)
    return psql(sql, name)
  }
  return new Promise((resolve, reject) => {
    // The server writes too (sweeper, delivery worker): wait for its lock rather than fail BUSY (5).
    const child = spawn('sqlite3', ['-cmd', '.timeout 10000', srv.dbPath, sql], { stdio: 'ignore' })
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`sqlite3 exited ${code}`))))
  })
}

test('X-Request-Id: a sane incoming id is echoed, a missing or unsafe one replaced by a generated id', async () => {
  const srv = await start()
  const echo = await fetch(new URL('/api/v1/me', srv.url), { headers: { 'X-Request-Id': 'obs-echo.1_A' } })
  assert.equal(echo.status, 401)
  assert.equal(echo.headers.get('x-request-id'), 'obs-echo.1_A')
  const none = await fetch(new URL('/healthz', srv.url))
  const generated = none.headers.get('x-request-id')
  assert.match(generated ?? '', /^[A-Za-z0-9._-]{8,64}$/)
  const other = await fetch(new URL('/healthz', srv.url))
  assert.notEqual(other.headers.get('x-request-id'), generated, 'a new id per request')
  for (const bad of ['has space', 'x'.repeat(65), 'semi;colon']) {
    const res = await fetch(new URL('/healthz', srv.url), { headers: { 'X-Request-Id': bad } })
    const id = res.headers.get('x-request-id')
    assert.notEqual(id, bad)
    assert.match(id ?? '', /^[A-Za-z0-9._-]{8,64}$/)
  }
  // Static files, 404s and errors carry it too.
  const missing = await fetch(new URL('/api/v1/no-such-route', srv.url), { headers: { 'X-Request-Id': 'obs-404' } })
  assert.equal(missing.headers.get('x-request-id'), 'obs-404')
})

test('the request id is on the access log line and on the server log lines of that request (text)', async () => {
  const srv = await start()
  const res = await fetch(new URL('/api/v1/auth/login', srv.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'obs-text-login' },
    body: JSON.stringify({ username: 'admin', password: 'wrong password' }),
  })
  assert.equal(res.status, 401)
  const lines = await linesWith(srv, 'obs-text-login')
  const mine = lines.filter((l) => l.includes('obs-text-login'))
  const access = mine.find((l) => l.startsWith('{'))
  assert.ok(access, `an access-log line:\n${lines.join('\n')}`)
  assert.equal(JSON.parse(access).request_id, 'obs-text-login')
  const log = mine.find((l) => !l.startsWith('{'))
  assert.ok(log, `a server log line names the request:\n${lines.join('\n')}`)
  assert.match(log, /\[request_id=obs-text-login\] auth: sign-in refused/)
  assert.doesNotMatch(log, /wrong password/, 'never the password')
})

test('--log-format json: every log line is a JSON object; the request id is a field', async () => {
  const srv = await start(['--log-format', 'json'])
  const res = await fetch(new URL('/api/v1/auth/login', srv.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'obs-json-login' },
    body: JSON.stringify({ username: 'admin', password: 'wrong password' }),
  })
  assert.equal(res.status, 401)
  await (await api(srv.url).login('admin', srv.password)).get('/api/v1/me')
  const lines = await linesWith(srv, 'obs-json-login')
  const parsed = []
  for (const line of lines) {
    if (/^xietong: listening on /.test(line)) continue // the start-up line scripts wait for
    let obj
    assert.doesNotThrow(() => (obj = JSON.parse(line)), `not JSON: ${line}`)
    assert.equal(typeof obj, 'object')
    assert.equal(typeof obj.ts, 'string', line)
    parsed.push(obj)
  }
  const log = parsed.find((o) => o.request_id === 'obs-json-login' && o.level === 'warning')
  assert.ok(log, `a JSON server log line for the request: ${lines.join('\n')}`)
  assert.match(log.msg, /sign-in refused/)
  assert.ok(parsed.some((o) => o.request_id === 'obs-json-login' && o.status === 401), 'and its access-log line')
  assert.ok(parsed.some((o) => o.level === 'info' && /serving/.test(o.msg)), 'start-up lines too')
})

test('/readyz: 200 when ready; 503 when the schema is not this binary\'s or the database is gone; /healthz is liveness', async () => {
  const srv = await start()
  let r = await fetch(new URL('/readyz', srv.url))
  assert.equal(r.status, 200)
  let body = await r.json()
  assert.equal(body.status, 'ready')
  assert.equal(body.reason, null)
  assert.equal(body.schema_version, body.binary_schema_version)

  // Another instance's newer binary migrated further: this one is no longer ready.
  await sqlOn(srv, 'INSERT INTO schema_migrations (version, applied_at) VALUES (999, 0)')
  r = await fetch(new URL('/readyz', srv.url))
  assert.equal(r.status, 503)
  body = await r.json()
  assert.equal(body.status, 'not_ready')
  assert.equal(body.reason, 'schema_too_new')
  assert.equal(body.schema_version, 999)
  assert.equal((await fetch(new URL('/healthz', srv.url))).status, 200, 'still alive')
  await sqlOn(srv, 'DELETE FROM schema_migrations WHERE version = 999')
  assert.equal((await fetch(new URL('/readyz', srv.url))).status, 200)

  // The database goes away.
  if (DB_BACKEND === 'postgres') {
    const name = dbName(srv)
    await psql(`DROP DATABASE "${name}" WITH (FORCE)`)
    r = await fetch(new URL('/readyz', srv.url))
    assert.equal(r.status, 503)
    assert.equal((await r.json()).reason, 'database_unreachable')
  } else {
    await rename(srv.dbPath, srv.dbPath + '.moved')
    r = await fetch(new URL('/readyz', srv.url))
    assert.equal(r.status, 503)
    assert.equal((await r.json()).reason, 'database_missing')
    await rename(srv.dbPath + '.moved', srv.dbPath)
    assert.equal((await fetch(new URL('/readyz', srv.url))).status, 200)
  }
})
