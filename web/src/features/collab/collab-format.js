// How collaboration items (执法协作, SPEC §5, docs/collaboration-contract.md) read in the UI and
// which actions a user may plausibly take. The server makes the real check (R-ACC-1, the state
// machines); the UI only hides what cannot apply and shows the server's refusal with its rule.
import { COLOUR_TAG } from '../duties/duty-format.js'

export { COLOUR_TAG }

/**
 * The five kinds of item in the combined 协作 list. `resource` is the API collection
 * (/api/v1/{resource}), `route` the name of the UI detail route, `ui` the UI path prefix.
 */
export const TYPES = {
  collaboration: { resource: 'collaborations', route: 'collaboration', ui: '/collaborations', rule: 'R-COL-1' },
  notice: { resource: 'notices', route: 'collab-notice', ui: '/notices', rule: 'R-COL-5' },
  meeting: { resource: 'meetings', route: 'collab-meeting', ui: '/meetings', rule: 'R-COL-6' },
  participation: {
    resource: 'participation-requests',
    route: 'collab-participation',
    ui: '/participation-requests',
    rule: 'R-COL-7',
  },
  violation_notice: {
    resource: 'violation-notices',
    route: 'collab-violation_notice',
    ui: '/violation-notices',
    rule: 'R-COL-8',
  },
}
export const TYPE_KEYS = Object.keys(TYPES)

/**
 * The states of each type (server names, workflow order; the `state` filter of
 * GET /api/v1/collab-items) and the i18n prefix holding their labels (`${prefix}.states.${s}`).
 */
export const TYPE_STATES = {
  collaboration: ['draft', 'submitted', 'sent', 'received', 'answer_pending', 'answered', 'closed', 'withdrawn'],
  notice: ['open', 'answered', 'closed', 'withdrawn'],
  meeting: ['scheduled', 'held', 'closed', 'cancelled'],
  participation: ['phoned', 'notified', 'confirmed', 'done', 'cancelled'],
  violation_notice: ['notified', 'dispatched', 'handled', 'refused', 'coordination', 'closed', 'withdrawn'],
}
export const TYPE_I18N = {
  collaboration: 'collab.c',
  notice: 'collab.n',
  meeting: 'collab.m',
  participation: 'collab.p',
  violation_notice: 'collab.v',
}

/** Element Plus tag type per item type (the 类型 column of the combined list). */
export const TYPE_TAG = {
  collaboration: 'primary',
  notice: 'warning',
  meeting: 'success',
  participation: 'info',
  violation_notice: 'danger',
}

/** The UI link of a duty (object_type/object_id) or a collab item; null when unknown. */
const OBJECT_TYPES = {
  collaboration: 'collaboration',
  notice: 'notice',
  meeting: 'meeting',
  participation: 'participation',
  violation_notice: 'violation_notice',
  violation: 'violation_notice',
}
export function linkOfObject(objectType, id) {
  const type = OBJECT_TYPES[objectType]
  if (!type || id === null || id === undefined) return null
  return { name: TYPES[type].route, params: { id } }
}

// ---- 执法协作文书 (R-COL-1..4)
export const KINDS = ['determination', 'technical_appraisal', 'advisory_opinion']

export const STATES = ['draft', 'submitted', 'sent', 'received', 'answer_pending', 'answered', 'closed', 'withdrawn']

export const STATE_TAG = {
  draft: 'info',
  submitted: 'warning',
  sent: 'primary',
  received: 'primary',
  answer_pending: 'warning',
  answered: 'success',
  closed: 'info',
  withdrawn: 'info',
  // states of the other item types (notices, meetings, participation, violation notices)
  returned: 'warning',
  confirmed: 'success',
  held: 'success',
  measures_recorded: 'success',
  answered_measures: 'success',
  dispatched: 'success',
  arrived: 'success',
  refused: 'danger',
  declined: 'danger',
  coordination: 'danger',
  cancelled: 'info',
  scheduled: 'primary',
  invited: 'primary',
  minuted: 'success',
}
export const stateTag = (s) => STATE_TAG[s] || 'info'

export const EDITABLE = new Set(['draft'])

/**
 * Dialog definitions: the API path segment, the body fields the dialog asks for, and styling.
 * Field types: textarea (default), input, date (YYYY-MM-DD), datetime (instant, optional → now),
 * check (boolean), file (uploaded file id), staff (a list of names).
 */
