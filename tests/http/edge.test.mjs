// The HTTP edge under attack (issue 15, findings 2, 5, 6, 7): request smuggling refused at the
// socket level, the connection cap per client address with /healthz still answering, event
// streams that end with the session, security headers on every HTML page, and the session
// cookie's Secure attribute behind a trusted proxy.
// Two servers on one database: `server` trusts 127.0.0.1 as its reverse proxy and re-checks
// event streams every 200 ms; `capped` (not behind a proxy) allows few connections per address.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startServer, api, WEB_ROOT } from '../lib/server.mjs'
import { raw, serveDb, cookieHeader, errorOf, show } from './lib/util.mjs'
import { Users, Referrals, orgsByCode, classifyMatters, pick, uploadFile, draftBody } from './lib/referrals.mjs'

const PER_IP = 12
let server
let capped
let admin

before(async () => {
  server = await startServer({
    extraArgs: ['--trusted-proxy', '127.0.0.1', '--session-recheck-ms', '200', '--access-log', 'off'],
  })
  capped = await serveDb(server.dbPath, {
    extraArgs: ['--max-connections-per-ip', String(PER_IP), '--header-timeout', '60', '--cookie-secure', 'always'],
  })
  admin = await api(server.url).login('admin', server.password)
})
after(async () => {
  await capped?.stop()
  await server?.stop()
})

/** Opens a TCP connection; resolves { socket, data(), closed } once connected. */
function connect(url) {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) })
    let text = ''
    const closed = new Promise((r) => socket.on('close', () => r(text)))
    socket.setEncoding('utf8')
    socket.on('data', (d) => (text += d))
    socket.on('error', () => {}) // a reset shows as close
    socket.once('connect', () => resolve({ socket, data: () => text, closed }))
    socket.once('error', reject)
  })
}

function withTimeout(promise, ms, what) {
  let timer
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms))),
  ])
}

const statusLines = (text) => text.match(/^HTTP\/1\.1 \d{3}/gm) ?? []

test('finding 2: a smuggled request behind a Transfer-Encoding that is not exactly chunked gets one 400 and a closed connection', async () => {
  const me = await api(server.url).login('xincheng.officer', server.password)
  const smuggled = `GET /api/v1/me HTTP/1.1\r\nHost: x\r\nCookie: ${cookieHeader(me)}\r\n\r\n`
  const variants = [
    'Transfer-Encoding: xchunked\r\n',
    'Transfer-Encoding: chunked, identity\r\n',
    'Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n',
    `Transfer-Encoding: chunked\r\nContent-Length: ${smuggled.length}\r\n`,
  ]
  for (const [i, te] of variants.entries()) {
    const c = await connect(server.url)
    c.socket.write(`POST /api/v1/auth/logout HTTP/1.1\r\nHost: x\r\n${te}\r\n${smuggled}`)
    const text = await withTimeout(c.closed, 10_000, `connection close after ${te}`)
    assert.deepEqual(statusLines(text), ['HTTP/1.1 400'], `${JSON.stringify(te)} → ${text}`)
    assert.match(text, /\r\nConnection: close\r\n/)
    const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))
    assert.equal(body.error.code, 'bad_request')
    // Duplicates and TE with CL are refused by the parser itself ("request"), the others by name.
    assert.equal(body.error.field, i < 2 ? 'transfer-encoding' : 'request')
    assert.ok(!text.includes('"username"'), 'the smuggled GET /api/v1/me was answered')
  }
  // The session the smuggled request carried is untouched and still works.
  assert.equal((await me.get('/api/v1/me')).status, 200)
})

