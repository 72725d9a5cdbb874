// The tamper-evident audit trail (R-AUD-1): the API and the CLI agree that an untouched chain is
// intact, and both name the first bad entry after the SQLite file is edited behind the server's
// back (an UPDATE of one entry's summary, a DELETE of a middle entry).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, copyFile, access } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { api } from '../lib/server.mjs'
import { xt, serveDb, DEMO_PASSWORD, show } from './lib/util.mjs'

let dir
let dbPath
let entriesAfterActivity = 0

function sqlite(file, sql) {
  return execFileSync('sqlite3', [file, sql], { encoding: 'utf8' })
}

async function copyDb(from, to) {
  await copyFile(from, to)
  for (const suffix of ['-wal', '-shm']) {
    try {
      await access(from + suffix)
      await copyFile(from + suffix, to + suffix)
    } catch {
      // no such file: nothing to copy
    }
  }
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xt-audit-'))
  dbPath = join(dir, 'xt.db')
  for (const args of [['migrate', '--db', `sqlite:${dbPath}`], ['demo', 'load', '--db', `sqlite:${dbPath}`, '--password', DEMO_PASSWORD]]) {
    const r = await xt(args)
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`)
  }
})
after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

test('R-AUD-1: after some activity GET /api/v1/audit/verify is ok; after the server stops `xietong audit verify` exits 0', async () => {
  const server = await serveDb(dbPath)
  try {
    const admin = await api(server.url).login('admin', DEMO_PASSWORD)
    const org = await admin.post('/api/v1/orgs', { code: 'audit-town', name: '审计镇综合行政执法办公室', short_name: '审计镇', kind: 'township' })
    assert.equal(org.status, 201, show(org))
    const user = await admin.post('/api/v1/users', { username: 'audit.officer', display_name: '审计测试', org_id: org.json.id, roles: ['officer'], password: 'Audit2026pw' })
    assert.equal(user.status, 201, show(user))
    assert.equal((await admin.patch(`/api/v1/users/${user.json.id}`, { roles: ['officer', 'liaison'] })).status, 200)
    const officer = await api(server.url).login('audit.officer', 'Audit2026pw')
    assert.equal((await officer.post('/api/v1/auth/logout')).status, 204)

    const auditor = await api(server.url).login('auditor', DEMO_PASSWORD)
    const v = await auditor.get('/api/v1/audit/verify')
    assert.equal(v.status, 200, show(v))
    assert.equal(v.json.ok, true, JSON.stringify(v.json))
    assert.ok(v.json.entries > 100, `entries ${v.json.entries}`) // the demo county alone writes ~150
    assert.equal(v.json.first_bad, undefined)
    entriesAfterActivity = v.json.entries

    // The newest entries show the activity, chained by hash.
    const recent = await auditor.get('/api/v1/audit?limit=5')
    const [newest, older] = recent.json.items
    assert.equal(newest.seq, older.seq + 1)
    assert.equal(newest.prev_hash, older.hash)
  } finally {
    await server.stop()
  }
  const r = await xt(['audit', 'verify', '--db', `sqlite:${dbPath}`])
  assert.equal(r.code, 0, `${r.stdout}${r.stderr}`)
  assert.match(r.stdout, new RegExp(`${entriesAfterActivity}`))
})

test('R-AUD-1: an UPDATE of entry 3 behind the server\'s back is detected and named by the CLI', async () => {
  const copy = join(dir, 'edited.db')
  await copyDb(dbPath, copy)
  const original = sqlite(copy, 'SELECT summary FROM audit WHERE seq = 3;').trim()
  assert.ok(original.length > 0)
  sqlite(copy, "UPDATE audit SET summary = summary || '（篡改）' WHERE seq = 3;")
  const r = await xt(['audit', 'verify', '--db', `sqlite:${copy}`])
  assert.notEqual(r.code, 0, `tampering went unnoticed: ${r.stdout}`)
  assert.match(r.stdout + r.stderr, /第\s*3\s*条/, r.stdout + r.stderr)
  assert.match(r.stdout + r.stderr, /edited/)
})

test('R-AUD-1: editing an entry\'s detail is detected too', async () => {
  const copy = join(dir, 'detail.db')
  await copyDb(dbPath, copy)
  sqlite(copy, `UPDATE audit SET detail = '{"tampered":true}' WHERE seq = 7;`)
  const r = await xt(['audit', 'verify', '--db', `sqlite:${copy}`])
  assert.notEqual(r.code, 0)
  assert.match(r.stdout + r.stderr, /第\s*7\s*条/)
})

test('R-AUD-1: a DELETE of a middle entry is detected and the missing position named', async () => {
  const copy = join(dir, 'deleted.db')
  await copyDb(dbPath, copy)
  sqlite(copy, 'DELETE FROM audit WHERE seq = 5;')
  const r = await xt(['audit', 'verify', '--db', `sqlite:${copy}`])
  assert.notEqual(r.code, 0, `deletion went unnoticed: ${r.stdout}`)
  assert.match(r.stdout + r.stderr, /第\s*5\s*条/, r.stdout + r.stderr)
  assert.match(r.stdout + r.stderr, /deleted/)
})

test('R-AUD-1: deleting entry 10 and re-numbering the later ones to close the gap is detected', async () => {
  const copy = join(dir, 'renumbered.db')
  await copyDb(dbPath, copy)
  // Remove entry 10 and shift the later ones down to close the gap.
  sqlite(copy, 'DELETE FROM audit WHERE seq = 10; UPDATE audit SET seq = seq - 1 WHERE seq > 10;')
  const r = await xt(['audit', 'verify', '--db', `sqlite:${copy}`])
  assert.notEqual(r.code, 0, `re-numbering went unnoticed: ${r.stdout}`)
  assert.match(r.stdout + r.stderr, /第\s*10\s*条/)
})

test('R-AUD-1: a server running on the tampered file reports ok:false with first_bad', async () => {
  const copy = join(dir, 'served.db')
  await copyDb(dbPath, copy)
  sqlite(copy, "UPDATE audit SET summary = '被改动的记录' WHERE seq = 3;")
  const server = await serveDb(copy)
  try {
    const auditor = await api(server.url).login('auditor', DEMO_PASSWORD)
    const v = await auditor.get('/api/v1/audit/verify')
    assert.equal(v.status, 200, show(v))
    assert.equal(v.json.ok, false)
    assert.equal(v.json.first_bad.seq, 3, JSON.stringify(v.json))
    assert.equal(v.json.first_bad.problem, 'edited')
    assert.match(v.json.first_bad.explanation, /第3条/)

    // The chain keeps reporting the old damage after new entries are appended.
    const admin = await api(server.url).login('admin', DEMO_PASSWORD)
    assert.equal((await admin.post('/api/v1/orgs', { code: 'after-tamper', name: '篡改后新建', short_name: '篡改后', kind: 'township' })).status, 201)
    const again = await admin.get('/api/v1/audit/verify')
    assert.equal(again.json.ok, false)
    assert.equal(again.json.first_bad.seq, 3)

    // Only administrators, auditors and the coordinator may verify.
    const officer = await api(server.url).login('xincheng.officer', DEMO_PASSWORD)
    const denied = await officer.get('/api/v1/audit/verify')
    assert.equal(denied.status, 403, show(denied))
    assert.equal(denied.json.error.rule, 'R-AUD-1')
  } finally {
    await server.stop()
  }
})
