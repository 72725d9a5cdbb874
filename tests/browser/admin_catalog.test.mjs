// Issue 17 (second half): the 执法事项目录 page (browse, search, delegations over time, admin
// import with a bad row naming line and column and importing nothing, export), the 审计日志 page
// (Chinese labels for actions and objects, filters, the shared pager, CSV export), the orgs and
// users CSV exports with Chinese headers, 消息通知 on the same pager (defects 3, 11, 12), and
// /favicon.ico (defect 13).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { startServer, api } from '../lib/server.mjs'
import { signIn, noLoading, screenshot } from '../lib/browser.mjs'

let server
let admin

before(async () => {
  server = await startServer({ extraArgs: ['--access-log', 'off'] })
  admin = await api(server.url).login('admin', server.password)
})
after(async () => {
  await server?.stop()
})

// The client-side exports build a Blob and click a download link; the page's own Blob and file
// name are captured as they are handed to the browser.
async function csvOf(page, trigger) {
  await page.evaluate(() => {
    window.__csv = null
    const orig = URL.createObjectURL.bind(URL)
    URL.createObjectURL = (blob) => {
      blob.text().then((text) => (window.__csv = { ...(window.__csv || {}), text }))
      return orig(blob)
    }
    const click = HTMLAnchorElement.prototype.click
    HTMLAnchorElement.prototype.click = function () {
      if (this.download) window.__csvName = this.download
      return click.call(this)
    }
  })
  await trigger()
  await page.waitForFunction(() => window.__csv?.text && window.__csvName, null, { timeout: 30000 })
  return page.evaluate(() => ({ name: window.__csvName, text: window.__csv.text }))
}

