// 行刑衔接 (R-CRI-1a, R-CRI-5; docs/criminal-transfers-contract.md) end to end through the web UI
// against a real server with the demo county and a fake clock: xincheng.officer reports a
// suspected crime from the menu entry 行刑衔接 with a material file; xincheng.leader approves it
// (批) and the officer transfers it to the police (刑 and 抄); the police officer (gaj) finds it in
// the list, signs the receipt (回) and decides to open a case (立) — the police duties are met by
// the police's own acts; a court user does not see it (R-CRI-5).
// Run: cd tests && npm ci && XT_BIN=../build/src/cli/xietong node --test browser/criminal_transfer.test.mjs
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, api } from '../lib/server.mjs'
import { screenshot, signIn, noLoading } from '../lib/browser.mjs'

const NOW = '2026-11-24T09:00:00+08:00' // a Tuesday
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')

const server = await startServer({ fakeClock: NOW })
after(async () => {
  await server?.stop()
})

const signedIn = (username) => signIn(server, username)


/** Clicks step `action` on the detail page, fills the dialog and confirms; returns the effect text. */
async function step(page, action, fill = {}) {
  await page.locator(`[data-test=act-${action}]`).click()
  const dialog = page.locator('.el-dialog:visible', { has: page.locator('[data-test=action-effect]') })
  await dialog.waitFor()
  const effect = (await dialog.locator('[data-test=action-effect]').innerText()).trim()
  for (const [name, value] of Object.entries(fill)) await dialog.locator(`[data-test=step-${name}]`).fill(value)
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().includes(`/${action}`) && r.request().method() === 'POST'),
    dialog.locator('[data-test=action-confirm]').click(),
  ])
  assert.equal(res.status(), 200, await res.text())
  await dialog.waitFor({ state: 'hidden' })
  await noLoading(page)
  return effect
}

const stateOf = async (page) => page.locator('[data-test=crime-state]').getAttribute('data-state')

test('R-CRI-1a: from the report to the police decision in the web UI (R-CRI-5: only the police addressed act and see it)', async () => {
  let id
  let s = await signedIn('xincheng.officer')
  try {
    const { page, errors } = s
    await page.locator('[data-test=menu-criminal-transfers]').click()
    await page.waitForURL(/\/criminal-transfers$/)
    assert.equal((await page.locator('[data-test=page-title]').innerText()).trim(), '行刑衔接')
    await page.locator('[data-test=criminal-new]').click()
    await page.waitForURL(/\/criminal-transfers\/new$/)
    await noLoading(page)
    await page.locator('[data-test=f-case-number]').fill('新城综执〔2026〕91号')
    await page.locator('[data-test=f-title]').fill('新城镇某作坊涉嫌生产有毒有害食品案')
    await page.locator('[data-test=f-facts]').fill('执法人员检查发现该作坊在卤制品中添加工业染料，现场查扣成品120公斤。')
    await page.locator('[data-test=f-offence]').fill('生产、销售有毒、有害食品罪')
    await page.locator('[data-test=f-amount]').fill('涉案货值约8.6万元')
    await page.locator('[data-test=f-material-add]').click()
    const [upload] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/files') && r.request().method() === 'POST'),
      page.locator('[data-test=f-material-file-0]').setInputFiles({ name: '调查报告.pdf', mimeType: 'application/pdf', buffer: PDF }),
    ])
    assert.equal(upload.status(), 201, await upload.text())
    await screenshot(page, 'criminal-report.png')
    const [created] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/criminal-transfers') && r.request().method() === 'POST'),
      page.locator('[data-test=criminal-submit]').click(),
    ])
    assert.equal(created.status(), 201, await created.text())
    id = (await created.json()).id
    await page.waitForURL(new RegExp(`/criminal-transfers/${id}$`))
    await noLoading(page)
    assert.equal(await stateOf(page), 'reported')
    // The officer may not decide: only the transfer step later, not 批准.
    assert.equal(await page.locator('[data-test=act-approve]').count(), 0)
    assert.deepEqual(errors, [])
  } finally {
    await s.browser.close()
  }

  // The head approves (批).
  s = await signedIn('xincheng.leader')
  try {
    const { page, errors } = s
    await page.goto(`${server.url}/criminal-transfers/${id}`)
    await noLoading(page)
    const effect = await step(page, 'approve', { opinion: '同意移送' })
    assert.match(effect, /24小时内移送/)
    assert.equal(await stateOf(page), 'approved')
    assert.deepEqual(errors, [])
  } finally {
    await s.browser.close()
  }

  // The officer transfers it: 刑 to the police, 抄 to the procuratorate.
  s = await signedIn('xincheng.officer')
  try {
    const { page, errors } = s
    await page.goto(`${server.url}/criminal-transfers/${id}`)
    await noLoading(page)
    const effect = await step(page, 'transfer')
    assert.match(effect, /抄/)
    assert.equal(await stateOf(page), 'transferred')
    assert.match(await page.locator('[data-test=crime-number]').innerText(), /刑〔2026〕\d+号/)
    await page.locator('.el-tabs__item', { hasText: '文书' }).click()
    const docs = await page.locator('[data-test=crime-documents]').innerText()
    assert.match(docs, /抄〔2026〕/)
    assert.deepEqual(errors, [])
  } finally {
    await s.browser.close()
  }

  // The police find it in their list, sign the receipt and open a case.
  s = await signedIn('gaj.officer')
  try {
    const { page, errors } = s
    await page.locator('[data-test=menu-criminal-transfers]').click()
    await page.waitForURL(/\/criminal-transfers$/)
    await noLoading(page)
    await page.locator('[data-test=criminal-table] .el-table__row', { hasText: '新城镇某作坊' }).click()
    await page.waitForURL(new RegExp(`/criminal-transfers/${id}$`))
    await noLoading(page)
    await step(page, 'receipt')
    assert.equal(await stateOf(page), 'received')
    await step(page, 'open-case', { case_number: '新公刑立字〔2026〕40号' })
    assert.equal(await stateOf(page), 'case_opened')
    await screenshot(page, 'criminal-case-opened.png')
    assert.deepEqual(errors, [])
  } finally {
    await s.browser.close()
  }

  // Their duties were met by the police's own acts (R-CRI-5).
  const coord = await api(server.url).login('coordinator.staff', server.password)
  const auditor = await api(server.url).login('auditor', server.password)
  const got = await coord.get(`/api/v1/criminal-transfers/${id}`)
  assert.equal(got.status, 200)
  for (const kind of ['crime.police_receipt', 'crime.case_decision']) {
    const d = got.json.duties.find((x) => x.kind === kind)
    assert.equal(d.state, 'met', kind)
    const audit = await auditor.get(`/api/v1/audit?object_type=duty&object_id=${d.id}&limit=20`)
    assert.equal(audit.json.items?.find((e) => e.action === 'duty.meet')?.actor?.username, 'gaj.officer', kind)
  }
  // A court user does not see it.
  const court = await api(server.url).login('fy.officer', server.password)
  assert.equal((await court.get(`/api/v1/criminal-transfers/${id}`)).status, 404)
})
