// vue-i18n set-up: zh-CN by default, English complete. The choice is kept in localStorage and
// sent to the server as Accept-Language (see api/client.js).
import { createI18n } from 'vue-i18n'
import zhCN from './zh-CN.js'
import en from './en.js'
import { stripRuleIds } from '../lib/rule-ids.js'

export const LOCALES = ['zh-CN', 'en']
const KEY = 'xt.locale'

function initialLocale() {
  try {
    const saved = localStorage.getItem(KEY)
    if (LOCALES.includes(saved)) return saved
  } catch {
    /* storage may be blocked */
  }
  return 'zh-CN'
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
  missingWarn: import.meta.env.DEV,
  fallbackWarn: import.meta.env.DEV,
  // Texts show a rule's words, never its id (issue 17 defect 3; RuleText shows the id as a tooltip).
  postTranslation: (text) => stripRuleIds(text),
})

export function currentLocale() {
  return i18n.global.locale.value
}

export function setLocale(loc) {
  if (!LOCALES.includes(loc)) return
  i18n.global.locale.value = loc
  try {
    localStorage.setItem(KEY, loc)
  } catch {
    /* ignore */
  }
  applyDocumentLocale()
}

export function applyDocumentLocale() {
  const loc = currentLocale()
  document.documentElement.lang = loc === 'en' ? 'en' : 'zh-CN'
  document.title = i18n.global.t('app.title')
}
