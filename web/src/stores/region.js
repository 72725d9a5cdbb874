// The region an office above county level is looking at (R-ACC-2, issue 19): GET /api/v1/regions
// gives the principal's scope and the regions in it (plus the ancestors above, for breadcrumbs).
// The chosen region is kept in the URL query (?region=445321, see router.js) and in
// sessionStorage; the API client adds it as `region` to every read (api/client.js), which the
// server answers as if the principal's scope were that region. County-level users (a scope of a
// county or narrower, or none) get no picker and nothing changes for them.
import { defineStore } from 'pinia'
import { api } from '../api/client.js'
import { routes } from '../api/routes.js'

const KEY = 'xt.region'

function saved() {
  try {
    return sessionStorage.getItem(KEY) || ''
  } catch {
    return ''
  }
}

export const useRegionStore = defineStore('region', {
  state: () => ({
    items: [], // {code, name, level, level_label, parent_code, in_scope, org_count}
    scope: null, // "" deployment-wide, "4453" a city, null none
    scopeRegionCode: null,
    selected: saved(), // a region code in the scope, '' = the whole scope
    loaded: false,
    loadedFor: null, // the user id the regions were loaded for (a new sign-in reloads them)
  }),
  getters: {
    byCode: (s) => new Map(s.items.map((r) => [r.code, r])),
    /** The regions one may pick: those in scope above township level, except the scope's own. */
    choices(s) {
      return s.items.filter(
        (r) => r.in_scope && r.level !== 'township' && r.code !== s.scopeRegionCode,
      )
    },
    /** Only offices whose scope is above a county (a city, a province, the deployment) pick. */
    showPicker(s) {
      if (s.scope === null || s.scope === undefined) return false
      if (s.scope.length >= 6) return false
      return this.choices.length > 0
    },
    scopeName(s) {
      const r = s.scopeRegionCode ? this.byCode.get(s.scopeRegionCode) : null
      return r?.name ?? ''
    },
    /** 广东省 › 云浮市 › 新兴县: the ancestors of the chosen region (or of the scope's). */
    crumbs(s) {
      const start = s.selected || s.scopeRegionCode
      const out = []
      let r = start ? this.byCode.get(start) : null
      while (r) {
        out.unshift(r)
        r = r.parent_code ? this.byCode.get(r.parent_code) : null
      }
      return out
    },
  },
  actions: {
    async load(userId = null) {
      this.loadedFor = userId
      try {
        const res = await api.get(routes.regions, { noRegion: true })
        this.items = res.items ?? []
        this.scope = res.scope ?? null
        this.scopeRegionCode = res.scope_region_code ?? null
      } catch {
        this.items = []
        this.scope = null
        this.scopeRegionCode = null
      }
      this.loaded = true
      // A choice from another session or user that is not (or no longer) in the scope is dropped.
      if (this.selected && !this.choices.some((r) => r.code === this.selected)) this.select('')
      return this
    },
    /** The region reads are narrowed to: the choice, only for offices that may pick. */
    active() {
      return this.showPicker ? this.selected : ''
    },
    select(code) {
      this.selected = code || ''
      try {
        if (this.selected) sessionStorage.setItem(KEY, this.selected)
        else sessionStorage.removeItem(KEY)
      } catch {
        /* storage may be blocked */
      }
    },
    clear() {
      this.items = []
      this.scope = null
      this.scopeRegionCode = null
      this.loaded = false
      this.loadedFor = null
      this.select('')
    },
  },
})
