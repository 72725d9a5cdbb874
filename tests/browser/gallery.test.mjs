// Screenshot gallery (issue 17): every role signs in and visits every page of its menu — the
// list is read from the rendered menu at run time, so pages other helpers add are included — and
// the first row's detail page of each list, at 1440×900 and 390×844. PNGs go to
// test-artifacts/gallery/<role>/<size>/ with an index.html, for a reviewer to look at without
// running anything. Asserts: no uncaught JavaScript exception, no 5xx answer, and no sideways
// overflow at the phone size.
import { describe, test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdir, writeFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { startServer } from '../lib/server.mjs'
import { launchBrowser, noLoading, ARTIFACTS_DIR } from '../lib/browser.mjs'

const GALLERY = join(ARTIFACTS_DIR, 'gallery')
const ROLES = [
  'admin',
  'auditor',
  'coordinator.staff',
  'government.leader',
  'xincheng.officer',
  'xincheng.leader',
  'scjg.officer',
  'gaj.officer',
]
const SIZES = {
  desktop: { width: 1440, height: 900 },
  phone: { width: 390, height: 844 },
}

let server
const shots = [] // { role, size, name, file, url }
const problems = []

before(async () => {
  server = await startServer({ extraArgs: ['--access-log', 'off'] })
  await rm(GALLERY, { recursive: true, force: true })
})
after(async () => {
  await server?.stop()
})

// The page has loaded its data once no loading mask shows (the SPA keeps an SSE stream open, so
// the network never goes idle: waiting for 'networkidle' only cost time).
async function settle(page) {
  await page.waitForLoadState('domcontentloaded').catch(() => {})
  await noLoading(page).catch(() => {})
  await page.waitForTimeout(100)
}

function watch(page, role, size) {
  page.on('pageerror', (err) => problems.push(`${role} ${size} ${page.url()}: JS exception ${err.message}`))
  page.on('response', (r) => {
    if (r.status() >= 500) problems.push(`${role} ${size} ${page.url()}: HTTP ${r.status()} ${r.url()}`)
  })
}

async function signIn(page, role) {
  await page.goto(`${server.url}/login`)
  await page.locator('[data-test=login-username]').fill(role)
  await page.locator('[data-test=login-password]').fill(server.password)
  await page.locator('[data-test=login-submit]').click()
  await page.waitForURL(`${server.url}/`)
  await page.locator('[data-test=platform-name]').waitFor()
}

const slug = (s) => s.replace(/^\//, '').replace(/[^\w-]+/g, '_') || 'home'

async function shoot(page, role, size, name) {
  const dir = join(GALLERY, slug(role), size)
  await mkdir(dir, { recursive: true })
  const file = `${String(shots.filter((s) => s.role === role && s.size === size).length + 1).padStart(2, '0')}-${slug(new URL(page.url()).pathname)}.png`
  await page.screenshot({ path: join(dir, file) })
  const title = (await page.locator('[data-test=page-title], .xt-page-head h1').first().innerText().catch(() => '')).trim()
  shots.push({ role, size, name, title, file: `${slug(role)}/${size}/${file}`, url: new URL(page.url()).pathname })
  if (size === 'phone') {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    if (overflow > 1) problems.push(`${role} phone ${page.url()}: ${overflow}px sideways overflow`)
  }
}

/** The menu's pages, read from the rendered desktop menu: [{ key, label }]. */
async function menuItems(page) {
  return page.$$eval('.xt-menu .el-menu-item:not(.is-disabled)', (els) =>
    els.map((e) => ({ key: e.getAttribute('data-test') || '', label: e.innerText.trim() })).filter((i) => i.key),
  )
}

/**
 * Opens the first row of the page's list, if any → 'page' (a detail page opened), 'overlay' (a
 * drawer or dialog opened in place, e.g. the catalog's matter) or ''.
 */
async function openFirstRow(page) {
  const before = page.url()
  const row = page.locator('.el-table__body-wrapper tbody tr.el-table__row').first()
  if (!(await row.count())) return ''
  await row.click({ timeout: 3000 }).catch(() => {})
  await page.waitForTimeout(400)
  if (page.url() !== before) {
    await settle(page)
    return 'page'
  }
  const overlay = page.locator('.el-overlay:visible')
  return (await overlay.count()) ? 'overlay' : ''
}

async function closeOverlays(page) {
  for (let i = 0; i < 3 && (await page.locator('.el-overlay:visible').count()); i++) {
    await page.keyboard.press('Escape')
    await page.waitForTimeout(300)
  }
}

async function desktopPass(role) {
  const browser = await launchBrowser({ viewport: SIZES.desktop })
  const visited = []
  try {
    const page = await browser.newPage()
    watch(page, role, 'desktop')
    await signIn(page, role)
    await settle(page)
    const items = await menuItems(page)
    assert.ok(items.length >= 2, `${role}: a menu`)
    for (const item of items) {
      await closeOverlays(page)
      await page.locator(`.xt-menu [data-test="${item.key}"]`).first().click()
      await page.waitForTimeout(150)
      await settle(page)
      const url = new URL(page.url()).pathname
      if (visited.some((v) => v.url === url)) continue
      visited.push({ url, name: item.label })
      await shoot(page, role, 'desktop', item.label)
      const opened = await openFirstRow(page)
      if (opened === 'page') {
        const durl = new URL(page.url()).pathname
        visited.push({ url: durl, name: `${item.label}-详情` })
        await shoot(page, role, 'desktop', `${item.label}-详情`)
      } else if (opened === 'overlay') {
        await settle(page)
        await shoot(page, role, 'desktop', `${item.label}-详情`)
        await closeOverlays(page)
      }
    }
  } finally {
    await browser.close()
  }
  return visited
}

async function phonePass(role, visited) {
  const browser = await launchBrowser({ viewport: SIZES.phone })
  try {
    const page = await browser.newPage()
    watch(page, role, 'phone')
    await signIn(page, role)
    for (const v of visited) {
      await page.goto(`${server.url}${v.url}`)
      await settle(page)
      await shoot(page, role, 'phone', v.name)
    }
  } finally {
    await browser.close()
  }
}

async function writeIndex() {
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c])
  let html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>协同 · 页面截图</title>
<style>body{font:14px sans-serif;margin:16px}h2{margin-top:32px}figure{display:inline-block;margin:8px;vertical-align:top}
figure img{border:1px solid #ccc;max-width:360px;max-height:300px}figcaption{max-width:360px;color:#555}</style></head><body>
<h1>协同 · 每个角色的每个页面（1440×900 与 390×844）</h1>`
  for (const role of ROLES) {
    for (const size of Object.keys(SIZES)) {
      const mine = shots.filter((s) => s.role === role && s.size === size)
      if (!mine.length) continue
      html += `<h2>${esc(role)} · ${size === 'desktop' ? '桌面 1440×900' : '手机 390×844'}</h2>`
      for (const s of mine) {
        html += `<figure><a href="${esc(s.file)}"><img src="${esc(s.file)}" loading="lazy" alt="${esc(s.name)}"></a><figcaption>${esc(s.name)} — ${esc(s.title)}<br><code>${esc(s.url)}</code></figcaption></figure>`
      }
    }
  }
  html += '</body></html>\n'
  await mkdir(GALLERY, { recursive: true })
  await writeFile(join(GALLERY, 'index.html'), html)
}

// Two roles at a time: most of a pass is waiting for the browser and the server, not the CPU.
describe('gallery', { concurrency: 2 }, () => {
for (const role of ROLES) {
  test(`gallery: ${role} — every menu page and a detail page, desktop and phone`, async () => {
    const visited = await desktopPass(role)
    await phonePass(role, visited)
    await writeIndex()
    const mine = problems.filter((p) => p.startsWith(`${role} `))
    assert.deepEqual(mine, [], mine.join('\n'))
  })
}
})
