// 行刑衔接 (criminal transfers, R-CRI-1a): states, the steps and who may take them, their fields.
// The server decides (403/409 naming the rule); this only offers the plausible buttons.

export const STATES = [
  'reported', 'approved', 'not_approved', 'transferred', 'received', 'case_opened',
  'refused', 'reconsideration', 'refusal_upheld', 'returned', 'handled',
]
export const STATE_TAG = {
  reported: 'warning', approved: 'warning', not_approved: 'info', transferred: 'primary', received: 'primary',
  case_opened: 'success', refused: 'danger', reconsideration: 'warning', refusal_upheld: 'danger',
  returned: 'warning', handled: 'success',
}

// who: agency (staff of the reporting org), head (its leader), police, procuratorate.
// from: the states the step leaves. fields: [{ name, required, type: 'text'|'textarea' }].
export const ACTIONS = {
  approve: { who: 'head', from: ['reported'], primary: true, fields: [{ name: 'opinion' }] },
  'not-approve': { who: 'head', from: ['reported'], danger: true, fields: [{ name: 'reason', required: true }] },
  transfer: { who: 'agency', from: ['approved'], primary: true, fields: [{ name: 'note' }] },
  receipt: { who: 'police', from: ['transferred'], primary: true, fields: [{ name: 'note' }] },
  'open-case': { who: 'police', from: ['received', 'reconsideration'], primary: true, fields: [{ name: 'case_number', type: 'text' }, { name: 'note' }] },
  'refuse-case': { who: 'police', from: ['received'], danger: true, fields: [{ name: 'reason', required: true }] },
  reconsider: { who: 'head', from: ['refused'], fields: [{ name: 'reason', required: true }] },
  'uphold-refusal': { who: 'police', from: ['reconsideration'], danger: true, fields: [{ name: 'reason', required: true }] },
  return: { who: 'police', from: ['refused', 'refusal_upheld', 'case_opened'], fields: [{ name: 'reason', required: true }] },
  handle: { who: 'agency', from: ['returned', 'not_approved', 'refused', 'refusal_upheld'], fields: [{ name: 'result', required: true }, { name: 'penalty' }] },
  supervise: { who: 'procuratorate', from: ['transferred', 'received', 'case_opened', 'refused', 'reconsideration', 'refusal_upheld', 'returned', 'handled'], fields: [{ name: 'opinion', required: true }] },
}

const STAFF = ['officer', 'leader', 'liaison']

/** The steps `user` may plausibly take on `item` now. */
export function actionsFor(item, user) {
  if (!item || !user) return []
  const roles = user.roles || []
  const staff = STAFF.some((r) => roles.includes(r))
  if (!staff) return []
  const org = user.org?.id
  const sent = !!item.to_org
  const is = {
    agency: org === item.from_org?.id,
    head: org === item.from_org?.id && roles.includes('leader'),
    police: sent && org === item.police?.id,
    procuratorate: sent && org === item.procuratorate?.id,
  }
  return Object.entries(ACTIONS)
    .filter(([, a]) => is[a.who] && a.from.includes(item.state))
    .map(([k]) => k)
}

/** The agency's open duty due first, or null. */
export function openDuty(item) {
  const open = (item?.duties || []).filter((d) => d.state === 'open')
  open.sort((a, b) => String(a.due_at).localeCompare(String(b.due_at)))
  return open[0] || null
}
