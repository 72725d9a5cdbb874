// Notifications away from the browser (issue 18; docs/notifications-contract.md): email by SMTP
// and the SMS/instant-message gateway webhook, checked with local receivers on 127.0.0.1
// (tests/http/lib/receivers.mjs). A routine notification reaches the recipient's email and, when
// the recipient wants it, the gateway — exactly once each; after an outage of both receivers the
// messages arrive once after retries; the gateway's signature verifies; failures are visible to
// the admin (GET /api/v1/admin/deliveries) and on /metrics. Runs on SQLite and PostgreSQL.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { writeFile, readFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { startServer, api } from '../lib/server.mjs'
import { show, errorOf } from './lib/util.mjs'
import { Users, orgsByCode } from './lib/referrals.mjs'
import { smtpReceiver, webhookReceiver } from './lib/receivers.mjs'

const SECRET = 'gateway-shared-secret-2026'
const SMTP_USER = 'xt-mailer'
const SMTP_PASSWORD = 'mail-secret'
let server
let smtp
let hook
let as
let orgs
let recipients // the scjg users a notice to scjg notifies, with their contact addresses

async function waitFor(what, fn, timeoutMs = 20_000) {
  const start = Date.now()
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

before(async () => {
  smtp = await smtpReceiver({ user: SMTP_USER, password: SMTP_PASSWORD })
  hook = await webhookReceiver()
  // The server is started with the secrets in files, as in production.
  const dir = await mkdtemp(join(tmpdir(), 'xt-notify-'))
  await writeFile(join(dir, 'smtp.pw'), SMTP_PASSWORD + '\n', { mode: 0o600 })
  await writeFile(join(dir, 'hook.secret'), SECRET + '\n', { mode: 0o600 })
  server = await startServer({
    extraArgs: ['--access-log', 'off',
      '--smtp-host', '127.0.0.1', '--smtp-port', String(smtp.port), '--smtp-starttls', 'off',
      '--smtp-user', SMTP_USER, '--smtp-password-file', join(dir, 'smtp.pw'),
      '--smtp-from', 'xietong@county.example',
      '--webhook-url', hook.url, '--webhook-secret-file', join(dir, 'hook.secret'),
      '--delivery-poll-ms', '100', '--delivery-backoff-ms', '300', '--delivery-max-attempts', '20'],
  })
  as = Users(server.url)
  orgs = await orgsByCode(await as('coordinator.staff'))
})

after(async () => {
  await server?.stop()
  await smtp?.stop()
  await hook?.stop()
})

function mailsTo(address) {
  return smtp.messages.filter((m) => m.to.includes(address))
}
function pushesTo(mobile) {
  return hook.posts.filter((p) => JSON.parse(p.body).to === mobile)
}

async function createNotice(description) {
  const res = await (await as('xincheng.officer')).post('/api/v1/notices', {
    kind: 'hazard', to_org: orgs.scjg.id, description, place: '新城镇解放路一带', materials: [],
  })
  assert.equal(res.status, 201, show(res))
  return res.json
}

/** The scjg users notified about notice `id` (from their own notification lists). */
async function notifiedAbout(id) {
  const out = []
  for (const u of ['scjg.officer', 'scjg.leader', 'scjg.liaison']) {
    const list = await (await as(u)).get('/api/v1/notifications?page_size=100')
    assert.equal(list.status, 200, show(list))
    if (list.json.items.some((n) => n.object_type === 'notice' && n.object_id === String(id))) out.push(u)
  }
  return out
}

test('issue 18: a user sets their own email, mobile and channels per class; others may not; bad input changes nothing', async () => {
  const me = await as('scjg.leader')
  const id = me.user.id
  // Defaults before anything is set: urgent by SMS, the rest by email, no addresses.
  const d = await me.get(`/api/v1/users/${id}/contact`)
  assert.equal(d.status, 200, show(d))
  assert.deepEqual(d.json, { user_id: id, email: '', mobile: '', urgent_channels: ['sms'], routine_channels: ['email'], updated_at: null })
  // Someone else's contact is not found, for reading and writing (R-ACC-1).
  const other = await as('xincheng.officer')
  assert.equal(errorOf(await other.get(`/api/v1/users/${id}/contact`)).code, 'not_found')
  const refused = await other.put(`/api/v1/users/${id}/contact`, { email: 'x@y.cn', mobile: '13800000000', urgent_channels: [], routine_channels: [] })
  assert.equal(refused.status, 404, show(refused))
  // Bad values name their field and change nothing.
  for (const [body, field] of [
    [{ email: 'not-an-address', mobile: '', urgent_channels: [], routine_channels: [] }, 'email'],
    [{ email: '', mobile: '12ab', urgent_channels: [], routine_channels: [] }, 'mobile'],
    [{ email: '', mobile: '', urgent_channels: ['fax'], routine_channels: [] }, 'urgent_channels'],
    [{ email: '', mobile: '', urgent_channels: [] }, 'routine_channels'],
    [{ email: '', mobile: '', urgent_channels: [], routine_channels: [], extra: 1 }, 'extra'],
  ]) {
    const res = await me.put(`/api/v1/users/${id}/contact`, body)
    assert.equal(res.status, 400, show(res))
    assert.equal(errorOf(res).field, field)
  }
  assert.deepEqual((await me.get(`/api/v1/users/${id}/contact`)).json, d.json)
})

test('issue 18: a routine notification arrives by email and by the gateway exactly once; the signature verifies', async () => {
  const admin = await as('admin')
  // Every scjg user who might be notified gets an address; routine notices by email and SMS.
  for (const u of ['scjg.officer', 'scjg.leader', 'scjg.liaison']) {
    const c = await as(u)
    const res = await admin.put(`/api/v1/users/${c.user.id}/contact`, {
      email: `${u}@county.example`, mobile: `13900${String(c.user.id).padStart(6, '0')}`,
      urgent_channels: ['sms'], routine_channels: ['email', 'sms'],
    })
    assert.equal(res.status, 200, show(res))
    assert.deepEqual(res.json.routine_channels, ['email', 'sms'])
  }
  const notice = await createNotice('第一次：液化气罐违规存放（通知投递测试）')
  const who = await notifiedAbout(notice.id)
  assert.ok(who.length >= 1, 'a notice to scjg notifies someone there')
  for (const u of who) {
    const c = await as(u)
    const mobile = `13900${String(c.user.id).padStart(6, '0')}`
    await waitFor(`the email and the gateway message for ${u}`, () =>
      mailsTo(`${u}@county.example`).length >= 1 && pushesTo(mobile).length >= 1)
  }
  // Give a second sender round every chance to duplicate, then count.
  await new Promise((r) => setTimeout(r, 800))
  for (const u of who) {
    const c = await as(u)
    const mails = mailsTo(`${u}@county.example`)
    assert.equal(mails.length, 1, `${u}: exactly one email`)
    assert.equal(mails[0].from, 'xietong@county.example')
    assert.equal(mails[0].user, SMTP_USER, 'the server authenticated')
    assert.match(mails[0].data, /^Subject: =\?UTF-8\?B\?/m)
    const pushes = pushesTo(`13900${String(c.user.id).padStart(6, '0')}`)
    assert.equal(pushes.length, 1, `${u}: exactly one gateway message`)
    const p = pushes[0]
    const body = JSON.parse(p.body)
    assert.equal(body.user, u)
    assert.equal(body.object_type, 'notice')
    assert.equal(body.object_id, String(notice.id))
    const ts = p.headers['x-xietong-timestamp']
    assert.ok(Math.abs(Number(ts) - Date.now() / 1000) < 120, 'a current timestamp')
    const expected = 'sha256=' + createHmac('sha256', SECRET).update(`${ts}.${p.body}`).digest('hex')
    assert.equal(p.headers['x-xietong-signature'], expected)
    const forged = 'sha256=' + createHmac('sha256', 'wrong').update(`${ts}.${p.body}`).digest('hex')
    assert.notEqual(p.headers['x-xietong-signature'], forged)
  }
  // The admin sees them sent.
  const list = await admin.get('/api/v1/admin/deliveries?state=sent&page_size=200')
  assert.equal(list.status, 200, show(list))
  assert.equal(list.json.items.filter((d) => d.title && d.state === 'sent').length, list.json.items.length)
  assert.ok(list.json.items.length >= who.length * 2)
  assert.equal(list.json.email_configured, true)
  assert.equal(list.json.sms_configured, true)
})

test('issue 18: after a receiver outage the messages arrive once, after retries; the admin sees the failed attempts', async () => {
  const admin = await as('admin')
  await smtp.stop()
  await hook.stop()
  const before = { mails: smtp.messages.length, posts: hook.posts.length }
  const notice = await createNotice('第二次：接收端停机期间的通报（重试测试）')
  const who = await notifiedAbout(notice.id)
  assert.ok(who.length >= 1)
  // Attempts fail and are recorded with their error while the receivers are down.
  const failing = await waitFor('failed attempts in the admin list', async () => {
    const res = await admin.get('/api/v1/admin/deliveries?state=pending&page_size=200')
    assert.equal(res.status, 200, show(res))
    const mine = res.json.items.filter((d) => d.attempts >= 1 && d.last_error)
    return mine.length >= who.length * 2 ? mine : null
  })
  assert.ok(failing.some((d) => d.channel === 'email' && /smtp/.test(d.last_error)), JSON.stringify(failing))
  assert.ok(failing.some((d) => d.channel === 'sms' && /webhook/.test(d.last_error)), JSON.stringify(failing))
  assert.ok(failing.every((d) => d.next_at), 'a retry is scheduled')
  const metrics = await fetch(new URL('/metrics', server.url)).then((r) => r.text())
  assert.match(metrics, /xietong_delivery_failed_attempts_email_total [1-9]/)
  assert.match(metrics, /xietong_deliveries_pending [1-9]/)
  assert.equal(smtp.messages.length, before.mails)
  assert.equal(hook.posts.length, before.posts)

  await smtp.restart()
  await hook.restart()
  for (const u of who) {
    await waitFor(`${u}'s messages after the outage`, () =>
      mailsTo(`${u}@county.example`).some((m) => m.data.includes(`X-Xietong-Delivery`)) &&
      smtp.messages.length - before.mails >= who.length && hook.posts.length - before.posts >= who.length)
  }
  await new Promise((r) => setTimeout(r, 1500))
  assert.equal(smtp.messages.length - before.mails, who.length, 'one email per recipient, no duplicates')
  assert.equal(hook.posts.length - before.posts, who.length, 'one gateway message per recipient, no duplicates')
  const pending = await admin.get('/api/v1/admin/deliveries?state=pending')
  assert.equal(pending.json.total, 0, show(pending))
  const sent = await admin.get('/api/v1/admin/deliveries?state=sent&page_size=200')
  assert.ok(sent.json.items.some((d) => d.attempts >= 2), 'delivered after retries')
})

test('issue 18: only admins see deliveries; bad filters are 400 naming the parameter', async () => {
  const officer = await as('scjg.officer')
  const res = await officer.get('/api/v1/admin/deliveries')
  assert.equal(res.status, 403, show(res))
  assert.equal(errorOf(res).rule, 'R-ACC-1')
  const anon = await api(server.url).anonymous().get('/api/v1/admin/deliveries')
  assert.equal(anon.status, 401)
  const bad = await (await as('admin')).get('/api/v1/admin/deliveries?state=lost')
  assert.equal(bad.status, 400, show(bad))
  assert.equal(errorOf(bad).field, 'state')
})

test('issue 18: with --smtp-starttls required the email goes over TLS (a self-signed certificate made by openssl)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'xt-notify-tls-'))
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'),
    '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' })
  const tlsSmtp = await smtpReceiver({
    user: SMTP_USER, password: SMTP_PASSWORD,
    tlsOptions: { key: await readFile(join(dir, 'key.pem')), cert: await readFile(join(dir, 'cert.pem')) },
  })
  let srv
  try {
    srv = await startServer({
      extraArgs: ['--access-log', 'off', '--smtp-host', '127.0.0.1', '--smtp-port', String(tlsSmtp.port),
        '--smtp-starttls', 'required', '--smtp-insecure', '--smtp-user', SMTP_USER, '--smtp-from', 'xietong@county.example',
        '--delivery-poll-ms', '100'],
    })
    const users = Users(srv.url)
    const liaison = await users('scjg.liaison')
    const put = await (await users('admin')).put(`/api/v1/users/${liaison.user.id}/contact`, {
      email: 'tls@county.example', mobile: '', urgent_channels: ['email'], routine_channels: ['email'],
    })
    assert.equal(put.status, 200, show(put))
    const allOrgs = await orgsByCode(await users('coordinator.staff'))
    const res = await (await users('xincheng.officer')).post('/api/v1/notices', {
      kind: 'hazard', to_org: allOrgs.scjg.id, description: 'TLS 投递测试', place: '新城镇', materials: [],
    })
    assert.equal(res.status, 201, show(res))
    // No password was given: AUTH fails (535) and the attempt is recorded; the channel keeps trying.
    const admin = await users('admin')
    const failed = await waitFor('a refused SMTP login in the admin list', async () => {
      const list = await admin.get('/api/v1/admin/deliveries?state=pending')
      return list.json.items.find((d) => d.address === 'tls@county.example' && d.attempts >= 1)
    })
    assert.match(failed.last_error, /smtp/i)
    assert.equal(tlsSmtp.messages.length, 0)
  } finally {
    await srv?.stop()
  }
  // With the password file the same set-up delivers, over TLS.
  await writeFile(join(dir, 'pw'), SMTP_PASSWORD)
  try {
    srv = await startServer({
      extraArgs: ['--access-log', 'off', '--smtp-host', '127.0.0.1', '--smtp-port', String(tlsSmtp.port),
        '--smtp-starttls', 'required', '--smtp-insecure', '--smtp-user', SMTP_USER, '--smtp-password-file', join(dir, 'pw'),
        '--smtp-from', 'xietong@county.example', '--delivery-poll-ms', '100'],
    })
    const users = Users(srv.url)
    const liaison = await users('scjg.liaison')
    const put = await (await users('admin')).put(`/api/v1/users/${liaison.user.id}/contact`, {
      email: 'tls@county.example', mobile: '', urgent_channels: [], routine_channels: ['email'],
    })
    assert.equal(put.status, 200, show(put))
    const allOrgs = await orgsByCode(await users('coordinator.staff'))
    const res = await (await users('xincheng.officer')).post('/api/v1/notices', {
      kind: 'hazard', to_org: allOrgs.scjg.id, description: 'TLS 投递测试（有密码）', place: '新城镇', materials: [],
    })
    assert.equal(res.status, 201, show(res))
    await waitFor('the email over TLS', () => tlsSmtp.messages.length >= 1)
    assert.equal(tlsSmtp.messages.length, 1)
    assert.equal(tlsSmtp.messages[0].tls, true, 'sent after STARTTLS')
    assert.equal(tlsSmtp.messages[0].user, SMTP_USER)
    assert.deepEqual(tlsSmtp.messages[0].to, ['tls@county.example'])
  } finally {
    await srv?.stop()
    await tlsSmtp.stop()
    await rm(dir, { recursive: true, force: true })
  }
})

