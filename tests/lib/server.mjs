// Starts a real xietong server for a test, on a fresh SQLite database with the demo county.
//
//   import { startServer, api } from '../lib/server.mjs'
//   const server = await startServer({ fakeClock: '2026-11-25T09:00:00+08:00' })
//   const officer = await api(server.url).login('xincheng.officer', server.password)
//   const { status, json } = await officer.get('/api/v1/duties?scope=org')
//   await server.stop()
//
// Backend: XT_DB_BACKEND=sqlite (default) or postgres. For postgres, each startServer() creates a
// fresh database on the PostgreSQL server named by XT_PG_DSN ("host=DIR port=P user=postgres
// dbname=postgres", as scripts/pg prints it; `make test` exports it), runs the server on
// `postgres://USER@/DB?host=DIR&port=P` and drops the database on stop(). server.db is the
// --db URL either way; server.dbPath stays a path so that suites written for SQLite
// (`--db sqlite:${server.dbPath}` through xt() of tests/http/lib/util.mjs) reach the same
// database: dbUrlOf(path) maps it to the PostgreSQL URL. Without XT_PG_DSN the postgres backend
// fails loudly at import, or exits with code 77 (CTest "skipped") when XT_ALLOW_NO_PG=1.
//
// XT_BIN names the server binary (default <repo>/build/src/cli/xietong); the web UI is served
// from <repo>/web/dist (build it with `npm run build` in web/, or let CMake's web_ui target do it).
import { spawn } from 'node:child_process'
import { mkdtemp, rm, access } from 'node:fs/promises'
import { constants as fsConstants } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkResponse } from '../http/lib/contract.mjs'

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const XT_BIN = process.env.XT_BIN || join(REPO_ROOT, 'build', 'src', 'cli', 'xietong')
export const WEB_ROOT = process.env.XT_WEB_ROOT || join(REPO_ROOT, 'web', 'dist')
export const DEMO_PASSWORD = 'Demo#2026'

export const DB_BACKEND = process.env.XT_DB_BACKEND || 'sqlite'
if (DB_BACKEND !== 'sqlite' && DB_BACKEND !== 'postgres') {
  throw new Error(`XT_DB_BACKEND must be sqlite or postgres, not ${DB_BACKEND}`)
}
/** Exit code by which a suite tells CTest it was skipped (SKIP_RETURN_CODE in tests/CMakeLists.txt). */
export const SKIP_EXIT_CODE = 77
if (DB_BACKEND === 'postgres' && !process.env.XT_PG_DSN) {
  if (process.env.XT_ALLOW_NO_PG === '1') {
    console.log('SKIPPED: XT_DB_BACKEND=postgres but XT_PG_DSN is not set (XT_ALLOW_NO_PG=1)')
    process.exit(SKIP_EXIT_CODE)
  }
  throw new Error('XT_DB_BACKEND=postgres needs XT_PG_DSN (run through `make test`, or eval "$(scripts/pg start)"); ' +
    'set XT_ALLOW_NO_PG=1 to skip the PostgreSQL variants instead')
}

/** The parts of XT_PG_DSN ("key=value ..."): { host, port, user, dbname }. */
export function pgServer(dsn = process.env.XT_PG_DSN) {
  const out = { host: '', port: '', user: 'postgres', dbname: 'postgres' }
  for (const m of String(dsn ?? '').matchAll(/(\w+)\s*=\s*('(?:[^'\\]|\\.)*'|\S+)/g)) {
    let v = m[2]
    if (v.startsWith("'")) v = v.slice(1, -1).replace(/\\(.)/g, '$1')
    out[m[1]] = v
  }
  return out
}

/** The --db URL of database `name` on the XT_PG_DSN server. */
export function pgUrl(name, server = pgServer()) {
  const q = new URLSearchParams()
  if (server.host) q.set('host', server.host)
  if (server.port) q.set('port', server.port)
  return `postgres://${encodeURIComponent(server.user)}@/${encodeURIComponent(name)}?${q}`
}

/** Runs SQL with psql on database `name` (default: the maintenance database); resolves its output. */
export function psql(sql, name, { timeoutMs = 60_000 } = {}) {
  const s = pgServer()
  const conn = `host=${s.host} port=${s.port} user=${s.user} dbname=${name ?? s.dbname}`
  return run('psql', [conn, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql], { timeoutMs })
}

