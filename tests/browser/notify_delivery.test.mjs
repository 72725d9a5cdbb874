// Notifications away from the browser (issue 18; docs/notifications-contract.md) in the web UI:
// an officer sets their email, mobile and channels from 消息通知 → 通知方式 (confirmed), and the
// administrator's 系统管理 → 通知投递 page lists the deliveries a notification made, with the
// warning that no channel is configured on this server (they stay 待发送).
// Run: XT_BIN=build/src/cli/xietong node --test tests/browser/notify_delivery.test.mjs
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, api } from '../lib/server.mjs'
import { screenshot, signIn, noLoading } from '../lib/browser.mjs'

const server = await startServer()
after(async () => {
  await server?.stop()
})

test('issue 18: the officer sets channels in the UI; the admin sees the queued deliveries', async () => {
  const { browser, page, errors } = await signIn(server, 'scjg.liaison')
  try {
    await page.goto(`${server.url}/notifications`)
    await page.locator('[data-test=contact-open]').click()
    const dialog = page.locator('[data-test=contact-dialog]')
    await dialog.locator('[data-test=contact-email]').waitFor()
    await dialog.locator('[data-test=contact-email]').fill('liaison@county.example')
    await dialog.locator('[data-test=contact-mobile]').fill('13900001111')
    await dialog.locator('[data-test=contact-routine]').getByText('短信').click() // routine: email + SMS
    await screenshot(page, 'notify-contact-dialog.png')
    await dialog.locator('[data-test=contact-save]').click()
    const box = page.locator('.el-message-box')
    await box.waitFor()
    assert.match(await box.innerText(), /确定保存通知方式吗/)
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/contact') && r.request().method() === 'PUT'),
      box.locator('.el-button--primary').click(),
    ])
    assert.equal(res.status(), 200, await res.text())
    const saved = await res.json()
    assert.equal(saved.email, 'liaison@county.example')
    assert.deepEqual([...saved.routine_channels].sort(), ['email', 'sms'])
    assert.deepEqual(errors, [])
  } finally {
    await browser.close()
  }

  // A notice to scjg notifies its liaison: two deliveries (email and SMS) are queued.
  const officer = await api(server.url).login('xincheng.officer', server.password)
  const orgs = (await officer.get('/api/v1/orgs')).json.items
  const scjg = orgs.find((o) => o.code === 'scjg')
  const created = await officer.post('/api/v1/notices', {
    kind: 'hazard', to_org: scjg.id, description: '浏览器测试：通知投递', place: '新城镇', materials: [],
  })
  assert.equal(created.status, 201, created.text)

  const admin = await signIn(server, 'admin')
  try {
    await admin.page.locator('[data-test=menu-admin]').waitFor()
    await admin.page.goto(`${server.url}/admin/deliveries`)
    await admin.page.locator('[data-test=deliveries-page]').waitFor()
    await noLoading(admin.page)
    const text = await admin.page.locator('[data-test=deliveries-page]').innerText()
    assert.match(text, /通知投递/)
    assert.match(text, /未配置：邮件、短信/)
    assert.match(text, /liaison@county\.example/)
    assert.match(text, /13900001111/)
    assert.match(text, /待发送/)
    assert.match(text, /全部/)
    assert.doesNotMatch(text, /delivery\./, 'no untranslated key')
    await screenshot(admin.page, 'notify-deliveries-admin.png')
    assert.deepEqual(admin.errors, [])
  } finally {
    await admin.browser.close()
  }
})
