// The policy's clauses in words (issue 17 defect 3): texts show what a rule says, never its id
// (R-REF-4 …); the id stays for a tooltip (components/RuleText.vue). The words come from
// GET /api/v1/rules, loaded once; stripRuleIds removes ids from any text (every translated
// message passes through it, see i18n/index.js postTranslation).
import { reactive } from 'vue'
import { api } from '../api/client.js'
import { routes } from '../api/routes.js'

const state = reactive({ byId: {}, loaded: false })
let loading = null

/** Loads the rules once (signed-in users only; a failure leaves ids unresolved). */
export function loadRules() {
  if (state.loaded || loading) return loading
  loading = api
    .get(routes.rules)
    .then((res) => {
      for (const r of res.items || []) state.byId[r.id] = r
      state.loaded = true
    })
    .catch(() => {})
    .finally(() => {
      loading = null
    })
  return loading
}

/** The rule's words in the UI language ('' until loaded or when unknown). */
export function ruleWords(id, locale = 'zh-CN') {
  const r = state.byId[id]
  if (!r) return ''
  return locale === 'en' ? r.en : r.zh
}

export { ruleIdsIn, stripRuleIds } from './rule-ids.js'
