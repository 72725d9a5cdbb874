// Signing in through the web UI against a real server with the demo county.
// Run: cd tests && npm ci && XT_BIN=../build/src/cli/xietong node --test browser/
import { test, before, after, beforeEach, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { startServer } from '../lib/server.mjs'
import { launchBrowser, collectConsoleErrors, screenshot } from '../lib/browser.mjs'

const OFFICER = 'xincheng.officer'
const OFFICER_ORG = '新城镇综合行政执法办公室'
// Before sign-in the app asks /api/v1/me, which answers 401; Chromium logs that as a failed load.
const SIGNED_OUT_PROBE = /status of 401.*\/api\/v1\/me\)$/

let server
let browser

before(async () => {
  server = await startServer()
})
after(async () => {
  await server?.stop()
})
// A fresh browser profile per test: no cookie or language choice leaks between tests.
beforeEach(async () => {
  browser = await launchBrowser({ viewport: { width: 1366, height: 768 } })
})
afterEach(async () => {
  await browser?.close()
  browser = null
})

async function signIn(page, username, password) {
  await page.goto(`${server.url}/`)
  await page.waitForURL(/\/login(\?|$)/)
  await page.locator('[data-test=login-username]').fill(username)
  await page.locator('[data-test=login-password]').fill(password)
  await page.locator('[data-test=login-submit]').click()
}

test('xincheng.officer signs in and lands on 工作台 (issue 17) with the org name in the header', async () => {
  const page = await browser.newPage()
  const errors = collectConsoleErrors(page, { ignore: [SIGNED_OUT_PROBE] })

  await signIn(page, OFFICER, server.password)
  await page.waitForURL(`${server.url}/`)

  const org = page.locator('[data-test=user-org]')
  await org.waitFor()
  assert.match(await org.innerText(), new RegExp(OFFICER_ORG))

  // 工作台 is the landing page (issue 17): its title shows and its menu item is the active one.
  assert.equal((await page.locator('[data-test=page-title]').innerText()).trim(), '工作台')
  assert.match(await page.locator('.el-menu-item.is-active').first().innerText(), /工作台/)

  // Wait until the counts have loaded (the 待办 card links to the inbox).
  await page.locator('[data-test=wb-card-open]').waitFor()
  await page.locator('[data-test=platform-name]').waitFor()
  assert.match(await page.locator('[data-test=platform-name]').innerText(), /协同 · 行政执法协同平台/)

  await screenshot(page, 'login-xincheng-officer.png')
  assert.deepEqual(errors, [], `console errors:\n${errors.join('\n')}`)
})

test('a wrong password shows the API message in Chinese and stays on the login page', async () => {
  const page = await browser.newPage()
  await page.goto(`${server.url}/login`)
  await page.locator('[data-test=login-username]').fill(OFFICER)
  await page.locator('[data-test=login-password]').fill('not-the-password')
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login')),
    page.locator('[data-test=login-submit]').click(),
  ])
  assert.equal(response.status(), 401)
  const body = await response.json()
  assert.equal(body.error.code, 'invalid_credentials')
  assert.match(body.error.message, /[\u4e00-\u9fff]/, 'the API message should be Chinese by default')

  const alert = page.locator('[data-test=login-error]')
  await alert.waitFor()
  assert.ok((await alert.innerText()).includes(body.error.message), 'the form shows the API message')
  assert.match(new URL(page.url()).pathname, /^\/login$/)
  assert.equal(await page.locator('[data-test=user-org]').count(), 0)
})

test('switching to English changes the menu labels', async () => {
  const page = await browser.newPage()
  await signIn(page, OFFICER, server.password)
  await page.waitForURL(`${server.url}/`)
  const inbox = page.locator('[data-test=menu-inbox]')
  await inbox.waitFor()
  assert.match(await inbox.innerText(), /待办/)
  assert.match(await page.locator('[data-test=menu-referrals]').innerText(), /案件移送/)

  await page.locator('[data-test=lang-switch]').click()
  await page.locator('[data-test="lang-en"]').click()

  await page.waitForFunction(() => /To-do/.test(document.querySelector('[data-test=menu-inbox]')?.innerText || ''))
  assert.match(await inbox.innerText(), /To-do/)
  assert.match(await page.locator('[data-test=menu-referrals]').innerText(), /Case referrals/)
  assert.match(await page.locator('[data-test=menu-collaboration]').innerText(), /Collaboration/)
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en')
})
