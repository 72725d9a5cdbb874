// Issue 17, what round 1 left, in a real browser (desktop and phone):
// - defect 3: page subtitles and confirmation texts show the policy clause in words, never a rule
//   id (R-REF-4 …); the API lists the rules' words (GET /api/v1/rules) for the RuleText tooltip.
// - defect 5 (R-TIME-4): a duty due within the hour shows 「剩余不足1小时」 with a yellow 临期 tag,
//   never a green 正常 one — the server's colour is yellow there (a 2-hour period's last hour).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, api } from '../lib/server.mjs'
import { launchBrowser, collectConsoleErrors, SIGNED_OUT_PROBE, noLoading } from '../lib/browser.mjs'

const START = '2026-12-01T09:00:00+08:00'
let server
let dutyId

before(async () => {
  server = await startServer({ fakeClock: START, extraArgs: ['--access-log', 'off'] })
  const coord = await api(server.url).login('coordinator.staff', server.password)
  const orgs = (await coord.get('/api/v1/orgs')).json.items
  const xincheng = orgs.find((o) => o.code === 'xincheng').id
  const res = await coord.post('/api/v1/duties', {
    kind: 'task.assigned', owner_org_id: xincheng, object_type: 'external', object_id: 'D5-1',
    title: '缺陷5：两小时内办结的交办任务', trigger_at: START, period: { unit: 'hours', value: 2 },
  })
  assert.equal(res.status, 201, res.text)
  dutyId = res.json.id
  // 75 minutes later: 45 minutes left.
  const clock = await api(server.url).anonymous().post('/api/v1/test/clock', { set: '2026-12-01T10:15:00+08:00' })
  assert.equal(clock.status, 200, clock.text)
})
after(async () => {
  await server?.stop()
})

const SIZES = { desktop: { width: 1366, height: 900 }, phone: { width: 390, height: 844 } }

async function signInAt(size, username) {
  const browser = await launchBrowser({ viewport: SIZES[size] })
  const page = await browser.newPage()
  const errors = collectConsoleErrors(page, { ignore: [SIGNED_OUT_PROBE] })
  await page.goto(`${server.url}/login`)
  await page.locator('[data-test=login-username]').fill(username)
  await page.locator('[data-test=login-password]').fill(server.password)
  await page.locator('[data-test=login-submit]').click()
  await page.waitForURL(`${server.url}/`)
  return { browser, page, errors }
}

test('R-TIME-4, issue 17 defect 5: the API colours a duty with 45 minutes left yellow', async () => {
  const c = await api(server.url).login('xincheng.officer', server.password)
  const res = await c.get(`/api/v1/duties/${dutyId}`)
  assert.equal(res.status, 200)
  const d = res.json.duty ?? res.json
  assert.equal(d.colour, 'yellow')
})

for (const size of Object.keys(SIZES)) {
  test(`R-TIME-4, issue 17 defect 5 (${size}): 「剩余不足1小时」 is never beside a green 正常 tag`, async () => {
    const { browser, page, errors } = await signInAt(size, 'xincheng.officer')
    try {
      await page.goto(`${server.url}/inbox`)
      await noLoading(page)
      const row = size === 'desktop'
        ? page.locator('.el-table__row', { hasText: '缺陷5' })
        : page.locator('[data-test=list-card], .xt-card', { hasText: '缺陷5' }).first()
      await row.waitFor()
      const text = await row.innerText()
      assert.match(text, /剩余不足1小时/)
      assert.doesNotMatch(text, /正常/, 'no 正常 tag with less than an hour left')
      assert.equal(await row.locator('.el-tag--success').count(), 0, 'no green tag')
      assert.ok((await row.locator('.el-tag--warning').count()) >= 1, 'a yellow tag')
      assert.deepEqual(errors, [])
    } finally {
      await browser.close()
    }
  })

  test(`issue 17 defect 3 (${size}): page subtitles name clauses in words, not rule ids`, async () => {
    const { browser, page, errors } = await signInAt(size, 'xincheng.officer')
    try {
      for (const path of ['/referrals', '/collab', '/referrals/new']) {
        await page.goto(`${server.url}${path}`)
        await noLoading(page)
        const sub = page.locator('.xt-sub').first()
        await sub.waitFor()
        const text = await sub.innerText()
        assert.ok(text.length > 4, `${path} has a subtitle`)
        assert.doesNotMatch(text, /R-[A-Z]+-\d/, `${path}: ${text}`)
      }
      const main = await page.locator('main, .el-main').first().innerText()
      assert.doesNotMatch(main, /R-[A-Z]+-\d/, 'no rule id on the new-referral page')
      assert.deepEqual(errors, [])
    } finally {
      await browser.close()
    }
  })
}
