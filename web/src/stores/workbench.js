// The workbench counts (GET /api/v1/workbench) and, for leaders, the approvals waiting
// (GET /api/v1/pending-approvals): the workbench cards and the menu badges read the same answer, reloaded
// on every live event (stores/live.js `tick`, watched by AppLayout).
import { defineStore } from 'pinia'
import { api } from '../api/client.js'
import { routes } from '../api/routes.js'
import { useAuthStore } from './auth.js'

export const useWorkbenchStore = defineStore('workbench', {
  state: () => ({ counts: null, approvals: [], loading: false, error: null }),
  getters: {
    /** Approvals of one type ('referral' | 'collaboration' | 'criminal_transfer'). */
    approvalsOf: (s) => (type) => s.approvals.filter((a) => a.type === type).length,
  },
  actions: {
    async refresh() {
      const auth = useAuthStore()
      if (!auth.signedIn) return
      this.loading = true
      try {
        const [counts, approvals] = await Promise.all([
          api.get(routes.workbench),
          auth.hasRole('leader') ? api.get(routes.pendingApprovals) : Promise.resolve({ items: [] }),
        ])
        this.counts = counts
        this.approvals = approvals.items || []
        this.error = null
      } catch (e) {
        this.error = e
      } finally {
        this.loading = false
      }
    },
  },
})
