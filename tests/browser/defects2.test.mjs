// Issue 17, what round 1 left, in a real browser (desktop and phone):
// - defect 3: page subtitles and confirmation texts show the policy clause in words, never a rule
//   id (R-REF-4 …); the API lists the rules' words (GET /api/v1/rules) for the RuleText tooltip.
// - defect 6: tab counts (执法协作 types, 待办 scopes) equal the totals of the lists they open.
// - defect 4: a deadline at the end of a day reads 24:00 of that day, never 00:00 of the next.
// - defect 13: the new-referral and new-collaboration forms have the same width.
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
  // A 5-working-day task: due at 24:00 of 2026-12-08 (R-TIME-5), stored as 00:00 of 12-09 (defect 4).
  const d4 = await coord.post('/api/v1/duties', {
    kind: 'task.assigned', owner_org_id: xincheng, object_type: 'external', object_id: 'D4-1',
    title: '缺陷4：五个工作日的交办任务', trigger_at: START,
  })
  assert.equal(d4.status, 201, d4.text)
  // A violation notice xincheng sent (R-COL-8), for the collaboration tabs' counts (defect 6).
  const officer = await api(server.url).login('xincheng.officer', server.password)
  const scjg = orgs.find((o) => o.code === 'scjg').id
  const vn = await officer.post('/api/v1/violation-notices', {
    category: 'safety', to_org: scjg, description: '某餐饮店后厨违规使用无合格证的液化气瓶', place: '新城镇新兴大道88号',
    found_at: '2026-12-01T08:30:00+08:00',
  })
  assert.equal(vn.status, 201, vn.text)
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

test('issue 17 defect 13 (desktop): the new-referral and new-collaboration forms have the same width', async () => {
  const { browser, page, errors } = await signInAt('desktop', 'xincheng.officer')
  try {
    const widths = {}
    for (const path of ['/referrals/new', '/collaborations/new']) {
      await page.goto(`${server.url}${path}`)
      await noLoading(page)
      const form = page.locator('form.xt-form').first()
      await form.waitFor()
      widths[path] = Math.round((await form.boundingBox()).width)
    }
    assert.equal(widths['/referrals/new'], widths['/collaborations/new'], JSON.stringify(widths))
    assert.deepEqual(errors, [])
  } finally {
    await browser.close()
  }
})

for (const size of Object.keys(SIZES)) {
  test(`issue 17 defect 6 (${size}): each tab's count equals the total of the list it opens`, async () => {
    const { browser, page, errors } = await signInAt(size, 'xincheng.officer')
    const countOf = async (loc) => {
      let text = ''
      for (let i = 0; i < 30; i++) { // the counts load beside the list
        text = await loc.innerText()
        if (/\((\d+)\)\s*$/.test(text)) break
        await page.waitForTimeout(100)
      }
      const m = text.match(/\((\d+)\)\s*$/)
      assert.ok(m, `a count on 「${text}」`)
      return Number(m[1])
    }
    const pagerTotal = async () => Number(await page.locator('[data-test=pager]').first().getAttribute('data-total'))
    try {
      await page.goto(`${server.url}/collab`)
      await noLoading(page)
      const tabs = page.locator('[data-test=collab-type-tabs] .el-tabs__item')
      // every() is true of no tabs: wait for the tabs themselves too (the counts load beside them).
      await page.waitForFunction(() => {
        const els = [...document.querySelectorAll('[data-test=collab-type-tabs] .el-tabs__item')]
        return els.length >= 5 && els.every((e) => /\(\d+\)/.test(e.textContent))
      })
      const n = await tabs.count()
      assert.ok(n >= 5, '全部 and the types')
      const seen = []
      for (let i = 0; i < n; i++) {
        const tab = tabs.nth(i)
        const want = await countOf(tab)
        await tab.click()
        await noLoading(page)
        await page.waitForFunction((w) => Number(document.querySelector('[data-test=pager]')?.getAttribute('data-total')) === w, want, { timeout: 5000 }).catch(() => {})
        assert.equal(await pagerTotal(), want, `tab 「${await tab.innerText()}」`)
        seen.push(want)
      }
      assert.ok(seen[0] >= 1, 'the violation notice counts under 全部')

      await page.goto(`${server.url}/inbox`)
      await noLoading(page)
      const org = page.locator('[data-test=scope-org]')
      await page.waitForFunction(() => /\(\d+\)/.test(document.querySelector('[data-test=scope-org]')?.textContent || ''))
      assert.equal(await countOf(org), await pagerTotal(), '本单位 count = the list total')
      assert.ok((await countOf(org)) >= 1)
      assert.deepEqual(errors, [])
    } finally {
      await browser.close()
    }
  })
}

// Defect 9: no list's search placeholder is clipped (its text fits the input), desktop and phone.
const LISTS = ['/referrals', '/collab', '/inbox', '/disputes', '/matters', '/criminal-transfers', '/guidance-requests']
for (const size of Object.keys(SIZES)) {
  test(`issue 17 defect 9 (${size}): search placeholders are not clipped`, async () => {
    const { browser, page } = await signInAt(size, 'xincheng.officer')
    try {
      const clipped = []
      for (const path of LISTS) {
        const res = await page.goto(`${server.url}${path}`)
        if (!res || res.status() >= 400) continue
        await noLoading(page)
        await page.locator('.xt-filters').first().waitFor({ state: 'attached', timeout: 5000 }).catch(() => {})
        const bad = await page.evaluate(() => {
          const out = []
          const ctx = document.createElement('canvas').getContext('2d')
          for (const input of document.querySelectorAll('.xt-filters input[placeholder]')) {
            if (!input.placeholder) continue
            const cs = getComputedStyle(input)
            ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`
            const need = ctx.measureText(input.placeholder).width
            const room = input.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight)
            if (input.clientWidth > 0 && need > room + 1) out.push(`${input.placeholder} (${Math.round(need)} > ${Math.round(room)})`)
          }
          return out
        })
        for (const b of bad) clipped.push(`${path}: ${b}`)
      }
      assert.deepEqual(clipped, [])
    } finally {
      await browser.close()
    }
  })
}

for (const size of Object.keys(SIZES)) {
  test(`R-TIME-5, issue 17 defect 4 (${size}): 待办 shows the end of day as 24:00 of the last day only`, async () => {
    const { browser, page, errors } = await signInAt(size, 'xincheng.officer')
    try {
      await page.goto(`${server.url}/inbox`)
      await noLoading(page)
      const row = size === 'desktop'
        ? page.locator('.el-table__row', { hasText: '缺陷4' })
        : page.locator('.xt-card', { hasText: '缺陷4' }).first()
      await row.waitFor()
      const text = await row.innerText()
      assert.match(text, /2026-12-08 24:00|2026年12月8日24时/, text)
      assert.doesNotMatch(text, /2026-12-09 00:00|12月9日0?0?时|12-09 00:00/, text)
      const body = await page.locator('body').innerText()
      assert.doesNotMatch(body, /2026-12-09 00:00/, 'one convention on the page')
      assert.deepEqual(errors, [])
    } finally {
      await browser.close()
    }
  })
}
