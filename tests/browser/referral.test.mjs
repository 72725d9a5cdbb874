// 案件移送 end to end through the web UI against a real server with the demo county and a fake
// clock (deadlines are deterministic):
//  1. xincheng.officer drafts a referral to the competent county department (step form, evidence
//     upload) and submits it; xincheng.leader approves it (文号 新城执移〔2026〕N号); the department's
//     leader accepts it; the R-REF-6 acceptance-notice duty is met on time.
//  2. A sent referral nobody answers: the test clock passes the 5-working-day period, a sweep
//     runs, and the duty shows red in the sender's list and detail and in coordinator.staff's 待办.
// Run: cd tests && npm ci && XT_BIN=../build/src/cli/xietong node --test browser/referral.test.mjs
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, api } from '../lib/server.mjs'
import { launchBrowser, collectConsoleErrors, screenshot, noLoading } from '../lib/browser.mjs'

// Tuesday 2026-11-24 09:00 in Shanghai: a working day, far from holidays.
const NOW = '2026-11-24T09:00:00+08:00'
const DISCOVERED_UI = '2026-11-24 08:30'
const SIGNED_OUT_PROBE = /status of 401.*\/api\/v1\/me\)$/
const NUMBER = /^新城执移〔2026〕[1-9]\d*号$/

// A 1×1 PNG (evidence file): magic bytes the server sniffs as image/png.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
)

let server
let officerApi
let xincheng
let matter // a matter NOT delegated to xincheng on NOW: the county department is competent
let competent

before(async () => {
  server = await startServer({ fakeClock: NOW })
  officerApi = await api(server.url).login('xincheng.officer', server.password)
  xincheng = officerApi.user.org
  // Choose the matter through the API: one for which /jurisdiction names the department (prefer
  // 县市场监管局, whose leader accepts in test 1).
  const res = await officerApi.get('/api/v1/matters?page=1&page_size=200')
  assert.equal(res.status, 200, res.text)
  const candidates = []
  for (const m of res.json.items) {
    const j = await officerApi.get(
      `/api/v1/jurisdiction?matter=${encodeURIComponent(m.code)}&township=${xincheng.id}&on=2026-11-24`,
    )
    assert.equal(j.status, 200, j.text)
    if (j.json.competent_org.id !== xincheng.id) candidates.push({ m, c: j.json.competent_org })
  }
  assert.ok(candidates.length, 'the demo catalog has matters not delegated to xincheng')
  const pick = candidates.find((x) => x.c.code === 'scjg') || candidates[0]
  matter = pick.m
  competent = pick.c
})
after(async () => {
  await server?.stop()
})

/** A fresh browser signed in as `username`; returns { browser, page, errors }. */
async function signedIn(username, { viewport } = {}) {
  const browser = await launchBrowser(viewport ? { viewport } : {})
  const page = await browser.newPage()
  const errors = collectConsoleErrors(page, { ignore: [SIGNED_OUT_PROBE] })
  await page.goto(`${server.url}/login`)
  await page.locator('[data-test=login-username]').fill(username)
  await page.locator('[data-test=login-password]').fill(server.password)
  await page.locator('[data-test=login-submit]').click()
  await page.waitForURL(`${server.url}/`)
  await page.locator('[data-test=user-org]').waitFor()
  return { browser, page, errors }
}


/** Picks `text` in an Element Plus select (optionally typing it first for filterable ones). */
async function choose(page, selectSel, text, { type = false } = {}) {
  const sel = page.locator(selectSel)
  await sel.click()
  if (type) await sel.locator('input').fill(text)
  const option = page.locator('.el-select-dropdown__item:visible', { hasText: text }).first()
  await option.waitFor()
  await option.click()
}

/** Confirms the open action dialog; returns the effect text it stated. */
async function confirmDialog(page, { fill } = {}) {
  const dialog = page.locator('.el-dialog:visible', { has: page.locator('[data-test=action-effect]') })
  await dialog.waitFor()
  const effect = (await dialog.locator('[data-test=action-effect]').innerText()).trim()
  for (const [name, value] of Object.entries(fill || {})) {
    await dialog.locator(`[data-test=action-${name}]`).fill(value)
  }
  await dialog.locator('[data-test=action-confirm]').click()
  await dialog.waitFor({ state: 'hidden' })
  return effect
}

