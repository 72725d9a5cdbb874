// Issue 17, what round 2 left, in a real browser:
// - defect 9 (1440×900): list columns fit their table — no list table wider than its container,
//   期限 and 状态 never clipped, 执法事项/标题 get room, 移送案件列表 shows 当事人; phones (390×844)
//   keep no sideways overflow.
// - defect 4 (R-TIME-5) on 消息通知 (desktop and phone), the bell pop-over and a detail page's
//   duty table: a deadline at the end of a day reads 当日24时 / 24:00 of that day, never 23:59 —
//   here a collaboration's answer deadline extended to a date (new_due YYYY-MM-DD).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, api } from '../lib/server.mjs'
import { signIn, noLoading, screenshot } from '../lib/browser.mjs'

const START = '2026-12-01T09:00:00+08:00'
let server
let collab // a technical appraisal xincheng → scjg, its answer deadline extended to `day`
let day // YYYY-MM-DD

before(async () => {
  server = await startServer({ fakeClock: START, extraArgs: ['--access-log', 'off'] })
  const as = (who) => api(server.url).login(who, server.password)
  const town = await as('xincheng.officer')
  const orgs = Object.fromEntries((await town.get('/api/v1/orgs')).json.items.map((o) => [o.code, o]))
  const c = await town.post('/api/v1/collaborations', {
    kind: 'technical_appraisal', to_org: orgs.scjg.id, title: '缺陷4：饮料保质期鉴定',
    questions: '请对查扣的12箱饮料是否过期进行鉴定', case_ref: '新城镇2026年第21号案', materials: [],
  })
  assert.equal(c.status, 201, c.text)
  assert.equal((await town.post(`/api/v1/collaborations/${c.json.id}/submit`, {})).status, 200)
  const sent = await (await as('xincheng.leader')).post(`/api/v1/collaborations/${c.json.id}/approve`, {})
  assert.equal(sent.status, 200, sent.text)
  const answer = sent.json.duties.find((d) => d.kind === 'collaboration.answer')
  day = new Date(Date.parse(answer.due_at) + 10 * 86400_000 + 8 * 3600_000).toISOString().slice(0, 10)
  const ext = await (await as('scjg.leader')).post(`/api/v1/collaborations/${c.json.id}/extend`, { reason: '需送省级检测机构检验', new_due: day })
  assert.equal(ext.status, 200, ext.text)
  collab = ext.json
})
after(async () => {
  await server?.stop()
})

const SIZES = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } }

const signInAt = (size, username) => signIn(server, username, { viewport: SIZES[size] })

/** The words a deadline at 24:00 of `day` must read, and what it must never read. */
function endOfDay(ymd) {
  const [y, m, d] = ymd.split('-').map(Number)
  return { zh: `${y}年${m}月${d}日24时`, dash: `${ymd} 24:00` }
}
const NEVER = /23:59|23时59/

for (const size of Object.keys(SIZES)) {
  test(`R-TIME-5, issue 17 defect 4 (${size}): 消息通知 and the bell write the end of day as 当日24时, never 23:59`, async () => {
    const { browser, page, errors } = await signInAt(size, 'xincheng.officer')
    try {
      const want = endOfDay(day)
      await page.goto(`${server.url}/notifications`)
      await noLoading(page)
      const row = page.locator('.el-table__row', { hasText: '反馈期限延长' }).first()
      await row.waitFor()
      // The body column may be cut with a tooltip on a narrow screen: read the cells' full text.
      const text = await row.evaluate((el) => el.textContent)
      assert.ok(text.includes(want.zh), `${want.zh} in 「${text}」`)
      assert.doesNotMatch(text, NEVER, text)
      const body = await page.locator('body').evaluate((el) => el.textContent)
      assert.doesNotMatch(body, NEVER, 'no 23:59 anywhere on 消息通知')
      await screenshot(page, `defect4-notifications-${size}.png`)
      // The bell pop-over lists the same message.
      await page.goto(`${server.url}/inbox`)
      await noLoading(page)
      const bell = page.locator('[data-test=bell]').first()
      await bell.click()
      const pop = page.locator('.xt-bell-pop:visible').first()
      await pop.waitFor()
      const popText = await pop.evaluate((el) => el.textContent)
      assert.doesNotMatch(popText, NEVER, popText)
      assert.deepEqual(errors, [])
    } finally {
      await browser.close()
    }
  })

  test(`R-TIME-5, issue 17 defect 4 (${size}): the collaboration's duty table shows 24:00 of the extended day`, async () => {
    const { browser, page, errors } = await signInAt(size, 'xincheng.officer')
    try {
      const want = endOfDay(day)
      await page.goto(`${server.url}/collaborations/${collab.id}`)
      await noLoading(page)
      const due = page.locator('[data-test=duty-due][data-kind="collaboration.answer"]').first()
      await due.waitFor({ state: 'attached' })
      const text = await due.evaluate((el) => el.textContent)
      assert.equal(text.trim(), want.dash)
      const main = await page.locator('main, .el-main').first().evaluate((el) => el.textContent)
      assert.doesNotMatch(main, NEVER, 'no 23:59 on the detail page (duties, timeline)')
      assert.deepEqual(errors, [])
    } finally {
      await browser.close()
    }
  })
}

