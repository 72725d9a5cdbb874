// Live updates from GET /api/v1/events (Server-Sent Events, same origin, session cookie).
// On an event `duty` or `notification`, the to-do table and the notification bell reload:
// pages watch `tick` and the bell store reloads itself. After a reconnect `tick` moves too, so
// nothing that happened while the stream was down is missed.
import { defineStore } from 'pinia'
import { routes } from '../api/routes.js'

let source = null
let retryTimer = null

export const useLiveStore = defineStore('live', {
  state: () => ({
    connected: false,
    tick: 0,
    lastEvent: null,
  }),
  actions: {
    start() {
      if (source || typeof EventSource === 'undefined') return
      const es = new EventSource(routes.events)
      source = es
      let opened = false
      es.addEventListener('open', () => {
        this.connected = true
        if (opened) this.tick++ // reconnected: catch up
        opened = true
      })
      es.addEventListener('error', () => {
        this.connected = false
        // EventSource retries by itself unless the server refused (readyState CLOSED).
        if (es.readyState === EventSource.CLOSED && source === es) {
          source = null
          clearTimeout(retryTimer)
          retryTimer = setTimeout(() => this.start(), 15000)
        }
      })
      // The server ended the stream because the session ended (sign-out elsewhere, expiry,
      // account disabled): no reconnect; the next API call leads to the sign-in page.
      es.addEventListener('signed_out', () => this.stop())
      for (const type of ['duty', 'notification']) {
        es.addEventListener(type, (ev) => {
          this.lastEvent = { type, data: parse(ev.data) }
          this.tick++
        })
      }
    },
    stop() {
      clearTimeout(retryTimer)
      retryTimer = null
      if (source) source.close()
      source = null
      this.connected = false
    },
  },
})

function parse(text) {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
