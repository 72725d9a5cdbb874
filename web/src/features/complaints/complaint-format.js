// Shared bits of the complaint pages (投诉举报, R-SYS-3): channels, states and their tags, which
// steps the table allows from a state (docs/complaints-contract.md), and who may take them.
export const CHANNELS = ['phone', '12345', 'visit', 'letter', 'online']
export const STATES = ['registered', 'investigated', 'handled', 'referred', 'replied', 'closed']
export const STATE_TAG = {
  registered: 'warning',
  investigated: 'primary',
  handled: 'primary',
  referred: 'warning',
  replied: 'success',
  closed: 'info',
}
// The table (domain/complaint.cc): action → states it leaves from.
export const STEPS = {
  investigate: ['registered'],
  handle: ['investigated'],
  refer: ['registered', 'investigated'],
  reply: ['investigated', 'handled', 'referred'],
  close: ['investigated', 'handled', 'referred'],
}
const STAFF = ['officer', 'leader', 'liaison', 'coordinator_staff']

/** The steps `user` may take on complaint `c` now (staff of the first org only). */
export function stepsFor(c, user) {
  if (!c || !user || user.org?.id !== c.from_org?.id) return []
  if (!STAFF.some((r) => (user.roles || []).includes(r))) return []
  return Object.keys(STEPS).filter((a) => {
    if (!STEPS[a].includes(c.state)) return false
    if (a === 'close') return c.anonymous && !(c.complainant && c.complainant.contact)
    return true
  })
}

/** "YYYY-MM-DD HH:mm[:ss]" Shanghai wall time → RFC 3339 with +08:00, or undefined. */
export function toInstant(s) {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})(?::(\d{2}))?$/.exec(s || '')
  return m ? `${m[1]}T${m[2]}:${m[3] || '00'}+08:00` : undefined
}
