// Sign-in under attack and API tokens (issue 15 findings 4 and 7; R-ACC-1, R-AUD-1). The server
// trusts 127.0.0.1 as a reverse proxy (--trusted-proxy), so each request names its client
// address in X-Forwarded-For; the clock is fake, so back-offs are waited out by advancing it.
// Counting, not timing: /metrics says how many password hashes were verified.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, api } from '../lib/server.mjs'
import { raw, errorOf, show, cookieHeader } from './lib/util.mjs'

const NOW = '2026-11-25T09:00:00+08:00'
let server
let admin

before(async () => {
  server = await startServer({ fakeClock: NOW, extraArgs: ['--access-log', 'off', '--trusted-proxy', '127.0.0.1'] })
  admin = await api(server.url).login('admin', server.password)
})
after(async () => {
  await server?.stop()
})

/** POST /api/v1/auth/login as if from `from` (through the trusted proxy). */
function login(username, password, from) {
  return raw(server.url, 'POST', '/api/v1/auth/login', {
    body: { username, password }, headers: { 'X-Forwarded-For': from },
  })
}

async function advance(seconds) {
  const res = await admin.post('/api/v1/test/clock', { advance_seconds: seconds })
  assert.equal(res.status, 200, show(res))
}

async function metric(name) {
  const m = await raw(server.url, 'GET', '/metrics')
  const line = m.text.split('\n').find((l) => l.startsWith(`${name} `))
  assert.ok(line, `${name} not in /metrics`)
  return Number(line.split(' ')[1])
}

async function userRow(username) {
  const res = await admin.get(`/api/v1/users?q=${encodeURIComponent(username)}`)
  assert.equal(res.status, 200, show(res))
  const u = res.json.items.find((x) => x.username === username)
  assert.ok(u, `user ${username} not found`)
  return u
}

test('R-ACC-1 (issue 15 finding 4): an account under a password-guessing flood from one address still signs in from another', async () => {
  const username = 'liuzu.officer'
  const attacker = '203.0.113.7'
  for (let i = 1; i <= 5; i++) {
    const r = await login(username, `Guess${i}pass`, attacker)
    assert.equal(r.status, 401, `guess ${i}: ${show(r)}`)
    assert.equal(errorOf(r).code, 'invalid_credentials')
  }
  // The attacker's address is held back now: 429 with Retry-After, even for the right password.
  const held = await login(username, server.password, attacker)
  assert.equal(held.status, 429, show(held))
  assert.equal(errorOf(held).code, 'throttled')
  assert.equal(held.headers.get('retry-after'), '1')
  assert.equal(held.headers.getSetCookie().length, 0)
  // Meanwhile the user signs in from the office.
  const office = await login(username, server.password, '198.51.100.20')
  assert.equal(office.status, 200, show(office))
  assert.equal(office.json.user.username, username)

  // Each further failure doubles the wait: 1 s, 2 s, 4 s.
  for (const wait of [2, 4]) {
    await advance(wait)
    const r = await login(username, 'AnotherGuess9', attacker)
    assert.equal(r.status, 401, show(r))
    const again = await login(username, 'AnotherGuess9', attacker)
    assert.equal(again.status, 429, show(again))
    assert.equal(again.headers.get('retry-after'), String(wait))
  }

  // The administrator sees it (users list), and the back-off was audited.
  const u = await userRow(username)
  assert.ok(u.sign_in, JSON.stringify(u))
  assert.ok(u.sign_in.failed_logins >= 2, JSON.stringify(u.sign_in))
  assert.ok(u.sign_in.throttled_until, JSON.stringify(u.sign_in))
  const audit = await admin.get(`/api/v1/audit?object_type=user&object_id=${u.id}&limit=50`)
  assert.equal(audit.status, 200, show(audit))
  const actions = audit.json.items.map((e) => e.action)
  assert.ok(actions.includes('auth.throttled'), JSON.stringify(actions))

  // Others do not see the sign-in state of users.
  const other = await api(server.url).login('liuzu.leader', server.password)
  const list = await other.get(`/api/v1/users?q=${username}`)
  assert.equal(list.status, 200, show(list))
  for (const x of list.json.items) assert.equal(x.sign_in, undefined)
})

test('R-ACC-1: only an administrator clears the back-off (POST /users/{id}/unlock, audited); a refused unlock changes nothing', async () => {
  const username = 'hetou.officer'
  const attacker = '203.0.113.8'
  for (let i = 1; i <= 5; i++) assert.equal((await login(username, `Guess${i}pass`, attacker)).status, 401)
  assert.equal((await login(username, server.password, attacker)).status, 429)
  const u = await userRow(username)

  const officer = await api(server.url).login('hetou.leader', server.password)
  const beforeAudit = await admin.get('/api/v1/audit?limit=1')
  const denied = await officer.post(`/api/v1/users/${u.id}/unlock`, {})
  assert.equal(denied.status, 403, show(denied))
  assert.deepEqual((await userRow(username)).sign_in, u.sign_in)
  assert.equal((await admin.get('/api/v1/audit?limit=1')).json.items[0].seq, beforeAudit.json.items[0].seq)
  assert.equal((await login(username, server.password, attacker)).status, 429, 'still held back')

  const ok = await admin.post(`/api/v1/users/${u.id}/unlock`, {})
  assert.equal(ok.status, 204, show(ok))
  const after = await userRow(username)
  assert.equal(after.sign_in.failed_logins, 0)
  assert.equal(after.sign_in.throttled_until, null)
  assert.equal((await admin.get('/api/v1/audit?limit=1')).json.items[0].action, 'user.unlock')
  const back = await login(username, server.password, attacker)
  assert.equal(back.status, 200, show(back))

  assert.equal((await admin.post('/api/v1/users/999999/unlock', {})).status, 404)
})

