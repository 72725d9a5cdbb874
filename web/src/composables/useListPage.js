// The state and loading of a list page (ListPage.vue): filters being edited and the ones applied,
// page and page size, the rows, loading and error; reloads quietly on a live tick (/events).
//
//   const list = useListPage({
//     fetch: (applied, paging) => api.get(routes.referrals, { query: { ...queryOf(applied), ...paging } }),
//     emptyFilters: () => ({ state: '', q: '' }),
//   })
//
// fetch(applied, paging) resolves { items, total }; paging is { page, page_size } (empty when
// `paged` is false). A load that a newer one overtook is dropped. `snapshot` copies the edited
// filters into `applied` (arrays such as date ranges are copied). `loadOrgs` also loads the org
// store on mount (for org names in the rows). Returns one reactive object (refs unwrapped).
// Not thread-related; call it once in a page's setup.
import { onMounted, reactive, ref, watch } from 'vue'
import { useLiveStore } from '../stores/live.js'
import { useOrgStore } from '../stores/orgs.js'
import { errorText } from '../lib/errors.js'

const copyFilters = (f) =>
  Object.fromEntries(Object.entries(f).map(([k, v]) => [k, Array.isArray(v) ? [...v] : v]))

export function useListPage({ fetch, emptyFilters = () => ({}), snapshot = copyFilters, paged = true, loadOrgs = true }) {
  const filters = reactive(emptyFilters())
  const applied = ref(emptyFilters())
  const page = ref(1)
  const pageSize = ref(20)
  const items = ref([])
  const total = ref(0)
  const loading = ref(false)
  const error = ref('')

  let seq = 0
  async function load({ quiet = false } = {}) {
    const mine = ++seq
    if (!quiet) loading.value = true
    error.value = ''
    try {
      const res = await fetch(applied.value, paged ? { page: page.value, page_size: pageSize.value } : {})
      if (mine !== seq) return
      items.value = res?.items || []
      total.value = Number(res?.total) || 0
    } catch (e) {
      if (mine === seq) error.value = errorText(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  /** Loads the first page again (after a filter, tab or direction change). */
  function firstPage() {
    if (page.value !== 1) page.value = 1
    else load()
  }
  function search() {
    applied.value = snapshot(filters)
    firstPage()
  }
  function reset() {
    Object.assign(filters, emptyFilters())
    search()
  }

  if (paged) watch([page, pageSize], () => load())
  const live = useLiveStore()
  watch(
    () => live.tick,
    () => load({ quiet: true }),
  )
  onMounted(() => {
    if (loadOrgs) useOrgStore().load().catch(() => {})
    load()
  })

  // One reactive object (refs unwrapped): `list.page = 1`, `v-model="list.filters.q"`, `:list="list"`.
  return reactive({ filters, applied, page, pageSize, items, total, loading, error, load, firstPage, search, reset })
}