test('issue 18: a delivery given up on counts in failed_last_day (the admin card turns red) with its failed_at', async () => {
  let srv
  try {
    // Port 1 refuses the connection; one attempt only, so the row fails for good at once.
    srv = await startServer({
      extraArgs: ['--access-log', 'off', '--smtp-host', '127.0.0.1', '--smtp-port', '1', '--smtp-starttls', 'off',
        '--smtp-from', 'xietong@county.example', '--delivery-poll-ms', '100', '--delivery-max-attempts', '1'],
    })
    const users = Users(srv.url)
    const admin = await users('admin')
    const before = await admin.get('/api/v1/admin/deliveries?page_size=1')
    assert.equal(before.status, 200, show(before))
    assert.equal(before.json.failed_last_day, 0)
    const liaison = await users('scjg.liaison')
    const put = await admin.put(`/api/v1/users/${liaison.user.id}/contact`, {
      email: 'down@county.example', mobile: '', urgent_channels: [], routine_channels: ['email'],
    })
    assert.equal(put.status, 200, show(put))
    const allOrgs = await orgsByCode(await users('coordinator.staff'))
    const res = await (await users('xincheng.officer')).post('/api/v1/notices', {
      kind: 'hazard', to_org: allOrgs.scjg.id, description: '投递失败测试', place: '新城镇', materials: [],
    })
    assert.equal(res.status, 201, show(res))
    const failed = await waitFor('the delivery given up on', async () => {
      const list = await admin.get('/api/v1/admin/deliveries?state=failed')
      return list.json.items.find((d) => d.address === 'down@county.example')
    })
    assert.equal(failed.attempts, 1)
    assert.ok(failed.failed_at, 'failed_at is set on a failed row')
    assert.equal(failed.next_at, null)
    const after = await admin.get('/api/v1/admin/deliveries?state=sent&page_size=1')
    assert.ok(after.json.failed_last_day >= 1, show(after)) // whatever the state filter
    assert.equal(typeof after.json.pending, 'number')
    // Others do not see the counts: the page is for administrators only (R-ACC-1).
    const refused = await (await users('scjg.liaison')).get('/api/v1/admin/deliveries?page_size=1')
    assert.equal(refused.status, 403, show(refused))
  } finally {
    await srv?.stop()
  }
})
