// Signed audit checkpoints (R-AUD-1, issue 15 finding 1): each attack of the finding is replayed
// on a copy of a real SQLite file — the last entry deleted, the last 50, every entry, entry 244
// edited and every later hash recomputed with plain SHA-256 — and `xietong audit verify
// --checkpoint FILE` fails naming the held file, also when the attacker emptied the checkpoints
// table too. An untouched log that grew after the checkpoint still passes. Every signed-in user
// downloads the same checkpoint the CLI exports.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtemp, rm, copyFile, access, readFile, writeFile, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { api } from '../lib/server.mjs'
import { xt, serveDb, DEMO_PASSWORD, show } from './lib/util.mjs'

let dir
let dbPath
let keyPath
let heldFile // the checkpoint exported by the CLI after the activity

function sqlite(file, sql) {
  return execFileSync('sqlite3', [file], { input: sql, encoding: 'utf8', maxBuffer: 64 << 20 })
}

async function copyDb(name) {
  const to = join(dir, name)
  await copyFile(dbPath, to)
  for (const suffix of ['-wal', '-shm']) {
    try {
      await access(dbPath + suffix)
      await copyFile(dbPath + suffix, to + suffix)
    } catch {
      // no such file
    }
  }
  return to
}

const serve = (db) => serveDb(db, { extraArgs: ['--audit-key', keyPath] })
const verify = (db, ...files) => xt(['audit', 'verify', '--db', `sqlite:${db}`, ...files.flatMap((f) => ['--checkpoint', f])])
const out = (r) => r.stdout + r.stderr

/** The chain hash of domain/audit.cc, recomputed as an attacker would: plain SHA-256, no key. */
function chainHash(e) {
  const put = (s) => `${Buffer.byteLength(s)}:${s};`
  const enc = 'xietong-audit-v1;' + put(String(e.seq)) + put(String(e.at)) + put(e.actor_user_id == null ? '' : String(e.actor_user_id)) +
    put(e.actor_org_id == null ? '' : String(e.actor_org_id)) + put(e.action) + put(e.object_type) + put(e.object_id) + put(e.summary) + put(e.detail_digest)
  return createHash('sha256').update(e.prev_hash + enc).digest('hex')
}

/** Edits entry `seq`'s summary and recomputes that entry's and every later entry's hash. */
function rewriteFrom(db, seq) {
  const rows = JSON.parse(sqlite(db, `.mode json\nSELECT * FROM audit WHERE seq >= ${seq - 1} ORDER BY seq;`))
  const sql = ['BEGIN;']
  let prev = rows[0].hash
  for (const e of rows.slice(1)) {
    if (e.seq === seq) e.summary = '（改写）' + e.summary
    e.prev_hash = prev
    e.hash = chainHash(e)
    prev = e.hash
    sql.push(`UPDATE audit SET summary = '${e.summary.replaceAll("'", "''")}', prev_hash = '${e.prev_hash}', hash = '${e.hash}' WHERE seq = ${e.seq};`)
  }
  sql.push('COMMIT;')
  sqlite(db, sql.join('\n'))
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xt-audit-cp-'))
  dbPath = join(dir, 'xt.db')
  keyPath = join(dir, 'keys', 'audit-signing.key')
  for (const args of [['migrate', '--db', `sqlite:${dbPath}`], ['demo', 'load', '--db', `sqlite:${dbPath}`, '--password', DEMO_PASSWORD]]) {
    const r = await xt(args)
    assert.equal(r.code, 0, `${args.join(' ')}: ${out(r)}`)
  }
  // Activity past entry 244 (the finding's row): one audit entry per org created.
  const server = await serve(dbPath)
  try {
    const admin = await api(server.url).login('admin', DEMO_PASSWORD)
    const before = (await admin.get('/api/v1/audit?limit=1')).json.items[0].seq
    for (let i = 0; before + i <= 260; i++) {
      const r = await admin.post('/api/v1/orgs', { code: `cp-town-${i}`, name: `检查点测试镇${i}`, short_name: `检查${i}`, kind: 'township' })
      assert.equal(r.status, 201, show(r))
    }
  } finally {
    await server.stop() // signs the head as the server leaves it
  }
  heldFile = join(dir, 'held-checkpoint.json')
  const r = await xt(['audit', 'checkpoint', 'export', '--db', `sqlite:${dbPath}`, '--to', heldFile])
  assert.equal(r.code, 0, out(r))
})
after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

test('R-AUD-1: the key file is created 0600; the exported checkpoint covers the whole log and is signed by the key `audit key show` prints', async () => {
  assert.equal((await stat(keyPath)).mode & 0o777, 0o600)
  const cp = JSON.parse(await readFile(heldFile, 'utf8'))
  const head = Number(sqlite(dbPath, 'SELECT MAX(seq) FROM audit;').trim())
  assert.ok(head > 260, `head ${head}`)
  assert.equal(cp.format, 'xietong-audit-checkpoint-v1')
  assert.equal(cp.seq, head)
  assert.equal(cp.hash, sqlite(dbPath, `SELECT hash FROM audit WHERE seq = ${head};`).trim())
  const key = await xt(['audit', 'key', 'show', '--audit-key', keyPath])
  assert.equal(key.code, 0, out(key))
  assert.equal(key.stdout.trim(), cp.public_key)
  const r = await verify(dbPath, heldFile)
  assert.equal(r.code, 0, out(r))
  assert.match(r.stdout, /日志与之一致/)
})

