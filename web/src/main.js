import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { router } from './router.js'
import { i18n, currentLocale, applyDocumentLocale } from './i18n/index.js'
import { configureClient } from './api/client.js'
import { useAuthStore } from './stores/auth.js'
import { useLiveStore } from './stores/live.js'
import { useRegionStore } from './stores/region.js'
import './styles.css'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(i18n)
app.use(router)

const auth = useAuthStore()
const region = useRegionStore()
configureClient({
  getRegion: () => region.active(), // R-ACC-2, issue 19
  getCsrfToken: () => auth.csrfToken,
  getLanguage: () => currentLocale(),
  networkMessage: () => i18n.global.t('app.networkError'),
  onUnauthorized: async () => {
    // The session ended (expired, signed out elsewhere, account disabled).
    if (!auth.signedIn) return
    auth.clear()
    useLiveStore().stop()
    const { toastError } = await import('./lib/feedback.js')
    toastError(i18n.global.t('app.sessionExpired'))
    const cur = router.currentRoute.value
    router.replace({ name: 'login', query: cur.name && cur.name !== 'inbox' ? { redirect: cur.fullPath } : {} })
  },
})

applyDocumentLocale()
// Mount once the first route (and its page chunk) is resolved, so the static "加载中…" in
// index.html stays until there is something to show instead of a blank screen.
router.isReady().finally(() => app.mount('#app'))
