// 职责分工争议 (SPEC §9 R-DIS-1..3, docs/disputes-contract.md) through the web UI against a real
// server with the demo county and a fake clock: 新城镇 opens a dispute with 县市场监管局 from the menu
// 职责争议, records its joint handling (R-DIS-1), the negotiation fails (协商记录 商), the coordinator's
// coordination fails (调), and the County Government decides (决) — all three steps of R-DIS-2,
// each numbered, the dispute settled with no open deadline.
// Run: cd tests && npm ci && XT_BIN=../build/src/cli/xietong node --test browser/dispute.test.mjs
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer } from '../lib/server.mjs'
import { screenshot, signIn } from '../lib/browser.mjs'

const NOW = '2026-11-24T09:00:00+08:00'
const DEPT = '新兴县市场监督管理局'

const server = await startServer({ fakeClock: NOW })
after(async () => {
  await server?.stop()
})

const signedIn = (username) => signIn(server, username)

async function choose(page, selectSel, text) {
  await page.locator(selectSel).click()
  const option = page.locator('.el-select-dropdown__item:visible', { hasText: text }).first()
  await option.waitFor()
  await option.click()
}

/** Clicks the action button, fills the dialog with `fill(dialog)`, confirms; returns the effect. */
async function act(page, action, fill) {
  await page.locator(`[data-test=act-${action}]`).click()
  const dialog = page.locator('.el-dialog:visible', { has: page.locator('[data-test=action-effect]') })
  await dialog.waitFor()
  const effect = (await dialog.locator('[data-test=action-effect]').innerText()).trim()
  await fill(dialog)
  await dialog.locator('[data-test=action-confirm]').click()
  await dialog.waitFor({ state: 'hidden' })
  return effect
}

async function stateIs(page, state) {
  await page.locator(`[data-test=dispute-state][data-state=${state}]`).waitFor()
}

test('a dispute walks through negotiation, coordination and the government decision (R-DIS-1, R-DIS-2)', async () => {
  let id
  // ---- 新城镇 opens it from the menu and records its joint handling, then the negotiation fails
  let s = await signedIn('xincheng.officer')
  try {
    const { page, errors } = s
    await page.locator('[data-test=menu-disputes]').click()
    await page.waitForURL(/\/disputes$/)
    await page.locator('[data-test=dispute-new]').click()
    await page.waitForURL(/\/disputes\/new$/)
    await choose(page, '[data-test=dispute-matter]', 'SCJG-002')
    await page.locator('[data-test=dispute-title]').fill('浏览器测试：农贸市场过期食品管辖争议')
    await page.locator('[data-test=dispute-facts]').fill('农贸市场商户销售过期食品，双方对管辖有分歧')
    await page.locator('[data-test=dispute-party-position-0]').fill('该事项未划转乡镇')
    await choose(page, '[data-test=dispute-party-org-1]', DEPT)
    await page.locator('[data-test=dispute-party-position-1]').fill('应由乡镇先行处置')
    await page.locator('[data-test=dispute-submit]').click()
    await page.waitForURL(/\/disputes\/\d+$/)
    id = Number(page.url().split('/').pop())
    await stateIs(page, 'negotiation')

    // R-DIS-1: the joint-handling duty is met by recording who acts.
    const effect = await act(page, 'joint-handling', async (d) => {
      await d.locator('[data-test=field-people]').fill('陈明、黄志强')
      await d.locator('[data-test=field-measures]').fill('现场责令下架过期食品')
    })
    assert.match(effect, /先协同处置/)
    assert.doesNotMatch(effect, /R-[A-Z]+-\d/, 'the clause in words, no rule id (issue 17 defect 3)')
    await page.locator('.el-tabs__item', { hasText: '协同处置' }).click()
    await page.locator('[data-test=dispute-joint]', { hasText: '陈明、黄志强' }).waitFor()

    // R-DIS-2 step 1: the negotiation fails → the coordinator.
    await act(page, 'negotiation', async (d) => {
      await d.locator('[data-test=outcome-failed]').click()
      await d.locator('[data-test=field-text]').fill('双方协商未能达成一致')
    })
    await stateIs(page, 'coordination')
    assert.match(await page.locator('[data-test=dispute-number]').innerText(), /商〔2026〕\d+号$/)
    assert.equal(await page.locator('[data-test=act-negotiation]').count(), 0, 'negotiation is over')
    assert.deepEqual(errors, [])
  } finally {
    await s.browser.close()
  }

  // ---- the coordinator: the coordination fails → the County Government
  s = await signedIn('coordinator.staff')
  try {
    const { page, errors } = s
    await page.goto(`${server.url}/disputes/${id}`)
    await stateIs(page, 'coordination')
    await act(page, 'coordination', async (d) => {
      await d.locator('[data-test=outcome-failed]').click()
      await d.locator('[data-test=field-text]').fill('经协调，双方仍不能达成一致')
    })
    await stateIs(page, 'decision')
    assert.match(await page.locator('[data-test=dispute-number]').innerText(), /调〔2026〕\d+号$/)
    assert.deepEqual(errors, [])
  } finally {
    await s.browser.close()
  }

  // ---- the County Government decides: settled, three numbered documents, no open deadline
  s = await signedIn('government.leader')
  try {
    const { page, errors } = s
    await page.locator('[data-test=menu-disputes]').click()
    await page.locator('[data-test=disputes-table]', { hasText: '浏览器测试' }).waitFor()
    await page.goto(`${server.url}/disputes/${id}`)
    await stateIs(page, 'decision')
    await act(page, 'decision', async (d) => {
      await d.locator('[data-test=field-text]').fill('该事项由县市场监管局管辖，新城镇予以配合')
    })
    await stateIs(page, 'settled')
    assert.match(await page.locator('[data-test=dispute-number]').innerText(), /决〔2026〕\d+号$/)
    await page.locator('.el-tabs__item', { hasText: '文书' }).click()
    await page.locator('[data-test=dispute-documents] .el-table__row').nth(2).waitFor()
    assert.equal(await page.locator('[data-test=dispute-documents] .el-table__row').count(), 3)
    assert.equal(await page.locator('[data-test=dispute-colour]').count(), 0, 'a settled dispute has no open deadline')
    await screenshot(page, 'dispute-settled.png')
    assert.deepEqual(errors, [])
  } finally {
    await s.browser.close()
  }
})
