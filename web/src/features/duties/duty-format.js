// How a duty (R-TIME-4) reads in the to-do list and in exports.

/** Every duty kind the server knows (GET /duties?kind=…), in the order of the policy. */
export const DUTY_KINDS = [
  'referral.send',
  'referral.send_urgent',
  'referral.ongoing_notice',
  'referral.accept_notice',
  'collaboration.answer',
  'collaboration.dispatch',
  'notice.measures',
  'meeting.decision',
  'consultation.decision',
  'participation.written_notice',
  'violation.dispatch',
  'dispute.joint_handling',
  'dispute.negotiation',
  'dispute.coordination',
  'dispute.decision',
  'crime.transfer_decision',
  'crime.transfer_police',
  'crime.police_receipt',
  'crime.case_decision',
  'crime.reconsideration_answer',
  'crime.administrative_handling',
]

/** The kind's name in the UI language; the server's kind_label for kinds the UI does not know. */
export function kindLabel(d, t, te) {
  const key = `dutyKinds.${d.kind}`
  return d.kind && te(key) ? t(key) : d.kind_label || d.kind || ''
}

/** Element Plus tag type for a deadline colour: green → success, yellow → warning, red → danger. */
export const COLOUR_TAG = { green: 'success', yellow: 'warning', red: 'danger' }

/** "2个工作日 5小时" from {working_days, hours}; "0小时" when both are zero. */
export function spanText(r, t) {
  const parts = []
  const days = Math.abs(Number(r?.working_days) || 0)
  const hours = Math.abs(Number(r?.hours) || 0)
  if (days) parts.push(t('duties.workingDays', { n: days }))
  if (hours || !days) parts.push(t('duties.hours', { n: hours }))
  return parts.join(' ')
}

/**
 * The 剩余 column: "剩余 2个工作日 5小时", "已超期 1个工作日", or for a duty that is no longer
 * open "按期办结" / "超期 2个工作日办结" / the state name.
 */
export function remainingText(d, t) {
  if (d.state === 'met') {
    if (d.on_time === true) return t('duties.metOnTime')
    if (d.on_time === false) return t('duties.metLate', { n: d.late_working_days ?? 0 })
    return t('duties.met')
  }
  if (d.state && d.state !== 'open') return t(`duties.states.${d.state}`)
  const r = d.remaining
  if (!r) return ''
  // Due within the hour: 「剩余不足1小时」, never 「剩余 0小时」 (issue 17 defect 5).
  if (!r.overdue && !Number(r.working_days) && !Number(r.hours)) return t('duties.lessThanHour')
  return r.overdue
    ? t('duties.overdue', { t: spanText(r, t) })
    : t('duties.remaining', { t: spanText(r, t) })
}

/**
 * The colour an open duty's tag shows (R-TIME-4, issue 17 defect 5): the server's colour, and
 * never green (正常) once less than a working day is left — due today is "due within one working
 * day", yellow by the rule, so the tag cannot say 正常 beside 「剩余不足1小时」.
 */
export function shownColour(d) {
  if (!d) return ''
  const r = d.remaining
  if (d.colour !== 'green' || (d.state && d.state !== 'open') || !r || r.overdue) return d.colour || ''
  // Hour periods (R-TIME-2) count clock hours only: yellow in the last quarter, at most 24 hours.
  const lastHour = !Number(r.working_days) && !Number(r.hours)
  const dueToday = !Number(r.working_days) && d.period?.unit !== 'hours' && d.period !== undefined
  if (lastHour || dueToday) return 'yellow'
  return d.colour || ''
}

export function colourLabel(colour, t) {
  return colour ? t(`duties.colours.${colour}`) : ''
}
