// How the standing mechanisms (SPEC §8, docs/mechanisms-contract.md) read in the UI: the three
// item resources (联席会议 R-SYS-1, 联合执法机制 R-SYS-4, 联合执法行动 R-SYS-5), their states,
// kinds and the steps a user may plausibly take. The server makes the real check (R-ACC-1 and
// each type's transition table); the UI only hides what cannot apply.

export const RESOURCES = {
  consultations: {
    type: 'consultation', key: 'consultation', detail: 'consultation',
    states: ['scheduled', 'held', 'closed', 'cancelled'], kinds: ['regular', 'ad_hoc'],
  },
  'joint-mechanisms': {
    type: 'joint_mechanism', key: 'mechanism', detail: 'joint-mechanism',
    states: ['active', 'dissolved'],
    kinds: ['food_safety', 'ecology', 'work_safety', 'natural_resources', 'market_order', 'other'],
  },
  'joint-actions': {
    type: 'joint_action', key: 'action', detail: 'joint-action',
    states: ['planned', 'done', 'cancelled'], kinds: [],
  },
}

export const STATE_TAG = {
  scheduled: 'warning', held: 'primary', closed: 'success', cancelled: 'info',
  active: 'success', dissolved: 'info', planned: 'warning', done: 'success',
}

const isStaff = (u) => ['officer', 'leader', 'liaison'].some((r) => u?.roles?.includes(r))
export const isCoordinator = (u) => u?.roles?.includes('coordinator_staff') || (isStaff(u) && u?.org?.kind === 'coordinator')

/** May `u` start an item of `resource`? */
export function canCreate(resource, u) {
  if (isCoordinator(u)) return true
  if (!isStaff(u)) return false
  const kind = u?.org?.kind
  if (resource === 'joint-actions') return ['township', 'county_department', 'police', 'procuratorate', 'court'].includes(kind)
  return kind === 'county_department'
}

/** The steps `u` may plausibly take on item `it` of `resource` (button order). */
export function actionsFor(resource, it, u) {
  if (!it || !u) return []
  const mine = (id) => (isStaff(u) || isCoordinator(u)) && id === u.org?.id
  const from = mine(it.from_org?.id)
  const out = []
  if (resource === 'consultations') {
    const invited = (it.invitees || []).some((i) => mine(i.org?.id))
    if (it.state === 'scheduled') {
      if (invited) out.push('reply')
      if (from) out.push('minutes', 'cancel')
    }
    if (it.state === 'held') {
      for (const d of it.decisions || []) if (d.state === 'open' && mine(d.owner_org?.id)) out.push(`decisions/${d.no}/done`)
      if (from) out.push('close')
    }
  } else if (resource === 'joint-mechanisms') {
    if (it.state === 'active' && (isCoordinator(u) || mine(it.to_org?.id))) out.push('update', 'briefings', 'dissolve')
  } else if (resource === 'joint-actions') {
    if (it.state === 'planned' && from) out.push('result', 'cancel')
  }
  return out
}

/** The action key of a decision step ("decisions/2/done" → "decision-done"). */
export const actionKey = (a) => (a.startsWith('decisions/') ? 'decision-done' : a)
