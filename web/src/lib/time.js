// Date and time display. Every instant is shown in Asia/Shanghai (UTC+8, no daylight saving),
// whatever the PC's own time zone is; times are 24-hour. Civil dates (YYYY-MM-DD, e.g. holiday
// schedules) are never turned into instants.

export const TZ = 'Asia/Shanghai'

const partsFmt = new Intl.DateTimeFormat('en-GB', {
  timeZone: TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})

/** Splits an instant into Asia/Shanghai civil fields (strings, zero-padded). */
export function shanghaiParts(value) {
  const d = value instanceof Date ? value : new Date(value)
  if (Number.isNaN(d.getTime())) return null
  const out = {}
  for (const p of partsFmt.formatToParts(d)) out[p.type] = p.value
  if (out.hour === '24') out.hour = '00'
  return out
}

/**
 * "2026-11-25 17:00" (Asia/Shanghai); '' for empty input, the raw text if unparseable.
 * endOfDay24: an instant at exactly 00:00:00 is shown as 24:00 of the day before — the way a
 * period "ends at 24:00 of the last day" (R-TIME-5) is written: "2026-11-30 24:00".
 */
export function formatDateTime(value, { seconds = false, endOfDay24 = false } = {}) {
  if (!value) return ''
  let p = shanghaiParts(value)
  if (!p) return String(value)
  if (endOfDay24 && p.hour === '00' && p.minute === '00' && p.second === '00') {
    const d = value instanceof Date ? value : new Date(value)
    p = { ...shanghaiParts(new Date(d.getTime() - 1000)), hour: '24', minute: '00', second: '00' }
  }
  const t = `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`
  return seconds ? `${t}:${p.second}` : t
}

/** "2026-11-25" (Asia/Shanghai) for an instant. */
export function formatDate(value) {
  if (!value) return ''
  const p = shanghaiParts(value)
  return p ? `${p.year}-${p.month}-${p.day}` : String(value)
}

/** A civil date "2026-11-25" as "2026年11月25日" (zh) or "25 Nov 2026" (en). */
export function formatCivilDateLong(ymd, locale) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd || '')
  if (!m) return ymd || ''
  const [, y, mo, d] = m
  if (String(locale).startsWith('zh')) return `${+y}年${+mo}月${+d}日`
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
  return `${+d} ${months[+mo - 1]} ${y}`
}

/** Today's civil date in Asia/Shanghai, "YYYY-MM-DD". */
export function todayShanghai(now = new Date()) {
  return formatDate(now)
}

/** Every civil date from..to inclusive ("YYYY-MM-DD"), computed in UTC to avoid DST effects. */
export function eachDate(from, to) {
  const out = []
  const start = Date.parse(`${from}T00:00:00Z`)
  const end = Date.parse(`${to || from}T00:00:00Z`)
  if (Number.isNaN(start) || Number.isNaN(end)) return out
  for (let t = start; t <= end && out.length < 400; t += 86400000) {
    out.push(new Date(t).toISOString().slice(0, 10))
  }
  return out
}
