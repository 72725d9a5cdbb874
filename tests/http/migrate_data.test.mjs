// `xietong migrate-data --from sqlite:… --to postgres://…` (issue 6): a county's SQLite database
// moves to PostgreSQL with its ids, accounts and audit chain; the target must be empty and have the
// same tables; tampering with the migrated audit table is detected on PostgreSQL too.
// Needs XT_PG_DSN (make test provides it); XT_ALLOW_NO_PG=1 skips the suite without it.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, api, createPgDatabase, psql, SKIP_EXIT_CODE } from '../lib/server.mjs'
import { xt, serveDb, show } from './lib/util.mjs'

if (!process.env.XT_PG_DSN) {
  if (process.env.XT_ALLOW_NO_PG === '1') {
    console.log('SKIPPED: migrate_data needs XT_PG_DSN (XT_ALLOW_NO_PG=1)')
    process.exit(SKIP_EXIT_CODE)
  }
  throw new Error('migrate_data needs XT_PG_DSN (run through `make test`, or eval "$(scripts/pg start)")')
}

const NEW_PASSWORD = 'Migrate#2026pw'
let sqliteServer // stays alive until after(): its temp dir holds the SQLite file
let sqliteDb
const dbs = [] // PostgreSQL databases to drop
let before_ = {} // what the SQLite server showed

async function freshPg() {
  const d = await createPgDatabase('xt_migrate')
  dbs.push(d)
  return d
}

const serveUrl = (url) => serveDb(url)

before(async () => {
  sqliteServer = await startServer({ fakeClock: '2026-11-25T09:00:00+08:00' })
  assert.equal(sqliteServer.backend ?? 'sqlite', 'sqlite', 'migrate_data runs its source on SQLite')
  sqliteDb = `sqlite:${sqliteServer.dbPath}`
  const admin = await api(sqliteServer.url).login('admin', sqliteServer.password)
  const orgs = (await admin.get('/api/v1/orgs')).json.items
  const xincheng = orgs.find((o) => o.code === 'xincheng')
  assert.ok(xincheng, 'the demo county has 新城镇')
  const created = await admin.post('/api/v1/users', {
    username: 'migrated.officer',
    display_name: '迁移测试',
    org_id: xincheng.id,
    roles: ['officer'],
    password: NEW_PASSWORD,
  })
  assert.equal(created.status, 201, show(created))
  const staff = await api(sqliteServer.url).login('coordinator.staff', sqliteServer.password)
  const duty = await staff.post('/api/v1/duties', {
    kind: 'task.assigned',
    owner_org_id: xincheng.id,
    object_type: 'external',
    object_id: 'XT-MIGRATE-1',
    title: '交办任务：迁移测试',
    trigger_at: '2026-11-25T09:00:00+08:00',
  })
  assert.equal(duty.status, 201, show(duty))
  const seen = {
    user: created.json,
    duty: duty.json,
    users: (await admin.get('/api/v1/users?page_size=200')).json,
    duties: (await staff.get('/api/v1/duties?scope=all&page_size=200')).json,
  }
  assert.ok(seen.users.items?.length > 50, `users listed: ${JSON.stringify(seen.users).slice(0, 200)}`)
  assert.ok(seen.duties.items?.some((d) => d.id === duty.json.id), 'the new duty is listed')
  before_ = seen
  // The server stays up (stop() deletes its temp dir) but idle: migrate-data reads one snapshot.
})

after(async () => {
  await sqliteServer?.stop()
  for (const d of dbs) await d.drop().catch(() => {})
})