test('issue 15 finding 4: one address guessing many usernames is held back too', async () => {
  const spray = '203.0.113.9'
  let status = 0
  let i = 0
  for (; i < 40 && status !== 429; i++) {
    status = (await login(`nobody${i}.officer`, 'Spray2026x', spray)).status
    assert.ok(status === 401 || status === 429, String(status))
  }
  assert.equal(status, 429, 'never held back')
  assert.equal(i, 31, '30 failures from one address start the back-off')
  // Another address is not affected.
  assert.equal((await login('dongcheng.officer', server.password, '198.51.100.21')).status, 200)
})

test('issue 15 finding 4: unknown and known usernames both take the hashing path (counted by /metrics), a held-back attempt none', async () => {
  const from = '192.0.2.50'
  let n = await metric('xietong_password_verifications_total')
  assert.equal((await login('no.such.user', 'Wrong2026x', from)).status, 401)
  assert.equal(await metric('xietong_password_verifications_total'), n + 1, 'unknown user: one verification')
  assert.equal((await login('chegang.officer', 'Wrong2026x', from)).status, 401)
  assert.equal(await metric('xietong_password_verifications_total'), n + 2, 'known user: one verification')
  // The right password: one verification.
  assert.equal((await login('chegang.officer', server.password, from)).status, 200)
  assert.equal(await metric('xietong_password_verifications_total'), n + 3)
  // A disabled user: refused like the others, after the same work.
  const id = (await userRow('chegang.leader')).id
  assert.equal((await admin.patch(`/api/v1/users/${id}`, { disabled: true })).status, 200)
  const disabled = await login('chegang.leader', server.password, from)
  assert.equal(disabled.status, 401, show(disabled))
  assert.equal(errorOf(disabled).code, 'invalid_credentials')
  assert.equal(await metric('xietong_password_verifications_total'), n + 4)
  // The same answer for unknown and known.
  const a = await login('no.such.user', 'Wrong2026x', from)
  const b = await login('chegang.officer', 'Wrong2026x', from)
  assert.deepEqual(errorOf(a), errorOf(b))

  n = await metric('xietong_password_verifications_total')
  const throttled = await metric('xietong_login_throttled_total')
  for (let i = 0; i < 5; i++) await login('no.such.user2', 'Wrong2026x', '192.0.2.51')
  assert.equal(await metric('xietong_password_verifications_total'), n + 5)
  const held = await login('no.such.user2', 'Wrong2026x', '192.0.2.51')
  assert.equal(held.status, 429, show(held))
  assert.equal(await metric('xietong_password_verifications_total'), n + 5, 'held back: no hash checked')
  assert.equal(await metric('xietong_login_throttled_total'), throttled + 1)
})

test('R-ACC-1 (issue 15 finding 7): a password change revokes the user\'s API tokens', async () => {
  const c = await api(server.url).login('shuitai.officer', server.password)
  const issued = await c.post('/api/v1/tokens', { name: 'integration' })
  assert.equal(issued.status, 201, show(issued))
  const bearer = api(server.url).bearer(issued.json.token)
  assert.equal((await bearer.get('/api/v1/me')).status, 200)
  const changed = await c.post('/api/v1/auth/password', { old_password: server.password, new_password: 'Changed2026pw' })
  assert.equal(changed.status, 204, show(changed))
  assert.equal((await bearer.get('/api/v1/me')).status, 401, 'the token survived the password change')
  const list = await c.get('/api/v1/tokens')
  const t = list.json.items.find((x) => x.id === issued.json.id)
  assert.ok(t.revoked_at, JSON.stringify(t))
})

test('R-ACC-1 (issue 15 finding 7): an admin password reset revokes the user\'s API tokens', async () => {
  const c = await api(server.url).login('lezhu.officer', server.password)
  const issued = await c.post('/api/v1/tokens', { name: 'integration' })
  assert.equal(issued.status, 201, show(issued))
  const bearer = api(server.url).bearer(issued.json.token)
  assert.equal((await bearer.get('/api/v1/me')).status, 200)
  const id = (await userRow('lezhu.officer')).id
  const reset = await admin.post(`/api/v1/users/${id}/password`, { new_password: 'Reset2026pw' })
  assert.equal(reset.status, 204, show(reset))
  assert.equal((await bearer.get('/api/v1/me')).status, 401, 'the token survived the reset')
  assert.equal((await raw(server.url, 'GET', '/api/v1/me', { headers: { Cookie: cookieHeader(c) } })).status, 401)
})

test('issue 15 finding 7: ApiToken.last_used_at is recorded when the token is used, at most once a minute', async () => {
  const c = await api(server.url).login('taiping.officer', server.password)
  const issued = await c.post('/api/v1/tokens', { name: 'usage' })
  assert.equal(issued.status, 201, show(issued))
  const lastUsed = async () => (await c.get('/api/v1/tokens')).json.items.find((x) => x.id === issued.json.id).last_used_at
  assert.equal(await lastUsed(), null)
  const bearer = api(server.url).bearer(issued.json.token)
  const t0 = (await admin.get('/api/v1/test/clock')).json
  assert.equal((await bearer.get('/api/v1/me')).status, 200)
  const first = await lastUsed()
  assert.ok(first, 'not recorded')
  assert.equal(Date.parse(first), Date.parse(t0.now))
  await advance(30)
  assert.equal((await bearer.get('/api/v1/me')).status, 200)
  assert.equal(await lastUsed(), first, 'written again within a minute')
  await advance(31)
  assert.equal((await bearer.get('/api/v1/me')).status, 200)
  const second = await lastUsed()
  assert.equal(Date.parse(second) - Date.parse(first), 61_000)
})
