// Helpers for the referral suites (docs/referrals-contract.md, SPEC §4 R-REF-1..8): signing in
// demo users on demand, picking matters by asking /api/v1/jurisdiction (never hard-coding catalog
// rows), uploading evidence files, building a complete draft, walking a referral to "sent", and
// asserting refusals (error shape, illegal transitions naming the state, nothing changed).
//
//   import { Users, pickMatters, draftBody, Referrals } from './lib/referrals.mjs'
//   const as = Users(server.url)
//   const officer = await as('xincheng.officer')
//   const R = Referrals(server.url, as)
//   const ref = await R.create('xincheng.officer', draftBody({ matter, to: orgs.scjg, township: orgs.xincheng, file }))
//   const sent = await R.send('xincheng.officer', 'xincheng.leader', body)
import assert from 'node:assert/strict'
import { api, DEMO_PASSWORD } from '../../lib/server.mjs'
import { errorOf, show, xt, lastLine } from './util.mjs'

/** A referral letter number: 新城执移〔2026〕3号 — prefix, year, a number without leading zero. */
export const NUMBER_RE = /^.+〔2026〕[1-9]\d*号$/

/** The serial number of a document number ("…〔2026〕17号" → 17), or NaN. */
export function serialOf(number) {
  const m = /〔(\d{4})〕(\d+)号$/.exec(number ?? '')
  return m ? Number(m[2]) : NaN
}

/** The prefix before "〔" ("新城执移〔2026〕3号" → "新城执移"). */
export function prefixOf(number) {
  return (number ?? '').split('〔')[0]
}

/** An instant `ms` (epoch milliseconds) as RFC 3339 in Asia/Shanghai: 2026-11-25T09:00:00+08:00. */
export function shanghai(ms) {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19) + '+08:00'
}

/** Asserts two RFC 3339 instants denote the same moment and the first is written in +08:00. */
export function assertSameInstant(actual, expected, what = 'instant') {
  assert.equal(typeof actual, 'string', `${what}: ${actual}`)
  assert.match(actual, /\+08:00$/, `${what} should be written in +08:00: ${actual}`)
  assert.equal(Date.parse(actual), Date.parse(expected), `${what}: ${actual} ≠ ${expected}`)
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/**
 * Signs demo users in on first use and caches the clients: `await as('xincheng.officer')`.
 * With { tokens: true } each user works through an API token (sessions expire after 8 idle
 * hours of the server's clock; tokens do not), which suits suites that move a fake clock.
 */
export function Users(url, { tokens = false, password = DEMO_PASSWORD } = {}) {
  const cache = new Map()
  return async function as(username) {
    if (!cache.has(username)) {
      cache.set(username, (async () => {
        const session = await api(url).login(username, password)
        if (!tokens) return session
        const t = await session.post('/api/v1/tokens', { name: `referral tests: ${username}` })
        assert.equal(t.status, 201, show(t))
        const client = api(url).bearer(t.json.token)
        client.user = session.user
        client.bearerToken = t.json.token
        return client
      })())
    }
    return cache.get(username)
  }
}

/** The org directory by code ({ code: org }); each org carries doc_prefix (contract). */
export async function orgsByCode(client) {
  const res = await client.get('/api/v1/orgs')
  assert.equal(res.status, 200, show(res))
  return Object.fromEntries(res.json.items.map((o) => [o.code, o]))
}

/** Every matter of the catalog (paging through GET /api/v1/matters). */
export async function allMatters(client) {
  const items = []
  for (let page = 1; page < 50; page++) {
    const res = await client.get(`/api/v1/matters?page=${page}&page_size=100`)
    assert.equal(res.status, 200, show(res))
    items.push(...res.json.items)
    if (res.json.items.length === 0 || items.length >= res.json.total) break
  }
  assert.ok(items.length >= 40, `the demo catalog should hold ≥ 40 matters, got ${items.length}`)
  return items
}

/** GET /api/v1/jurisdiction for (matter code, township code or id, date) → its JSON. */
export async function jurisdiction(client, matterCode, township, on) {
  const q = new URLSearchParams({ matter: matterCode, township: String(township), on })
  const res = await client.get(`/api/v1/jurisdiction?${q}`)
  assert.equal(res.status, 200, show(res))
  return res.json
}

/**
 * Classifies the catalog for `townships` (codes) on day `on` by asking /api/v1/jurisdiction:
 * returns { all: [Matter], at: { [township]: [{ matter, competent }] } } where competent is the
 * competent org ({ id, code, name, kind }).
 */
export async function classifyMatters(client, townships, on) {
  const all = await allMatters(client)
  const at = {}
  for (const t of townships) {
    at[t] = []
    for (const m of all) {
      const j = await jurisdiction(client, m.code, t, on)
      at[t].push({ matter: j.matter ?? m, competent: j.competent_org })
    }
  }
  return { all, at }
}

/** The first entry satisfying `pred`, or a clear failure naming what the catalog lacks. */
export function pick(entries, pred, what) {
  const e = entries.find(pred)
  assert.ok(e, `the demo catalog has no matter that is ${what}`)
  return e
}

/** Matter-lite id/code as the create body wants it (kept in one place). */
const matterRef = (m) => m.code

/** A minimal PDF, distinct per label (content-addressed storage gives one id per content). */
export function pdfBytes(label = 'evidence') {
  return new TextEncoder().encode(`%PDF-1.4\n% ${label}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`)
}

function authHeaders(client) {
  const h = {}
  if (client.bearerToken) h.Authorization = `Bearer ${client.bearerToken}`
  const cookies = client.cookies
  if (cookies && cookies.size) h.Cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  if (client.csrfToken) h['X-CSRF-Token'] = client.csrfToken
  return h
}

/** POST /api/v1/files as `client` → the 201 JSON ({ id, name, size, content_type }). */
export async function uploadFile(url, client, { name = '现场检查笔录.pdf', bytes = pdfBytes(), contentType = 'application/pdf' } = {}) {
  const res = await fetch(new URL('/api/v1/files', url), {
    method: 'POST',
    headers: { ...authHeaders(client), Accept: 'application/json', 'Content-Type': contentType, 'X-File-Name': encodeURIComponent(name) },
    body: bytes,
  })
  const text = await res.text()
  assert.equal(res.status, 201, `upload ${name}: HTTP ${res.status} ${text}`)
  return JSON.parse(text)
}

/** GET `path` as `client` with no decoding: { status, headers, bytes (Uint8Array), text }. */
export async function getRaw(url, client, path, accept = '*/*') {
  const res = await fetch(new URL(path, url), { headers: { ...authHeaders(client), Accept: accept } })
  const bytes = new Uint8Array(await res.arrayBuffer())
  return { status: res.status, headers: res.headers, bytes, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes) }
}

