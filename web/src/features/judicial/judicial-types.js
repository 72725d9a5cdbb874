// 行刑衔接 (SPEC §10): 申请强制执行 (R-CRI-3) and 提请公安协助 (R-CRI-4), with the court's and the
// police's users acting on what is addressed to them (R-CRI-5). One table per type: its API
// resource, route names, i18n prefix, states, and the actions (who may take each from which
// states, and the fields of its confirmation dialog, CollabActionDialog). The server decides;
// these tables only choose which buttons to show.
const STAFF = ['officer', 'leader', 'liaison']

export const JUDICIAL = {
  court_enforcement: {
    resource: 'court-enforcements',
    prefix: 'judicial.ce',
    list: 'court-enforcements',
    detail: 'court-enforcement',
    addressee: 'court',
    states: ['self_enforced', 'applied', 'accepted', 'not_accepted', 'granted', 'denied', 'executed', 'withdrawn'],
    actions: {
      accept: { path: 'accept', who: 'to', from: ['applied'], primary: true, fields: [{ name: 'court_case_number', type: 'input', max: 100 }, { name: 'note' }] },
      reject: { path: 'reject', who: 'to', from: ['applied'], danger: true, fields: [{ name: 'reason', required: true }] },
      ruling: {
        path: 'ruling',
        who: 'to',
        from: ['accepted'],
        primary: true,
        wide: true,
        fields: [
          { name: 'decision', type: 'radio', options: ['granted', 'denied'], required: true },
          { name: 'ruling_number', type: 'input', max: 100, required: true },
          { name: 'ruled_at', type: 'datetime', required: true },
          { name: 'text', rows: 4, max: 5000, required: true },
        ],
      },
      execution: { path: 'execution', who: 'any', from: ['granted'], primary: true, fields: [{ name: 'result', rows: 4, max: 5000, required: true }] },
      withdraw: { path: 'withdraw', who: 'from', from: ['applied', 'accepted'], danger: true, fields: [{ name: 'reason', required: true }] },
    },
  },
  police_support: {
    resource: 'police-support-requests',
    prefix: 'judicial.ps',
    list: 'police-support-requests',
    detail: 'police-support-request',
    addressee: 'police',
    states: ['requested', 'assisting', 'declined', 'done', 'handed_over', 'handled', 'cancelled'],
    actions: {
      answer: {
        path: 'answer',
        who: 'to',
        from: ['requested'],
        primary: true,
        fields: [
          { name: 'decision', type: 'radio', options: ['assist', 'decline'], required: true },
          { name: 'officers', type: 'number', required: true, showIf: { decision: 'assist' } },
          { name: 'contact', type: 'input', max: 100, showIf: { decision: 'assist' } },
          { name: 'note', showIf: { decision: 'assist' } },
          { name: 'reason', required: true, showIf: { decision: 'decline' } },
        ],
      },
      outcome: { path: 'outcome', who: 'from', from: ['assisting', 'declined'], primary: true, fields: [{ name: 'result', rows: 4, max: 5000, required: true }, { name: 'obstruction', type: 'check' }] },
      'hand-over': {
        path: 'hand-over',
        who: 'from',
        from: ['done'],
        when: (it) => !!it.outcome?.obstruction,
        danger: true,
        fields: [{ name: 'facts', rows: 4, max: 5000, required: true }, { name: 'people', max: 2000, required: true }],
      },
      handle: {
        path: 'handle',
        who: 'to',
        from: ['handed_over'],
        primary: true,
        fields: [
          { name: 'disposition', type: 'radio', options: ['criminal_case', 'public_security_penalty', 'other'], required: true },
          { name: 'case_number', type: 'input', max: 100 },
          { name: 'note', max: 2000, required: true },
        ],
      },
      cancel: { path: 'cancel', who: 'from', from: ['requested', 'assisting'], danger: true, fields: [{ name: 'reason', required: true }] },
    },
  },
}

export const JUDICIAL_KEYS = Object.keys(JUDICIAL)

/** Township or county-department staff may start either (R-CRI-3, R-CRI-4). */
export function canStart(user) {
  return !!user && ['township', 'county_department'].includes(user.org?.kind) && STAFF.some((r) => user.roles?.includes(r))
}

/** The actions `user` may plausibly take on `it` now (the server checks again). */
export function judicialActions(type, it, user) {
  const def = JUDICIAL[type]
  if (!def || !it || !user || !STAFF.some((r) => user.roles?.includes(r))) return []
  const mine = user.org?.id
  const from = it.from_org?.id === mine
  const to = it.to_org?.id === mine
  return Object.entries(def.actions)
    .filter(([, a]) => a.from.includes(it.state) && (!a.when || a.when(it)))
    .filter(([, a]) => (a.who === 'from' ? from : a.who === 'to' ? to : from || to))
    .map(([k]) => k)
}

const TAGS = {
  applied: 'warning', requested: 'warning', accepted: 'primary', assisting: 'primary', handed_over: 'warning',
  granted: 'success', executed: 'success', handled: 'success', done: 'success', self_enforced: 'success',
  not_accepted: 'danger', denied: 'danger', declined: 'danger',
}
export const judicialTag = (state) => TAGS[state] || 'info'
