// Builds small .xlsx workbooks for the import tests (R-INF-2): a zip of stored (uncompressed)
// entries written here — no npm package — holding one worksheet. Cells: a string goes to the
// shared strings, { inline: 's' } is an inline string, a number is a number cell, { date:
// 'YYYY-MM-DD' } is the Excel serial number in a date-formatted cell (numFmt 14), null is no cell.
//
//   const bytes = xlsx([['行政相对人名称', '许可决定日期'], ['甲', { date: '2026-11-20' }]])
//
// And reads the workbooks the server exports (issue 14, .xlsx beside every CSV): readXlsx(bytes)
// unzips (stored or deflated entries), reads every sheet's cells with their type and number
// format, the column widths, the frozen pane and the autofilter.
//
//   const book = readXlsx(bytes)
//   book.sheets[0].rows[1][2]  // { type: 'n', value: 46351.39, format: 'yyyy-mm-dd hh:mm:ss' } or null
import { crc32, inflateRawSync } from 'node:zlib'

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

// A zip archive of `files` ({ name: string | Buffer }), every entry stored.
export function zip(files) {
  const locals = []
  const centrals = []
  let offset = 0
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8')
    const fname = Buffer.from(name, 'utf8')
    const crc = crc32(data) >>> 0
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)        // version needed
    local.writeUInt16LE(0x0800, 6)    // UTF-8 names
    local.writeUInt16LE(0, 8)         // stored
    local.writeUInt32LE(0, 10)        // time, date
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(data.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(fname.length, 26)
    local.writeUInt16LE(0, 28)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(0x0800, 8)
    central.writeUInt16LE(0, 10)
    central.writeUInt32LE(0, 12)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(data.length, 20)
    central.writeUInt32LE(data.length, 24)
    central.writeUInt16LE(fname.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, fname, data)
    centrals.push(central, fname)
    offset += local.length + fname.length + data.length
  }
  const cd = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(centrals.length / 2, 8)
  end.writeUInt16LE(centrals.length / 2, 10)
  end.writeUInt32LE(cd.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, cd, end])
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
export const colName = (i) => (i >= 26 ? colName(Math.floor(i / 26) - 1) : '') + String.fromCharCode(65 + (i % 26))
// Excel's 1900 date system: serial 25569 is 1970-01-01.
export const serial = (day) => Date.parse(day + 'T00:00:00Z') / 86400000 + 25569

// An .xlsx whose first worksheet holds `rows` (row i is sheet row i + 1).
export function xlsx(rows) {
  const shared = []
  const sheetRows = rows.map((cells, r) => {
    const cs = cells.map((v, c) => {
      const ref = `${colName(c)}${r + 1}`
      if (v === null || v === undefined) return ''
      if (typeof v === 'number') return `<c r="${ref}"><v>${v}</v></c>`
      if (v.date) return `<c r="${ref}" s="1"><v>${serial(v.date)}</v></c>`
      if (v.inline !== undefined) return `<c r="${ref}" t="inlineStr"><is><t>${esc(v.inline)}</t></is></c>`
      shared.push(String(v))
      return `<c r="${ref}" t="s"><v>${shared.length - 1}</v></c>`
    })
    return `<row r="${r + 1}">${cs.join('')}</row>`
  })
  const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
  return zip({
    '[Content_Types].xml': '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
      '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' +
      '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
    '_rels/.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${ns}" xmlns:r="${rel}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
      `<Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${rel}/sharedStrings" Target="sharedStrings.xml"/>` +
      `<Relationship Id="rId3" Type="${rel}/styles" Target="styles.xml"/></Relationships>`,
    'xl/sharedStrings.xml': `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${ns}" count="${shared.length}" uniqueCount="${shared.length}">` +
      shared.map((s) => `<si><t xml:space="preserve">${esc(s)}</t></si>`).join('') + '</sst>',
    'xl/styles.xml': `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="${ns}"><fonts count="1"><font/></fonts><fills count="1"><fill/></fills>` +
      '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>' +
      '<cellXfs count="2"><xf numFmtId="0" xfId="0"/><xf numFmtId="14" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>',
    'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${ns}"><sheetData>${sheetRows.join('')}</sheetData></worksheet>`,
  })
}

