// The annual plan (R-PLN-1) and tasks (R-PLN-1, R-PLN-2) in the UI (docs/plan-contract.md): states,
// tags, who may act, and the request bodies.
import { myOrgId } from '../collab/collab-format.js'

export const PLAN_STATES = ['draft', 'consulting', 'issued']
export const TASK_STATES = ['open', 'done']
export const PLAN_TAG = { draft: 'info', consulting: 'warning', issued: 'success' }
export const TASK_TAG = { open: 'primary', done: 'success' }

const staff = (user) => ['officer', 'leader', 'liaison'].some((r) => (user?.roles || []).includes(r))
export const isCoordinator = (user) =>
  (user?.roles || []).includes('coordinator_staff') || (user?.org?.kind === 'coordinator' && staff(user))

/** The plan actions `user` may take now (the server decides; this only shows plausible buttons). */
export function planActions(plan, user) {
  if (!plan || plan.state === 'issued') return []
  const out = []
  if (isCoordinator(user)) out.push('consult', 'tasks', 'issue')
  const mine = (plan.consulted || []).find((c) => c.org?.id === myOrgId(user))
  if (mine && !mine.comment && staff(user) && plan.state === 'consulting') out.push('comment')
  return out
}

/** Whether `user` may report on `task` (owner or co-owner staff, task open). */
export function canReport(task, user) {
  if (!task || task.state !== 'open' || !staff(user)) return false
  const org = myOrgId(user)
  return task.to_org?.id === org || (task.co_owner_orgs || []).some((o) => o.id === org)
}
export const isOwner = (task, user) => task?.to_org?.id === myOrgId(user)

/** Comma- or 、-separated org ids from a multi-select (already ids). */
export const ids = (xs) => (xs || []).map(Number).filter(Boolean)
