// The loading of a detail page (one referral or collaboration item): loads on mount (and the org
// store, for names), again when the route's id (or `key()`) changes in the same page instance, quietly
// on a live tick (/events). A quiet load that fails keeps what is shown.
//
//   const d = useDetail((id) => api.get(routes.referral(id)))
//   d.item, d.loading, d.error, d.load({ quiet }), d.done(res) after an action,
//   d.tab (the open tab, from ?tab=), d.dialog / d.act(action, arg) (the action dialog's state)
//
// Returns one reactive object (refs unwrapped). Call it once in a page's setup.
import { onMounted, reactive, ref, watch } from 'vue'
import { useRoute } from 'vue-router'
import { useLiveStore } from '../stores/live.js'
import { useOrgStore } from '../stores/orgs.js'
import { errorText } from '../lib/errors.js'

export function useDetail(fetch, { key = null } = {}) {
  const route = useRoute()
  const item = ref(null)
  const tab = ref(route.query.tab || 'content')
  const dialog = ref({ open: false, action: '', arg: null })
  const loading = ref(false)
  const error = ref('')

  async function load({ quiet = false } = {}) {
    if (!quiet) loading.value = true
    error.value = ''
    try {
      item.value = await fetch(route.params.id)
    } catch (e) {
      if (!quiet || !item.value) error.value = errorText(e)
    } finally {
      loading.value = false
    }
  }
  /** After an action: show the server's answer when it is the item, then reload quietly. */
  function done(res) {
    if (res && res.id !== undefined && res.state) item.value = res
    load({ quiet: true })
  }
  function act(action, arg = null) {
    dialog.value = { open: true, action, arg }
  }
  onMounted(() => {
    useOrgStore().load().catch(() => {})
    load()
  })
  watch(key || (() => route.params.id), (v) => v && load())
  const live = useLiveStore()
  watch(
    () => live.tick,
    () => load({ quiet: true }),
  )
  return reactive({ item, loading, error, tab, dialog, load, done, act })
}