test('finding 5: connections from one address beyond --max-connections-per-ip get 503 and close; /healthz still answers', async () => {
  const held = []
  try {
    for (let i = 0; i < PER_IP; i++) held.push(await connect(capped.url))
    // Every held connection was accepted first (one backlog, accepted in order): the next is over.
    const over = await connect(capped.url)
    over.socket.write('GET /api/v1/me HTTP/1.1\r\nHost: x\r\n\r\n')
    const text = await withTimeout(over.closed, 10_000, 'the over-cap connection to close')
    assert.deepEqual(statusLines(text), ['HTTP/1.1 503'], text)
    assert.match(text, /\r\nRetry-After: 5\r\n/)
    const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))
    assert.equal(body.error.code, 'too_many_connections')
    assert.ok(body.error.message && 'field' in body.error && 'rule' in body.error)

    const health = await raw(capped.url, 'GET', '/healthz')
    assert.equal(health.status, 200, show(health))
    assert.equal(health.json.status, 'ok')

    // The held connections are served; one leaves and its slot serves a new client.
    const first = held[0]
    first.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n')
    await withTimeout((async () => { while (!first.data().includes('\r\n\r\n')) await new Promise((r) => setTimeout(r, 20)) })(), 10_000, 'a held connection to answer')
    assert.deepEqual(statusLines(first.data()), ['HTTP/1.1 200'])
    held.pop().socket.destroy()
    let again
    for (let i = 0; i < 50; i++) {
      again = await raw(capped.url, 'GET', '/api/v1/me')
      if (again.status === 401) break
      await new Promise((r) => setTimeout(r, 50))
    }
    assert.equal(again.status, 401, show(again)) // served (not signed in), no longer 503
  } finally {
    for (const c of held) c.socket.destroy()
  }
})

/** Opens GET /api/v1/events for `client`; resolves { text(), ended } once the head arrived. */
async function openEvents(client) {
  const res = await fetch(new URL('/api/v1/events', server.url), { headers: { Cookie: cookieHeader(client) } })
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type'), /text\/event-stream/)
  let text = ''
  const decoder = new TextDecoder()
  const reader = res.body.getReader()
  const ended = (async () => {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return text
      text += decoder.decode(value, { stream: true })
    }
  })()
  return { text: () => text, ended, cancel: () => reader.cancel().catch(() => {}) }
}

test('finding 6: the event stream closes after logout (signed_out event), and stays open while the session lives', async () => {
  const officer = await api(server.url).login('liuzu.officer', server.password)
  const stream = await openEvents(officer)
  // Several re-checks pass (every 200 ms) without ending a live session's stream.
  const early = await Promise.race([stream.ended.then(() => 'ended'), new Promise((r) => setTimeout(() => r('open'), 1000))])
  assert.equal(early, 'open')
  const out = await officer.post('/api/v1/auth/logout', {})
  assert.equal(out.status, 204, show(out))
  const text = await withTimeout(stream.ended, 5000, 'the event stream to end after logout')
  assert.match(text, /event: signed_out\ndata: \{"reason":"session_ended"\}/)
})

test('finding 6: the event stream closes when an admin disables the user', async () => {
  const user = await api(server.url).login('liuzu.leader', server.password)
  const stream = await openEvents(user)
  const off = await admin.patch(`/api/v1/users/${user.user.id}`, { disabled: true })
  assert.equal(off.status, 200, show(off))
  try {
    const text = await withTimeout(stream.ended, 5000, 'the event stream to end after disabling')
    assert.match(text, /event: signed_out/)
  } finally {
    await admin.patch(`/api/v1/users/${user.user.id}`, { disabled: false })
  }
})

const CSP_APP = /script-src 'self'(;|$)/

/** A referral letter (R-DOC-1) issued now: xincheng refers a matter to a county department. */
async function someDocumentId() {
  const as = Users(server.url)
  const R = Referrals(server.url, as)
  const coord = await as('coordinator.staff')
  const orgs = await orgsByCode(coord)
  const today = new Date().toISOString().slice(0, 10)
  const cat = await classifyMatters(coord, ['xincheng'], today)
  const e = pick(cat.at.xincheng, (x) => x.competent?.kind === 'county_department' && x.matter.statutory_referral_days == null,
    'competent to a county department in xincheng')
  const file = await uploadFile(server.url, await as('xincheng.officer'))
  const sent = await R.sent('xincheng.officer', 'xincheng.leader',
    draftBody({ matter: e.matter, to: orgs[e.competent.code], township: orgs.xincheng, file }))
  return { client: coord, id: sent.documents[0].id }
}