test('a township officer refers a case; the leader approves; the department accepts on time', async () => {
  // ---- xincheng.officer drafts and submits
  let s = await signedIn('xincheng.officer')
  let referralId
  try {
    const { page, errors } = s
    await page.locator('[data-test=menu-referral-new]').click()
    await page.waitForURL(/\/referrals\/new$/)
    await noLoading(page)

    // ① 案件信息
    await choose(page, '[data-test=matter-select]', matter.name, { type: true })
    const hint = page.locator('[data-test=jurisdiction-hint]')
    await page.waitForFunction(() =>
      (document.querySelector('[data-test=jurisdiction-hint]')?.innerText || '').includes('管辖'),
    )
    assert.match(await hint.innerText(), /该事项在新城镇由.+管辖（依据/)
    // The competent department is suggested as receiver; no R-JUR-1 warning.
    await page.waitForFunction(
      () => (document.querySelector('[data-test=to-org-select]')?.innerText || '').trim() !== '',
    )
    assert.ok((await page.locator('[data-test=to-org-select]').innerText()).includes(competent.name))
    assert.equal(await page.locator('[data-test=jurisdiction-warning]').count(), 0)
    await page.locator('[data-test=place]').fill('新城镇人民路88号门前')
    const when = page.locator('[data-test=discovered-at] input')
    await when.click()
    await when.fill(DISCOVERED_UI)
    await when.press('Enter')
    await page.locator('[data-test=page-title]').click() // close the picker
    const [created] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/referrals') && r.request().method() === 'POST'),
      page.locator('[data-test=next-step]').click(),
    ])
    assert.equal(created.status(), 201, await created.text())
    const draft = await created.json()
    assert.equal(created.request().headers()['idempotency-key']?.length > 0, true, 'create sends an Idempotency-Key')
    referralId = draft.id
    await page.waitForURL(new RegExp(`/referrals/${referralId}/edit`))

    // ② 事实与当事人
    await page.locator('[data-test=step-2]').waitFor()
    await page.locator('[data-test=facts]').fill(
      '2026年11月24日8时30分，执法人员巡查发现当事人在人民路88号门前无照经营，现场未能出示营业执照。',
    )
    await page.locator('[data-test=party-name]').fill('张某某')
    const basis = page.locator('[data-test=legal-basis]')
    if (!(await basis.inputValue()).trim()) await basis.fill(matter.legal_basis || '《无证无照经营查处办法》')
    await page.locator('[data-test=next-step]').click()

    // ③ 证据材料: upload a small PNG
    await page.locator('[data-test=step-3]').waitFor()
    const [upload] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/files') && r.request().method() === 'POST'),
      page.locator('[data-test=evidence-file]').setInputFiles({ name: '现场照片.png', mimeType: 'image/png', buffer: PNG }),
    ])
    assert.equal(upload.status(), 201, await upload.text())
    assert.equal(upload.request().headers()['x-file-name'], encodeURIComponent('现场照片.png'))
    await page.locator('[data-test=evidence-file-link]').waitFor()
    await page.locator('[data-test=autosave]').filter({ hasText: /已自动保存 \d\d:\d\d/ }).waitFor()
    await screenshot(page, 'referral-form-evidence.png')
    await page.locator('[data-test=next-step]').click()

    // ④ 核对与提交
    await page.locator('[data-test=step-4]').waitFor()
    for (const k of ['facts_clear', 'evidence_complete', 'procedure_lawful', 'formalities_complete']) {
      await page.locator(`[data-test=check-${k}]`).click()
    }
    await screenshot(page, 'referral-form-check.png')
    await page.locator('[data-test=submit]').click()
    const effect = await confirmDialog(page)
    assert.match(effect, /审批/)
    await page.waitForURL(new RegExp(`/referrals/${referralId}$`))
    await page.locator('[data-test=ref-state][data-state=submitted]').waitFor()
    assert.deepEqual(errors, [], `console errors:\n${errors.join('\n')}`)
  } finally {
    await s.browser.close()
  }

  // ---- xincheng.leader approves from 待审批
  s = await signedIn('xincheng.leader')
  try {
    const { page, errors } = s
    await page.locator('[data-test=menu-referral-approvals]').click()
    await page.waitForURL(/\/referrals\/approvals$/)
    await noLoading(page)
    await page.locator('[data-test=approvals-table] [data-test=approve]').first().click()
    const effect = await confirmDialog(page)
    assert.match(effect, /5个工作日/)
    assert.match(effect, /书面告知受理情况/)
    assert.doesNotMatch(effect, /R-[A-Z]+-\d/, 'the clause in words, no rule id (issue 17 defect 3)')
    await page.goto(`${server.url}/referrals/${referralId}`)
    await page.locator('[data-test=ref-state][data-state=sent]').waitFor()
    const number = (await page.locator('[data-test=ref-number]').innerText()).trim()
    assert.match(number, NUMBER)
    await page.getByRole('tab', { name: '期限' }).click()
    await page.locator('[data-test=ref-duties] [data-test=duty-colour]').first().waitFor()
    await page.getByRole('tab', { name: '案件内容' }).click()
    await screenshot(page, 'referral-detail-sent.png')
    assert.deepEqual(errors, [], `console errors:\n${errors.join('\n')}`)
  } finally {
    await s.browser.close()
  }

  // ---- the department's leader accepts
  s = await signedIn('scjg.leader')
  try {
    const { page, errors } = s
    await page.goto(`${server.url}/referrals/${referralId}`)
    await page.locator('[data-test=ref-state][data-state=sent]').waitFor()
    await page.locator('[data-test=act-accept]').click()
    const [acceptRes] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/api/v1/referrals/${referralId}/accept`)),
      confirmDialog(page),
    ])
    assert.equal(acceptRes.status(), 200, await acceptRes.text())
    assert.ok(acceptRes.request().headers()['idempotency-key'], 'the action sends an Idempotency-Key')
    await page.locator('[data-test=ref-state][data-state=accepted]').waitFor()
    await page.getByRole('tab', { name: /文书/ }).click()
    await page.locator('[data-test=doc-open]').first().waitFor()
    await screenshot(page, 'referral-detail-accepted.png')

    // The printable document (opened in a new tab by the UI): render it and keep a picture.
    const href = await page.locator('[data-test=doc-open]').first().getAttribute('href')
    const doc = await s.browser.newPage()
    const res = await doc.goto(new URL(href, server.url).toString())
    assert.equal(res.status(), 200)
    assert.match(res.headers()['content-type'], /text\/html/)
    await screenshot(doc, 'referral-document.png', { fullPage: true })
    assert.deepEqual(errors, [], `console errors:\n${errors.join('\n')}`)
  } finally {
    await s.browser.close()
  }

  // ---- the acceptance notice (R-REF-6) was given on time
  const leaderApi = await api(server.url).login('scjg.leader', server.password)
  const got = await leaderApi.get(`/api/v1/referrals/${referralId}`)
  assert.equal(got.status, 200, got.text)
  assert.equal(got.json.state, 'accepted')
  assert.match(got.json.number, NUMBER)
  const duty = got.json.duties.find((d) => d.kind === 'referral.accept_notice')
  assert.ok(duty, 'the referral has an accept_notice duty')
  assert.equal(duty.state, 'met')
  assert.equal(duty.on_time, true)
})

test('an unanswered referral turns red for the sender and in the coordinator’s 待办', async () => {
  // A referral sent through the API (the UI path is covered above).
  const up = await fetch(new URL('/api/v1/files', server.url), {
    method: 'POST',
    headers: {
      'Content-Type': 'image/png',
      'X-File-Name': encodeURIComponent('照片.png'),
      'X-CSRF-Token': officerApi.csrfToken,
      Cookie: [...officerApi.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    },
    body: PNG,
  })
  const upText = await up.text()
  assert.equal(up.status, 201, upText)
  const fileId = JSON.parse(upText).id
  const created = await officerApi.post('/api/v1/referrals', {
    to_org: competent.id,
    matter: matter.code,
    township: xincheng.id,
    place: '新城镇建设路12号',
    discovered_at: '2026-11-24T08:00:00+08:00',
    urgent: false,
    ongoing: false,
    dissuasion: null,
    facts: '巡查发现当事人在建设路12号无照经营。',
    party: { name: '李某', id_type: '', id_number: '', address: '', phone: '' },
    legal_basis: matter.legal_basis || '《无证无照经营查处办法》',
    evidence: [{ name: '现场照片', description: '', file: fileId }],
    checklist: { facts_clear: true, evidence_complete: true, procedure_lawful: true, formalities_complete: true },
    jurisdiction_override_reason: null,
  })
  assert.equal(created.status, 201, created.text)
  const id = created.json.id
  assert.equal((await officerApi.post(`/api/v1/referrals/${id}/submit`, {})).status, 200)
  const leaderApi = await api(server.url).login('xincheng.leader', server.password)
  const approved = await leaderApi.post(`/api/v1/referrals/${id}/approve`, {})
  assert.equal(approved.status, 200, approved.text)

  // Ten calendar days later (2026-12-04): past the 5 working days of R-REF-6.
  const clock = await leaderApi.post('/api/v1/test/clock', { advance_seconds: 10 * 86400 })
  assert.equal(clock.status, 200, clock.text)
  const sweep = await leaderApi.post('/api/v1/test/sweep', {})
  assert.equal(sweep.status, 200, sweep.text)

  // The sender sees red in the list (移出) and on the detail page.
  let s = await signedIn('xincheng.officer')
  try {
    const { page, errors } = s
    await page.goto(`${server.url}/referrals`)
    const table = page.locator('[data-test=referrals-table]')
    await table.waitFor()
    await noLoading(page)
    const row = table.locator('.el-table__row', { hasText: approved.json.number })
    await row.waitFor()
    assert.equal(await row.locator('[data-test=ref-colour]').getAttribute('data-colour'), 'red')
    assert.match(await row.innerText(), /已超期/)
    await screenshot(page, 'referral-list-red.png')
    await row.click()
    await page.waitForURL(new RegExp(`/referrals/${id}$`))
    await page.getByRole('tab', { name: '期限' }).click()
    const red = page.locator('[data-test=ref-duties] [data-test=duty-colour][data-colour=red]')
    await red.first().waitFor()
    // The sender may now ask the coordinator to coordinate (R-REF-7).
    await page.locator('[data-test=act-coordination]').waitFor()
    await screenshot(page, 'referral-detail-red.png')
    assert.deepEqual(errors, [], `console errors:\n${errors.join('\n')}`)
  } finally {
    await s.browser.close()
  }

  // coordinator.staff sees the overdue duty among every org's 待办, linked to the referral.
  s = await signedIn('coordinator.staff')
  try {
    const { page, errors } = s
    await page.goto(`${server.url}/inbox`) // the coordinator starts on the county overview (issue 17)
    await page.locator('[data-test=duties-table]').waitFor()
    await page.locator('[data-test=scope-all]').click() // 全部机构 (n): the scope with its count (issue 17 defect 6)
    await noLoading(page)
    const link = page.locator(`[data-test=duties-table] [data-test=duty-link][href="/referrals/${id}"]`)
    await link.first().waitFor()
    // `has` matches inside each row, so the inner locator must not repeat the table ancestor.
    const row = page.locator('[data-test=duties-table] .el-table__row', {
      has: page.locator(`[data-test=duty-link][href="/referrals/${id}"]`),
    })
    assert.equal(await row.first().locator('.xt-colour').getAttribute('data-colour'), 'red')
    await screenshot(page, 'referral-coordinator-inbox-red.png')
    await link.first().click()
    await page.waitForURL(new RegExp(`/referrals/${id}$`))
    await page.locator('[data-test=ref-number]').filter({ hasText: approved.json.number }).waitFor()
    assert.deepEqual(errors, [], `console errors:\n${errors.join('\n')}`)
  } finally {
    await s.browser.close()
  }
})
