// Issue 14 (Excel; docs/exports-contract.md): the referral list (案件移送) offers 导出 CSV and
// 导出 Excel side by side; xincheng.officer clicks 导出 Excel on 移出 → the browser downloads
// 案件移送.xlsx, which opens (read back with tests/lib/xlsx.mjs) and shows the CSV of the same
// filters cell for cell, dates as Excel dates, with a frozen Chinese header row.
// Run: cd tests && XT_BIN=../build/src/cli/xietong node --test browser/xlsx_export.test.mjs
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { startServer } from '../lib/server.mjs'
import { signIn, noLoading, screenshot, launchBrowser } from '../lib/browser.mjs'
import { readXlsx, parseCsv, diffSheetCsv, isDateFormat } from '../lib/xlsx.mjs'

const server = await startServer({ fakeClock: '2026-11-25T09:00:00+08:00' })
after(async () => {
  await server?.stop()
})

test('issue 14: 导出 Excel on the referral list downloads an .xlsx equal to the CSV of the same filters', async () => {
  const { browser, page, errors } = await signIn(server, 'xincheng.officer')
  try {
    await page.goto(`${server.url}/referrals`)
    const table = page.locator('[data-test=referrals-table]')
    await table.waitFor()
    await noLoading(page)
    const csvButton = page.locator('[data-test=referrals-export]')
    const xlsxButton = page.locator('[data-test=referrals-export-xlsx]')
    assert.equal((await csvButton.innerText()).trim(), '导出 CSV')
    assert.equal((await xlsxButton.innerText()).trim(), '导出 Excel')
    const csvHref = await csvButton.getAttribute('href')
    const xlsxHref = await xlsxButton.getAttribute('href')
    // The same list, the same filters (the township lands on 移出).
    assert.match(csvHref, /^\/api\/v1\/referrals\/export\.csv\?.*direction=out/)
    assert.equal(xlsxHref, csvHref.replace('/export.csv?', '/export.xlsx?'))

    const [download] = await Promise.all([page.waitForEvent('download'), xlsxButton.click()])
    assert.equal(download.suggestedFilename(), '案件移送.xlsx')
    const bytes = await readFile(await download.path())
    const book = readXlsx(bytes)
    assert.equal(book.sheets.length, 1)
    const sheet = book.sheets[0]
    assert.equal(sheet.name, '案件移送')
    assert.equal(sheet.pane?.state, 'frozen')
    assert.equal(sheet.pane?.ySplit, '1')

    const csv = await page.evaluate(async (url) => (await fetch(url)).text(), csvHref)
    const rows = parseCsv(csv)
    assert.ok(rows.length >= 2, 'xincheng sent a referral in the demo county')
    assert.equal(rows[0][0], '文号')
    assert.deepEqual(diffSheetCsv(sheet, rows), [])
    // 起草时间 is an Excel date-time, not text.
    const c = rows[0].indexOf('起草时间')
    const drafted = sheet.rows[1][c]
    assert.equal(drafted.type, 'n')
    assert.ok(isDateFormat(drafted.format), drafted.format)
    // Every referral of the page is in the workbook.
    const shown = await table.locator('.el-table__row').count()
    assert.ok(shown >= 1 && sheet.rows.length - 1 >= shown, `${shown} rows shown, ${sheet.rows.length - 1} exported`)
    await screenshot(page, 'referrals-export-xlsx.png')
    assert.deepEqual(errors, [], `console errors:\n${errors.join('\n')}`)
  } finally {
    await browser.close()
  }
})

test('issue 14: a table the page exports itself (机构) downloads as Excel too, equal to its CSV', async () => {
  const { browser, page, errors } = await signIn(server, 'admin')
  try {
    await page.goto(`${server.url}/admin/orgs`)
    await noLoading(page)
    const csvButton = page.locator('[data-test=orgs-export]')
    const xlsxButton = page.locator('[data-test=orgs-export-xlsx]')
    assert.equal((await csvButton.innerText()).trim(), '导出 CSV')
    assert.equal((await xlsxButton.innerText()).trim(), '导出 Excel')
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), csvButton.click()])
    const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), xlsxButton.click()])
    const csvName = csvDownload.suggestedFilename()
    assert.match(csvName, /\.csv$/)
    assert.equal(xlsxDownload.suggestedFilename(), csvName.replace(/\.csv$/, '.xlsx'))
    const rows = parseCsv(await readFile(await csvDownload.path(), 'utf8'))
    assert.ok(rows.length > 20, `${rows.length} CSV rows`)
    const sheet = readXlsx(await readFile(await xlsxDownload.path())).sheets[0]
    assert.equal(sheet.name, csvName.replace(/\.csv$/, ''))
    assert.deepEqual(diffSheetCsv(sheet, rows), [])
    assert.deepEqual(errors, [], `console errors:\n${errors.join('\n')}`)
  } finally {
    await browser.close()
  }
})

test('issue 14: on a phone the referral list shows both export buttons without sideways overflow', async () => {
  const browser = await launchBrowser({ viewport: { width: 390, height: 844 } })
  try {
    const page = await browser.newPage()
    await page.goto(`${server.url}/login`)
    await page.locator('[data-test=login-username]').fill('xincheng.officer')
    await page.locator('[data-test=login-password]').fill(server.password)
    await page.locator('[data-test=login-submit]').click()
    await page.waitForURL(`${server.url}/`)
    await page.goto(`${server.url}/referrals`)
    await page.locator('[data-test=referrals-cards]').waitFor()
    await noLoading(page)
    assert.ok(await page.locator('[data-test=referrals-export]').isVisible())
    assert.ok(await page.locator('[data-test=referrals-export-xlsx]').isVisible())
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert.ok(overflow <= 1, `${overflow}px sideways overflow`)
    await screenshot(page, 'referrals-export-xlsx-phone.png')
  } finally {
    await browser.close()
  }
})
