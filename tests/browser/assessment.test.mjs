// 统计分析 (issue 14, R-ASM-1; docs/assessment-contract.md) through the web UI against a real
// server with the demo county and a fake clock: coordinator.staff opens 统计分析 from the menu,
// sees the charts, drills from an org's red (overdue) count to the very duties behind it (the
// same ids as GET /api/v1/assessment/items), opens the org's assessment page (what counts against
// it, its 通报批评 and that circular's own page), and downloads the CSV export (every group). The .xlsx variant comes with the xlsx helper's merge.
// Run: cd tests && XT_BIN=../build/src/cli/xietong node --test browser/assessment.test.mjs
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { startServer, api } from '../lib/server.mjs'
import { SIGNED_OUT_PROBE, collectConsoleErrors, launchBrowser, noLoading, screenshot } from '../lib/browser.mjs'

// Tuesday 2026-12-01 09:00 in Shanghai: a working day.
const NOW = '2026-12-01T09:00:00+08:00'
const server = await startServer({ fakeClock: NOW })
after(async () => {
  await server?.stop()
})
const coord = await api(server.url).login('coordinator.staff', server.password)
const orgs = Object.fromEntries((await coord.get('/api/v1/orgs')).json.items.map((o) => [o.code, o]))
// A task given to liuzu on 2026-11-02, two working days: overdue (red) today.
const duty = await coord.post('/api/v1/duties', {
  kind: 'task.assigned', owner_org_id: orgs.liuzu.id, object_type: 'external', object_id: 'B-ASM',
  title: '浏览器测试：逾期交办任务', trigger_at: '2026-11-02T09:00:00+08:00', period: { unit: 'working_days', value: 2 },
})
assert.equal(duty.status, 201, duty.text)
// A 通报批评 of liuzu citing it (R-ASM-2): shown on the org page and on its own page.
const circular = await coord.post('/api/v1/circulars', { org_id: orgs.liuzu.id, title: '浏览器测试：通报批评', text: '交办任务逾期未办结。', duty_ids: [duty.json.id] })
assert.equal(circular.status, 201, circular.text)

test('统计分析: the coordinator drills from a red count to the duties behind it and exports CSV', async () => {
  const browser = await launchBrowser({ viewport: { width: 1440, height: 900 } })
  try {
    const page = await browser.newPage()
    const errors = collectConsoleErrors(page, { ignore: [SIGNED_OUT_PROBE] })
    await page.goto(`${server.url}/login`)
    await page.locator('[data-test=login-username]').fill('coordinator.staff')
    await page.locator('[data-test=login-password]').fill(server.password)
    await page.locator('[data-test=login-submit]').click()
    await page.waitForURL(`${server.url}/`)
    await page.locator('[data-test=menu-statistics]').click()
    await page.waitForURL(/\/assessment$/)
    await page.locator('[data-test=assessment-red]').waitFor()
    await noLoading(page)
    assert.ok(await page.locator('[data-test=assessment-chart-trend] canvas').count(), 'the trend chart is drawn')
    // The referral flow: a Sankey when referrals were sent this year, else the empty state.
    const flow = (await coord.get('/api/v1/assessment/dashboard?year=2026')).json.flow
    if (flow.length) assert.ok(await page.locator('[data-test=assessment-chart-flow] canvas').count(), 'the Sankey is drawn')
    else assert.ok(await page.locator('[data-test=assessment-flow-empty]').isVisible(), 'no referral sent: the empty state')
    await screenshot(page, 'assessment-dashboard.png')

    // The red count of liuzu opens the overdue duties behind it.
    const red = page.locator('[data-test=red-liuzu]')
    await red.waitFor()
    const shown = Number((await red.textContent()).trim())
    assert.ok(shown >= 1, 'liuzu has an overdue duty')
    await red.click()
    await page.waitForURL(/\/assessment\/items\?/)
    await page.locator('[data-test=assessment-items] [data-test=fact]').first().waitFor()
    await noLoading(page)
    const ids = (await page.locator('[data-test=assessment-items] [data-test=fact]').evaluateAll((els) => els.map((e) => Number(e.dataset.id)))).sort((a, b) => a - b)
    const api2 = (await coord.get(`/api/v1/assessment/items?org=${orgs.liuzu.id}&indicator=overdue_open&period=2026`)).json
    assert.deepEqual(ids, api2.items.map((f) => f.id).sort((a, b) => a - b), 'the page lists the very duties of the API')
    assert.equal(ids.length, shown, 'as many duties as the red count')
    assert.ok(ids.includes(duty.json.id), 'the overdue task is among them')
    const counted = await page.locator('[data-test=assessment-items] [data-test=fact]').evaluateAll((els) => els.map((e) => e.dataset.counted))
    assert.ok(counted.every((c) => c === 'overdue'))

    // The org's page says what counts against it.
    await page.getByText('单位考核页').click()
    await page.locator('[data-test=assessment-org] [data-test=assessment-values]').waitFor()
    await noLoading(page)
    await page.locator('[data-test=assessment-against]').waitFor()
    assert.ok((await page.locator('[data-test=assessment-against]').textContent()).includes('浏览器测试：逾期交办任务'))
    const circ = page.locator(`[data-test=assessment-circulars] [data-test=circular][data-id="${circular.json.id}"]`)
    assert.ok((await circ.textContent()).includes(circular.json.number), 'the circular with its number (评)')
    await page.goto(`${server.url}/circulars/${circular.json.id}`)
    await page.locator('[data-test=circular-cited]').waitFor()
    await noLoading(page)
    assert.ok((await page.locator('[data-test=circular-cited]').textContent()).includes('浏览器测试：逾期交办任务'))

    // Back to 统计分析: the CSV export downloads with every indicator group.
    await page.locator('[data-test=menu-statistics]').click()
    await page.locator('[data-test=assessment-export]').waitFor()
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=assessment-export]').click()])
    const text = await readFile(await download.path(), 'utf8')
    for (const sheet of ['【综合得分】', '【期限履行】', '【案件移送】', '【监督与培训】', '【各类期限】']) assert.ok(text.includes(sheet), sheet)
    assert.ok(text.includes(orgs.liuzu.name))
    assert.deepEqual(errors, [])
  } finally {
    await browser.close()
  }
})
