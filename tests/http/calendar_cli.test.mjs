// The working-day calendar from the command line (R-TIME-1, R-TIME-3): `xietong calendar
// is-workday` and `add-workdays`, plain and --json, against the 2026 State Council schedule
// (国庆节 10/1–10/7 off, Sunday 9/20 and Saturday 10/10 make-up working days).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { xt, lastLine } from './lib/util.mjs'

async function ok(args) {
  const r = await xt(args)
  assert.equal(r.code, 0, `xietong ${args.join(' ')} exited ${r.code}: ${r.stderr}`)
  return lastLine(r.stdout)
}
async function okJson(args) {
  const line = await ok([...args, '--json'])
  return JSON.parse(line)
}

test('R-TIME-1: a make-up Saturday (2026-10-10, 调休上班) is a working day', async () => {
  assert.equal(await ok(['calendar', 'is-workday', '2026-10-10']), 'true')
})

test('R-TIME-1: National Day 2026-10-01 is not a working day', async () => {
  assert.equal(await ok(['calendar', 'is-workday', '2026-10-01']), 'false')
})

test('R-TIME-1: an ordinary weekday and an ordinary Sunday', async () => {
  assert.equal(await ok(['calendar', 'is-workday', '2026-11-25']), 'true') // Wednesday
  assert.equal(await ok(['calendar', 'is-workday', '2026-11-29']), 'false') // Sunday
})

test('R-TIME-1: 3 working days after 2026-09-30 end on the make-up Saturday 2026-10-10', async () => {
  // 9/30 itself does not count; 10/1–10/7 are off; 10/8 (1), 10/9 (2), Saturday 10/10 (3).
  assert.equal(await ok(['calendar', 'add-workdays', '2026-09-30', '3']), '2026-10-10')
  // and one more skips Sunday 10/11: Monday 10/12
  assert.equal(await ok(['calendar', 'add-workdays', '2026-09-30', '4']), '2026-10-12')
  // 5 working days after Friday 2026-09-18: 9/20 is a make-up Sunday → 9/21, 9/22, 9/23, 9/24
  assert.equal(await ok(['calendar', 'add-workdays', '2026-09-18', '5']), '2026-09-24')
})

test('R-TIME-1: is-workday --json names the holiday, not provisional', async () => {
  const off = await okJson(['calendar', 'is-workday', '2026-10-01'])
  assert.equal(off.date, '2026-10-01')
  assert.equal(off.workday, false)
  assert.equal(off.holiday, true)
  assert.equal(off.makeup_workday, false)
  assert.equal(off.holiday_name, '国庆节')
  assert.equal(off.provisional, false)
  assert.match(off.calendar_version, /^cal-\d{4}-\d{4}-[0-9a-f]{8}$/)

  const makeup = await okJson(['calendar', 'is-workday', '2026-10-10'])
  assert.equal(makeup.workday, true)
  assert.equal(makeup.makeup_workday, true)
  assert.equal(makeup.holiday, false)
  assert.equal(makeup.holiday_name, '国庆节')
  assert.equal(makeup.provisional, false)
  assert.equal(makeup.calendar_version, off.calendar_version)
})

test('R-TIME-1: add-workdays --json gives the deadline instant at 24:00 Asia/Shanghai', async () => {
  const d = await okJson(['calendar', 'add-workdays', '2026-09-30', '3'])
  assert.equal(d.last_day, '2026-10-10')
  assert.equal(d.due_at, '2026-10-11T00:00:00+08:00')
  assert.equal(d.provisional, false)
  assert.match(d.calendar_version, /^cal-/)
})

test('R-TIME-3: a 2027 date (no schedule loaded) is provisional, never an error', async () => {
  const d = await okJson(['calendar', 'is-workday', '2027-03-03'])
  assert.equal(d.provisional, true)
  assert.equal(d.workday, true) // Wednesday: the Monday–Friday guess
  const sat = await okJson(['calendar', 'is-workday', '2027-03-06'])
  assert.equal(sat.provisional, true)
  assert.equal(sat.workday, false)
})

test('R-TIME-3: a period running into 2027 is provisional', async () => {
  const d = await okJson(['calendar', 'add-workdays', '2026-12-30', '3'])
  // 12/31 (1), 2027-01-01 guessed a working Friday (2), Monday 01-04 (3)
  assert.equal(d.last_day, '2027-01-04')
  assert.equal(d.provisional, true)
  const inside = await okJson(['calendar', 'add-workdays', '2026-12-01', '3'])
  assert.equal(inside.provisional, false)
})

test('a malformed date is refused with a non-zero exit and a message', async () => {
  const r = await xt(['calendar', 'is-workday', '2026-13-45'])
  assert.notEqual(r.code, 0)
  assert.match(r.stderr, /YYYY-MM-DD/)
})