// ---------------------------------------------------------------- reading

// The entries of a zip archive: { name: Buffer }.
export function unzip(bytes) {
  const buf = Buffer.from(bytes)
  let end = buf.length - 22
  while (end >= 0 && buf.readUInt32LE(end) !== 0x06054b50) end--
  if (end < 0) throw new Error('not a zip archive (no end of central directory)')
  const count = buf.readUInt16LE(end + 10)
  let at = buf.readUInt32LE(end + 16)
  const out = {}
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory entry ${i}`)
    const method = buf.readUInt16LE(at + 10)
    const csize = buf.readUInt32LE(at + 20)
    const size = buf.readUInt32LE(at + 24)
    const nameLen = buf.readUInt16LE(at + 28)
    const extraLen = buf.readUInt16LE(at + 30)
    const commentLen = buf.readUInt16LE(at + 32)
    const local = buf.readUInt32LE(at + 42)
    const name = buf.subarray(at + 46, at + 46 + nameLen).toString('utf8')
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28)
    const data = buf.subarray(start, start + csize)
    if (method === 0) out[name] = Buffer.from(data)
    else if (method === 8) out[name] = inflateRawSync(data)
    else throw new Error(`${name}: zip method ${method}`)
    if (out[name].length !== size) throw new Error(`${name}: ${out[name].length} bytes, expected ${size}`)
    at += 46 + nameLen + extraLen + commentLen
  }
  return out
}

const unesc = (s) => s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, e) =>
  e[0] === '#' ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10))
    : { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e])
const attrs = (s) => Object.fromEntries([...s.matchAll(/([\w:]+)="([^"]*)"/g)].map((m) => [m[1], unesc(m[2])]))
// The text of a shared or inline string: its <t> runs, without phonetic runs (<rPh>).
const textOf = (xml) => [...xml.replace(/<rPh\b.*?<\/rPh>/gs, '').matchAll(/<t(?:\s[^>]*)?>(.*?)<\/t>|<t\s*\/>/gs)].map((m) => unesc(m[1] ?? '')).join('')
// Built-in number formats (ECMA-376 18.8.30) that the tests meet.
const BUILTIN = { 0: 'General', 1: '0', 2: '0.00', 9: '0%', 10: '0.00%', 14: 'mm-dd-yy', 22: 'm/d/yy h:mm', 49: '@' }

// Column letters → index (A = 0).
export const colIndex = (letters) => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1

/** Every sheet of an .xlsx: { sheets: [{ name, rows, cols, pane, autoFilter }] } (rows[r][c] is a cell or null). */
export function readXlsx(bytes) {
  const parts = unzip(bytes)
  const part = (n) => (parts[n] ? parts[n].toString('utf8') : '')
  const shared = [...part('xl/sharedStrings.xml').matchAll(/<si>(.*?)<\/si>/gs)].map((m) => textOf(m[1]))
  const styles = part('xl/styles.xml')
  const fmts = { ...BUILTIN }
  for (const m of styles.matchAll(/<numFmt\b([^>]*)\/?>/g)) {
    const a = attrs(m[1])
    fmts[a.numFmtId] = a.formatCode
  }
  const xfs = [...(styles.match(/<cellXfs\b[^>]*>(.*?)<\/cellXfs>/s)?.[1] ?? '').matchAll(/<xf\b([^>]*?)\/?>/g)]
    .map((m) => fmts[attrs(m[1]).numFmtId ?? 0] ?? 'General')
  const rels = Object.fromEntries([...part('xl/_rels/workbook.xml.rels').matchAll(/<Relationship\b([^>]*)\/?>/g)]
    .map((m) => attrs(m[1])).map((a) => [a.Id, a.Target]))
  const sheets = [...part('xl/workbook.xml').matchAll(/<sheet\b([^>]*)\/?>/g)].map((m) => {
    const a = attrs(m[1])
    const target = rels[a['r:id']].replace(/^\/?(xl\/)?/, '')
    const xml = part(`xl/${target}`)
    const rows = []
    for (const c of xml.matchAll(/<c\b([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)) {
      const ca = attrs(c[1])
      const [, letters, digits] = ca.r.match(/^([A-Z]+)(\d+)$/)
      const r = Number(digits) - 1
      const col = colIndex(letters)
      const body = c[2] ?? ''
      const v = body.match(/<v>(.*?)<\/v>/s)?.[1]
      const format = xfs[Number(ca.s ?? 0)] ?? 'General'
      let cell = null
      if (ca.t === 's') cell = { type: 's', value: shared[Number(v)], format }
      else if (ca.t === 'inlineStr') cell = { type: 's', value: textOf(body), format }
      else if (ca.t === 'str') cell = { type: 's', value: unesc(v ?? ''), format, formula: true }
      else if (ca.t === 'b') cell = { type: 'b', value: v === '1', format }
      else if (v !== undefined) cell = { type: 'n', value: Number(v), format }
      if (/<f[ >]/.test(body)) cell = { ...(cell ?? { type: 's', value: '' }), formula: true }
      if (!cell) continue
      while (rows.length <= r) rows.push([])
      while (rows[r].length < col) rows[r].push(null)
      rows[r][col] = cell
    }
    const cols = [...xml.matchAll(/<col\b([^>]*?)\/?>/g)].map((m) => attrs(m[1]))
      .map((x) => ({ min: Number(x.min), max: Number(x.max), width: Number(x.width) }))
    const pane = xml.match(/<pane\b([^>]*?)\/?>/)
    return {
      name: a.name,
      rows,
      cols,
      pane: pane ? attrs(pane[1]) : null,
      autoFilter: xml.match(/<autoFilter\b[^>]*ref="([^"]+)"/)?.[1] ?? null,
    }
  })
  return { sheets }
}

/** Whether a number format shows a date (y, d or h outside quotes and brackets). */
export const isDateFormat = (format) => /[ydh]/i.test(String(format).replace(/"[^"]*"|\[[^\]]*\]/g, ''))

/** An Excel serial (1900 system) as 'YYYY-MM-DD HH:MM:SS' (to the nearest second). */
export function serialToDateTime(serial) {
  const seconds = Math.round((serial - 25569) * 86400)
  return new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ')
}

// ---------------------------------------------------------------- comparing with the CSV

// RFC 4180 with the BOM our exports start with.
export function parseCsv(text) {
  text = text.replace(/^\uFEFF/, '')
  const rows = []
  let row = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(field)
      field = ''
    } else if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
      if (ch === '\r') i++
      row.push(field)
      rows.push(row)
      row = []
      field = ''
    } else field += ch
  }
  if (field !== '' || row.length) {
    row.push(field)
    rows.push(row)
  }
  return rows
}

// Why the .xlsx `cell` (readXlsx) does not show the CSV field `text` of the same export, or null
// when it does: text as text, numbers as numbers, dates as date serials in a date format. `counts`
// ({ text, number, date, dateTime, percent }) tallies the kinds met.
export function mismatch(cell, text, counts = {}) {
  counts.text ??= 0
  counts.number ??= 0
  counts.date ??= 0
  counts.dateTime ??= 0
  counts.percent ??= 0
  text = text.replace(/^'(?=[=+\-@])/, '') // the CSV's formula guard; a text cell needs none
  if (text === '') return cell === null || cell === undefined ? null : `a cell where the CSV is empty: ${JSON.stringify(cell)}`
  if (!cell) return `no cell for ${JSON.stringify(text)}`
  if (cell.formula) return `a formula: ${JSON.stringify(cell)}`
  if (cell.type === 's') {
    counts.text++
    return cell.value === text ? null : `text ${JSON.stringify(cell.value)} ≠ ${JSON.stringify(text)}`
  }
  if (cell.type !== 'n') return `unexpected cell ${JSON.stringify(cell)}`
  if (isDateFormat(cell.format)) {
    const shown = serialToDateTime(cell.value)
    if (text.length === 10) {
      counts.date++
      if (/h/.test(cell.format)) return `a day in a date-time format ${cell.format}`
      return shown === `${text} 00:00:00` ? null : `date ${shown} ≠ ${text}`
    }
    counts.dateTime++
    if (!/h/.test(cell.format) || (text.length === 19) !== /ss/.test(cell.format)) return `format ${cell.format} for ${text}`
    return shown.slice(0, text.length) === text && shown.slice(text.length).replace(/[:0]/g, '') === ''
      ? null : `date-time ${shown} ≠ ${text}`
  }
  if (cell.format.endsWith('%')) {
    counts.percent++
    return text.endsWith('%') && Math.abs(cell.value * 100 - Number(text.slice(0, -1))) < 1e-9 ? null : `percent ${cell.value} ≠ ${text}`
  }
  counts.number++
  if (!/^-?(0|[1-9]\d*)(\.\d+)?$/.test(text)) return `number ${cell.value} for text ${JSON.stringify(text)}`
  if (/^0\d/.test(text)) return `a code with a leading zero became a number: ${text}`
  return cell.value === Number(text) ? null : `number ${cell.value} ≠ ${text}`
}


/**
 * The differences between a sheet (readXlsx) and the CSV rows (parseCsv) of the same export, cell
 * for cell, as messages ([] when equal); the header row must be text. `counts` as mismatch().
 */
export function diffSheetCsv(sheet, rows, counts = {}) {
  const problems = []
  if (sheet.rows.length !== rows.length) problems.push(`${sheet.rows.length} sheet rows, ${rows.length} CSV rows`)
  const width = rows[0]?.length ?? 0
  // A column whose CSV values are all days, or all date-times, must hold dates, not text.
  const DAY = /^\d{4}-\d{2}-\d{2}$/
  // A deadline at the end of its day reads "… 24:00" (R-TIME-5, 当日24时): text, not a date-time
  // (Excel would show the next day's 00:00), so hour 24 does not make a date-time column.
  const DAY_TIME = /^\d{4}-\d{2}-\d{2} (?:[01]\d|2[0-3]):\d{2}(:\d{2})?$/
  for (let c = 0; c < width; c++) {
    const values = rows.slice(1).map((row) => row[c] ?? '').filter(Boolean)
    if (!values.length || !(values.every((v) => DAY.test(v)) || values.every((v) => DAY_TIME.test(v)))) continue
    rows.slice(1).forEach((row, i) => {
      const cell = sheet.rows[i + 1]?.[c]
      if (row[c] && !(cell?.type === 'n' && isDateFormat(cell.format))) {
        problems.push(`${colName(c)}${i + 2} (${rows[0][c]}): ${row[c]} is not an Excel date: ${JSON.stringify(cell)}`)
      }
    })
  }
  rows.forEach((row, r) => {
    const cells = sheet.rows[r] ?? []
    if (cells.length > width) problems.push(`row ${r + 1}: ${cells.length} cells, ${width} columns`)
    row.forEach((text, c) => {
      const cell = cells[c] ?? null
      if (r === 0 && cell?.type !== 's') problems.push(`header ${colName(c)}1 is not text: ${JSON.stringify(cell)}`)
      const why = mismatch(cell, text, r === 0 ? {} : counts)
      if (why) problems.push(`${colName(c)}${r + 1} (${rows[0][c]}): ${why}`)
    })
  })
  return problems
}
