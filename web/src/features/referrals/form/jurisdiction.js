// R-JUR-1 in the referral form: who is competent for (matter, township, discovery date), looked
// up live (GET /jurisdiction) as the fields change; suggests the competent org as receiver when
// none is chosen yet (and it is not my own org). Returns one reactive object:
// { juris, loading, competent, competentIsMine, mismatch, text }. Call once in the page's setup.
import { computed, reactive, ref, watch } from 'vue'
import { useI18n } from 'vue-i18n'
import { api } from '../../../api/client.js'
import { routes } from '../../../api/routes.js'
import { formatDate } from '../../../lib/time.js'

/** `orgLabel(id)` names an org; `myOrgId` is a computed of the user's org id. */
export function useJurisdiction(form, { orgLabel, myOrgId }) {
  const { t } = useI18n()
  const juris = ref(null)
  const loading = ref(false)
  let seq = 0
  async function load() {
    const code = form.matter?.code
    if (!code || !form.township_id) {
      juris.value = null
      return
    }
    const mine = ++seq
    loading.value = true
    try {
      const on = form.discovered_at ? form.discovered_at.slice(0, 10) : formatDate(new Date())
      const res = await api.get(routes.jurisdiction, { query: { matter: code, township: form.township_id, on } })
      if (mine !== seq) return
      juris.value = res
      const c = res?.competent_org
      if (c && !form.to_org_id && c.id !== myOrgId.value) form.to_org_id = c.id
    } catch {
      if (mine === seq) juris.value = null
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  watch(() => [form.matter?.code, form.township_id, form.discovered_at?.slice(0, 10)], load)

  const competent = computed(() => juris.value?.competent_org || null)
  const competentIsMine = computed(() => !!competent.value && competent.value.id === myOrgId.value)
  const mismatch = computed(() => !!(competent.value && form.to_org_id && form.to_org_id !== competent.value.id))
  const text = computed(() => {
    if (!juris.value || !competent.value) return ''
    return t('referrals.jurisdictionHint', {
      township: orgLabel(form.township_id),
      org: orgLabel(competent.value.id) || competent.value.name,
      basis: juris.value.legal_basis || juris.value.matter?.legal_basis || '—',
    })
  })
  return reactive({ juris, loading, competent, competentIsMine, mismatch, text })
}
