// Organisations, loaded once and shared by the admin pages (org filter, user forms, org tree).
import { defineStore } from 'pinia'
import { api } from '../api/client.js'
import { routes } from '../api/routes.js'

export const ORG_KINDS = [
  'coordinator',
  'government',
  'county_department',
  'township',
  'police',
  'procuratorate',
  'court',
  'external',
]

export const useOrgStore = defineStore('orgs', {
  state: () => ({ items: [], loaded: false }),
  getters: {
    byId: (s) => new Map(s.items.map((o) => [o.id, o])),
    topLevel: (s) => s.items.filter((o) => o.parent_id === null || o.parent_id === undefined),
    unitsOf: (s) => (id) => s.items.filter((o) => o.parent_id === id),
    /** Top-level orgs with their units as `children`, for tree tables. */
    tree: (s) => {
      const kids = new Map()
      for (const o of s.items) {
        if (o.parent_id !== null && o.parent_id !== undefined) {
          if (!kids.has(o.parent_id)) kids.set(o.parent_id, [])
          kids.get(o.parent_id).push(o)
        }
      }
      const known = new Set(s.items.map((o) => o.id))
      return s.items
        .filter((o) => o.parent_id === null || o.parent_id === undefined || !known.has(o.parent_id))
        .map((o) => (kids.has(o.id) ? { ...o, children: kids.get(o.id).map((c) => ({ ...c })) } : { ...o }))
    },
  },
  actions: {
    async load(force = false) {
      if (this.loaded && !force) return this.items
      const res = await api.get(routes.orgs)
      this.items = res.items || []
      this.loaded = true
      return this.items
    },
    upsert(org) {
      const i = this.items.findIndex((o) => o.id === org.id)
      if (i >= 0) this.items.splice(i, 1, org)
      else this.items.push(org)
    },
  },
})
