// Backup and restore (issue 18), on SQLite and on PostgreSQL (XT_DB_BACKEND=postgres):
// `xietong backup` while a client writes, `xietong restore` into a fresh database, a server on
// it finds every write acknowledged before the backup started and an intact audit chain (R-AUD-1);
// restore refuses a non-empty database without --force and changes nothing; the server's own
// schedule (--backup-dir/--backup-every/--backup-keep) reports on /metrics and to admins only
// (GET /api/v1/admin/backups, R-ACC-1).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer, api, createPgDatabase, DB_BACKEND } from '../lib/server.mjs'
import { xt, serveDb, show } from './lib/util.mjs'

let srv
let staff
let xinchengId
let work // temp dir for backups and restored SQLite files
const dbs = [] // PostgreSQL databases to drop

before(async () => {
  srv = await startServer()
  work = await mkdtemp(join(tmpdir(), 'xt-backup-'))
  staff = await api(srv.url).login('coordinator.staff', srv.password)
  const admin = await api(srv.url).login('admin', srv.password)
  xinchengId = (await admin.get('/api/v1/orgs')).json.items.find((o) => o.code === 'xincheng').id
})

after(async () => {
  await srv?.stop()
  for (const d of dbs) await d.drop().catch(() => {})
  if (work) await rm(work, { recursive: true, force: true })
})

/** A fresh, empty target database: a new SQLite path or a new PostgreSQL database. */
async function freshDb(name) {
  if (DB_BACKEND === 'postgres') {
    const d = await createPgDatabase('xt_restore')
    dbs.push(d)
    return d.url
  }
  return `sqlite:${join(work, `${name}.db`)}`
}

let serial = 0
async function writeDuty(client = staff) {
  const n = ++serial
  const res = await client.post('/api/v1/duties', {
    kind: 'task.assigned',
    owner_org_id: xinchengId,
    object_type: 'external',
    object_id: `XT-BACKUP-${n}`,
    title: `交办任务：备份测试 ${n}`,
    trigger_at: '2026-11-25T09:00:00+08:00',
  })
  assert.equal(res.status, 201, show(res))
  return res.json.id
}

let backupDir
let ackedBeforeBackup = []
let ackedAll = []

