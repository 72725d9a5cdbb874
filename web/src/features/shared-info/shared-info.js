// Shared information (R-INF-1..3): who may do what in the pages (the server decides; these only
// choose which buttons to show), and small formatting helpers.
export const MATERIAL_KINDS = ['law', 'rule', 'standard', 'interpretation', 'normative_document', 'enforcement_news', 'approval_material']

const staff = (user) => ['officer', 'leader', 'liaison'].some((r) => (user?.roles || []).includes(r))
export const isTownshipStaff = (user) => staff(user) && user?.org?.kind === 'township'
export const isDepartmentStaff = (user) => staff(user) && user?.org?.kind === 'county_department'
export const canWriteApprovals = (user) => staff(user) && ['county_department', 'coordinator'].includes(user?.org?.kind)

/** The actions `user` may plausibly take on a material. */
export function materialActions(m, user) {
  if (!m || m.state !== 'published') return []
  const out = []
  const mine = (m.receipts || []).find((r) => r.org?.id === user?.org?.id)
  if (isTownshipStaff(user) && mine && mine.status !== 'acknowledged' && mine.status !== 'waived') out.push('acknowledge')
  if (staff(user) && m.from_org?.id === user?.org?.id) out.push('withdraw')
  return out
}
/** The actions `user` may plausibly take on a penalty filing. */
export function filingActions(f, user) {
  if (!f || f.state !== 'filed') return []
  return staff(user) && f.to_org?.id === user?.org?.id ? ['acknowledge'] : []
}
export const receiptTag = (s) => ({ acknowledged: 'success', pending: 'info', overdue: 'danger', waived: 'info' })[s] || 'info'
export const stateTag = (s) => ({ published: 'primary', withdrawn: 'info', filed: 'warning', acknowledged: 'success' })[s] || 'info'
