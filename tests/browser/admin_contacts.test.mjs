// 用户管理 → 通知方式 (issue 18; docs/notifications-contract.md): the administrator sets another
// account's email, mobile and channels (confirmed), and that user sees them in their own
// 消息通知 → 通知方式 dialog.
// Run: XT_BIN=build/src/cli/xietong node --test tests/browser/admin_contacts.test.mjs
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, api } from '../lib/server.mjs'
import { screenshot, signIn, noLoading } from '../lib/browser.mjs'

const server = await startServer()
after(async () => {
  await server?.stop()
})

test("issue 18: the admin sets a user's contact on 用户管理; the user sees it on 通知方式", async () => {
  const admin = await signIn(server, 'admin')
  try {
    await admin.page.goto(`${server.url}/admin/users`)
    const table = admin.page.locator('[data-test=users-table]')
    await table.waitFor()
    await admin.page.getByPlaceholder('用户名或姓名').fill('liuzu.officer')
    await admin.page.keyboard.press('Enter')
    await noLoading(admin.page)
    const row = table.locator('.el-table__row', { hasText: 'liuzu.officer' }).first()
    await row.waitFor()
    // the fixed actions column renders the row twice; click the visible button
    await admin.page.locator('[data-test=user-contact]:visible').first().click()
    const dialog = admin.page.locator('[data-test=contact-dialog]')
    await dialog.locator('[data-test=contact-email]').waitFor()
    assert.match(await admin.page.locator('.el-dialog__title:visible').last().innerText(), /的站外通知方式/)
    await dialog.locator('[data-test=contact-email]').fill('liuzu.officer@county.example')
    await dialog.locator('[data-test=contact-mobile]').fill('13900002222')
    await dialog.locator('[data-test=contact-urgent]').getByText('邮件').click() // urgent: SMS + email
    await dialog.locator('[data-test=contact-save]').click()
    const box = admin.page.locator('.el-message-box')
    await box.waitFor()
    assert.match(await box.innerText(), /确定保存通知方式吗/)
    const [res] = await Promise.all([
      admin.page.waitForResponse((r) => r.url().endsWith('/contact') && r.request().method() === 'PUT'),
      box.locator('.el-button--primary').click(),
    ])
    assert.equal(res.status(), 200, await res.text())
    const saved = await res.json()
    assert.equal(saved.email, 'liuzu.officer@county.example')
    assert.deepEqual([...saved.urgent_channels].sort(), ['email', 'sms'])
    await screenshot(admin.page, 'admin-user-contact.png')
    assert.deepEqual(admin.errors, [])
  } finally {
    await admin.browser.close()
  }

  const { browser, page, errors } = await signIn(server, 'liuzu.officer')
  try {
    await page.goto(`${server.url}/notifications`)
    await page.locator('[data-test=contact-open]').click()
    const dialog = page.locator('[data-test=contact-dialog]')
    const email = dialog.locator('[data-test=contact-email]') // el-input puts data-test on its <input>
    await email.waitFor()
    await page.waitForFunction(() => document.querySelector('input[data-test=contact-email]')?.value !== '')
    assert.equal(await email.inputValue(), 'liuzu.officer@county.example')
    assert.equal(await dialog.locator('[data-test=contact-mobile]').inputValue(), '13900002222')
    assert.match(await page.locator('.el-dialog__title:visible').last().innerText(), /^站外通知方式$/)
    assert.deepEqual(errors, [])
  } finally {
    await browser.close()
  }
})

test('issue 18: the demo zrzy contacts queue deliveries that wait on unconfigured channels; the 通知投递 card is yellow', async () => {
  const officer = await api(server.url).login('xincheng.officer', server.password)
  const zrzy = (await officer.get('/api/v1/orgs')).json.items.find((o) => o.code === 'zrzy')
  const created = await officer.post('/api/v1/notices', {
    kind: 'hazard', to_org: zrzy.id, description: '浏览器测试：投递状态', place: '新城镇', materials: [],
  })
  assert.equal(created.status, 201, created.text)
  const { browser, page, errors } = await signIn(server, 'admin')
  try {
    await page.goto(`${server.url}/admin/deliveries`)
    const card = page.locator('[data-test=delivery-card]')
    await card.locator('[data-test=delivery-status]').waitFor()
    assert.equal(await card.getAttribute('data-status'), 'waiting')
    const text = await card.innerText()
    assert.match(text, /待配置渠道/)
    assert.match(text, /未配置：邮件、短信/)
    assert.equal((await card.locator('[data-test=delivery-failed-day]').innerText()).trim(), '0')
    await noLoading(page)
    assert.match(await page.locator('[data-test=deliveries-page]').innerText(), /zrzy\.(leader|liaison)@xinxing\.example/)
    assert.deepEqual(errors, [])
  } finally {
    await browser.close()
  }
})
