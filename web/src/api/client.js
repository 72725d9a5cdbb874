// The one HTTP client of the web UI: a small fetch wrapper around the JSON API.
//
// - Sends the session cookie (credentials 'same-origin'), never a token in storage.
// - Sends X-CSRF-Token on POST/PUT/PATCH/DELETE (the token comes from the login or /me response
//   and lives in the pinia auth store; see configureClient in main.js).
// - Sends Accept-Language for the chosen UI language, so server messages come back in it.
// - Turns the API error shape {"error":{code,message,field,rule}} into a thrown ApiError.
//
// Example:
//   import { api } from '@/api/client'
//   import { routes } from '@/api/routes'
//   const { items } = await api.get(routes.users, { query: { org: 3, q: '张' } })
//   await api.patch(routes.user(7), { disabled: true })

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

let hooks = {
  getCsrfToken: () => null,
  getLanguage: () => 'zh-CN',
  onUnauthorized: () => {},
  networkMessage: () => 'Network error',
  getRegion: () => '', // R-ACC-2: the region an office above county level looks at (stores/region.js)
}

/** Wires the client to the app: CSRF token source, UI language, 401 handling, messages. */
export function configureClient(h) {
  hooks = { ...hooks, ...h }
}

export class ApiError extends Error {
  /**
   * @param {number} status HTTP status (0 when the server could not be reached)
   * @param {{code?:string,message?:string,field?:string|null,rule?:string|null}} e
   */
  constructor(status, e = {}) {
    super(e.message || `HTTP ${status}`)
    this.name = 'ApiError'
    this.status = status
    this.code = e.code || `http_${status}`
    this.field = e.field ?? null
    this.rule = e.rule ?? null
  }
}

/** Builds "path?a=1&b=2" from a query object, skipping null/undefined/'' values. */
export function withQuery(path, query) {
  if (!query) return path
  const qs = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue
    if (Array.isArray(v)) v.forEach((x) => qs.append(k, String(x)))
    else qs.append(k, String(v))
  }
  const s = qs.toString()
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path
}

/**
 * Adds the chosen region (R-ACC-2, issue 19) as `region=CODE` to a read's path unless it names one
 * already: the server answers it as if the principal's scope were that region. Used for links the
 * API client does not send (CSV/Excel exports).
 */
export function withRegion(path) {
  const region = hooks.getRegion()
  if (!region || /[?&]region=/.test(path)) return path
  return withQuery(path, { region })
}

/**
 * Sends one request. Returns the parsed JSON body, or null for 204 / empty bodies.
 * Throws ApiError for any non-2xx answer and for network failures (status 0, code 'network').
 * Options: query (object), body (JSON-serialised unless it is a string), signal,
 * quiet401 (do not call onUnauthorized; used by the initial /me probe and the login form),
 * headers (extra request headers, e.g. Idempotency-Key), raw (send body as is: a Blob/File with
 * the Content-Type given in headers; used by uploads), blob (answer a successful response's body
 * as a Blob, e.g. an .xlsx download), noRegion (a GET without the chosen region; every other GET
 * carries it, see withRegion).
 */
export async function request(
  method,
  path,
  { query, body, signal, quiet401 = false, headers: extra = {}, raw = false, blob = false, noRegion = false } = {},
) {
  const m = method.toUpperCase()
  const region = m === 'GET' && !noRegion ? hooks.getRegion() : ''
  if (region && !(query && query.region)) query = { ...(query || {}), region }
  const headers = {
    Accept: 'application/json',
    'Accept-Language': hooks.getLanguage() || 'zh-CN',
  }
  if (body !== undefined && !raw) headers['Content-Type'] = 'application/json'
  Object.assign(headers, extra)
  if (UNSAFE.has(m)) {
    const token = hooks.getCsrfToken()
    if (token) headers['X-CSRF-Token'] = token
  }
  let res
  try {
    res = await fetch(withQuery(path, query), {
      method: m,
      headers,
      body: body === undefined ? undefined : raw || typeof body === 'string' ? body : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal,
    })
  } catch (e) {
    if (e && e.name === 'AbortError') throw e
    throw new ApiError(0, { code: 'network', message: hooks.networkMessage() })
  }

  if (blob && res.ok) return res.blob()
  const text = res.status === 204 ? '' : await res.text()
  let json = null
  if (text) {
    try {
      json = JSON.parse(text)
    } catch {
      json = null
    }
  }
  if (res.ok) return json

  const err = json && typeof json === 'object' && json.error ? json.error : {}
  if (!err.message) err.message = `HTTP ${res.status} ${res.statusText || ''}`.trim()
  const apiError = new ApiError(res.status, err)
  if (res.status === 401 && !quiet401) hooks.onUnauthorized(apiError)
  throw apiError
}

export const api = {
  get: (path, opts) => request('GET', path, opts),
  post: (path, body, opts) => request('POST', path, { ...opts, body }),
  put: (path, body, opts) => request('PUT', path, { ...opts, body }),
  patch: (path, body, opts) => request('PATCH', path, { ...opts, body }),
  del: (path, opts) => request('DELETE', path, opts),
  /** Uploads a File/Blob as the raw request body (POST /files): X-File-Name percent-encoded. */
  upload: (path, file, opts = {}) =>
    request('POST', path, {
      ...opts,
      body: file,
      raw: true,
      headers: {
        'Content-Type': file.type || 'application/octet-stream',
        'X-File-Name': encodeURIComponent(file.name || 'file'),
        ...(opts.headers || {}),
      },
    }),
}

/**
 * A random Idempotency-Key (UUID v4). crypto.randomUUID exists only in secure contexts (HTTPS or
 * localhost); county intranets often serve plain http, so fall back to getRandomValues.
 */
export function newIdempotencyKey() {
  if (globalThis.crypto?.randomUUID) {
    try {
      return globalThis.crypto.randomUUID()
    } catch {
      /* insecure context */
    }
  }
  const b = new Uint8Array(16)
  globalThis.crypto.getRandomValues(b)
  b[6] = (b[6] & 0x0f) | 0x40
  b[8] = (b[8] & 0x3f) | 0x80
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/**
 * One formal action (a dialog) sent at most once. The key is kept while the outcome is unknown
 * (network failure, 5xx) or the action succeeded, so a retry or a double click replays the first
 * answer instead of acting twice; a refusal (4xx) or a different body starts a new key — the server would
 * otherwise replay a stored refusal after the user fixed the input (or answer 409
 * idempotency_key_reused for a changed body).
 *
 *   const once = idempotent()
 *   await once.post(routes.referralAction(id, 'approve'), {})
 */
export function idempotent() {
  let key = null
  let lastBody = null
  let inFlight = null
  return {
    get key() {
      return key
    },
    async post(path, body, opts = {}) {
      const text = JSON.stringify(body ?? null)
      if (inFlight && text === lastBody) return inFlight // a double click: the same request
      if (!key || text !== lastBody) key = newIdempotencyKey()
      lastBody = text
      inFlight = request('POST', path, {
        ...opts,
        body,
        headers: { ...(opts.headers || {}), 'Idempotency-Key': key },
      })
      try {
        return await inFlight // the key stays: a repeat replays this success, never acts again
      } catch (e) {
        if (e && e.status >= 400 && e.status < 500 && e.status !== 408 && e.status !== 429) key = null
        throw e
      } finally {
        inFlight = null
      }
    },
  }
}
