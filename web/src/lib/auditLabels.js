// Chinese labels for audit actions and object types (issue 17 defect 3): never show a raw
// `auth.login`, `duty.colour.red`, `user #1` or `matter_catalog #catalog`. An action is
// "<object type>.<verb>" (the verb may hold dots: `duty.colour.red`); the label is
// 「<object>·<verb>」 from the i18n tables auditLabel.objects / auditLabel.verbs (a dot of a verb is
// written `__` in the table key, as vue-i18n reads dots as nesting).

/** The Chinese name of an object type (「其他」 when unknown). */
export function objectTypeLabel({ t, te }, type) {
  return type && te(`auditLabel.objects.${type}`) ? t(`auditLabel.objects.${type}`) : t('auditLabel.objects.other')
}

/** Splits an action into [object type, verb], trying the longest known object type first. */
export function splitAction({ te }, action) {
  const parts = String(action || '').split('.')
  for (let n = parts.length - 1; n >= 1; n--) {
    const obj = parts.slice(0, n).join('.')
    if (te(`auditLabel.objects.${obj}`)) return [obj, parts.slice(n).join('.')]
  }
  return [parts[0] || '', parts.slice(1).join('.')]
}

function verbLabel({ t, te }, verb) {
  const key = (v) => `auditLabel.verbs.${v.replaceAll('.', '__')}`
  if (te(key(verb))) return t(key(verb))
  const head = verb.split('.')[0]
  return head !== verb && te(key(head)) ? t(key(head)) : ''
}

/** 「案件移送·审批通过」 for `referral.approve`; i18n = { t, te } of useI18n(). */
export function actionLabel(i18n, action) {
  const [obj, verb] = splitAction(i18n, action)
  const object = objectTypeLabel(i18n, obj)
  if (!verb) return object
  const v = verbLabel(i18n, verb)
  return v ? `${object}·${v}` : i18n.t('auditLabel.other', { object })
}

/** 「用户（1号）」 for ('user', '1'); 「执法事项目录」 for ('matter_catalog', 'catalog'). */
export function objectLabel(i18n, type, id) {
  const object = objectTypeLabel(i18n, type)
  if (id === null || id === undefined || id === '' || !/^\d+$/.test(String(id))) return object
  return i18n.t('auditLabel.objectId', { object, id })
}
