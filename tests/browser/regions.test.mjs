// The region picker and breadcrumbs (issue 19, R-ACC-2; docs/regions-contract.md) through the web
// UI at 1440×900 and 390×844, against a real server with `demo load --city` (云浮市: 新兴县, 郁南县,
// 罗定市, 云城区, 云安区 and the city office `yunfu`) and a fake clock two weeks after the load, so
// the demo referrals' duties are red:
//  1. yunfu.staff (依法治市办) sees the region bar: breadcrumbs 广东省 › 云浮市 and a picker; it
//     picks 郁南县: the URL carries ?region=445322, the breadcrumbs end in 郁南县, the choice
//     survives a navigation and a reload; 待办 (all, red) lists exactly the red duties the API gives
//     for that region (fewer than the whole city's), none of another county; the overview is
//     郁南县概况 with the duties escalated from it; it drills into the red referral of one and its
//     detail opens, still in 郁南县.
//  2. A county's office (yn.staff) and a township officer (xincheng.officer) see no region bar,
//     and their URLs never get a region.
// Run: cd tests && XT_BIN=../build/src/cli/xietong node --test browser/regions.test.mjs
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, api } from '../lib/server.mjs'
import { SIGNED_OUT_PROBE, collectConsoleErrors, launchBrowser, noLoading, screenshot } from '../lib/browser.mjs'

const NOW = new Date(Date.now() + 14 * 24 * 3600 * 1000)
const server = await startServer({ fakeClock: NOW, demoArgs: ['--city'] })
after(async () => {
  await server?.stop()
})
const VIEWPORTS = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
]
const YUNAN = '445322'

async function signedIn(username, viewport) {
  const browser = await launchBrowser({ viewport: { width: viewport.width, height: viewport.height } })
  const page = await browser.newPage()
  const errors = collectConsoleErrors(page, { ignore: [SIGNED_OUT_PROBE] })
  await page.goto(`${server.url}/login`)
  await page.locator('[data-test=login-username]').fill(username)
  await page.locator('[data-test=login-password]').fill(server.password)
  await page.locator('[data-test=login-submit]').click()
  await page.waitForURL(`${server.url}/`)
  await page.locator('[data-test=page-title]').first().waitFor()
  return { browser, page, errors }
}
async function noSidewaysOverflow(page, what) {
  const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth])
  assert.ok(sw <= cw + 1, `${what}: sideways overflow (${sw} > ${cw})`)
}
const crumbs = async (page) =>
  (await page.locator('[data-test=region-breadcrumb] [data-code]').allTextContents()).map((s) => s.trim())
const regionOf = (page) => new URL(page.url()).searchParams.get('region')

// What the API says: the red open duties of 郁南县 and of the whole city, as the city office.
const city = await api(server.url).login('yunfu.staff', server.password)
const orgs = (await city.get('/api/v1/orgs')).json.items
const yunanOrgIds = new Set(orgs.filter((o) => o.region_code?.startsWith(YUNAN)).map((o) => o.id))
assert.ok(yunanOrgIds.size > 0, 'demo load --city placed orgs in 郁南县')
const redQuery = 'scope=all&state=open&colour=red&page_size=100'
const redYunan = await city.get(`/api/v1/duties?${redQuery}&region=${YUNAN}`)
assert.equal(redYunan.status, 200, redYunan.text)
const redCity = await city.get(`/api/v1/duties?${redQuery}`)
assert.equal(redCity.status, 200, redCity.text)
assert.ok(redYunan.json.total > 0, '郁南县 has red duties two weeks after the demo load')
assert.ok(redYunan.json.total < redCity.json.total, 'the region narrows the city office view (R-ACC-2)')
for (const d of redYunan.json.items) assert.ok(yunanOrgIds.has(d.owner_org.id), `${d.title}: owner outside 郁南县`)
const redReferral = redYunan.json.items.find((d) => d.object_type === 'referral')
assert.ok(redReferral, '郁南县 has a red referral duty')