test('migrate-data copies everything; audit verify passes on PostgreSQL; the same accounts sign in and see the same data', async () => {
  const target = await freshPg()
  const r = await xt(['migrate-data', '--from', sqliteDb, '--to', target.url])
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`)
  assert.match(r.stdout, /已迁移 \d+ 张表/)
  const v = await xt(['audit', 'verify', '--db', target.url])
  assert.equal(v.code, 0, `${v.stdout}\n${v.stderr}`)
  const src = await xt(['audit', 'verify', '--db', sqliteDb])
  assert.equal(v.stdout.trim(), src.stdout.trim(), 'the same number of audit entries')

  const pg = await serveUrl(target.url)
  try {
    const admin = await api(pg.url).login('admin', sqliteServer.password)
    const migrated = await api(pg.url).login('migrated.officer', NEW_PASSWORD)
    assert.equal(migrated.user.id, before_.user.id, 'same user id')
    const staff = await api(pg.url).login('coordinator.staff', sqliteServer.password)
    const users = (await admin.get('/api/v1/users?page_size=200')).json
    assert.deepEqual(users, before_.users)
    const duty = await staff.get(`/api/v1/duties/${before_.duty.id}`)
    assert.equal(duty.status, 200, show(duty))
    assert.equal(duty.json.title, before_.duty.title)
    assert.equal(duty.json.due_at, before_.duty.due_at)
    const duties = (await staff.get('/api/v1/duties?scope=all&page_size=200')).json
    assert.deepEqual(duties.items?.map((d) => d.id), before_.duties.items?.map((d) => d.id))

    // Sequences continue after the copied ids: a new user gets a fresh id.
    const orgs = (await admin.get('/api/v1/orgs')).json.items
    const another = await admin.post('/api/v1/users', {
      username: 'after.migration',
      display_name: '迁移之后',
      org_id: orgs.find((o) => o.code === 'xincheng').id,
      roles: ['officer'],
      password: NEW_PASSWORD,
    })
    assert.equal(another.status, 201, show(another))
    assert.ok(another.json.id > Math.max(...before_.users.items.map((u) => u.id)))
  } finally {
    await pg.stop()
  }
  const again = await xt(['audit', 'verify', '--db', target.url])
  assert.equal(again.code, 0, `the chain stays intact after more activity on PostgreSQL: ${again.stdout}`)

  // Tampering on PostgreSQL is detected, as on SQLite (tests/http/audit.test.mjs).
  await psql("UPDATE audit SET summary = summary || '（篡改）' WHERE seq = 3", target.name)
  const tampered = await xt(['audit', 'verify', '--db', target.url])
  assert.equal(tampered.code, 3, tampered.stdout)
  assert.match(tampered.stdout, /第 3 条/)
})

test('a deleted audit entry on PostgreSQL is detected', async () => {
  const target = await freshPg()
  const r = await xt(['migrate-data', '--from', sqliteDb, '--to', target.url])
  assert.equal(r.code, 0, r.stderr)
  await psql('DELETE FROM audit WHERE seq = 5', target.name)
  const v = await xt(['audit', 'verify', '--db', target.url])
  assert.equal(v.code, 3, v.stdout)
})

test('a non-empty target is refused and left as it was', async () => {
  const target = await freshPg()
  assert.equal((await xt(['migrate-data', '--from', sqliteDb, '--to', target.url])).code, 0)
  const count = (await psql('SELECT count(*) FROM audit', target.name)).trim()
  const r = await xt(['migrate-data', '--from', sqliteDb, '--to', target.url])
  assert.notEqual(r.code, 0)
  assert.match(r.stderr, /目标数据库不是空的/)
  assert.equal((await psql('SELECT count(*) FROM audit', target.name)).trim(), count)
})

test('a target with other tables or columns is refused, naming each mismatch, and nothing is copied', async () => {
  const target = await freshPg()
  assert.equal((await xt(['migrate', '--db', target.url])).code, 0)
  await psql('CREATE TABLE extra_table (x INTEGER); ALTER TABLE users ADD COLUMN extra_col TEXT', target.name)
  const r = await xt(['migrate-data', '--from', sqliteDb, '--to', target.url])
  assert.notEqual(r.code, 0)
  assert.match(r.stderr, /extra_table/)
  assert.match(r.stderr, /users 缺少列 extra_col/)
  assert.equal((await psql('SELECT count(*) FROM users', target.name)).trim(), '0')
})

test('bad addresses are refused', async () => {
  const target = await freshPg()
  const missing = await xt(['migrate-data', '--from', 'sqlite:/nonexistent/xt.db', '--to', target.url])
  assert.equal(missing.code, 2, missing.stderr)
  const wrong = await xt(['migrate-data', '--from', target.url, '--to', sqliteDb])
  assert.equal(wrong.code, 2, wrong.stderr)
})
