// The workbench (工作台), approvals in 待办 and the coordinator's 督办 (issue 17, R-PLN-2;
// docs/workbench-contract.md) through the web UI at 1440×900 and 390×844, against a real server
// with the demo county and a fake clock:
//  1. xincheng.leader lands on the workbench; every card's number equals the total of the list
//     it opens (待办 by colour, referrals and collaboration items in and out, urgings), and the
//     page has no sideways overflow on a phone.
//  2. A criminal transfer reported to the head is a 待审批 row in xincheng.leader's 待办, linked
//     to the transfer.
//  3. coordinator.staff lands on the county overview (the queue and the org table), opens an
//     overdue violation notice, sends 督办 from its detail page; the numbered notice reaches
//     scjg's leader (notification, workbench card, urging list) and shows on the item's 流程记录.
// Run: cd tests && XT_BIN=../build/src/cli/xietong node --test browser/workbench.test.mjs
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, api } from '../lib/server.mjs'
import { SIGNED_OUT_PROBE, collectConsoleErrors, launchBrowser, noLoading, screenshot } from '../lib/browser.mjs'

// Tuesday 2026-12-01 09:00 in Shanghai: a working day.
const NOW = '2026-12-01T09:00:00+08:00'
const server = await startServer({ fakeClock: NOW, extraArgs: ['--violation-dispatch-hours', '2'] })
after(async () => {
  await server?.stop()
})
const VIEWPORTS = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
]
const client = (who) => api(server.url).login(who, server.password)

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
/** The total the list page shows (its pager), once loaded. */
async function listTotal(page, test) {
  const pager = page.locator(`[data-test=pager][data-list=${test}]`)
  await pager.waitFor()
  await noLoading(page)
  return Number(await pager.getAttribute('data-total'))
}

// Fixtures through the API: a criminal transfer waiting for xincheng's head, and a violation
// notice to scjg whose 2-hour dispatch will be overdue.
const town = await client('xincheng.officer')
const orgs = Object.fromEntries((await town.get('/api/v1/orgs')).json.items.map((o) => [o.code, o]))
const report = await town.post('/api/v1/criminal-transfers', {
  title: '浏览器测试：涉嫌生产销售伪劣产品案', facts: '执法检查发现当事人生产销售伪劣产品，货值金额较大', offence: '生产、销售伪劣产品罪',
  police_org: orgs.gaj.id, procuratorate_org: orgs.jcy.id,
})
assert.equal(report.status, 201, report.text)
const violation = await town.post('/api/v1/violation-notices', {
  category: 'safety', to_org: orgs.scjg.id, description: '某餐饮店后厨违规使用无合格证的液化气瓶', place: '新城镇新兴大道88号',
  found_at: '2026-12-01T08:30:00+08:00',
})
assert.equal(violation.status, 201, violation.text)
// Issue 17: a violation notice xincheng sent last month. The workbench counts this month's
// collaboration items only, and the 协作 list its card opens carries the month (from/to).
const LAST_MONTH_TITLE = '上月违法行为通知：某商店销售过期食品'
async function setClock(at) {
  const res = await town.post('/api/v1/test/clock', { set: at })
  assert.equal(res.status, 200, res.text)
}
await setClock('2026-11-20T10:00:00+08:00')
const lastMonth = await town.post('/api/v1/violation-notices', {
  category: 'safety', to_org: orgs.scjg.id, title: LAST_MONTH_TITLE, description: '某商店销售过期食品', place: '新城镇北街3号',
  found_at: '2026-11-20T09:00:00+08:00',
})
assert.equal(lastMonth.status, 201, lastMonth.text)
await setClock(NOW)
/** xincheng's collaboration items out, created in December 2026 (Shanghai), counted from the all-time list. */
async function decemberOut() {
  const leader = await client('xincheng.leader')
  let n = 0
  let seen = false
  for (let p = 1; ; p++) {
    const res = await leader.get(`/api/v1/collab-items?direction=out&page=${p}&page_size=200`)
    assert.equal(res.status, 200, res.text)
    for (const x of res.json.items) {
      if (x.title === LAST_MONTH_TITLE) seen = true
      const t = Date.parse(x.created_at)
      if (t >= Date.parse('2026-12-01T00:00:00+08:00') && t < Date.parse('2027-01-01T00:00:00+08:00')) n++
    }
    if (res.json.items.length < 200) break
  }
  assert.ok(seen, 'the all-time list holds last month\'s notice')
  return n
}