export const FULL_CHECKLIST = Object.freeze({
  facts_clear: true, evidence_complete: true, procedure_lawful: true, formalities_complete: true,
})

/**
 * A complete create body: every R-REF-3 item present, checklist all true, one evidence item with
 * `file` (a file JSON from uploadFile or an id). Pass `omit: ['facts', …]` to drop keys and any
 * other key to override.
 */
export function draftBody({ matter, to, township, file, discoveredAt = '2026-11-24T10:00:00+08:00', omit = [], ...over }) {
  const fileId = typeof file === 'string' ? file : file?.id
  const body = {
    matter: matterRef(matter),
    to_org: to.id,
    township: township.id,
    place: '新城镇东堤北路与解放路交叉口',
    discovered_at: discoveredAt,
    facts: '执法人员巡查发现当事人在该处从事违法经营活动，现场制作检查笔录并拍照取证。',
    party: { name: '陈某某', address: '新兴县新城镇解放路12号', phone: '13800000000' },
    legal_basis: matter.legal_basis || '《广东省乡镇街道综合行政执法条例》',
    evidence: [{ name: '现场检查笔录', description: '检查笔录一份（2页）', file: fileId ?? null }],
    urgent: false,
    ongoing: false,
    checklist: { ...FULL_CHECKLIST },
    ...over,
  }
  for (const k of omit) delete body[k]
  return body
}

/** Asserts an error response: status, and (when given) code, field (string or RegExp) and rule. */
export function assertError(res, status, { code, field, rule } = {}) {
  assert.equal(res.status, status, show(res))
  const e = errorOf(res)
  if (code !== undefined) assert.equal(e.code, code, show(res))
  if (field instanceof RegExp) assert.match(e.field ?? '', field, show(res))
  else if (field !== undefined) assert.equal(e.field, field, show(res))
  if (rule instanceof RegExp) assert.match(e.rule ?? '', rule, show(res))
  else if (rule !== undefined) assert.equal(e.rule, rule, show(res))
  return e
}

// The Chinese label of each state (what a zh message names; the code itself is accepted too).
export const STATE_ZH = {
  draft: '草稿',
  submitted: '待审批',
  sent: '已移送',
  received: '已接收',
  accepted: '已受理',
  declined: '不予受理',
  returned: '已退回',
  withdrawn: '已撤回',
  handled: '已办理',
  closed: '已办结',
  coordination: '协调中',
}

/** 409 illegal_transition whose message names `state` (its code, or its Chinese label). */
export function assertIllegal(res, state) {
  const e = assertError(res, 409, { code: 'illegal_transition' })
  const named = e.message.includes(state) || (STATE_ZH[state] && e.message.includes(STATE_ZH[state]))
  assert.ok(named, `the message should name the current state "${state}": ${e.message}`)
  return e
}

/** The duty of `kind` in a referral's duties (the newest if several), or undefined. */
export function dutyOf(ref, kind, pred = () => true) {
  const ds = (ref.duties ?? []).filter((d) => d.kind === kind && pred(d))
  return ds[ds.length - 1]
}