test('R-JUR-1/R-JUR-2: 执法事项目录 — search, delegations over time, a bad import names line and column and imports nothing', async () => {
  const { browser, page, errors } = await signIn(server, 'admin')
  try {
    await page.locator('[data-test=menu-admin-matters]').click()
    await page.waitForURL(/\/admin\/matters$/)
    await noLoading(page)
    assert.equal((await page.locator('[data-test=page-title]').innerText()).trim(), '执法事项目录')
    const total = (await admin.get('/api/v1/matters?page_size=1')).json.total
    assert.ok(total >= 40)
    assert.match(await page.locator('[data-test=pager] .el-pagination__total').innerText(), new RegExp(`共\\s*${total}\\s*条`))

    // Search by name.
    await page.locator('input[data-test=matters-q], [data-test=matters-q] input').first().fill('占道经营')
    await page.keyboard.press('Enter')
    await noLoading(page)
    const rows = page.locator('[data-test=matters-table] tbody tr.el-table__row')
    assert.ok((await rows.count()) >= 1)
    assert.match(await rows.first().innerText(), /占道经营/)

    // A matter with a withdrawn delegation shows its dated periods.
    const all = (await admin.get('/api/v1/matters?page_size=200')).json.items
    const withdrawn = all.find((m) => m.delegations.some((d) => d.to))
    assert.ok(withdrawn, 'the demo catalog has a withdrawn delegation')
    await page.locator('input[data-test=matters-q], [data-test=matters-q] input').first().fill(withdrawn.code)
    await page.keyboard.press('Enter')
    await noLoading(page)
    await rows.first().click()
    const drawer = page.locator('[data-test=matter-delegations]')
    await drawer.waitFor()
    const d = withdrawn.delegations.find((x) => x.to)
    const town = (await admin.get('/api/v1/orgs')).json.items.find((o) => o.id === d.township.id)
    assert.match(await drawer.innerText(), new RegExp(`${town.short_name}[\\s\\S]*${d.from}[\\s\\S]*${d.to}`))
    await screenshot(page, 'catalog-detail.png')
    await page.keyboard.press('Escape')

    // Export is a link to the server's CSV.
    assert.equal(await page.locator('[data-test=matters-export]').getAttribute('href'), '/api/v1/matters/export.csv')

    // Import: line 3 names an unknown owner → 第 3 行，主管部门编码 列; nothing is imported.
    const header = 'code,name,legal_basis,owner_org_code,statutory_referral_days,delegations\n'
    const csv = header + 'UI-NEW-1,界面导入事项一,《某法》第一条,scjg,,\nUI-NEW-2,界面导入事项二,《某法》第二条,nowhere,,\n'
    await page.locator('[data-test=matters-import]').click()
    await page.locator('[data-test=matters-import-file] input[type=file]').setInputFiles({ name: 'catalog.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    await page.locator('[data-test=matters-import-submit]').click()
    const where = page.locator('[data-test=matters-import-where]')
    await where.waitFor()
    assert.match(await where.innerText(), /第 3 行，主管部门编码（owner_org_code） 列|第 3 行，主管部门编码（owner_org_code）\s*列/)
    assert.match(await page.locator('[data-test=matters-import-error]').innerText(), /目录未作任何修改/)
    await screenshot(page, 'catalog-import-error.png')
    const after = (await admin.get('/api/v1/matters?q=UI-NEW')).json
    assert.equal(after.total, 0, 'nothing imported')
    assert.equal((await admin.get('/api/v1/matters?page_size=1')).json.total, total)
    assert.deepEqual(errors.filter((e) => !/status of 400/.test(e)), [])
  } finally {
    await browser.close()
  }
})

test('R-JUR-1: staff browse the catalog read-only at /matters', async () => {
  const { browser, page } = await signIn(server, 'xincheng.officer')
  try {
    await page.locator('[data-test=menu-matters]').click()
    await page.waitForURL(/\/matters$/)
    await noLoading(page)
    assert.ok((await page.locator('[data-test=matters-table] tbody tr.el-table__row').count()) >= 1)
    assert.equal(await page.locator('[data-test=matters-import]').count(), 0, 'no import for staff')
    // /admin/matters is for administrators only.
    await page.goto(`${server.url}/admin/matters`)
    await page.waitForURL(`${server.url}/`)
  } finally {
    await browser.close()
  }
})

test('R-AUD-1: 审计日志 shows Chinese actions and objects, filters by action, pages with 共 N 条 and exports CSV', async () => {
  const { browser, page, errors } = await signIn(server, 'admin')
  try {
    await page.goto(`${server.url}/admin/audit`)
    await page.locator('[data-test=audit-table]').waitFor()
    await noLoading(page)
    const actions = await page.locator('[data-test=audit-action]').allInnerTexts()
    assert.ok(actions.length >= 10)
    for (const a of actions) assert.doesNotMatch(a, /[a-z_]+\.[a-z_]+/, `raw action code shown: ${a}`)
    assert.ok(actions.includes('账号·登录'), `the admin's sign-in: ${actions.slice(0, 5)}`)
    const objects = await page.locator('[data-test=audit-object]').allInnerTexts()
    for (const o of objects) assert.doesNotMatch(o, /#|[a-z_]{3,}/, `raw object shown: ${o}`)
    const total = (await admin.get('/api/v1/audit?page=1&page_size=1')).json.total
    assert.match(await page.locator('[data-test=pager] .el-pagination__total').innerText(), /共\s*\d+\s*条/)
    assert.ok(total > 20)

    // Filter: 账号·登录 only.
    await page.locator('[data-test=audit-filter-action]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: /^账号·登录$/ }).first().click()
    await page.locator('.xt-filters button[type=submit]').click()
    await noLoading(page)
    await page.waitForFunction(() => [...document.querySelectorAll('[data-test=audit-action]')].every((e) => e.textContent.trim() === '账号·登录'))
    const logins = (await admin.get('/api/v1/audit?action=auth.login&page=1&page_size=1')).json.total
    assert.match(await page.locator('[data-test=pager] .el-pagination__total').innerText(), new RegExp(`共\\s*${logins}\\s*条`))
    await screenshot(page, 'audit-filtered.png')

    const { name, text } = await csvOf(page, () => page.locator('[data-test=audit-export]').click())
    assert.equal(name, '审计日志.csv')
    const lines = text.replace(/^\uFEFF/, '').trim().split(/\r\n/)
    assert.equal(lines[0], '序号,时间,操作人,用户名,机构,操作,对象,摘要,哈希')
    assert.equal(lines.length - 1, logins)
    assert.ok(lines.slice(1).every((l) => l.includes(',账号·登录,')))
    assert.deepEqual(errors, [])
  } finally {
    await browser.close()
  }
})

test('issue 17: orgs and users export CSV with Chinese headers; the users list uses the shared pager', async () => {
  const { browser, page, errors } = await signIn(server, 'admin')
  try {
    await page.goto(`${server.url}/admin/orgs`)
    await noLoading(page)
    const orgs = await csvOf(page, () => page.locator('[data-test=orgs-export]').click())
    assert.equal(orgs.name, '机构.csv')
    const olines = orgs.text.replace(/^\uFEFF/, '').trim().split(/\r\n/)
    assert.equal(olines[0], '机构名称,简称,机构编码,机构类型,上级机构,状态')
    const n = (await admin.get('/api/v1/orgs')).json.items.length
    assert.equal(olines.length - 1, n)
    assert.ok(olines.some((l) => l.startsWith('新城镇综合行政执法办公室,')))

    await page.goto(`${server.url}/admin/users`)
    await page.locator('[data-test=users-table]').waitFor()
    await noLoading(page)
    const users = await csvOf(page, () => page.locator('[data-test=users-export]').click())
    assert.equal(users.name, '用户.csv')
    const ulines = users.text.replace(/^\uFEFF/, '').trim().split(/\r\n/)
    assert.equal(ulines[0], '用户名,姓名,所属机构,角色,状态')
    const un = (await admin.get('/api/v1/users')).json.items.length
    assert.equal(ulines.length - 1, un)
    assert.ok(ulines.some((l) => l.startsWith('xincheng.leader,') && l.includes('领导')), 'role names in Chinese')
    assert.match(await page.locator('[data-test=pager] .el-pagination__total').innerText(), new RegExp(`共\\s*${un}\\s*条`))
    assert.deepEqual(errors, [])
  } finally {
    await browser.close()
  }
})

test('issue 17 defects 3 and 12: 消息通知 pages with 共 N 条 and names related objects in Chinese', async () => {
  const { browser, page, errors } = await signIn(server, 'xincheng.officer')
  try {
    const client = await api(server.url).login('xincheng.officer', server.password)
    const res = await client.get('/api/v1/notifications?page_size=200')
    await page.goto(`${server.url}/notifications`)
    await noLoading(page)
    // The total arrives with the first page; under load it may come after the loading mask went.
    const want = res.json.items.length
    await page.waitForFunction((n) => new RegExp(`共\\s*${n}\\s*条`).test(document.querySelector('[data-test=pager] .el-pagination__total')?.textContent || ''), want, { timeout: 10000 }).catch(() => {})
    const pagerText = await page.locator('[data-test=pager] .el-pagination__total').innerText()
    assert.match(pagerText, new RegExp(`共\\s*${res.json.items.length}\\s*条`))
    assert.equal(await page.locator('button', { hasText: '下一页' }).count(), 0, 'no previous/next pager')
    for (const o of await page.locator('[data-test=notification-object]').allInnerTexts()) {
      assert.doesNotMatch(o, /[a-z_]{3,}/, `raw object type: ${o}`)
    }
    assert.deepEqual(errors, [])
  } finally {
    await browser.close()
  }
})

test('issue 17 defect 13: /favicon.ico is a real icon', async () => {
  const res = await fetch(`${server.url}/favicon.ico`)
  assert.equal(res.status, 200)
  const bytes = Buffer.from(await res.arrayBuffer())
  assert.deepEqual([...bytes.subarray(0, 4)], [0, 0, 1, 0], 'an ICO header')
})
