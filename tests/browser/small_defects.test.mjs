// Issue 17 defects 8 and 13 (the small ones), each checked in a real browser: tapping the current
// page in the phone drawer closes the drawer; 机构管理 on a phone does not pin 操作 over the names;
// the menu says 协作待审批 like the page title; Esc closes the bell pop-over.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer } from '../lib/server.mjs'
import { launchBrowser, collectConsoleErrors, SIGNED_OUT_PROBE, noLoading, signIn } from '../lib/browser.mjs'
import { Users, Referrals, orgsByCode, uploadFile, draftBody, classifyMatters, pick } from '../http/lib/referrals.mjs'

let server

before(async () => {
  server = await startServer({ extraArgs: ['--access-log', 'off'] })
})
after(async () => {
  await server?.stop()
})

async function phoneSignIn(username) {
  const browser = await launchBrowser({ viewport: { width: 390, height: 844 } })
  const page = await browser.newPage()
  const errors = collectConsoleErrors(page, { ignore: [SIGNED_OUT_PROBE] })
  await page.goto(`${server.url}/login`)
  await page.locator('[data-test=login-username]').fill(username)
  await page.locator('[data-test=login-password]').fill(server.password)
  await page.locator('[data-test=login-submit]').click()
  await page.waitForURL(`${server.url}/`)
  await page.locator('[data-test=menu-toggle]').waitFor()
  return { browser, page, errors }
}

test('issue 17 defect 8: tapping the current page in the phone drawer closes the drawer', async () => {
  const { browser, page, errors } = await phoneSignIn('xincheng.officer')
  try {
    await page.locator('[data-test=menu-toggle]').click()
    const drawer = page.locator('.xt-drawer')
    await drawer.waitFor({ state: 'visible' })
    await drawer.locator('[data-test=menu-inbox]').click() // 待办 is the current page
    await drawer.waitFor({ state: 'hidden' })
    assert.deepEqual(errors, [])
  } finally {
    await browser.close()
  }
})

test('issue 17 defect 8: on a phone 机构管理 keeps the 操作 column unpinned (names stay readable)', async () => {
  const { browser, page } = await phoneSignIn('admin')
  try {
    await page.goto(`${server.url}/admin/orgs`)
    await noLoading(page)
    await page.locator('.el-table__row').first().waitFor()
    assert.equal(await page.locator('.el-table-fixed-column--right').count(), 0, 'no fixed right column on a phone')
  } finally {
    await browser.close()
  }
})

test('issue 17 defect 13: menu 协作待审批 matches the page title; Esc closes the bell pop-over', async () => {
  const { browser, page, errors } = await signIn(server, 'xincheng.leader')
  try {
    const item = page.locator('[data-test=menu-collab-approvals]')
    assert.equal((await item.innerText()).trim(), '协作待审批')
    await item.click()
    await page.waitForURL(/\/collaborations\/approvals$/)
    await noLoading(page)
    assert.match(await page.locator('h1').first().innerText(), /协作待审批/)

    await page.locator('[data-test=bell]').click()
    const pop = page.locator('.xt-bell-pop')
    await pop.waitFor({ state: 'visible' })
    await page.keyboard.press('Escape')
    await pop.waitFor({ state: 'hidden' })
    assert.deepEqual(errors, [])
  } finally {
    await browser.close()
  }
})

test('issue 17 defects 3 and 6: 待办 shows the clause in words (rule id in the tooltip); a row without a page of its own opens its details', async () => {
  const { browser, page, errors } = await signIn(server, 'xincheng.officer')
  try {
    await page.goto(`${server.url}/inbox`) // the start page is the workbench now (issue 17)
    await page.locator('[data-test=duties-table]').waitFor()
    await noLoading(page)
    const rules = await page.locator('[data-test=duties-table] [data-test=duty-rule]').allInnerTexts()
    assert.ok(rules.length >= 1)
    for (const r of rules) assert.doesNotMatch(r, /^R-[A-Z]+-\d/, `a bare rule id: ${r}`)
    // The demo 交办 duties have no detail page: the row opens a dialog with the duty.
    const row = page.locator('[data-test=duties-table] .el-table__row', { hasText: '【演示】交办' }).first()
    await row.click()
    const dialog = page.locator('[data-test=duty-dialog]')
    await dialog.waitFor()
    assert.match(await dialog.innerText(), /【演示】交办/)
    assert.deepEqual(errors, [])
  } finally {
    await browser.close()
  }
})

