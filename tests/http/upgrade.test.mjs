// Upgrades (issue 18): a database created by every earlier schema version (tests/upgrade/<backend>/
// vN.sql: migrations 1..N plus sample rows, made by scripts/make-upgrade-dumps) migrates to the
// current version with its data and audit chain (R-AUD-1), and the server serves it; a database
// migrated by a newer binary is refused with the schema version the program would need.
// xt-backends: sqlite postgres (XT_DB_BACKEND=postgres loads the PostgreSQL dumps)
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { api, createPgDatabase, pgServer, DB_BACKEND, DEMO_PASSWORD, REPO_ROOT, SKIP_EXIT_CODE } from '../lib/server.mjs'
import { xt, serveDb, show } from './lib/util.mjs'

if (DB_BACKEND === 'postgres' && !process.env.XT_PG_DSN) {
  if (process.env.XT_ALLOW_NO_PG === '1') process.exit(SKIP_EXIT_CODE)
  throw new Error('XT_DB_BACKEND=postgres needs XT_PG_DSN')
}

const DUMPS = join(REPO_ROOT, 'tests', 'upgrade', DB_BACKEND)
const work = await mkdtemp(join(tmpdir(), 'xt-upgrade-'))
const dbs = []
after(async () => {
  for (const d of dbs) await d.drop().catch(() => {})
  await rm(work, { recursive: true, force: true })
})

function run(cmd, args, input) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}: ${out}`))))
    child.stdin.end(input)
  })
}

/** A database loaded from a dump: sqlite:PATH or a fresh PostgreSQL database's URL. */
async function load(file, name) {
  const sql = await readFile(join(DUMPS, file), 'utf8')
  if (DB_BACKEND === 'postgres') {
    const d = await createPgDatabase('xt_upgrade')
    dbs.push(d)
    const s = pgServer()
    await run('psql', [`host=${s.host} port=${s.port} user=${s.user} dbname=${d.name}`, '-X', '-q', '-v', 'ON_ERROR_STOP=1'], sql)
    return { url: d.url, name: d.name }
  }
  const path = join(work, `${name}.db`)
  await run('sqlite3', [path], sql)
  return { url: `sqlite:${path}`, path }
}

const files = (await readdir(DUMPS)).filter((f) => /^v\d+\.sql$/.test(f))
  .sort((a, b) => Number(a.slice(1, -4)) - Number(b.slice(1, -4)))

test('there is a dump for every schema version from 1 up', () => {
  assert.ok(files.length >= 9, `dumps: ${files}`)
  files.forEach((f, i) => assert.equal(f, `v${i + 1}.sql`))
})

for (const file of files) {
  const version = Number(file.slice(1, -4))
  test(`R-AUD-1: a database of schema version ${version} migrates, keeps its rows and audit chain, and is served`, async () => {
    const db = await load(file, `v${version}`)
    // Before migrating: the server refuses to serve an outdated schema it was told not to migrate?
    // `serve` migrates on open; `migrate` is the documented first step.
    const m = await xt(['migrate', '--db', db.url])
    assert.equal(m.code, 0, `${m.stdout}\n${m.stderr}`)
    const current = Number(/版本 (\d+)/.exec(m.stdout)?.[1])
    assert.ok(current >= version && current >= 9, m.stdout)
    const v = await xt(['audit', 'verify', '--db', db.url])
    assert.equal(v.code, 0, `${v.stdout}\n${v.stderr}`)
    assert.match(v.stdout, /审计链完整：共 3 条记录/)
    const srv = await serveDb(db.url)
    try {
      const ready = await fetch(new URL('/readyz', srv.url))
      assert.equal(ready.status, 200)
      const admin = await api(srv.url).login('admin', DEMO_PASSWORD)
      assert.equal(admin.user.username, 'admin')
      const orgs = await admin.get('/api/v1/orgs')
      assert.equal(orgs.status, 200, show(orgs))
      assert.ok(orgs.json.items.some((o) => o.code === 'coordinator'), show(orgs))
      // New rows continue after the old ones (ids, the audit sequence).
      const created = await admin.post('/api/v1/orgs', {
        code: `upgraded${version}`, name: `升级测试机构${version}`, short_name: `升级${version}`, kind: 'township',
      })
      assert.equal(created.status, 201, show(created))
      const audit = await admin.get('/api/v1/audit?page_size=50')
      assert.equal(audit.status, 200, show(audit))
    } finally {
      await srv.stop()
    }
    const after = await xt(['audit', 'verify', '--db', db.url])
    assert.equal(after.code, 0, `${after.stdout}\n${after.stderr}`)
  })
}

test('a database migrated by a newer binary is refused, naming the schema version needed', async () => {
  const db = await load(files[files.length - 1], 'newer')
  assert.equal((await xt(['migrate', '--db', db.url])).code, 0)
  const insert = 'INSERT INTO schema_migrations (version, applied_at) VALUES (999, 0);'
  if (DB_BACKEND === 'postgres') {
    const s = pgServer()
    await run('psql', [`host=${s.host} port=${s.port} user=${s.user} dbname=${db.name}`, '-X', '-q', '-v', 'ON_ERROR_STOP=1'], insert)
  } else {
    await run('sqlite3', [db.path], insert)
  }
  const r = await xt(['serve', '--db', db.url, '--listen', '127.0.0.1:0', '--access-log', 'off'])
  assert.notEqual(r.code, 0)
  assert.match(r.stderr, /schema_too_new/)
  assert.match(r.stderr, /999/)
  assert.match(r.stderr, /支持架构版本 999 的程序|schema version is 999/)
  const m = await xt(['migrate', '--db', db.url])
  assert.notEqual(m.code, 0)
  assert.match(m.stderr, /999/)
})
