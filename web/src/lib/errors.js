// Turning API errors into what the user reads: the server's message (already in the UI language
// via Accept-Language), with the rule named when a rule refused (UX.md: "根据R-REF-3，…").
import { reactive } from 'vue'
import { i18n } from '../i18n/index.js'

/** The text to show for an error (ApiError or anything thrown). */
export function errorText(err) {
  if (!err) return ''
  const message = err.message || String(err)
  if (err.rule && !message.includes(err.rule)) {
    return i18n.global.t('common.ruleRefused', { rule: err.rule, message })
  }
  return message
}

/**
 * Field-level errors for a form. Bind `:error="fe.of('username')"` on <el-form-item>.
 * `fe.take(err)` places an ApiError next to its field and returns true, or returns false when
 * the error names no field of this form (show it as a toast or banner then).
 */
export function useFieldErrors(fields) {
  const map = reactive({})
  return {
    map,
    of: (name) => map[name] || '',
    clear() {
      for (const k of Object.keys(map)) delete map[k]
    },
    take(err) {
      for (const k of Object.keys(map)) delete map[k]
      if (err && err.field && fields.includes(err.field)) {
        map[err.field] = errorText(err)
        return true
      }
      return false
    },
  }
}