export const COLLAB_ACTIONS = {
  submit: { path: 'submit', fields: [], primary: true },
  approve: { path: 'approve', fields: [], primary: true },
  return: { path: 'return', fields: [{ name: 'reason', required: true }], danger: true },
  receive: { path: 'receive', fields: [], primary: true },
  extend: {
    path: 'extend',
    fields: [
      { name: 'reason', required: true },
      { name: 'new_due', required: true, type: 'date' },
      { name: 'complex', type: 'check', onlyUnlessKind: 'technical_appraisal' },
    ],
  },
  answer: {
    path: 'answer',
    fields: [
      { name: 'conclusion', required: true, type: 'input', max: 500 },
      { name: 'text', required: true, max: 5000, rows: 6 },
      { name: 'file', type: 'file' },
    ],
    primary: true,
    wide: true,
  },
  'approve-answer': { path: 'approve-answer', fields: [], primary: true },
  'reject-answer': { path: 'reject-answer', fields: [{ name: 'reason', required: true }], danger: true },
  'follow-up': {
    path: 'follow-up',
    fields: [{ name: 'questions', required: true, max: 5000, rows: 5, label: 'follow_up_questions' }],
  },
  dispatch: {
    path: 'dispatch',
    fields: [
      { name: 'staff', required: true, type: 'staff' },
      { name: 'sent_at', type: 'datetime', label: 'dispatched_at' },
      { name: 'note', type: 'input', max: 500 },
    ],
    primary: true,
  },
  arrived: { path: 'arrived', fields: [{ name: 'at', type: 'datetime' }], primary: true },
  withdraw: { path: 'withdraw', fields: [{ name: 'reason', required: true }], danger: true },
  close: { path: 'close', fields: [], primary: true },
}

const has = (user, role) => !!user?.roles?.includes(role)
export const myOrgId = (user) => user?.org?.id ?? user?.org_id
const isStaff = (user) => has(user, 'officer') || has(user, 'leader') || has(user, 'liaison')

export function needsDispatch(c) {
  return !!(c?.urgent || c?.evidence_at_risk)
}

/** The current (last) round of a collaboration, or null. */
export function currentRound(c) {
  const r = c?.rounds || []
  return r.length ? r[r.length - 1] : null
}

/** The action keys plausible for this user on this collaboration, most important first. */
export function collabActions(c, user) {
  if (!c || !user) return []
  const me = myOrgId(user)
  const sender = c.from_org?.id === me
  const receiver = c.to_org?.id === me
  const leader = has(user, 'leader')
  const staff = isStaff(user)
  const s = c.state
  const out = []
  if (sender && s === 'draft' && staff) out.push('submit')
  if (sender && leader && s === 'submitted') out.push('approve', 'return')
  if (receiver && staff && s === 'sent') out.push('receive')
  if (receiver && leader && s === 'answer_pending') out.push('approve-answer', 'reject-answer')
  if (receiver && staff && ['sent', 'received', 'answer_pending'].includes(s)) out.push('answer')
  if (receiver && leader && ['sent', 'received', 'answer_pending'].includes(s)) out.push('extend')
  if (receiver && staff && needsDispatch(c) && ['sent', 'received', 'answer_pending', 'answered'].includes(s)) {
    if (!c.dispatch) out.push('dispatch')
    else if (!c.dispatch.arrived_at) out.push('arrived')
  }
  if (sender && staff && s === 'answered') out.push('follow-up', 'close')
  if (sender && staff && ['draft', 'submitted', 'sent', 'received', 'answer_pending'].includes(s)) out.push('withdraw')
  return out
}

export function canEditCollab(c, user) {
  if (!c || !user) return false
  return EDITABLE.has(c.state) && c.from_org?.id === myOrgId(user) && isStaff(user)
}

/** The open duty that matters most (earliest due), or null. */
export function openDuty(item) {
  const open = (item?.duties || []).filter((d) => d.state === 'open')
  open.sort((a, b) => Date.parse(a.due_at) - Date.parse(b.due_at))
  return open[0] || null
}

export function orgName(org, byId) {
  if (!org) return ''
  const known = byId?.get?.(org.id)
  return known?.short_name || org.short_name || org.name || ''
}

/** "YYYY-MM-DD HH:mm[:ss]" Shanghai wall time → RFC 3339 with +08:00. */
export function wallToInstant(wall) {
  if (!wall) return null
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(?::(\d{2}))?/.exec(wall)
  return m ? `${m[1]}T${m[2]}:${m[3] || '00'}+08:00` : null
}