for (const vp of VIEWPORTS) {
  test(`regions: the city office picks 郁南县, sees its red duties and drills into one (R-ACC-2, ${vp.name})`, async () => {
    const s = await signedIn('yunfu.staff', vp)
    try {
      const { page, errors } = s
      const bar = page.locator('[data-test=region-bar]')
      await bar.waitFor()
      assert.deepEqual(await crumbs(page), ['广东省', '云浮市'])
      assert.equal(regionOf(page), null, 'no region chosen yet: the whole city')

      // Pick 郁南县.
      await page.locator('[data-test=region-picker]').click()
      await page.locator(`[data-test=region-option-${YUNAN}]`).click()
      await page.waitForURL((u) => new URL(u).searchParams.get('region') === YUNAN)
      await page.waitForFunction(
        () => [...document.querySelectorAll('[data-test=region-breadcrumb] [data-code]')].at(-1)?.textContent.trim() === '郁南县',
      )
      assert.deepEqual(await crumbs(page), ['广东省', '云浮市', '郁南县'])
      await noSidewaysOverflow(page, 'region bar')
      await screenshot(page, `regions-picked-${vp.name}.png`)

      // The overview names the region and lists the duties escalated from it (R-ACC-2): as many as
      // the API gives for the region.
      await page.goto(`${server.url}/overview`)
      await page.waitForURL((u) => new URL(u).searchParams.get('region') === YUNAN)
      await page.locator('[data-test=overview-orgs]').waitFor()
      await noLoading(page)
      assert.equal((await page.locator('[data-test=page-title]').first().textContent()).trim(), '郁南县概况')
      const esc = await city.get(`/api/v1/escalations?region=${YUNAN}&page_size=20`)
      assert.equal(esc.status, 200, esc.text)
      if (esc.json.items.length) await page.locator('[data-test=escalation-row]').first().waitFor()
      assert.equal(await page.locator('[data-test=escalation-row]').count(), esc.json.items.length)

      // 待办, all orgs, red: the list the API gives for 郁南县; the region stays in the URL.
      await page.goto(`${server.url}/inbox?colour=red`)
      await page.waitForURL((u) => new URL(u).searchParams.get('region') === YUNAN)
      // On a phone the filter bar folds away behind 筛选.
      if (vp.name === 'phone') await page.getByRole('button', { name: '筛选' }).click()
      await page.locator('[data-test=scope-all]').click()
      const pager = page.locator('[data-test=pager][data-list=duties]')
      await pager.waitFor()
      await noLoading(page)
      await page.waitForFunction(
        (n) => document.querySelector('[data-test=pager][data-list=duties]')?.getAttribute('data-total') === String(n),
        redYunan.json.total,
      )
      const rows = page.locator(vp.name === 'phone' ? '[data-test=duties-cards] .xt-card' : '[data-test=duties-table] .el-table__body tr')
      assert.equal(await rows.count(), redYunan.json.items.length)
      const text = (await rows.allTextContents()).join('\n')
      for (const d of redYunan.json.items) assert.ok(text.includes(d.title), `${d.title} listed`)
      await noSidewaysOverflow(page, '待办 in 郁南县')
      await screenshot(page, `regions-red-${vp.name}.png`)

      // Drill into the red referral: its detail opens, the region still chosen.
      await rows.filter({ hasText: redReferral.title }).first().click()
      await page.waitForURL((u) => new URL(u).pathname === `/referrals/${redReferral.object_id}`)
      await page.locator('[data-test=ref-content]').waitFor()
      assert.equal(regionOf(page), YUNAN)
      assert.deepEqual(await crumbs(page), ['广东省', '云浮市', '郁南县'])

      // The choice survives a reload (URL and session), and 全部 returns to the whole city.
      await page.reload()
      await page.locator('[data-test=ref-content]').waitFor()
      assert.deepEqual(await crumbs(page), ['广东省', '云浮市', '郁南县'])
      await page.locator('[data-test=region-picker]').click()
      await page.locator('[data-test=region-option-all]').click()
      await page.waitForURL((u) => new URL(u).searchParams.get('region') === null)
      await page.waitForFunction(
        () => [...document.querySelectorAll('[data-test=region-breadcrumb] [data-code]')].at(-1)?.textContent.trim() === '云浮市',
      )
      assert.deepEqual(errors, [])
    } finally {
      await s.browser.close()
    }
  })
}

for (const vp of VIEWPORTS) {
  test(`regions: county-level users see no picker and keep their URLs (R-ACC-2, ${vp.name})`, async () => {
    for (const who of ['yn.staff', 'xincheng.officer']) {
      const s = await signedIn(who, vp)
      try {
        const { page, errors } = s
        await page.goto(`${server.url}/inbox`)
        await page.locator('[data-test=pager][data-list=duties]').waitFor()
        await noLoading(page)
        assert.equal(await page.locator('[data-test=region-bar]').count(), 0, `${who}: no region bar`)
        assert.equal(await page.locator('[data-test=region-picker]').count(), 0, `${who}: no picker`)
        assert.equal(regionOf(page), null, `${who}: no region in the URL`)
        assert.deepEqual(errors, [])
      } finally {
        await s.browser.close()
      }
    }
  })
}