let pgCounter = 0
/** Creates a fresh, empty database; resolves { name, url, drop() }. */
export async function createPgDatabase(prefix = 'xt_test') {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${pgCounter++}`
  await psql(`CREATE DATABASE "${name}"`)
  return {
    name,
    url: pgUrl(name),
    drop: () => psql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  }
}

const dbUrls = new Map() // dbPath of a running postgres-backed server → its --db URL
/** The --db URL for a database path a suite holds: the PostgreSQL URL of a postgres-backed server, else sqlite:PATH. */
export function dbUrlOf(dbPath) {
  return dbUrls.get(dbPath) ?? `sqlite:${dbPath}`
}

const START_TIMEOUT_MS = 20_000
const STOP_TIMEOUT_MS = 10_000
const LISTENING = /listening on http:\/\/127\.0\.0\.1:(\d+)/

/** Runs a command to completion; rejects with its output if it exits non-zero. */
function run(cmd, args, { timeoutMs = 60_000 } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) resolvePromise(out)
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code ?? signal}:\n${out}`))
    })
  })
}

async function mustExist(path, hint) {
  try {
    await access(path, fsConstants.F_OK)
  } catch {
    throw new Error(`${path} not found: ${hint}`)
  }
}

/**
 * Makes a temp dir, migrates a database (SQLite there, or a fresh PostgreSQL one: see the top), loads the demo county (every demo user's
 * password is DEMO_PASSWORD), and starts `xietong serve` on a free port.
 * Options: fakeClock (RFC 3339 string or Date) passed as --fake-clock; extraArgs appended;
 * demoArgs appended to `demo load` (e.g. ['--city'] for Yunfu City, issue 19).
 * Returns { url, port, db, backend, dbPath, tmpDir, password, output(), stop() }.
 */
export async function startServer({ fakeClock, extraArgs = [], demoArgs = [] } = {}) {
  await mustExist(XT_BIN, 'build the server first (cmake --build build) or set XT_BIN')
  await mustExist(join(WEB_ROOT, 'index.html'), 'build the web UI first (cd web && npm ci && npm run build)')

  const tmpDir = await mkdtemp(join(tmpdir(), 'xt-test-'))
  const dbPath = join(tmpDir, 'xt.db')
  let db = `sqlite:${dbPath}`
  let pgDb = null
  async function cleanup() {
    dbUrls.delete(dbPath)
    if (pgDb) await pgDb.drop().catch(() => {}) // the throwaway server goes anyway
    await rm(tmpDir, { recursive: true, force: true })
  }
  try {
    if (DB_BACKEND === 'postgres') {
      pgDb = await createPgDatabase()
      db = pgDb.url
      dbUrls.set(dbPath, db)
    }
    await run(XT_BIN, ['migrate', '--db', db])
    await run(XT_BIN, ['demo', 'load', '--db', db, '--password', DEMO_PASSWORD, ...demoArgs])
  } catch (e) {
    await cleanup()
    throw e
  }

  const args = ['serve', '--db', db, '--listen', '127.0.0.1:0', '--web-root', WEB_ROOT, '--test-mode']
  if (fakeClock) {
    args.push('--fake-clock', fakeClock instanceof Date ? fakeClock.toISOString() : String(fakeClock))
  }
  args.push(...extraArgs)

  const child = spawn(XT_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  const exited = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal })))

  let port
  try {
    port = await new Promise((resolvePromise, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`xietong serve did not report "listening on" within ${START_TIMEOUT_MS / 1000} s`)),
        START_TIMEOUT_MS,
      )
      // The line is expected on stdout; a logger writing it to stderr is accepted too.
      const look = () => {
        const m = LISTENING.exec(stdout) || LISTENING.exec(stderr)
        if (m) {
          clearTimeout(timer)
          resolvePromise(Number(m[1]))
        }
      }
      child.stdout.on('data', (d) => {
        stdout += d
        look()
      })
      child.stderr.on('data', (d) => {
        stderr += d
        look()
      })
      child.on('error', (e) => {
        clearTimeout(timer)
        reject(e)
      })
      exited.then(({ code, signal }) => {
        clearTimeout(timer)
        reject(new Error(`xietong serve exited early (${code ?? signal})`))
      })
    })
  } catch (e) {
    child.kill('SIGKILL')
    await exited
    await cleanup()
    e.message += `\n--- command: ${XT_BIN} ${args.join(' ')}\n--- stdout:\n${stdout}\n--- stderr:\n${stderr}`
    throw e
  }

  let stopped = false
  async function stop() {
    if (stopped) return
    stopped = true
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
      await exited
      clearTimeout(timer)
    }
    await cleanup()
  }

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    db,
    backend: DB_BACKEND,
    dbPath,
    tmpDir,
    password: DEMO_PASSWORD,
    /** What the server printed so far (for failure messages). */
    output: () => ({ stdout, stderr }),
    stop,
    /** kill -9, keeping the database (crash tests restart on it with serveDb); cleanup() removes it. */
    async crash() {
      stopped = true
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    },
    cleanup,
  }
}

