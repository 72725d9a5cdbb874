// CSV export that Excel opens correctly with Chinese text: UTF-8 with a byte-order mark,
// CRLF line ends, every field quoted when needed, and formula-looking cells neutralised.

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
  const blob = new Blob([toCsv(header, rows)], { type: 'text/csv;charset=utf-8' })
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