test('R-AUD-1: backup under write load, restore into a fresh database: every write acknowledged before the backup started is there, the audit chain is intact', async () => {
  for (let i = 0; i < 5; i++) ackedAll.push(await writeDuty())
  // A client keeps writing while the backup runs.
  let stop = false
  const writer = (async () => {
    while (!stop) ackedAll.push(await writeDuty())
  })()
  while (ackedAll.length < 15) await new Promise((r) => setTimeout(r, 5))
  ackedBeforeBackup = [...ackedAll]
  backupDir = join(work, 'backup-1')
  const b = await xt(['backup', '--db', `sqlite:${srv.dbPath}`, '--to', backupDir], { timeoutMs: 120_000 })
  stop = true
  await writer
  assert.equal(b.code, 0, `${b.stdout}\n${b.stderr}`)
  assert.match(b.stdout, /备份完成并已校验/)
  assert.ok(ackedAll.length > ackedBeforeBackup.length, 'the client wrote during the backup')

  // The manifest names the database copy with its SHA-256 and the checks made.
  const manifest = JSON.parse(await readFile(join(backupDir, 'manifest.json'), 'utf8'))
  assert.equal(manifest.format, 'xietong-backup-v1')
  assert.equal(manifest.backend, DB_BACKEND)
  assert.equal(manifest.files.length, 1)
  const file = manifest.files[0]
  const bytes = await readFile(join(backupDir, file.name))
  assert.equal(bytes.length, file.bytes)
  assert.equal(createHash('sha256').update(bytes).digest('hex'), file.sha256)
  assert.match(manifest.verified.audit_chain, /^intact/)
  assert.ok(manifest.verified.audit_entries > 0)
  assert.ok(manifest.schema_version > 0)

  const target = await freshDb('restored')
  const r = await xt(['restore', '--from', backupDir, '--db', target], { timeoutMs: 120_000 })
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`)
  assert.match(r.stdout, /审计链完整/)
  const v = await xt(['audit', 'verify', '--db', target])
  assert.equal(v.code, 0, `${v.stdout}\n${v.stderr}`)

  const restored = await serveDb(target)
  try {
    const s = await api(restored.url).login('coordinator.staff', srv.password)
    for (const id of ackedBeforeBackup) {
      const d = await s.get(`/api/v1/duties/${id}`)
      assert.equal(d.status, 200, `duty ${id}, acknowledged before the backup started, is in the restore: ${show(d)}`)
    }
    // Evidence files live in the database: an uploaded file comes back too (checked below on
    // the forced restore); writes after the backup are simply absent, never half-there.
    const later = ackedAll.slice(ackedBeforeBackup.length)
    for (const id of later) {
      const d = await s.get(`/api/v1/duties/${id}`)
      assert.ok(d.status === 200 || d.status === 404, show(d))
    }
  } finally {
    await restored.stop()
  }
})

test('restore refuses a non-empty database without --force and changes nothing; --force overwrites it', async () => {
  assert.ok(backupDir, 'the first test made a backup')
  const target = await freshDb('occupied')
  let r = await xt(['restore', '--from', backupDir, '--db', target], { timeoutMs: 120_000 })
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`)
  // A write made on the restored database after the restore: not in the backup.
  const up = await serveDb(target)
  let marker
  let fileId
  try {
    const s = await api(up.url).login('coordinator.staff', srv.password)
    marker = await writeDuty(s)
    const officer = await api(up.url).login('xincheng.officer', srv.password)
    const upRes = await fetch(new URL('/api/v1/files', up.url), {
      method: 'POST',
      body: `备份证据 ${Date.now()}\n`,
      headers: {
        'Content-Type': 'text/plain',
        'X-File-Name': encodeURIComponent('备份证据.txt'),
        Cookie: [...officer.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        'X-CSRF-Token': officer.csrfToken,
      },
    })
    assert.equal(upRes.status, 201, await upRes.clone().text())
    fileId = (await upRes.json()).id
  } finally {
    await up.stop()
  }
  // Without --force: refused, and the database still holds the marker.
  r = await xt(['restore', '--from', backupDir, '--db', target], { timeoutMs: 120_000 })
  assert.notEqual(r.code, 0)
  assert.match(r.stderr, /database_not_empty|非空/)
  const again = await serveDb(target)
  try {
    const s = await api(again.url).login('coordinator.staff', srv.password)
    assert.equal((await s.get(`/api/v1/duties/${marker}`)).status, 200, 'the refused restore changed nothing')
    const o = await api(again.url).login('xincheng.officer', srv.password)
    assert.equal((await o.get(`/api/v1/files/${fileId}`)).status, 200)
  } finally {
    await again.stop()
  }

  // A backup of this database carries the uploaded evidence file; a forced restore of the
  // older backup drops the marker.
  const second = join(work, 'backup-2')
  r = await xt(['backup', '--db', target, '--to', second], { timeoutMs: 120_000 })
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`)
  r = await xt(['restore', '--from', backupDir, '--db', target, '--force'], { timeoutMs: 120_000 })
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`)
  const forced = await serveDb(target)
  try {
    const s = await api(forced.url).login('coordinator.staff', srv.password)
    assert.equal((await s.get(`/api/v1/duties/${marker}`)).status, 404, 'the forced restore replaced the database')
  } finally {
    await forced.stop()
  }
  const withFile = await freshDb('with-file')
  r = await xt(['restore', '--from', second, '--db', withFile], { timeoutMs: 120_000 })
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`)
  const f = await serveDb(withFile)
  try {
    const o = await api(f.url).login('xincheng.officer', srv.password)
    const got = await o.get(`/api/v1/files/${fileId}`)
    assert.equal(got.status, 200, 'the evidence file is part of the backup')
    assert.match(got.text, /备份证据/)
  } finally {
    await f.stop()
  }
})

test('a damaged backup is refused before anything is touched', async () => {
  const copy = join(work, 'backup-damaged')
  const r0 = await xt(['backup', '--db', `sqlite:${srv.dbPath}`, '--to', copy], { timeoutMs: 120_000 })
  assert.equal(r0.code, 0, r0.stderr)
  const manifest = JSON.parse(await readFile(join(copy, 'manifest.json'), 'utf8'))
  const { writeFile } = await import('node:fs/promises')
  const bytes = await readFile(join(copy, manifest.files[0].name))
  bytes[bytes.length - 100] ^= 0xff
  await writeFile(join(copy, manifest.files[0].name), bytes)
  const target = await freshDb('damaged')
  const r = await xt(['restore', '--from', copy, '--db', target])
  assert.notEqual(r.code, 0)
  assert.match(r.stderr, /backup_corrupt|校验值不符/)
  assert.equal((await xt(['backup', '--db', `sqlite:${srv.dbPath}`, '--to', copy])).code, 2, 'an existing directory is not overwritten')
})

test('R-ACC-1: scheduled backups: kept, verified, on /metrics and for admins only', async () => {
  const dir = join(work, 'scheduled')
  const s = await serveDb(srv.dbPath, { extraArgs: ['--backup-dir', dir, '--backup-every', '2s', '--backup-keep', '2'] })
  try {
    const admin = await api(s.url).login('admin', srv.password)
    let status
    for (let i = 0; i < 400; i++) {
      status = await admin.get('/api/v1/admin/backups')
      assert.equal(status.status, 200, show(status))
      const names = (await readdir(dir).catch(() => [])).filter((n) => !n.endsWith('.partial'))
      if (status.json.last_success && names.length >= 2) {
        const m = await fetch(new URL('/metrics', s.url)).then((x) => x.text())
        if (/^xietong_backup_runs_total ([3-9]|\d\d+)/m.test(m)) break
      }
      await new Promise((r) => setTimeout(r, 200))
    }
    const body = status.json
    assert.equal(body.enabled, true)
    assert.equal(body.every_seconds, 2)
    assert.equal(body.keep, 2)
    assert.equal(body.status, 'ok')
    assert.ok(body.last_success.bytes > 0)
    assert.ok(body.last_success.age_seconds >= 0)
    const names = (await readdir(dir)).filter((n) => !n.endsWith('.partial'))
    assert.ok(names.length <= 2, `--backup-keep 2 keeps two: ${names}`)
    const metrics = await fetch(new URL('/metrics', s.url)).then((x) => x.text())
    const last = Number(/^xietong_backup_last_success_timestamp_seconds (\S+)$/m.exec(metrics)?.[1])
    assert.ok(last > Date.now() / 1000 - 600, metrics)
    assert.match(metrics, /^xietong_backup_last_size_bytes [1-9]/m)
    assert.match(metrics, /^xietong_backup_failures_total 0$/m)
    assert.match(metrics, /^xietong_backup_runs_total ([3-9]|\d\d+)/m)
    // Admins only: others are refused, anonymous is 401.
    const officer = await api(s.url).login('xincheng.officer', srv.password)
    assert.equal((await officer.get('/api/v1/admin/backups')).status, 403)
    const coord = await api(s.url).login('coordinator.staff', srv.password)
    assert.equal((await coord.get('/api/v1/admin/backups')).status, 403)
    assert.equal((await api(s.url).anonymous().get('/api/v1/admin/backups')).status, 401)
  } finally {
    await s.stop()
  }
})

test('several instances on PostgreSQL: one runs the schedule (advisory lock), another takes over when it stops', { skip: DB_BACKEND !== 'postgres' && 'PostgreSQL only' }, async () => {
  const dir = join(work, 'scheduled-two')
  const args = { extraArgs: ['--backup-dir', dir, '--backup-every', '2s', '--backup-keep', '3'] }
  const a = await serveDb(srv.dbPath, args)
  const b = await serveDb(srv.dbPath, args)
  const runs = async (s) => Number(/^xietong_backup_runs_total (\d+)/m.exec(await fetch(new URL('/metrics', s.url)).then((x) => x.text()))?.[1])
  try {
    let ra = 0
    let rb = 0
    for (let i = 0; i < 300 && ra + rb < 3; i++) {
      await new Promise((r) => setTimeout(r, 200))
      ra = await runs(a)
      rb = await runs(b)
    }
    assert.ok(ra + rb >= 3, `backups ran: ${ra} + ${rb}`)
    assert.ok(ra === 0 || rb === 0, `only one instance runs the schedule: ${ra} and ${rb}`)
    const [leader, standby] = ra > 0 ? [a, b] : [b, a]
    await leader.stop()
    let taken = 0
    for (let i = 0; i < 400 && taken === 0; i++) {
      await new Promise((r) => setTimeout(r, 200))
      taken = await runs(standby)
    }
    assert.ok(taken > 0, 'the standby took the schedule over')
    const admin = await api(standby.url).login('admin', srv.password)
    const st = await admin.get('/api/v1/admin/backups')
    assert.equal(st.json.status, 'ok', show(st))
  } finally {
    await a.stop()
    await b.stop()
  }
})