for (const vp of VIEWPORTS) {
  test(`workbench: each count equals the list it opens, and a leader finds the approval in 待办 (${vp.name})`, async () => {
    const s = await signedIn('xincheng.leader', vp)
    try {
      const { page, errors } = s
      await page.locator('[data-test=workbench]').waitFor()
      await page.locator('[data-test=wb-card-open]').waitFor()
      await noSidewaysOverflow(page, 'workbench')
      await screenshot(page, `workbench-${vp.name}.png`)
      const cards = [
        ['open', 'duties'], ['red', 'duties'], ['yellow', 'duties'], ['green', 'duties'],
        ['referralsIn', 'referrals'], ['referralsOut', 'referrals'], ['collabIn', 'collab'], ['collabOut', 'collab'],
        ['urgings', 'urgings'],
      ]
      for (const [card, list] of cards) {
        await page.goto(`${server.url}/workbench`)
        const el = page.locator(`[data-test=wb-card-${card}]`)
        await el.waitFor()
        const n = Number(await el.getAttribute('data-count'))
        await el.click()
        assert.equal(await listTotal(page, list), n, `card ${card}: the list it opens shows ${n}`)
        await noSidewaysOverflow(page, `list of ${card}`)
      }
      // This month's (issue 17): 发出协作 counts December's items, not last month's notice, and the
      // list it opens is filtered by the month (URL and the date filter) and leaves that notice out.
      await page.goto(`${server.url}/workbench`)
      const out = page.locator('[data-test=wb-card-collabOut]')
      await out.waitFor()
      assert.equal(Number(await out.getAttribute('data-count')), await decemberOut(), 'collabOut counts this month only')
      await out.click()
      await listTotal(page, 'collab')
      const url = new URL(page.url())
      assert.equal(url.searchParams.get('from'), '2026-12-01', page.url())
      assert.equal(url.searchParams.get('to'), '2026-12-31', page.url())
      assert.doesNotMatch(await page.locator('main, .el-main').first().innerText(), new RegExp(LAST_MONTH_TITLE))
      // R-CRI-1a: the transfer reported to the head is a 待审批 row in 待办.
      await page.goto(`${server.url}/workbench`)
      const approvals = page.locator('[data-test=wb-card-approvals]')
      await approvals.waitFor()
      const n = Number(await approvals.getAttribute('data-count'))
      assert.ok(n >= 1, 'the reported transfer waits for xincheng.leader')
      await approvals.click()
      const row = page.locator(`[data-test=approval-row][data-type=criminal_transfer][data-id="${report.json.id}"]`)
      await row.waitFor()
      assert.equal(await page.locator('[data-test=approval-row]').count(), n, 'the card counts the rows shown')
      assert.match(await row.innerText(), /待审批/)
      await noSidewaysOverflow(page, '待办 with approvals')
      await screenshot(page, `inbox-approvals-${vp.name}.png`)
      await row.locator('[data-test=approval-link]').click()
      await page.waitForURL(`${server.url}/criminal-transfers/${report.json.id}`)
      assert.deepEqual(errors, [], `console errors:\n${errors.join('\n')}`)
    } finally {
      await s.browser.close()
    }
  })
}

test('R-PLN-2: the coordinator lands on the overview and 督办 reaches scjg\'s leader and the timeline (1440×900, 390×844)', async () => {
  const setClock = await (await client('xincheng.officer')).post('/api/v1/test/clock', { set: '2026-12-01T12:00:00+08:00' })
  assert.equal(setClock.status, 200, setClock.text)
  const id = violation.json.id
  let number
  for (const vp of VIEWPORTS) {
    const s = await signedIn('coordinator.staff', vp)
    try {
      const { page, errors } = s
      await page.locator('[data-test=overview]').waitFor()
      await page.locator('[data-test=overview-orgs]').waitFor()
      await noLoading(page)
      const scjgRed = page.locator('[data-test=overview-orgs] [data-org=scjg]')
      await scjgRed.waitFor()
      await noSidewaysOverflow(page, 'overview')
      await screenshot(page, `overview-${vp.name}.png`)
      await page.goto(`${server.url}/violation-notices/${id}`)
      const urge = page.locator('[data-test=act-urge]')
      if (!number) {
        await urge.waitFor()
        await urge.click()
        const dialog = page.locator('.el-dialog:visible', { has: page.locator('[data-test=action-effect]') })
        await dialog.waitFor()
        assert.match(await dialog.locator('[data-test=action-effect]').innerText(), /负责人和联络员/)
        await dialog.locator('textarea').first().fill('请立即派员核查处置')
        const [res] = await Promise.all([
          page.waitForResponse((r) => r.url().endsWith('/api/v1/urgings') && r.request().method() === 'POST'),
          dialog.locator('[data-test=action-confirm]').click(),
        ])
        assert.equal(res.status(), 201)
        number = (await res.json()).number
        assert.match(number, /督〔2026〕\d+号$/)
        await dialog.waitFor({ state: 'hidden' })
      }
      await page.goto(`${server.url}/violation-notices/${id}?tab=timeline`)
      const tl = page.locator('[data-test=collab-timeline]')
      await tl.waitFor()
      await page.waitForFunction((n) => (document.querySelector('[data-test=collab-timeline]')?.innerText || '').includes(n), number)
      assert.match(await tl.innerText(), /督办/)
      await noSidewaysOverflow(page, 'item with its timeline')
      assert.deepEqual(errors, [], `console errors:\n${errors.join('\n')}`)
    } finally {
      await s.browser.close()
    }
  }
  // scjg's leader: told, counted on the workbench, listed, and can open it.
  const leader = await client('scjg.leader')
  const notes = (await leader.get('/api/v1/notifications?page_size=200')).json.items.filter((n) => n.kind === 'urging.created' && n.title.includes(number))
  assert.equal(notes.length, 1, 'scjg.leader is told once, with the number')
  const openForScjg = (await leader.get('/api/v1/urgings?direction=in&state=open&page_size=1')).json.total
  assert.ok(openForScjg >= 1)
  for (const vp of VIEWPORTS) {
    const s = await signedIn('scjg.leader', vp)
    try {
      const { page, errors } = s
      const card = page.locator('[data-test=wb-card-urgings]')
      await card.waitFor()
      const n = Number(await card.getAttribute('data-count'))
      assert.equal(n, openForScjg, 'the card counts the urgings addressed to scjg, the new one among them')
      await card.click()
      assert.equal(await listTotal(page, 'urgings'), n)
      await page.getByText(number).first().click()
      await page.locator('[data-test=urging-number]').waitFor()
      assert.equal((await page.locator('[data-test=urging-number]').innerText()).trim(), number)
      await noSidewaysOverflow(page, 'urging detail')
      await screenshot(page, `urging-${vp.name}.png`)
      assert.deepEqual(errors, [], `console errors:\n${errors.join('\n')}`)
    } finally {
      await s.browser.close()
    }
  }
})
