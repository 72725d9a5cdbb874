// The 数据备份 card (issue 18) on 审计日志: administrators see the last verified backup, its size
// and age — green when fresh, yellow (已逾期) after a missed day; auditors, who also open
// 审计日志, do not see it (GET /api/v1/admin/backups is admin only, R-ACC-1).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer, api } from '../lib/server.mjs'
import { signIn, noLoading, screenshot } from '../lib/browser.mjs'

let server
let dir

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xt-backups-ui-'))
  server = await startServer({ fakeClock: new Date(), extraArgs: ['--backup-dir', dir, '--backup-every', '24h'] })
  // The first scheduled backup runs at start.
  const admin = await api(server.url).login('admin', server.password)
  for (let i = 0; i < 100; i++) {
    if ((await admin.get('/api/v1/admin/backups')).json?.last_success) break
    await new Promise((r) => setTimeout(r, 200))
  }
})
after(async () => {
  await server?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

async function openAudit(username) {
  const s = await signIn(server, username)
  await s.page.goto(`${server.url}/admin/audit`)
  await s.page.locator('[data-test=page-title], h1').first().waitFor()
  await noLoading(s.page)
  return s
}

test('an administrator sees the last good backup; it turns yellow after a missed day', async () => {
  let { browser, page, errors } = await openAudit('admin')
  try {
    const card = page.locator('[data-test=backup-card]')
    await card.waitFor()
    await page.locator('[data-test=backup-last]').waitFor()
    assert.equal(await card.getAttribute('data-status'), 'ok')
    assert.match(await card.innerText(), /数据备份/)
    assert.match(await page.locator('[data-test=backup-status]').innerText(), /正常/)
    assert.match(await card.innerText(), /KiB|MiB/)
    await screenshot(page, 'backups-card-ok.png')
    assert.deepEqual(errors, [])
  } finally {
    await browser.close()
  }
  // Three days later (more than every + 1 day) without a new backup (the schedule runs on the real
  // clock; the fake one stood still meanwhile).
  const res = await api(server.url).anonymous().post('/api/v1/test/clock', { advance_seconds: 3 * 86400 })
  assert.equal(res.status, 200)
  ;({ browser, page, errors } = await openAudit('admin'))
  try {
    const card = page.locator('[data-test=backup-card][data-status=late]')
    await card.waitFor()
    const tag = page.locator('[data-test=backup-status]')
    assert.match(await tag.innerText(), /已逾期/)
    assert.match(await tag.getAttribute('class'), /el-tag--warning/)
    await screenshot(page, 'backups-card-late.png')
  } finally {
    await browser.close()
  }
})

test('an auditor opens 审计日志 without the backup card', async () => {
  const { browser, page, errors } = await openAudit('auditor')
  try {
    await page.locator('[data-test=audit-verify]').waitFor()
    assert.equal(await page.locator('[data-test=backup-card]').count(), 0)
    assert.deepEqual(errors, [])
  } finally {
    await browser.close()
  }
})
