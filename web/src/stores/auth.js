// The signed-in user and the CSRF token of the session. The session itself is an HttpOnly
// cookie the browser keeps; the token is only in memory and is re-read from /me after a reload.
import { defineStore } from 'pinia'
import { api } from '../api/client.js'
import { routes } from '../api/routes.js'

export const useAuthStore = defineStore('auth', {
  state: () => ({
    user: null,
    csrfToken: null,
    checked: false, // /me has been asked once since the page loaded
  }),
  getters: {
    signedIn: (s) => !!s.user,
    roles: (s) => s.user?.roles ?? [],
    isAdmin: (s) => !!s.user?.roles?.includes('admin'),
    canSeeAudit: (s) => !!s.user?.roles?.some((r) => r === 'admin' || r === 'auditor'),
  },
  actions: {
    hasRole(role) {
      return this.roles.includes(role)
    },
    setSession({ user, csrf_token }) {
      this.user = user
      this.csrfToken = csrf_token ?? null
      this.checked = true
    },
    clear() {
      this.user = null
      this.csrfToken = null
      this.checked = true
    },
    /** Asks the server who is signed in; resolves to the user or null (401). */
    async fetchMe() {
      try {
        this.setSession(await api.get(routes.me, { quiet401: true }))
      } catch (e) {
        if (e.status === 401) this.clear()
        else {
          this.checked = false
          throw e
        }
      }
      return this.user
    },
    async login(username, password) {
      const res = await api.post(routes.login, { username, password }, { quiet401: true })
      this.setSession(res)
      return res.user
    },
    async logout() {
      try {
        await api.post(routes.logout, undefined, { quiet401: true })
      } finally {
        this.clear()
      }
    },
    async changePassword(oldPassword, newPassword) {
      // quiet401: a server that answers a wrong old password with 401 must not end the session.
      await api.post(
        routes.changePassword,
        { old_password: oldPassword, new_password: newPassword },
        { quiet401: true },
      )
    },
  },
})
