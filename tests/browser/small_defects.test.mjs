// Issue 17 defects 8 and 13 (the small ones), each checked in a real browser: tapping the current
// page in the phone drawer closes the drawer; 机构管理 on a phone does not pin 操作 over the names;
// the menu says 协作待审批 like the page title; Esc closes the bell pop-over.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer } from '../lib/server.mjs'
import { launchBrowser, collectConsoleErrors, SIGNED_OUT_PROBE, noLoading, signIn } from '../lib/browser.mjs'

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
