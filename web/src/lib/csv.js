// CSV export that Excel opens correctly with Chinese text: UTF-8 with a byte-order mark,
// CRLF line ends, every field quoted when needed, and formula-looking cells neutralised.
// downloadTable(format, …) offers the same table as CSV or as Excel: the server turns the CSV
// into a typed .xlsx (POST /api/v1/exports/xlsx, issue 14; dates as dates, numbers as numbers).
import { request } from '../api/client.js'
import { toastError } from './feedback.js'

function cell(v) {
  let s = v === null || v === undefined ? '' : String(v)
  // A leading = + - @ would make Excel evaluate the cell (CSV injection).
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s
}

/** Builds the CSV text (with BOM) from a header row and data rows. */
export function toCsv(header, rows) {
  const lines = [header, ...rows].map((r) => r.map(cell).join(','))
  return '\uFEFF' + lines.join('\r\n') + '\r\n'
}

/** Offers the CSV to the user as a download named `filename`. */
export function downloadCsv(filename, header, rows) {
  save(new Blob([toCsv(header, rows)], { type: 'text/csv;charset=utf-8' }), filename)
}

/**
 * Offers the table as `format` 'csv' (downloadCsv) or 'xlsx' (the same CSV converted by the
 * server, saved as `filename` with .xlsx). Resolves true once offered; false after a failed
 * conversion, which is shown as an error toast.
 */
export async function downloadTable(format, filename, header, rows) {
  if (format !== 'xlsx') {
    downloadCsv(filename, header, rows)
    return true
  }
  const name = filename.replace(/\.csv$/i, '')
  try {
    const blob = await request('POST', '/api/v1/exports/xlsx', {
      query: { name },
      body: new Blob([toCsv(header, rows)], { type: 'text/csv;charset=utf-8' }),
      raw: true,
      blob: true,
      headers: { 'Content-Type': 'text/csv; charset=utf-8' },
    })
    save(blob, `${name}.xlsx`)
    return true
  } catch (e) {
    toastError(e)
    return false
  }
}

function save(blob, filename) {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