/** The R-REF-4 send duty: kind referral.send (or referral.send_urgent for urgent cases). */
export function sendDutyOf(ref) {
  return dutyOf(ref, 'referral.send') ?? dutyOf(ref, 'referral.send_urgent')
}

/** Referral operations for a suite; `as` is a Users() function. */
export function Referrals(url, as) {
  async function client(who) {
    return typeof who === 'string' ? as(who) : who
  }
  const R = {
    async get(who, id) {
      const res = await (await client(who)).get(`/api/v1/referrals/${id}`)
      assert.equal(res.status, 200, `GET referral ${id} as ${typeof who === 'string' ? who : 'client'}: ${show(res)}`)
      return res.json
    },
    async create(who, body, opts) {
      const res = await (await client(who)).post('/api/v1/referrals', body, opts)
      assert.equal(res.status, 201, `create as ${who}: ${show(res)}`)
      return res.json
    },
    /** POST /api/v1/referrals/{id}/{action} → the raw response. */
    async act(who, id, action, body = {}, opts) {
      return (await client(who)).post(`/api/v1/referrals/${id}/${action}`, body, opts)
    },
    /** POST an action that must succeed with 200 → the referral JSON. */
    async ok(who, id, action, body = {}, opts) {
      const res = await R.act(who, id, action, body, opts)
      assert.equal(res.status, 200, `${action} of referral ${id} as ${who}: ${show(res)}`)
      return res.json
    },
    async patch(who, id, body) {
      return (await client(who)).patch(`/api/v1/referrals/${id}`, body)
    },
    /** Creates and submits → the submitted referral. */
    async submitted(officer, body) {
      const r = await R.create(officer, body)
      return R.ok(officer, r.id, 'submit')
    },
    /** Creates, submits and approves → the sent referral. */
    async sent(officer, leader, body) {
      const r = await R.submitted(officer, body)
      const s = await R.ok(leader, r.id, 'approve')
      assert.equal(s.state, 'sent', JSON.stringify(s))
      return s
    },
    async list(who, query = '') {
      const res = await (await client(who)).get(`/api/v1/referrals${query ? `?${query}` : ''}`)
      assert.equal(res.status, 200, `list ?${query}: ${show(res)}`)
      return res.json
    },
    /** Ids of every referral the user sees with `query` (paging through). */
    async listIds(who, query = '') {
      const ids = []
      let total = 0
      for (let page = 1; page < 100; page++) {
        const j = await R.list(who, `${query}${query ? '&' : ''}page=${page}&page_size=100`)
        total = j.total
        ids.push(...j.items.map((x) => x.id))
        if (j.items.length === 0 || ids.length >= total) break
      }
      return ids
    },
    /**
     * Runs `fn` (a request that must be refused), then asserts the referral `id` looks exactly
     * the same to `viewer` (a user that sees everything, e.g. coordinator.staff) as before.
     */
    async unchanged(id, fn, viewer = 'coordinator.staff') {
      const before = await R.get(viewer, id)
      const res = await fn()
      const after = await R.get(viewer, id)
      assert.deepEqual(after, before, `a refused request changed referral ${id} (${show(res)})`)
      return res
    },
  }
  return R
}

/** Notifications of `client` about (object_type, object_id). */
export async function notesAbout(client, objectType, objectId) {
  const res = await client.get('/api/v1/notifications?page_size=200')
  assert.equal(res.status, 200, show(res))
  return res.json.items.filter((n) => n.object_type === objectType && n.object_id === String(objectId))
}

/** GET /api/v1/calendar/add-workdays → due_at of `n` working days from `from` (R-TIME-1). */
export async function addWorkdays(client, from, n) {
  const res = await client.get(`/api/v1/calendar/add-workdays?from=${encodeURIComponent(from)}&n=${n}`)
  assert.equal(res.status, 200, show(res))
  return res.json.due_at
}

/** `xietong calendar add-workdays <day> <n>` → the deadline's last day (YYYY-MM-DD). */
export async function cliAddWorkdays(day, n) {
  const r = await xt(['calendar', 'add-workdays', day, String(n)])
  assert.equal(r.code, 0, r.stderr)
  return lastLine(r.stdout)
}

/** Issues an API token with the CLI against the server's database → a bearer client. */
export async function cliToken(url, dbPath, username) {
  const r = await xt(['token', 'issue', '--db', `sqlite:${dbPath}`, '--user', username, '--name', 'referral tests'])
  assert.equal(r.code, 0, `token issue: ${r.stdout}${r.stderr}`)
  const token = lastLine(r.stdout)
  const client = api(url).bearer(token)
  client.bearerToken = token
  return client
}

/** Runs the async functions `jobs` at most `width` at a time; resolves their results in order. */
export async function pool(jobs, width) {
  const out = new Array(jobs.length)
  let next = 0
  async function worker() {
    while (next < jobs.length) {
      const i = next++
      out[i] = await jobs[i]()
    }
  }
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, worker))
  return out
}

export { sleep }
