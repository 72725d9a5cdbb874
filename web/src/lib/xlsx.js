// .xlsx uploads for the CSV importers (approvals R-INF-2, matters catalog): the server reads the
// first worksheet itself, so the page only sends the file's bytes with the spreadsheet MIME type.
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
// The file chooser's filter: CSV or Excel.
export const IMPORT_ACCEPT = `.csv,text/csv,.xlsx,${XLSX_TYPE}`
/** True for an .xlsx File (by name or type). */
export const isXlsx = (file) => !!file && (/\.xlsx$/i.test(file.name || '') || file.type === XLSX_TYPE)
