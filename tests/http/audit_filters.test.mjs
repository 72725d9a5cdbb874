// The 审计日志 page's filters and pager (issue 17, R-AUD-1, R-ACC-1): GET /api/v1/audit by operator,
// org, action (exact or a prefix ending in a dot) and a date range of Shanghai days, paged with
// page/page_size and a total. Bad filters are 400 naming the field; people who see only their
// own org's entries cannot widen that with `org`.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, api } from '../lib/server.mjs'
import { errorOf } from './lib/util.mjs'

let server
let admin
let officer // xincheng.officer: sees only xincheng's entries
let orgsByCode

before(async () => {
  server = await startServer({ fakeClock: '2026-11-25T09:00:00+08:00', extraArgs: ['--access-log', 'off'] })
  admin = await api(server.url).login('admin', server.password)
  officer = await api(server.url).login('xincheng.officer', server.password)
  await api(server.url).login('scjg.officer', server.password)
  const orgs = await admin.get('/api/v1/orgs')
  orgsByCode = Object.fromEntries(orgs.json.items.map((o) => [o.code, o]))
})
after(async () => {
  await server?.stop()
})

const shanghaiDay = (iso) => new Date(Date.parse(iso) + 8 * 3600e3).toISOString().slice(0, 10)

async function all(client, query) {
  const out = []
  for (let page = 1; ; page++) {
    const res = await client.get(`/api/v1/audit?${new URLSearchParams({ ...query, page, page_size: 200 })}`)
    assert.equal(res.status, 200, res.text)
    out.push(...res.json.items)
    if (out.length >= res.json.total || !res.json.items.length) return { items: out, total: res.json.total }
  }
}

test('R-AUD-1: action filters: exact (auth.login) and a prefix (user.) with a total', async () => {
  const logins = await all(admin, { action: 'auth.login' })
  assert.ok(logins.total >= 3, `three sign-ins at least, got ${logins.total}`)
  assert.equal(logins.items.length, logins.total)
  assert.ok(logins.items.every((e) => e.action === 'auth.login'))
  const users = await all(admin, { action: 'user.' })
  assert.ok(users.total > 50, 'the demo county creates its users')
  assert.ok(users.items.every((e) => e.action.startsWith('user.')))
  // A prefix without the dot is an exact action: none is called "user".
  const exact = await admin.get('/api/v1/audit?action=user&page=1')
  assert.equal(exact.json.total, 0)
  assert.deepEqual(exact.json.items, [])
})

test('R-AUD-1: operator and org filters; page/page_size page by offset, newest first', async () => {
  const me = (await officer.get('/api/v1/me')).json
  const mine = await all(admin, { actor: me.user?.id ?? me.id })
  assert.ok(mine.total >= 1)
  assert.ok(mine.items.every((e) => e.actor?.username === 'xincheng.officer'))
  const scjg = await all(admin, { org: orgsByCode.scjg.id, action: 'auth.login' })
  assert.ok(scjg.total >= 1)
  assert.ok(scjg.items.every((e) => e.org?.id === orgsByCode.scjg.id))

  const p1 = await admin.get('/api/v1/audit?page=1&page_size=5')
  const p2 = await admin.get('/api/v1/audit?page=2&page_size=5')
  assert.equal(p1.json.items.length, 5)
  assert.equal(p2.json.items.length, 5)
  assert.equal(p1.json.total, p2.json.total)
  assert.ok(p1.json.items.at(-1).seq > p2.json.items[0].seq, 'page 2 continues page 1')
  const seqs = [...p1.json.items, ...p2.json.items].map((e) => e.seq)
  assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a))
})

test('R-AUD-1: a date range of Shanghai days, both ends inclusive', async () => {
  const every = (await all(admin, {})).items
  const day = every.map((e) => shanghaiDay(e.at)).sort().at(-1) // the last day with entries
  const that = await all(admin, { from: day, to: day })
  assert.ok(that.total >= 1)
  assert.ok(that.items.every((e) => shanghaiDay(e.at) === day), 'every entry is on that day')
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86400e3).toISOString().slice(0, 10)
  const later = await admin.get(`/api/v1/audit?from=${next}`)
  assert.equal(later.json.total, 0)
  const bad = await admin.get(`/api/v1/audit?from=${next}&to=${day}`)
  assert.equal(bad.status, 400)
  assert.equal(errorOf(bad).field, 'to')
  const badDay = await admin.get('/api/v1/audit?from=2026-13-01')
  assert.equal(badDay.status, 400)
  assert.equal(errorOf(badDay).field, 'from')
  const badSize = await admin.get('/api/v1/audit?page=1&page_size=0')
  assert.equal(badSize.status, 400)
  assert.equal(errorOf(badSize).field, 'page_size')
})

test('R-ACC-1: an officer asking for another org gets only their own org\'s entries', async () => {
  const res = await officer.get(`/api/v1/audit?org=${orgsByCode.scjg.id}&page=1&page_size=200`)
  assert.equal(res.status, 200)
  assert.ok(res.json.total >= 1, 'their own sign-in at least')
  assert.ok(res.json.items.every((e) => e.org?.id === orgsByCode.xincheng.id), 'no scjg entries leak')
})
