// Helpers for the R-COL-5..8 suites (notices, meetings, participation requests, violation
// notices; docs/collaboration-contract.md "Notices, meetings, participation, violation notices"):
// one server per suite with a fake clock that the suite sets explicitly, API-token clients,
// and assertions for refusals that must change nothing.
//
//   import { CoordSuite } from './lib/coord.mjs'
//   const S = CoordSuite({ start: '2026-11-23T09:00:00+08:00', extraArgs: ['--notice-hazard-days', '3'] })
//   before(S.start); after(S.stop)
//   const n = await S.create('xincheng.officer', 'notices', { … })
//   const after = await S.act('scjg.officer', 'notices', n.id, 'measures', { … })
//   await S.unchanged('notices', n.id, () => S.post('liuzu.officer', `/api/v1/notices/${n.id}/close`, {}))
import assert from 'node:assert/strict'
import { startServer, api } from '../../lib/server.mjs'
import { show } from './util.mjs'
import { Users, orgsByCode, assertError } from './referrals.mjs'

/** The state labels the 409 illegal_transition message names (docs/collaboration-contract.md). */
export const STATE_ZH = {
  notices: { open: '待研究处置', answered: '已反馈措施', closed: '已办结', withdrawn: '已撤回' },
  meetings: { scheduled: '已通知', held: '已召开', closed: '已办结', cancelled: '已取消' },
  'participation-requests': { phoned: '已电话告知', notified: '已书面告知', confirmed: '已确认派员', done: '已完成', cancelled: '已取消' },
  'violation-notices': {
    notified: '已通知', dispatched: '已派员', handled: '已处理', refused: '拒绝处理', coordination: '协调中',
    closed: '已办结', withdrawn: '已撤回',
  },
}

/** An instant `ms` (epoch ms) as RFC 3339 in +08:00. */
export function shanghai(ms) {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19) + '+08:00'
}

