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
 * Sends one request. Returns the parsed JSON body, or null for 204 / empty bodies.
 * Throws ApiError for any non-2xx answer and for network failures (status 0, code 'network').
 * Options: query (object), body (JSON-serialised unless it is a string), signal,
 * quiet401 (do not call onUnauthorized; used by the initial /me probe and the login form).
 */
export async function request(method, path, { query, body, signal, quiet401 = false } = {}) {
  const m = method.toUpperCase()
  const headers = {
    Accept: 'application/json',
    'Accept-Language': hooks.getLanguage() || 'zh-CN',
  }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (UNSAFE.has(m)) {
    const token = hooks.getCsrfToken()
    if (token) headers['X-CSRF-Token'] = token
  }
  let res
  try {
    res = await fetch(withQuery(path, query), {
      method: m,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal,
    })
  } catch (e) {
    if (e && e.name === 'AbortError') throw e
    throw new ApiError(0, { code: 'network', message: hooks.networkMessage() })
  }

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
}
