// The notification bell: unread count and the latest few notifications.
import { defineStore } from 'pinia'
import { api } from '../api/client.js'
import { routes } from '../api/routes.js'

export const useNotificationStore = defineStore('notifications', {
  state: () => ({
    unread: 0,
    latest: [],
    loading: false,
  }),
  actions: {
    async refresh() {
      this.loading = true
      try {
        const res = await api.get(routes.notifications, { query: { page: 1 } })
        this.latest = (res.items || []).slice(0, 8)
        this.unread = Number(res.unread) || 0
      } catch {
        /* the bell stays as it was; pages show their own errors */
      } finally {
        this.loading = false
      }
    },
    async markRead(id) {
      await api.post(routes.notificationRead(id))
      const n = this.latest.find((x) => x.id === id)
      if (n && !n.read_at) {
        n.read_at = new Date().toISOString()
        this.unread = Math.max(0, this.unread - 1)
      }
    },
    async markAllRead() {
      await api.post(routes.notificationsReadAll)
      const now = new Date().toISOString()
      this.latest.forEach((n) => (n.read_at ||= now))
      this.unread = 0
    },
    reset() {
      this.unread = 0
      this.latest = []
    },
  },
})
