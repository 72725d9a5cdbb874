// Launches Debian's Chromium through playwright-core (never a downloaded browser) and saves
// screenshots into <repo>/test-artifacts/.
//
//   import { launchBrowser, screenshot } from '../lib/browser.mjs'
//   const browser = await launchBrowser()
//   const page = await browser.newPage({ viewport: { width: 1366, height: 768 } })
//   ...
//   await screenshot(page, 'login-xincheng-officer.png')
//   await browser.close()   // also removes the temporary profile
import { chromium } from 'playwright-core'
import { mkdtemp, mkdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const ARTIFACTS_DIR = join(REPO_ROOT, 'test-artifacts')
export const CHROMIUM = process.env.XT_CHROMIUM || '/usr/bin/chromium'

// Flags from docs/STACK.md: without the background-networking ones Chromium floods the closed
// network with refused connections.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/**
 * Starts Chromium with a fresh profile in a temp dir. Returns a BrowserContext-like object with
 * newPage(opts) and close(); close() also deletes the profile.
 * Options: viewport (default 1366×768), locale (default zh-CN), timezoneId (default Asia/Shanghai).
 */
export async function launchBrowser({
  viewport = { width: 1366, height: 768 },
  locale = 'zh-CN',
  timezoneId = 'Asia/Shanghai',
} = {}) {
  const profile = await mkdtemp(join(tmpdir(), 'xt-chromium-'))
  // A persistent context is the only way to choose the user-data-dir with playwright-core.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    locale,
    timezoneId,
    acceptDownloads: true,
  })
  const close = context.close.bind(context)
  context.close = async () => {
    try {
      await close()
    } finally {
      await rm(profile, { recursive: true, force: true })
    }
  }
  return context
}

/**
 * Collects console errors and uncaught page errors of a page. Returns a live array of strings.
 * `ignore` is a list of RegExps tested against "<message> (<url of the source>)", for errors
 * that are expected (e.g. the 401 of the signed-out /api/v1/me probe).
 */
export function collectConsoleErrors(page, { ignore = [] } = {}) {
  const errors = []
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return
    const text = `${msg.text()} (${msg.location()?.url || ''})`
    if (!ignore.some((re) => re.test(text))) errors.push(`console: ${text}`)
  })
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`))
  return errors
}

/** Saves a full-viewport screenshot as <repo>/test-artifacts/<name>; returns the path. */
export async function screenshot(page, name, { fullPage = false } = {}) {
  await mkdir(ARTIFACTS_DIR, { recursive: true })
  const path = join(ARTIFACTS_DIR, name)
  await page.screenshot({ path, fullPage })
  return path
}

/** The console error of the SPA's first "who am I" probe before signing in (expected). */
export const SIGNED_OUT_PROBE = /status of 401.*\/api\/v1\/me\)$/

/**
 * A new browser signed in as `username` on `server` (a startServer() result) through the login
 * page → { browser, page, errors } (errors: console errors, the signed-out probe ignored).
 * `viewport` (optional) as launchBrowser's, e.g. { width: 390, height: 844 } for a phone.
 */
export async function signIn(server, username, { password = server.password, viewport } = {}) {
  const browser = await launchBrowser(viewport ? { viewport } : {})
  const page = await browser.newPage()
  const errors = collectConsoleErrors(page, { ignore: [SIGNED_OUT_PROBE] })
  await page.goto(`${server.url}/login`)
  await page.locator('[data-test=login-username]').fill(username)
  await page.locator('[data-test=login-password]').fill(password)
  await page.locator('[data-test=login-submit]').click()
  await page.waitForURL(`${server.url}/`)
  // The header shows the org on a desktop only (a phone has the drawer).
  if (!viewport || viewport.width > 768) await page.locator('[data-test=user-org]').waitFor()
  return { browser, page, errors }
}

/** Resolves when no Element Plus loading mask is showing. */
export async function noLoading(page) {
  await page.waitForFunction(() =>
    [...document.querySelectorAll('.el-loading-mask')].every((m) => getComputedStyle(m).display === 'none'),
  )
}