export function CoordSuite({ start, extraArgs = [] }) {
  const S = {
    server: null,
    as: null,
    orgs: null,
    async start() {
      S.server = await startServer({ fakeClock: start, extraArgs: ['--access-log', 'off', '--sweep-interval', '3600', ...extraArgs] })
      S.as = Users(S.server.url, { tokens: true })
      S.orgs = await orgsByCode(await S.as('coordinator.staff'))
    },
    async stop() {
      await S.server?.stop()
    },
    async setClock(iso) {
      const res = await api(S.server.url).anonymous().post('/api/v1/test/clock', { set: iso })
      assert.equal(res.status, 200, show(res))
    },
    async sweep() {
      const res = await api(S.server.url).anonymous().post('/api/v1/test/sweep', {})
      assert.equal(res.status, 200, show(res))
    },
    async get(who, path) {
      return (await S.as(who)).get(path)
    },
    async post(who, path, body = {}, opts) {
      return (await S.as(who)).post(path, body, opts)
    },
    /** GET /api/v1/<resource>/{id} as `who`, which must succeed. */
    async detail(who, resource, id) {
      const res = await S.get(who, `/api/v1/${resource}/${id}`)
      assert.equal(res.status, 200, `GET ${resource}/${id} as ${who}: ${show(res)}`)
      return res.json
    },
    /** POST /api/v1/<resource> → 201 with Location; the item. */
    async create(who, resource, body, opts) {
      const res = await S.post(who, `/api/v1/${resource}`, body, opts)
      assert.equal(res.status, 201, `create ${resource} as ${who}: ${show(res)}`)
      assert.equal(res.headers.get('location'), `/api/v1/${resource}/${res.json.id}`)
      return res.json
    },
    /** POST /api/v1/<resource>/{id}/<action> → must answer `status` (200); the item. */
    async act(who, resource, id, action, body = {}, { status = 200, headers } = {}) {
      const res = await S.post(who, `/api/v1/${resource}/${id}/${action}`, body, headers ? { headers } : undefined)
      assert.equal(res.status, status, `${action} of ${resource}/${id} as ${who}: ${show(res)}`)
      return res.json
    },
    /** The seq of the newest audit entry that is not a sign-in (the auditor's view). */
    async auditHead() {
      // Audit entries are numbered by seq (they have no id). A suite's API-token clients sign in
      // on first use (auth.login, token.issue): those entries are not the refused request's, so
      // the head is the newest entry of any other action.
      const res = await S.get('auditor', '/api/v1/audit?limit=50')
      assert.equal(res.status, 200, show(res))
      const head = res.json.items.find((e) => !/^(auth|token)\./.test(e.action))
      assert.equal(typeof head?.seq, 'number', `the audit head has a seq: ${show(res)}`)
      return head.seq
    },
    /**
     * Runs `fn` (a request that must be refused) and asserts that the item looks exactly the same
     * to the coordinator afterwards and that no audit entry was written; returns fn's response.
     */
    async unchanged(resource, id, fn) {
      const before = await S.detail('coordinator.staff', resource, id)
      const head = await S.auditHead()
      const res = await fn()
      assert.ok(res.status >= 400, `expected a refusal: ${show(res)}`)
      assert.deepEqual(await S.detail('coordinator.staff', resource, id), before, `a refused request changed ${resource}/${id} (${show(res)})`)
      assert.equal(await S.auditHead(), head, `a refused request wrote an audit entry (${show(res)})`)
      return res
    },
    /** Like unchanged(), for a refused create: no audit entry, the list total as before. */
    async noneCreated(resource, fn) {
      const total = async () => (await S.get('coordinator.staff', `/api/v1/${resource}?page_size=1`)).json.total
      const before = await total()
      const head = await S.auditHead()
      const res = await fn()
      assert.ok(res.status >= 400, `expected a refusal: ${show(res)}`)
      assert.equal(await total(), before, `a refused create added an item (${show(res)})`)
      assert.equal(await S.auditHead(), head, `a refused create wrote an audit entry (${show(res)})`)
      return res
    },
    /** Notifications of `who` about (object_type, id). */
    async notes(who, objectType, id) {
      const res = await S.get(who, '/api/v1/notifications?page_size=200')
      assert.equal(res.status, 200, show(res))
      return res.json.items.filter((n) => n.object_type === objectType && n.object_id === String(id))
    },
    async noteKinds(who, objectType, id) {
      return (await S.notes(who, objectType, id)).map((n) => n.kind)
    },
    /** Ids in GET /api/v1/<resource>?query as `who`. */
    async listIds(who, resource, query = '') {
      const res = await S.get(who, `/api/v1/${resource}?page_size=200${query ? '&' + query : ''}`)
      assert.equal(res.status, 200, show(res))
      return res.json.items.map((x) => x.id)
    },
    /** due_at of `n` working days from `from` (GET /api/v1/calendar/add-workdays, R-TIME-1). */
    async addWorkdays(from, n) {
      const res = await S.get('coordinator.staff', `/api/v1/calendar/add-workdays?from=${encodeURIComponent(from)}&n=${n}`)
      assert.equal(res.status, 200, show(res))
      return res.json.due_at
    },
    async duty(who, id) {
      const res = await S.get(who, `/api/v1/duties/${id}`)
      assert.equal(res.status, 200, show(res))
      return res.json
    },
  }
  return S
}

/** The duties of an item of `kind` (in id order). */
export function dutiesOf(item, kind) {
  return (item.duties ?? []).filter((d) => d.kind === kind)
}

/** 409 illegal_transition, field "state", whose message names the current state's label. */
export function assertIllegal(res, resource, state, rule) {
  const e = assertError(res, 409, { code: 'illegal_transition', field: 'state', ...(rule ? { rule } : {}) })
  const label = STATE_ZH[resource][state]
  assert.ok(e.message.includes(label), `the message should name the current state 「${label}」: ${e.message}`)
  return e
}

export { assertError }
