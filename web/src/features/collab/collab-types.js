// The four R-COL-5..8 item types (docs/collaboration-contract.md "Notices, meetings, participation,
// violation notices"): their action dialogs, which actions a user may plausibly take, and who may
// start one. The server has the last word (R-ACC-1, state machines); the UI shows its refusal.
import { myOrgId } from './collab-format.js'

const has = (user, role) => !!user?.roles?.includes(role)
const isStaff = (user) => has(user, 'officer') || has(user, 'leader') || has(user, 'liaison')

export const ITEM_ACTIONS = {
  notice: {
    measures: {
      path: 'measures',
      fields: [
        { name: 'analysis', required: true, max: 5000, rows: 4 },
        { name: 'advice', required: true, max: 5000, rows: 3 },
        { name: 'measures', required: true, max: 5000, rows: 3 },
      ],
      primary: true,
      wide: true,
    },
    close: { path: 'close', fields: [], primary: true },
    withdraw: { path: 'withdraw', fields: [{ name: 'reason', required: true }], danger: true },
  },
  meeting: {
    reply: {
      path: 'reply',
      fields: [
        { name: 'answer', required: true, type: 'radio', options: ['confirmed', 'declined'] },
        { name: 'note', type: 'input', max: 500 },
      ],
      primary: true,
    },
    minutes: {
      path: 'minutes',
      fields: [
        { name: 'minutes', required: true, max: 5000, rows: 5 },
        { name: 'decisions', type: 'decisions' },
      ],
      primary: true,
      wide: true,
    },
    close: { path: 'close', fields: [], primary: true },
    cancel: { path: 'cancel', fields: [{ name: 'reason', required: true }], danger: true },
    done: { path: (no) => `decisions/${no}/done`, fields: [{ name: 'note', required: true }], primary: true },
    'joint-action': {
      path: (no) => `decisions/${no}/joint-action`,
      fields: [
        { name: 'participants', required: true, type: 'orgs' },
        { name: 'people', type: 'input', max: 500 },
        { name: 'at', required: true, type: 'datetime' },
        { name: 'place', required: true, type: 'input', max: 200 },
        { name: 'result', max: 5000 },
      ],
      primary: true,
      wide: true,
    },
  },
  participation: {
    'written-notice': { path: 'written-notice', fields: [], primary: true },
    confirm: {
      path: 'confirm',
      fields: [
        { name: 'people', required: true, type: 'staff' },
        { name: 'note', type: 'input', max: 500 },
      ],
      primary: true,
    },
    complete: { path: 'complete', fields: [{ name: 'result', max: 5000 }], primary: true },
    cancel: { path: 'cancel', fields: [{ name: 'reason', required: true }], danger: true },
  },
  violation_notice: {
    dispatch: {
      path: 'dispatch',
      fields: [
        { name: 'officers', required: true, type: 'staff' },
        { name: 'at', type: 'datetime' },
        { name: 'note', type: 'input', max: 500 },
      ],
      primary: true,
    },
    handle: { path: 'handle', fields: [{ name: 'result', required: true, max: 5000, rows: 4 }], primary: true },
    refuse: { path: 'refuse', fields: [{ name: 'reason', required: true }], danger: true },
    withdraw: { path: 'withdraw', fields: [{ name: 'reason', required: true }], danger: true },
    coordination: { path: 'coordination', fields: [{ name: 'reason', required: true }], danger: true },
    decision: {
      path: 'coordination/decision',
      fields: [
        { name: 'decision', required: true, type: 'radio', options: ['department_handles', 'township_handles', 'reassign'] },
        { name: 'to_org', type: 'org', showIf: { decision: 'reassign' } },
        { name: 'reason', required: true },
      ],
      primary: true,
    },
  },
}

const dutyRed = (item, kind) => (item?.duties || []).some((d) => d.kind === kind && d.state === 'open' && d.colour === 'red')

/** Header actions plausible for this user on this item, most important first. */
export function itemActions(type, item, user) {
  if (!item || !user) return []
  const me = myOrgId(user)
  const from = item.from_org?.id === me
  const to = item.to_org?.id === me
  const staff = isStaff(user)
  const leader = has(user, 'leader')
  const s = item.state
  const out = []
  if (type === 'notice') {
    if (to && staff && s === 'open') out.push('measures')
    if (from && staff && s === 'answered') out.push('close')
    if (from && staff && s === 'open') out.push('withdraw')
  } else if (type === 'meeting') {
    const invited = (item.invitees || []).some((i) => i.org?.id === me || i.user?.id === user.id)
    if (invited && staff && s === 'scheduled') out.push('reply')
    if (from && staff && s === 'scheduled') out.push('minutes', 'cancel')
    if (from && staff && s === 'held') out.push('close')
  } else if (type === 'participation') {
    if (from && staff && (s === 'phoned' || (s === 'confirmed' && !item.written_notice_at))) out.push('written-notice')
    if (to && staff && (s === 'phoned' || s === 'notified')) out.push('confirm')
    if (from && staff && s === 'confirmed') out.push('complete')
    if (from && staff && ['phoned', 'notified', 'confirmed'].includes(s)) out.push('cancel')
  } else if (type === 'violation_notice') {
    if (to && staff && s === 'notified') out.push('dispatch')
    if (to && staff && s === 'dispatched') out.push('handle')
    if (to && leader && s === 'notified') out.push('refuse')
    if (from && staff && (s === 'refused' || (s === 'notified' && dutyRed(item, 'violation.dispatch')))) out.push('coordination')
    if (from && staff && s === 'notified') out.push('withdraw')
    if (has(user, 'coordinator_staff') && s === 'coordination') out.push('decision')
  }
  return out
}

/** Per-decision actions of a held meeting. */
export function decisionActions(meeting, decision, user) {
  if (!meeting || !user || meeting.state !== 'held') return []
  const me = myOrgId(user)
  if (!isStaff(user)) return []
  const owner = decision.owner_org?.id === me
  const convener = meeting.from_org?.id === me
  const out = []
  if (owner && decision.state === 'open') out.push('done')
  if (owner || convener) out.push('joint-action')
  return out
}

/** Which item types this user may start (create), for the 新建 menu. */
export function creatableTypes(user) {
  if (!user || !isStaff(user)) return []
  const kind = user.org?.kind
  if (kind === 'township') return ['collaboration', 'notice', 'meeting', 'violation_notice']
  if (kind === 'county_department') return ['meeting', 'participation']
  return []
}

export const NOTICE_KINDS = ['hazard', 'frequent_violation']
export const PARTICIPATION_KINDS = ['special_inspection', 'planning_approval', 'administrative_confirmation']
export const VIOLATION_CATEGORIES = ['public_order', 'safety']
