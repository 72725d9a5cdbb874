// Helpers shared by the HTTP suites beyond tests/lib/server.mjs: running the CLI, starting a
// server on an existing database, raw requests, and signing in many demo users at once.
//
//   import { xt, serveDb, loginAll } from './lib/util.mjs'
//   const { code, stdout } = await xt(['calendar', 'is-workday', '2026-10-10'])
//   const srv = await serveDb(dbPath)            // on a copy made by the test
//   const clients = await loginAll(srv.url, ['admin', 'xincheng.officer'])
import { spawn } from 'node:child_process'
import { checkResponse } from './contract.mjs'
import { api, dbUrlOf, XT_BIN, WEB_ROOT, DEMO_PASSWORD } from '../../lib/server.mjs'

export { XT_BIN, WEB_ROOT, DEMO_PASSWORD }

/**
 * Runs the xietong binary with `args`; resolves { code, stdout, stderr } whatever the exit.
 * An argument `sqlite:${server.dbPath}` of a server started on PostgreSQL (XT_DB_BACKEND=postgres)
 * is replaced by that server's postgres:// URL (dbUrlOf in tests/lib/server.mjs).
 */
export function xt(args, { timeoutMs = 60_000 } = {}) {
  args = args.map((a) => (typeof a === 'string' && a.startsWith('sqlite:') ? dbUrlOf(a.slice('sqlite:'.length)) : a))
  return new Promise((resolve, reject) => {
    const child = spawn(XT_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code: code ?? signal, stdout, stderr })
    })
  })
}

/** The last non-empty line of a command's stdout. */
export function lastLine(text) {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean)
  return lines[lines.length - 1] ?? ''
}

const LISTENING = /listening on http:\/\/127\.0\.0\.1:(\d+)/

/**
 * Starts `xietong serve --test-mode` on an EXISTING SQLite file (e.g. a tampered copy), on a
 * free port. Returns { url, stop() }; stop() leaves the database file alone. A --db URL
 * (sqlite:…, postgres://…) is accepted in place of the path.
 */
export async function serveDb(dbPath, { extraArgs = [] } = {}) {
  const db = /^(sqlite|postgres|postgresql):/.test(dbPath) ? dbPath : dbUrlOf(dbPath)
  const args = ['serve', '--db', db, '--listen', '127.0.0.1:0', '--web-root', WEB_ROOT,
    '--test-mode', '--access-log', 'off', ...extraArgs]
  const child = spawn(XT_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += d))
  const exited = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal })))
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${stdout}\n${stderr}`)), 20_000)
    child.stdout.on('data', (d) => {
      stdout += d
      const m = LISTENING.exec(stdout)
      if (m) {
        clearTimeout(timer)
        resolve(Number(m[1]))
      }
    })
    exited.then(({ code, signal }) => {
      clearTimeout(timer)
      reject(new Error(`serve exited early (${code ?? signal}):\n${stdout}\n${stderr}`))
    })
  })
  let stopped = false
  return {
    url: `http://127.0.0.1:${port}`,
    /** kill -9 (a crash): no shutdown of any kind. */
    async kill() {
      stopped = true
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    },
    async stop() {
      if (stopped) return
      stopped = true
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
        await exited
        clearTimeout(timer)
      }
    },
  }
}

/** Signs in every username (demo password by default); resolves { username: client }. */
export async function loginAll(url, usernames, password = DEMO_PASSWORD) {
  const out = {}
  for (const u of usernames) out[u] = await api(url).login(u, password)
  return out
}

/**
 * A request with full control (no cookie jar, no CSRF added): resolves { status, json, text,
 * headers }. `body` may be a string (sent as is) or a value (JSON-encoded).
 */
export async function raw(url, method, path, { body, headers = {} } = {}) {
  const h = { ...headers }
  let payload
  if (body !== undefined) {
    payload = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body)
    if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json'
  }
  const res = await fetch(new URL(path, url), { method, headers: h, body: payload, redirect: 'manual' })
  const text = await res.text()
  let json = null
  if ((res.headers.get('content-type') || '').includes('json') && text) {
    try {
      json = JSON.parse(text)
    } catch {
      json = null
    }
  }
  const out = { status: res.status, json, text, headers: res.headers }
  checkResponse(method, path, out) // the response schema of openapi.json (./contract.mjs)
  return out
}

/** The session cookie header value of a client from tests/lib/server.mjs ("xt_session=…"). */
export function cookieHeader(client) {
  return [...(client.cookies ?? new Map())].map(([k, v]) => `${k}=${v}`).join('; ')
}

/** Asserts the API error shape and returns the error object. */
export function errorOf(res) {
  if (!res.json || typeof res.json.error !== 'object') {
    throw new Error(`expected an error body, got HTTP ${res.status}: ${res.text}`)
  }
  const e = res.json.error
  for (const k of ['code', 'message', 'field', 'rule']) {
    if (!(k in e)) throw new Error(`error body lacks "${k}": ${res.text}`)
  }
  return e
}

/** Describes a response for assertion messages. */
export function show(res) {
  return `HTTP ${res.status} ${res.text?.slice(0, 400)}`
}