// Every list page with a table, as the coordinator (sees every row) and a township officer.
const LISTS = [
  '/referrals', '/collab', '/inbox', '/disputes', '/complaints', '/criminal-transfers', '/guidance-requests', '/trainings',
  '/tech-support-requests', '/court-enforcements', '/police-support-requests', '/plans', '/plan-tasks', '/materials',
  '/approvals', '/penalty-filings', '/consultations', '/joint-mechanisms', '/joint-actions', '/urgings', '/notifications',
  '/matters', '/referrals/approvals', '/collaborations/approvals', '/overview', '/admin/orgs', '/admin/users', '/admin/audit',
]

/** Opens each list page of LISTS that exists (the role may lack some) and calls `check(path)`. */
async function eachList(page, check) {
  for (const path of LISTS) {
    const res = await page.goto(`${server.url}${path}`)
    if (!res || res.status() >= 400) continue
    await noLoading(page)
    await check(path)
  }
}

/** For each table on the page: its width, its body's width, and the cells whose content overflows. */
function measureTables(page) {
  return page.evaluate(() => [...document.querySelectorAll('.el-table')].filter((t) => t.offsetParent).map((t) => {
    const wrap = t.getBoundingClientRect()
    const body = t.querySelector('.el-table__body')
    const heads = [...t.querySelectorAll('.el-table__header th')].map((th) => ({
      label: th.textContent.trim(), width: Math.round(th.getBoundingClientRect().width),
    }))
    const clipped = []
    for (const tr of t.querySelectorAll('.el-table__body tr')) {
      ;[...tr.children].forEach((td, i) => {
        const cell = td.querySelector('.cell')
        if (!cell || cell.classList.contains('el-tooltip')) return // show-overflow-tooltip: cut on purpose
        const r = td.getBoundingClientRect()
        if (cell.scrollWidth > cell.clientWidth + 1 || r.right > wrap.right + 1) {
          clipped.push(`${heads[i]?.label}: ${cell.textContent.trim().slice(0, 24)}`)
        }
      })
    }
    return { width: Math.round(wrap.width), body: Math.round(body?.getBoundingClientRect().width || 0), heads, clipped }
  }))
}

test('issue 17 defect 9 (1440×900): 移送案件列表 fits — 当事人 shown, 期限/状态 not clipped, 执法事项 has room', async () => {
  const { browser, page, errors } = await signInAt('desktop', 'coordinator.staff')
  try {
    await page.goto(`${server.url}/referrals`)
    await noLoading(page)
    await page.locator('[data-test=referrals-table] .el-table__row').first().waitFor()
    const [t] = await measureTables(page)
    const w = (label) => t.heads.find((h) => h.label === label)?.width
    assert.ok(w('当事人') >= 100, `当事人 present and ≥ 100 px: ${JSON.stringify(t.heads)}`)
    assert.ok(w('执法事项') >= 180, `执法事项 ≥ 180 px: ${JSON.stringify(t.heads)}`)
    assert.ok(t.body <= t.width + 1, `the table fits its container (${t.body} > ${t.width}): ${JSON.stringify(t.heads)}`)
    assert.deepEqual(t.clipped.filter((c) => /^(期限|状态)/.test(c)), [], '期限 and 状态 never clipped')
    assert.deepEqual(t.clipped, [])
    await screenshot(page, 'defect9-referrals-1440.png')
    assert.deepEqual(errors, [])
  } finally {
    await browser.close()
  }
})

for (const who of ['coordinator.staff', 'xincheng.officer']) {
  test(`issue 17 defect 9 (1440×900, ${who}): no list table is wider than its container; 标题/执法事项 get room`, async () => {
    const { browser, page } = await signInAt('desktop', who)
    try {
      const bad = []
      await eachList(page, async (path) => {
        await page.waitForTimeout(300)
        for (const t of await measureTables(page)) {
          if (!t.heads.length) continue
          if (t.body > t.width + 1) bad.push(`${path}: table ${t.body} px in ${t.width} px (${t.heads.map((h) => `${h.label} ${h.width}`).join(', ')})`)
          for (const c of t.clipped) bad.push(`${path}: clipped ${c}`)
          for (const h of t.heads) {
            if (/^(标题|执法事项)$/.test(h.label) && h.width < 150) bad.push(`${path}: ${h.label} only ${h.width} px`)
          }
        }
      })
      assert.deepEqual(bad, [])
    } finally {
      await browser.close()
    }
  })
}

test('issue 17 defect 9 (390×844): the list pages keep no sideways overflow on a phone', async () => {
  const { browser, page } = await signInAt('phone', 'coordinator.staff')
  try {
    const bad = []
    await eachList(page, async (path) => {
      const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth])
      if (sw > cw + 1) bad.push(`${path}: ${sw} > ${cw}`)
    })
    assert.deepEqual(bad, [])
  } finally {
    await browser.close()
  }
})