test('R-AUD-1: a key file others may read is refused at start', async () => {
  const loose = join(dir, 'loose.key')
  await writeFile(loose, (await readFile(keyPath, 'utf8')), { mode: 0o644 })
  const r = await xt(['serve', '--db', `sqlite:${dbPath}`, '--listen', '127.0.0.1:0', '--audit-key', loose], { timeoutMs: 10_000 })
  assert.notEqual(r.code, 0)
  assert.match(out(r), /0600/)
})

for (const [name, sql, problem] of [
  ['the last entry deleted', 'DELETE FROM audit WHERE seq = (SELECT MAX(seq) FROM audit);', /truncated/],
  ['the last 50 entries deleted', 'DELETE FROM audit WHERE seq > (SELECT MAX(seq) - 50 FROM audit);', /truncated/],
  ['every entry deleted', 'DELETE FROM audit;', /truncated/],
]) {
  test(`R-AUD-1: ${name} (and the checkpoints table emptied) fails verification against the held checkpoint`, async () => {
    const db = await copyDb(`${name.replaceAll(' ', '-')}.db`)
    sqlite(db, sql)
    // With the checkpoints table intact, the table alone already contradicts the log.
    const table = await verify(db)
    assert.equal(table.code, 3, out(table))
    assert.match(out(table), /audit_checkpoints表/)
    // The attacker empties the checkpoints table too: the chain that is left verifies …
    sqlite(db, 'DELETE FROM audit_checkpoints;')
    const plain = await verify(db)
    assert.equal(plain.code, 0, `the remaining chain is self-consistent: ${out(plain)}`)
    // … but not against the checkpoint an org holds.
    const r = await verify(db, heldFile)
    assert.equal(r.code, 3, out(r))
    assert.match(out(r), new RegExp(`检查点 ${heldFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))
    assert.match(out(r), problem)
  })
}

test('R-AUD-1: entry 244 edited and every later hash recomputed with plain SHA-256 fails against the held checkpoint', async () => {
  const db = await copyDb('rewritten.db')
  rewriteFrom(db, 244)
  sqlite(db, 'DELETE FROM audit_checkpoints;')
  const plain = await verify(db)
  assert.equal(plain.code, 0, `the recomputed chain passes on its own: ${out(plain)}`)
  const r = await verify(db, heldFile)
  assert.equal(r.code, 3, out(r))
  assert.match(out(r), /held-checkpoint\.json/)
  assert.match(out(r), /rewritten/)
  assert.match(out(r), /改写/)
})

test('R-AUD-1: the rewrite with the checkpoints table kept is caught by the table itself', async () => {
  const db = await copyDb('rewritten-table.db')
  rewriteFrom(db, 244)
  const r = await verify(db)
  assert.equal(r.code, 3, out(r))
  assert.match(out(r), /rewritten/)
})

test('R-AUD-1: deleting only the checkpoints rows while holding a file is reported (not_in_table)', async () => {
  const db = await copyDb('table-emptied.db')
  sqlite(db, 'DELETE FROM audit_checkpoints;')
  const r = await verify(db, heldFile)
  assert.equal(r.code, 3, out(r))
  assert.match(out(r), /not_in_table/)
})

test('R-AUD-1: a checkpoint file altered by hand (its hash replaced) fails on its signature', async () => {
  const cp = JSON.parse(await readFile(heldFile, 'utf8'))
  cp.hash = createHash('sha256').update('forged').digest('hex')
  const forged = join(dir, 'forged.json')
  await writeFile(forged, JSON.stringify(cp))
  const r = await verify(dbPath, forged)
  assert.equal(r.code, 3, out(r))
  assert.match(out(r), /bad_signature/)
  assert.match(out(r), /forged\.json/)
})

test('R-AUD-1: an untouched log that grew after the checkpoint passes; every org downloads the newer checkpoint', async () => {
  const db = await copyDb('grown.db')
  const server = await serve(db)
  let downloaded
  try {
    const admin = await api(server.url).login('admin', DEMO_PASSWORD)
    assert.equal((await admin.post('/api/v1/orgs', { code: 'cp-after', name: '检查点之后新建', short_name: '之后', kind: 'township' })).status, 201)
    const officer = await api(server.url).login('xincheng.officer', DEMO_PASSWORD)
    const got = await officer.get('/api/v1/audit/checkpoint')
    assert.equal(got.status, 200, show(got))
    assert.equal(got.json.format, 'xietong-audit-checkpoint-v1')
    assert.ok(got.json.seq >= JSON.parse(await readFile(heldFile, 'utf8')).seq)
    downloaded = got.json
    const anonymous = await fetch(new URL('/api/v1/audit/checkpoint', server.url))
    assert.equal(anonymous.status, 401)
  } finally {
    await server.stop()
  }
  const newer = join(dir, 'downloaded.json')
  await writeFile(newer, JSON.stringify(downloaded))
  const r = await verify(db, heldFile, newer)
  assert.equal(r.code, 0, out(r))
  assert.equal((out(r).match(/日志与之一致/g) || []).length, 2, out(r))
  // The export of the grown log is newer than the held one (signed at stop).
  const exported = await xt(['audit', 'checkpoint', 'export', '--db', `sqlite:${db}`])
  assert.equal(exported.code, 0, out(exported))
  assert.ok(JSON.parse(exported.stdout).seq > JSON.parse(await readFile(heldFile, 'utf8')).seq)
})
