// How jurisdiction disputes (职责分工争议, SPEC §9, docs/disputes-contract.md) read in the UI and
// which step a user may plausibly take. The server makes the real check (R-ACC-1, the table of
// R-DIS-2); the UI only hides what cannot apply and shows the server's refusal with its rule.

export const STATES = ['negotiation', 'coordination', 'decision', 'settled']
export const STEPS = ['negotiation', 'coordination', 'decision']
export const STATE_TAG = { negotiation: 'warning', coordination: 'primary', decision: 'danger', settled: 'success' }

const isStaff = (user) => ['officer', 'leader', 'liaison'].some((r) => user?.roles?.includes(r))

/** Township or county department staff may open a dispute (R-DIS-1). */
export function canOpen(user) {
  return isStaff(user) && ['township', 'county_department'].includes(user?.org?.kind)
}

/** The steps `user` may plausibly take on dispute `d` (button order). */
export function actionsFor(d, user) {
  if (!d || !user) return []
  const out = []
  const party = isStaff(user) && (d.parties || []).some((p) => p.org?.id === user.org?.id)
  const coordinator = user.roles?.includes('coordinator_staff') || (isStaff(user) && user.org?.kind === 'coordinator')
  const government = isStaff(user) && user.org?.kind === 'government'
  const open = d.state !== 'settled'
  const myJoint = (d.duties || []).some((x) => x.kind === 'dispute.joint_handling' && x.state === 'open' && x.owner_org?.id === user.org?.id)
  if (party && open && myJoint) out.push('joint-handling')
  if (party && d.state === 'negotiation') out.push('negotiation')
  if (coordinator && d.state === 'coordination') out.push('coordination')
  if (government && d.state === 'decision') out.push('decision')
  return out
}

/** The open duty due first, or null. */
export function firstOpenDuty(d) {
  const open = (d?.duties || []).filter((x) => x.state === 'open')
  open.sort((a, b) => Date.parse(a.due_at) - Date.parse(b.due_at))
  return open[0] || null
}
