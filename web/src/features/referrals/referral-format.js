// How a referral (案件移送, SPEC §4) reads in the UI, and which actions a user may plausibly take.
// The server makes the real check (R-ACC-1, state machine); the UI only hides what cannot apply
// and shows the server's refusal when it says no.
import { COLOUR_TAG } from '../duties/duty-format.js'

export const STATES = [
  'draft',
  'submitted',
  'sent',
  'received',
  'accepted',
  'declined',
  'returned',
  'withdrawn',
  'handled',
  'closed',
  'coordination',
]

/** Element Plus tag type for a referral state. */
export const STATE_TAG = {
  draft: 'info',
  submitted: 'warning',
  sent: 'primary',
  received: 'primary',
  accepted: 'success',
  declined: 'danger',
  returned: 'warning',
  withdrawn: 'info',
  handled: 'success',
  closed: 'info',
  coordination: 'danger',
}

export const EDITABLE = new Set(['draft', 'returned'])

export { COLOUR_TAG }

/** The open duty that matters most (earliest due), or null. */
export function openDuty(ref) {
  const open = (ref?.duties || []).filter((d) => d.state === 'open')
  open.sort((a, b) => Date.parse(a.due_at) - Date.parse(b.due_at))
  return open[0] || null
}

export const CHECKLIST = ['facts_clear', 'evidence_complete', 'procedure_lawful', 'formalities_complete']

const has = (user, role) => !!user?.roles?.includes(role)

/**
 * Actions shown in the header for `ref` and `user`: plausible by state and role. Each is
 * { key, path, fields, danger, primary }. `fields` are the body fields the dialog asks for.
 */
export const ACTIONS = {
  submit: { path: 'submit', fields: [], primary: true },
  approve: { path: 'approve', fields: [], primary: true },
  return: { path: 'return', fields: [{ name: 'reason', required: true }], danger: true },
  receive: { path: 'receive', fields: [], primary: true },
  accept: { path: 'accept', fields: [{ name: 'note', required: false }], primary: true },
  decline: { path: 'decline', fields: [{ name: 'reason', required: true }], danger: true },
  withdraw: { path: 'withdraw', fields: [{ name: 'reason', required: true }], danger: true },
  handle: { path: 'handle', fields: [{ name: 'result', required: true }], primary: true },
  close: { path: 'close', fields: [], primary: true },
  coordination: { path: 'coordination', fields: [{ name: 'reason', required: true }], danger: true },
  decision: {
    path: 'coordination/decision',
    fields: [
      { name: 'decision', required: true, type: 'decision' },
      { name: 'to_org', required: false, type: 'org' },
      { name: 'reason', required: true },
    ],
    primary: true,
  },
}

export const DECISIONS = ['receiver_accepts', 'sender_keeps', 'reassign']

export function acceptDutyRed(ref) {
  return (ref?.duties || []).some(
    (d) => d.kind === 'referral.accept_notice' && d.state === 'open' && d.colour === 'red',
  )
}

/** The action keys plausible for this user on this referral, most important first. */
export function plausibleActions(ref, user) {
  if (!ref || !user) return []
  const myOrg = user.org?.id ?? user.org_id
  const sender = ref.from_org?.id === myOrg
  const receiver = ref.to_org?.id === myOrg
  const leader = has(user, 'leader')
  const officer = has(user, 'officer') || has(user, 'liaison')
  const s = ref.state
  const out = []
  if (sender && (s === 'draft' || s === 'returned') && (officer || leader)) out.push('submit')
  if (sender && leader && s === 'submitted') out.push('approve', 'return')
  if (receiver && s === 'sent') out.push('receive')
  if (receiver && leader && (s === 'sent' || s === 'received')) out.push('accept', 'decline', 'return')
  if (receiver && s === 'accepted') out.push('handle')
  if ((sender || receiver) && leader && s === 'handled') out.push('close')
  if (sender && (s === 'declined' || ((s === 'sent' || s === 'received') && acceptDutyRed(ref)))) {
    out.push('coordination')
  }
  if (has(user, 'coordinator_staff') && s === 'coordination') out.push('decision')
  if (sender && (officer || leader) && ['draft', 'submitted', 'sent', 'received'].includes(s)) {
    out.push('withdraw')
  }
  return out
}

export function canEdit(ref, user) {
  if (!ref || !user) return false
  const myOrg = user.org?.id ?? user.org_id
  return EDITABLE.has(ref.state) && ref.from_org?.id === myOrg && (has(user, 'officer') || has(user, 'leader'))
}

/** "新城镇 → 县市场监管局" names: an org's short name when the store knows it. */
export function orgName(org, byId) {
  if (!org) return ''
  const known = byId?.get?.(org.id)
  return known?.short_name || org.short_name || org.name || ''
}

/** Human file size: 1.2 MB / 34 KB / 512 B. */
export function fileSize(n) {
  const b = Number(n) || 0
  if (b >= 1024 * 1024) return `${(b / 1024 / 1024).toFixed(1)} MB`
  if (b >= 1024) return `${Math.round(b / 1024)} KB`
  return `${b} B`
}

export const MAX_FILE_BYTES = 20 * 1024 * 1024