test('issue 17 defect 9: departments land on 移入; tabs show counts; the referral list shows 当事人', async () => {
  const { browser, page, errors } = await signIn(server, 'scjg.officer')
  try {
    await page.goto(`${server.url}/referrals`)
    await noLoading(page)
    // Each tab shows its count (they load beside the list: wait for them first).
    await page.waitForFunction(() => {
      const tabs = [...document.querySelectorAll('[data-test=referral-tabs] .el-tabs__item')]
      return tabs.length >= 2 && tabs.every((e) => /\(\d+\)/.test(e.textContent)) // [].every is true
    })
    assert.match((await page.locator('[data-test=referral-tabs] .el-tabs__item.is-active').innerText()).trim(), /^移入 \(\d+\)$/)
    assert.ok((await page.locator('[data-test=referrals-table] th', { hasText: '当事人' }).count()) >= 1)
    assert.deepEqual(errors, [])
  } finally {
    await browser.close()
  }
  const town = await signIn(server, 'xincheng.officer')
  try {
    await town.page.goto(`${server.url}/referrals`)
    await noLoading(town.page)
    assert.match((await town.page.locator('[data-test=referral-tabs] .el-tabs__item.is-active').innerText()).trim(), /^移出/)
  } finally {
    await town.browser.close()
  }
})

test('issue 17 defect 10: a document has a 打印 button opening its printable page', async () => {
  const as = Users(server.url, { tokens: true })
  const R = Referrals(server.url, as)
  const orgs = await orgsByCode(await as('coordinator.staff'))
  const file = await uploadFile(server.url, await as('xincheng.officer'))
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)
  const cat = await classifyMatters(await as('xincheng.officer'), ['xincheng'], today)
  const m = pick(cat.at.xincheng, (e) => e.competent.kind === 'county_department', 'owned by a department')
  const discoveredAt = new Date(Date.now() - 3600e3).toISOString()
  const r = await R.sent('xincheng.officer', 'xincheng.leader',
    draftBody({ matter: m.matter, to: m.competent, township: orgs.xincheng, file, discoveredAt, place: '新城镇建设路12号' }))
  const { browser, page, errors } = await signIn(server, 'xincheng.officer')
  try {
    await page.goto(`${server.url}/referrals/${r.id}`)
    await noLoading(page)
    await page.locator('.el-tabs__item', { hasText: '文书' }).click()
    const print = page.locator('[data-test=ref-documents] [data-test=doc-print]').first()
    await print.waitFor()
    assert.equal((await print.innerText()).trim(), '打印')
    const [popup] = await Promise.all([page.waitForEvent('popup'), print.click()])
    await popup.waitForLoadState()
    assert.match(popup.url(), /\/api\/v1\/documents\/\d+/)
    assert.match(await popup.content(), /核验地址/)
    assert.deepEqual(errors, [])
  } finally {
    await browser.close()
  }
})

test('issue 17 defect 13: editing a draft keeps 新建移送 highlighted in the menu', async () => {
  const as = Users(server.url, { tokens: true })
  const R = Referrals(server.url, as)
  const orgs = await orgsByCode(await as('coordinator.staff'))
  const file = await uploadFile(server.url, await as('xincheng.officer'))
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)
  const cat = await classifyMatters(await as('xincheng.officer'), ['xincheng'], today)
  const m = pick(cat.at.xincheng, (e) => e.competent.kind === 'county_department', 'owned by a department')
  const draft = await R.create('xincheng.officer', draftBody({
    matter: m.matter, to: m.competent, township: orgs.xincheng, file, discoveredAt: new Date(Date.now() - 3600e3).toISOString(),
  }))
  const { browser, page } = await signIn(server, 'xincheng.officer')
  try {
    await page.goto(`${server.url}/referrals/${draft.id}/edit`)
    await noLoading(page)
    assert.match(await page.locator('.xt-menu .el-menu-item.is-active').first().innerText(), /新建移送/)
  } finally {
    await browser.close()
  }
})

test('issue 17 defect 13: an empty role choice says 请选择角色, not 请填写', async () => {
  const { browser, page } = await signIn(server, 'admin')
  try {
    await page.goto(`${server.url}/admin/users`)
    await page.locator('[data-test=users-table]').waitFor()
    await noLoading(page)
    await page.locator('[data-test=user-create]').click()
    const dialog = page.locator('.el-dialog:visible')
    await dialog.waitFor()
    await dialog.locator('.el-checkbox.is-checked').first().click() // untick the default role
    await dialog.locator('.el-dialog__footer .el-button--primary').click()
    await dialog.locator('.el-form-item__error').first().waitFor()
    const msgs = await dialog.locator('.el-form-item__error').allInnerTexts()
    assert.ok(msgs.some((m) => /^请选择/.test(m) && m.includes('角色')), `messages: ${msgs.join(' / ')}`)
    assert.ok(!msgs.some((m) => m.includes('请填写角色')))
  } finally {
    await browser.close()
  }
})
