// The state and saving of a step form (StepWizard.vue) for a draft that saves itself:
// - the draft is created on the first save (POST with an Idempotency-Key), then PATCHed: 1.5 s
//   after the last change (autosave) and before leaving the page;
// - before the draft exists, `onLocalChange` (e.g. a localStorage backup) runs 0.5 s after a change;
// - per-step client checks (`checkStep(n)` → { key: message }), and refusals of the server placed
//   next to the field it names (`placeField(field)` → { key, step } or null), else in a banner.
//
//   const w = useWizard({ form, steps: 4, checkStep, placeField, body, createUrl: routes.referrals,
//     itemUrl: routes.referral, editRoute: 'referral-edit', isEditable: (r) => EDITABLE.has(r.state) })
//   onMounted(() => w.load(fill))
//
// Returns one reactive object (refs unwrapped): id, item (the server's copy), step, loading,
// loadError, banner, fieldErr, saving, savedText, dirty, editable, submitOpen; saveNow, goStep,
// prepareSubmit, placeRefusal, clearErrors, load. Call it once in a page's setup.
import { computed, nextTick, onBeforeUnmount, reactive, ref, watch } from 'vue'
import { onBeforeRouteLeave, useRoute, useRouter } from 'vue-router'
import { useI18n } from 'vue-i18n'
import { api, idempotent } from '../api/client.js'
import { useOrgStore } from '../stores/orgs.js'
import { errorText } from '../lib/errors.js'
import { toastOk } from '../lib/feedback.js'
import { shanghaiParts } from '../lib/time.js'

export function useWizard({
  form,
  steps,
  checkStep,
  placeField,
  body,
  createUrl,
  itemUrl,
  editRoute,
  isEditable,
  onLocalChange = null,
  onCreated = null,
}) {
  const { t } = useI18n()
  const route = useRoute()
  const router = useRouter()
  const id = ref(route.params.id ? Number(route.params.id) || route.params.id : null)
  const item = ref(null)
  const step = ref(Number(route.query.step) || 0)
  const loading = ref(false)
  const loadError = ref('')
  const banner = ref('')
  const fieldErr = reactive({})
  const saving = ref(false)
  const savedAt = ref(null) // Date of the last successful save
  const autosaveError = ref('')
  const dirty = ref(false)
  const ready = ref(false) // the watcher ignores the initial fill
  const submitOpen = ref(false)
  const editable = computed(() => !item.value || isEditable(item.value))

  function clearErrors() {
    for (const k of Object.keys(fieldErr)) delete fieldErr[k]
    banner.value = ''
  }
  function showStepErrors(n) {
    const errs = checkStep(n)
    Object.assign(fieldErr, errs)
    return Object.keys(errs).length === 0
  }
  /** A refusal that names a form field: shown at the field, its step opened; true when placed. */
  function placeRefusal(e) {
    const where = placeField(e?.field)
    if (!where) return false
    clearErrors()
    fieldErr[where.key] = errorText(e)
    step.value = where.step
    return true
  }

  const createOnce = idempotent()
  let chain = Promise.resolve()
  let timer = null
  /** Saves now: creates the draft the first time, PATCHes afterwards. Resolves true when saved. */
  function saveNow({ quiet = false, toast = true } = {}) {
    clearTimeout(timer)
    const run = async () => {
      if (!editable.value) return false
      saving.value = true
      dirty.value = false
      try {
        let res
        if (!id.value) {
          res = await createOnce.post(createUrl, body())
          id.value = res.id
          item.value = res
          onCreated?.()
          await router.replace({ name: editRoute, params: { id: res.id }, query: { step: step.value } })
        } else {
          res = await api.patch(itemUrl(id.value), body())
          if (res && res.id !== undefined) item.value = res
        }
        savedAt.value = new Date()
        autosaveError.value = ''
        if (!quiet) clearErrors()
        if (!quiet && toast) toastOk(t('referrals.draftSaved'))
        return true
      } catch (e) {
        dirty.value = true
        if (quiet) {
          autosaveError.value = errorText(e)
          const where = placeField(e?.field)
          if (where) fieldErr[where.key] = errorText(e)
        } else if (!placeRefusal(e)) {
          clearErrors()
          banner.value = errorText(e)
        }
        return false
      } finally {
        saving.value = false
      }
    }
    chain = chain.then(run, run)
    return chain
  }

  // Autosave: PATCH 1.5 s after the last change once the draft exists; before that, onLocalChange.
  watch(
    form,
    () => {
      if (!ready.value || !editable.value) return
      dirty.value = true
      clearTimeout(timer)
      if (id.value) timer = setTimeout(() => saveNow({ quiet: true }), 1500)
      else if (onLocalChange) timer = setTimeout(onLocalChange, 500)
    },
    { deep: true },
  )
  const savedText = computed(() => {
    if (saving.value) return t('referrals.saving')
    if (autosaveError.value) return t('referrals.autosaveFailed', { msg: autosaveError.value })
    if (savedAt.value) {
      const p = shanghaiParts(savedAt.value)
      return t('referrals.autosaved', { time: `${p.hour}:${p.minute}` })
    }
    if (!id.value && dirty.value && onLocalChange) return t('referrals.localBackup')
    return ''
  })

  /** Checks the steps before `upTo`; opens the first with errors and returns false. */
  function checkSteps(upTo, from = step.value) {
    for (let s = from; s < upTo; s++) {
      if (!showStepErrors(s)) {
        step.value = s
        return false
      }
    }
    return true
  }
  async function goStep(n) {
    if (n > step.value) {
      clearErrors()
      if (!checkSteps(n)) return
      // The draft exists on the server from the first 下一步 on; later steps autosave.
      if (!id.value || dirty.value) {
        if (!(await saveNow({ quiet: false, toast: false }))) return
      }
    }
    step.value = n
    await nextTick()
    document.querySelector('.xt-main')?.scrollTo({ top: 0 })
  }
  /** Before 提交审批: every step checked and the draft saved; resolves true when ready. */
  async function prepareSubmit() {
    clearErrors()
    if (!checkSteps(steps, 0)) return false
    return saveNow({ quiet: false, toast: false })
  }

  /** Loads the draft (fill(item) copies it into the form) or prepares a new one (fresh()). */
  async function load({ fetch, fill, fresh = () => {} }) {
    loading.value = true
    loadError.value = ''
    try {
      await useOrgStore().load().catch(() => {})
      if (id.value) {
        const res = await fetch(id.value)
        item.value = res
        fill(res)
        savedAt.value = null
      } else {
        fresh()
      }
    } catch (e) {
      loadError.value = errorText(e)
    } finally {
      loading.value = false
      await nextTick()
      ready.value = true
    }
  }
  onBeforeUnmount(() => clearTimeout(timer))
  onBeforeRouteLeave(async () => {
    if (id.value && dirty.value && editable.value) await saveNow({ quiet: true })
    return true
  })

  return reactive({
    id,
    item,
    step,
    loading,
    loadError,
    banner,
    fieldErr,
    saving,
    savedText,
    autosaveError,
    dirty,
    editable,
    submitOpen,
    saveNow,
    goStep,
    prepareSubmit,
    placeRefusal,
    clearErrors,
    load,
  })
}
