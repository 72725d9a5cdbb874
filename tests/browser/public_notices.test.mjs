// 公开发布 (R-ASM-3, issue 14): the coordinator writes a notice to the public as a draft, publishes
// it after a confirmation, and it appears on the public page (/public, no sign-in) until withdrawn;
// a township does not have the menu entry. A document shows 下载 PDF beside 打印 (R-DOC-1), a
// link to its PDF.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, api } from '../lib/server.mjs'
import { signIn, noLoading, screenshot, launchBrowser } from '../lib/browser.mjs'

let server

before(async () => {
  server = await startServer({ extraArgs: ['--access-log', 'off'] })
})
after(async () => {
  await server?.stop()
})

test('R-ASM-3: the coordinator drafts, publishes and withdraws a notice; the public page follows', async () => {
  const { browser, page, errors } = await signIn(server, 'coordinator.staff')
  try {
    await page.goto(`${server.url}/public-notices`)
    await noLoading(page)
    await page.locator('[data-test=menu-public-notices]').waitFor()
    await page.locator('[data-test=public-notice-new]').click()
    const title = '浏览器测试：普法宣传进社区'
    await page.locator('[data-test=public-notice-title]').fill(title)
    await page.locator('textarea[data-test=public-notice-body], [data-test=public-notice-body] textarea').first().fill('第一段。\n第二段。')
    await page.locator('[data-test=public-notice-save]').click()
    const row = page.locator('.el-table__row', { hasText: title })
    await row.locator('[data-test=public-notice-state][data-state=draft]').waitFor()
    // Not public while a draft.
    assert.ok(!(await (await fetch(`${server.url}/public`)).text()).includes(title))
    await row.locator('[data-test=public-notice-publish]').click()
    const confirm = page.locator('.el-message-box')
    await confirm.waitFor()
    assert.match(await confirm.innerText(), /向社会公开/)
    await confirm.locator('.el-button--primary').click()
    await row.locator('[data-test=public-notice-state][data-state=published]').waitFor()
    await screenshot(page, 'public-notices.png')
    // The public page, in a fresh browser without a session.
    const pub = await launchBrowser()
    const p2 = await pub.newPage()
    await p2.goto(`${server.url}/public`)
    await p2.getByText(title).click()
    await p2.locator('h1', { hasText: title }).waitFor()
    assert.match(await p2.locator('.body').innerText(), /第二段/)
    await screenshot(p2, 'public-notice-page.png')
    await row.locator('[data-test=public-notice-withdraw]').click()
    await page.locator('.el-message-box .el-button--primary').click()
    await row.locator('[data-test=public-notice-state][data-state=withdrawn]').waitFor()
    await p2.reload()
    assert.match(await p2.locator('body').innerText(), /不存在或已撤回/)
    await pub.close()
    assert.deepEqual(errors, [])
  } finally {
    await browser.close()
  }
})

test('R-ASM-3: a township has no 公开发布 menu entry', async () => {
  const { browser, page } = await signIn(server, 'xincheng.officer')
  try {
    await page.goto(`${server.url}/`)
    await noLoading(page)
    await page.locator('[data-test=menu-shared-info]').waitFor()
    assert.equal(await page.locator('[data-test=menu-public-notices]').count(), 0)
  } finally {
    await browser.close()
  }
})

test('R-DOC-1: a document offers 下载 PDF beside 打印, linking to its PDF', async () => {
  const town = await api(server.url).login('xincheng.officer', server.password)
  const res = await town.post('/api/v1/violation-notices', { category: 'safety', to_org: (await town.get('/api/v1/orgs')).json.items.find((o) => o.code === 'scjg').id, description: '浏览器测试违法行为', place: '新城镇' })
  assert.equal(res.status, 201, res.text)
  const { browser, page, errors } = await signIn(server, 'xincheng.officer')
  try {
    await page.goto(`${server.url}/violation-notices/${res.json.id}`)
    await noLoading(page)
    await page.locator('#tab-documents').click()
    const link = page.locator('[data-test=doc-pdf]').first()
    await link.waitFor()
    assert.match(await link.innerText(), /下载 PDF/)
    assert.equal(await link.getAttribute('href'), `/api/v1/documents/${res.json.documents[0].id}/pdf`)
    assert.deepEqual(errors, [])
  } finally {
    await browser.close()
  }
})
