// Turning API errors into what the user reads: the server's message (already in the UI language
// via Accept-Language); a refusing rule is shown in words beside it (RuleText), its id in a tooltip.
import { reactive } from 'vue'
import { stripRuleIds } from './rule-ids.js'

/** The text to show for an error (ApiError or anything thrown). */
export function errorText(err) {
  if (!err) return ''
  // The server's message without rule ids (issue 17 defect 3): the clause is shown in words
  // beside it (RuleText in ActionDialogShell), its id only in a tooltip.
  return stripRuleIds(err.message || String(err))
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