// ---------------------------------------------------------------------------------------------
// A small HTTP client for API tests.

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

function makeClient(baseUrl, { cookies = null, token = null, csrf = null } = {}) {
  const jar = cookies // Map name → value, or null for no cookies
  const state = { csrf }

  async function request(method, path, body, { headers = {} } = {}) {
    const h = { Accept: 'application/json', ...headers }
    if (body !== undefined) h['Content-Type'] = 'application/json'
    if (jar && jar.size) h.Cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
    if (token) h.Authorization = `Bearer ${token}`
    if (UNSAFE.has(method) && state.csrf) h['X-CSRF-Token'] = state.csrf
    const res = await fetch(new URL(path, baseUrl), {
      method,
      headers: h,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      redirect: 'manual',
    })
    if (jar) {
      for (const line of res.headers.getSetCookie()) {
        const [pair, ...attrs] = line.split(';')
        const i = pair.indexOf('=')
        const name = pair.slice(0, i).trim()
        const value = pair.slice(i + 1).trim()
        const expired = attrs.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a)) || value === ''
        if (expired) jar.delete(name)
        else jar.set(name, value)
      }
    }
    const text = await res.text()
    let json = null
    if (text && (res.headers.get('content-type') || '').includes('json')) {
      try {
        json = JSON.parse(text)
      } catch {
        json = null
      }
    }
    if (json && typeof json === 'object' && typeof json.csrf_token === 'string') state.csrf = json.csrf_token
    const out = { status: res.status, json, text, headers: res.headers }
    checkResponse(method, path, out) // the response schema of openapi.json (tests/http/lib/contract.mjs)
    return out
  }

  return {
    get: (path, opts) => request('GET', path, undefined, opts),
    post: (path, body, opts) => request('POST', path, body, opts),
    put: (path, body, opts) => request('PUT', path, body, opts),
    patch: (path, body, opts) => request('PATCH', path, body, opts),
    del: (path, body, opts) => request('DELETE', path, body, opts),
    request,
    get csrfToken() {
      return state.csrf
    },
    get cookies() {
      return jar ? new Map(jar) : null
    },
  }
}

/**
 * api(url).login(username, password) → a client that keeps the session cookie and sends the
 * CSRF token on unsafe methods; throws when the login is refused (the error carries .status and
 * .json). api(url).bearer(token) → a client sending `Authorization: Bearer` and no cookies.
 * api(url).anonymous() → a client that keeps cookies but has signed in as nobody.
 * Every method returns { status, json, text, headers }.
 */
export function api(baseUrl) {
  return {
    async login(username, password) {
      const client = makeClient(baseUrl, { cookies: new Map() })
      const res = await client.post('/api/v1/auth/login', { username, password })
      if (res.status !== 200) {
        const err = new Error(`login as ${username} failed: HTTP ${res.status} ${res.text}`)
        err.status = res.status
        err.json = res.json
        throw err
      }
      client.user = res.json.user
      return client
    },
    bearer(token) {
      return makeClient(baseUrl, { token })
    },
    anonymous() {
      return makeClient(baseUrl, { cookies: new Map() })
    },
  }
}
