// 年度执法计划 (R-PLN-1, SPEC §11; docs/plan-contract.md) end to end through the web UI against a
// real server with the demo county and a fake clock:
//  1. coordinator.staff opens 年度计划 → 计划列表, drafts a plan (起草年度计划), splits it into a key
//     task owned by 新城镇 (分解任务) and issues it (印发计划) → the numbered 计 document, the task
//     with its plan_task.complete duty.
//  2. xincheng.officer opens 年度计划 → 我的任务, opens the task and reports 60 % (报告进展) → the
//     task shows 60 %, its duty stays open; the plan's progress by org shows 60 %.
//  3. The coordinator's 指挥调度 page lists the open task and links to the meeting and joint-action
//     pages.
// Run: cd tests && XT_BIN=../build/src/cli/xietong node --test browser/plan.test.mjs
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, api } from '../lib/server.mjs'
import { screenshot, signIn, noLoading } from '../lib/browser.mjs'

// Tuesday 2026-11-24 09:00 in Shanghai: a working day.
const NOW = '2026-11-24T09:00:00+08:00'
const server = await startServer({ fakeClock: NOW })
after(async () => {
  await server?.stop()
})
const coordApi = await api(server.url).login('coordinator.staff', server.password)

async function choose(page, selectSel, text) {
  await page.locator(selectSel).click()
  const option = page.locator('.el-select-dropdown__item:visible', { hasText: text }).first()
  await option.waitFor()
  await option.click()
}
async function confirmDialog(page, before) {
  const dialog = page.locator('.el-dialog:visible', { has: page.locator('[data-test=action-effect]') })
  await dialog.waitFor()
  const effect = (await dialog.locator('[data-test=action-effect]').innerText()).trim()
  if (before) await before(dialog)
  await dialog.locator('[data-test=action-confirm]').click()
  await dialog.waitFor({ state: 'hidden' })
  return effect
}

test('R-PLN-1: draft → split → issue a plan, then the owner reports progress, through the web UI', async () => {
  let planId
  let s = await signIn(server, 'coordinator.staff')
  try {
    const { page, errors } = s
    await page.locator('[data-test=menu-plans]').click()
    await page.waitForURL(/\/plans$/)
    await page.locator('[data-test=plan-new]').click()
    await confirmDialog(page, async (dialog) => {
      await dialog.locator('[data-test=plan-title]').fill('2027年度综合行政执法工作计划（浏览器测试）')
      await dialog.locator('[data-test=plan-text]').fill('一、总体要求\n推进乡镇综合行政执法规范化。')
    })
    await page.waitForURL(/\/plans\/\d+$/)
    planId = Number(page.url().match(/\/plans\/(\d+)$/)[1])
    await page.locator('[data-test=plan-state][data-state=draft]').waitFor()
    // 分解任务: one key task owned by 新城镇.
    await page.locator('[data-test=act-tasks]').click()
    const effect = await confirmDialog(page, async (dialog) => {
      await dialog.locator('[data-test=task-title]').fill('乡镇执法案卷评查')
      await choose(page, '.el-dialog:visible [data-test=task-owner]', '新城镇综合行政执法办公室')
      const due = dialog.locator('[data-test=task-due] input').first()
      await due.click()
      await due.fill('2026-12-31')
      await due.press('Enter')
      await dialog.locator('.el-dialog__title').click()
      await dialog.locator('[data-test=task-output]').fill('评查案卷30宗并通报结果')
    })
    assert.match(effect, /牵头单位/)
    await page.locator('.el-tabs__item', { hasText: '重点任务' }).click()
    await page.locator('[data-test=plan-tasks]', { hasText: '乡镇执法案卷评查' }).waitFor()
    // 印发计划.
    await page.locator('[data-test=act-issue]').click()
    await confirmDialog(page)
    await page.locator('[data-test=plan-state][data-state=issued]').waitFor()
    assert.match(await page.locator('[data-test=plan-number]').innerText(), /计〔2026〕[1-9]\d*号$/)
    await page.locator('[data-test=plan-task-state][data-state=open]').waitFor()
    await screenshot(page, 'plan-issued.png')
    assert.deepEqual(errors, [], `console errors:\n${errors.join('\n')}`)
  } finally {
    await s.browser.close()
  }
  const issued = (await coordApi.get(`/api/v1/plans/${planId}`)).json
  assert.equal(issued.state, 'issued')
  const taskId = issued.tasks[0].task_id
  const task = (await coordApi.get(`/api/v1/plan-tasks/${taskId}`)).json
  assert.equal(task.duties.find((d) => d.kind === 'plan_task.complete').state, 'open')

  // The owner reports 60 %.
  s = await signIn(server, 'xincheng.officer')
  try {
    const { page, errors } = s
    await page.locator('[data-test=menu-plan-tasks]').click()
    await page.waitForURL(/\/plan-tasks$/)
    await noLoading(page)
    await page.locator('[data-test=plan-tasks-table] tr', { hasText: '乡镇执法案卷评查' }).first().click()
    await page.waitForURL(new RegExp(`/plan-tasks/${taskId}$`))
    await page.locator('[data-test=act-progress]').click()
    await confirmDialog(page, async (dialog) => {
      const percent = dialog.locator('[data-test=field-percent] input').first()
      await percent.fill('60')
      await percent.press('Tab')
      await dialog.locator('[data-test=field-text]').fill('已评查案卷18宗')
      // The report's files (materials) are uploaded in the dialog.
      await dialog.locator('[data-test=field-materials-input]').setInputFiles({ name: '评查记录.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% plan\n%%EOF\n') })
      await dialog.locator('[data-test=field-materials-file]', { hasText: '评查记录.pdf' }).waitFor()
    })
    await page.locator('[data-test=task-reports]', { hasText: '已评查案卷18宗' }).waitFor()
    await page.locator('[data-test=task-report-file] a', { hasText: '评查记录.pdf' }).waitFor()
    assert.match(await page.locator('[data-test=task-percent]').innerText(), /60%/)
    await screenshot(page, 'plan-task-progress.png')
    assert.deepEqual(errors, [], `console errors:\n${errors.join('\n')}`)
  } finally {
    await s.browser.close()
  }
  const after60 = (await coordApi.get(`/api/v1/plan-tasks/${taskId}`)).json
  assert.equal(after60.percent, 60)
  assert.equal(after60.reports.at(-1).materials[0].file.name, '评查记录.pdf')
  assert.equal(after60.state, 'open')
  assert.equal(after60.duties.find((d) => d.kind === 'plan_task.complete').state, 'open', 'progress alone never meets the duty')
  const plan = (await coordApi.get(`/api/v1/plans/${planId}`)).json
  assert.equal(plan.progress_by_org[0].average_percent, 60)

  // 指挥调度 (R-PLN-2): the open task, and the links to convene a meeting and organise a joint action.
  s = await signIn(server, 'coordinator.staff')
  try {
    const { page, errors } = s
    await page.locator('[data-test=menu-command]').click()
    await page.waitForURL(/\/command$/)
    await page.locator('[data-test=command-table]', { hasText: '乡镇执法案卷评查' }).waitFor()
    assert.equal(await page.locator('[data-test=command-consultation]').getAttribute('href'), '/consultations/new')
    assert.equal(await page.locator('[data-test=command-joint-action]').getAttribute('href'), '/joint-actions/new')
    await screenshot(page, 'plan-command.png')
    assert.deepEqual(errors, [], `console errors:\n${errors.join('\n')}`)
  } finally {
    await s.browser.close()
  }
})
