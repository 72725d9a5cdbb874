// 指导培训 (SPEC §7): 业务指导 (R-GUI-1), 业务培训 (R-GUI-2) and 技术支持 (R-GUI-3). One table per
// type: its API resource, route names, i18n prefix, states, who may start one (the org kind),
// and the actions (who may take each from which states, and the fields of its confirmation
// dialog, CollabActionDialog; `dialog: 'attendance'` opens the attendance dialog instead). The
// server decides; these tables only choose which buttons to show.
const STAFF = ['officer', 'leader', 'liaison']
const REASON = [{ name: 'reason', required: true }]

export const GUIDANCE = {
  guidance_request: {
    resource: 'guidance-requests',
    prefix: 'guidance.gr',
    list: 'guidance-requests',
    detail: 'guidance-request',
    starter: 'township',
    kinds: ['onsite', 'seminar', 'consultation'],
    states: ['requested', 'scheduled', 'done', 'declined', 'withdrawn'],
    actions: {
      schedule: {
        path: 'schedule', who: 'to', from: ['requested'], primary: true,
        fields: [{ name: 'date', type: 'date', required: true }, { name: 'place', type: 'input', max: 200, required: true },
          { name: 'people', type: 'staff', required: true }, { name: 'note' }],
      },
      decline: { path: 'decline', who: 'to', from: ['requested'], danger: true, fields: REASON },
      record: { path: 'record', who: 'to', from: ['scheduled'], primary: true, fields: [{ name: 'text', rows: 4, max: 5000, required: true }] },
      withdraw: { path: 'withdraw', who: 'from', from: ['requested'], danger: true, fields: REASON },
    },
  },
  training: {
    resource: 'trainings',
    prefix: 'guidance.tr',
    list: 'trainings',
    detail: 'training',
    starter: 'county_department',
    kinds: [],
    states: ['planned', 'closed', 'cancelled'],
    actions: {
      attendance: { path: 'attendance', who: 'from', from: ['planned'], primary: true, dialog: 'attendance' },
      close: { path: 'close', who: 'from', from: ['planned'], primary: true, fields: [{ name: 'summary' }] },
      cancel: { path: 'cancel', who: 'from', from: ['planned'], danger: true, fields: REASON },
    },
  },
  tech_support: {
    resource: 'tech-support-requests',
    prefix: 'guidance.ts',
    list: 'tech-support-requests',
    detail: 'tech-support-request',
    starter: 'township',
    kinds: ['request', 'procurement'],
    states: ['requested', 'answered', 'recorded', 'withdrawn'],
    actions: {
      answer: {
        path: 'answer', who: 'to', from: ['requested'], primary: true, wide: true,
        fields: [{ name: 'mode', type: 'radio', options: ['stationed', 'training', 'dispatch'], required: true },
          { name: 'details', rows: 4, max: 5000, required: true }, { name: 'date', type: 'date' }, { name: 'people', type: 'staff' }],
      },
      withdraw: { path: 'withdraw', who: 'from', from: ['requested'], danger: true, fields: REASON },
    },
  },
}

const isStaff = (user) => !!user && STAFF.some((r) => user.roles?.includes(r))

/** Staff of the org kind that starts items of `type`. */
export function canStartGuidance(type, user) {
  return isStaff(user) && user.org?.kind === GUIDANCE[type]?.starter
}

/** The actions `user` may plausibly take on `it` now (the server checks again). */
export function guidanceActions(type, it, user) {
  const def = GUIDANCE[type]
  if (!def || !it || !isStaff(user)) return []
  const mine = user.org?.id
  const from = it.from_org?.id === mine
  const to = it.to_org?.id === mine
  return Object.entries(def.actions)
    .filter(([, a]) => a.from.includes(it.state))
    .filter(([, a]) => (a.who === 'from' ? from : a.who === 'to' ? to : from || to))
    .map(([k]) => k)
}

const TAGS = {
  requested: 'warning', planned: 'warning', scheduled: 'primary',
  done: 'success', closed: 'success', answered: 'success', recorded: 'success',
  declined: 'danger',
}
export const guidanceTag = (state) => TAGS[state] || 'info'

/** The yearly view's colour → element-plus tag type. */
export const COLOUR_TAG = { green: 'success', yellow: 'warning', red: 'danger' }