test('finding 7: every HTML page carries CSP without inline script, no framing, Referrer-Policy and nosniff', async () => {
  for (const path of ['/', '/login', '/admin/users', '/referrals', '/collaborations', '/no/such/page']) {
    const res = await raw(server.url, 'GET', path)
    assert.equal(res.status, 200, `${path}: ${show(res)}`)
    assert.match(res.headers.get('content-type'), /^text\/html/, path)
    const csp = res.headers.get('content-security-policy') ?? ''
    assert.match(csp, CSP_APP, `${path}: ${csp}`)
    assert.doesNotMatch(csp.match(/script-src[^;]*/)[0], /unsafe-inline|unsafe-eval/, path)
    assert.match(csp, /frame-ancestors 'none'/, path)
    assert.match(csp, /object-src 'none'/, path)
    assert.equal(res.headers.get('x-frame-options'), 'DENY', path)
    assert.equal(res.headers.get('referrer-policy'), 'same-origin', path)
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path)
  }
  // The policy fits the built UI: no inline script in index.html.
  const index = await readFile(join(WEB_ROOT, 'index.html'), 'utf8')
  for (const tag of index.match(/<script\b[^>]*>/g) ?? []) assert.match(tag, /\ssrc=/, `inline script in index.html: ${tag}`)

  // A printed document may be framed by our own pages only, and runs no script at all.
  const { client, id } = await someDocumentId()
  const doc = await client.get(`/api/v1/documents/${id}`, { headers: { Accept: 'text/html' } })
  assert.equal(doc.status, 200, show(doc))
  assert.match(doc.headers.get('content-type'), /^text\/html/)
  const csp = doc.headers.get('content-security-policy')
  assert.match(csp, /default-src 'none'/)
  assert.match(csp, /frame-ancestors 'self'/)
  assert.doesNotMatch(csp, /script-src/)
  assert.equal(doc.headers.get('x-frame-options'), 'SAMEORIGIN')
  assert.equal(doc.headers.get('referrer-policy'), 'same-origin')
  assert.doesNotMatch(doc.text, /<script/i)
})

async function loginCookie(url, headers = {}) {
  const res = await raw(url, 'POST', '/api/v1/auth/login', {
    body: { username: 'zrzy.officer', password: server.password },
    headers,
  })
  assert.equal(res.status, 200, show(res))
  return res.headers.getSetCookie().find((c) => c.startsWith('xt_session='))
}

test('finding 7: the session cookie is Secure when the trusted proxy says HTTPS, or when forced', async () => {
  assert.match(await loginCookie(server.url, { 'X-Forwarded-Proto': 'https' }), /;\s*Secure(;|$)/)
  assert.doesNotMatch(await loginCookie(server.url), /Secure/)
  assert.doesNotMatch(await loginCookie(server.url, { 'X-Forwarded-Proto': 'http' }), /Secure/)
  // --cookie-secure always (capped), whatever the request says; its peer is no trusted proxy.
  assert.match(await loginCookie(capped.url), /;\s*Secure(;|$)/)
  // Sign-out clears the cookie with the same attributes.
  const c = await api(server.url).login('zrzy.leader', server.password)
  const out = await raw(server.url, 'POST', '/api/v1/auth/logout', {
    headers: { Cookie: cookieHeader(c), 'X-CSRF-Token': c.csrfToken, 'X-Forwarded-Proto': 'https' },
  })
  assert.equal(out.status, 204, show(out))
  assert.match(out.headers.getSetCookie()[0], /Max-Age=0.*Secure/)
})

test('finding 7: X-Forwarded-Proto from a peer that is not a trusted proxy is ignored', async () => {
  const plain = await serveDb(server.dbPath)
  try {
    assert.doesNotMatch(await loginCookie(plain.url, { 'X-Forwarded-Proto': 'https' }), /Secure/)
    // A refused login (wrong password) sets no cookie at all.
    const bad = await raw(plain.url, 'POST', '/api/v1/auth/login', {
      body: { username: 'zrzy.officer', password: 'wrong-password-1' },
      headers: { 'X-Forwarded-Proto': 'https' },
    })
    assert.equal(bad.status, 401)
    errorOf(bad)
    assert.deepEqual(bad.headers.getSetCookie(), [])
  } finally {
    await plain.stop()
  }
})
