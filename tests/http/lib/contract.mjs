// The response check (issue 18 "Contract checked by standard tools"): every response an HTTP
// suite receives through the shared clients (api() of tests/lib/server.mjs, raw() of
// tests/http/lib/util.mjs) is validated against its operation's response schema in
// src/http/openapi.json, with ajv. A mismatch throws at once, naming the operation, the status
// and the ajv error path, e.g.
//
//   response check: GET /api/v1/referrals/{id} (getReferral) → HTTP 200:
//     /state: must be equal to one of the allowed values (schema #/properties/state/enum)
//
// Rules:
//  - the path template is matched on the request's pathname (literal segments beat {params},
//    so /api/v1/matters/export.csv wins over /api/v1/matters/{id});
//  - the status must be declared for the operation (exactly, or as 4XX/5XX, or `default`);
//    a status without a declaration is a failure;
//  - a JSON body is validated against the declared application/json schema; a JSON body where
//    the declaration has no JSON content (e.g. NoContent) is a failure; the documented
//    exceptions are non-JSON declarations (CSV, HTML, SSE, plain text, octet-stream), whose
//    bodies are not checked;
//  - an /api/ path with no operation is only accepted as a 404/405 route error with the Error
//    schema (the suites probe unknown routes on purpose); other paths (the web UI's static
//    files) are not checked.
// XT_RESPONSE_CHECK=off turns the check off (for debugging only; make test keeps it on).
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import Ajv from 'ajv'
import addFormats from 'ajv-formats'

const SOURCE_DIR = process.env.XT_SOURCE_DIR || resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
export const OPENAPI_PATH = join(SOURCE_DIR, 'src', 'http', 'openapi.json')
const METHODS = ['get', 'put', 'post', 'delete', 'patch']
const DOC_ID = 'openapi.json'

let state = null // { doc, ajv, routes, cache }

function escapePointer(s) {
  return s.replace(/~/g, '~0').replace(/\//g, '~1')
}

// OpenAPI 3.0's idiom for a nullable reference, {allOf: [{$ref}], nullable: true}, has no
// `type`, which ajv's `nullable` needs: such a node becomes {anyOf: [{allOf…}, {type: 'null'}]}
// in the checker's copy of the document (the file itself is left as the standard writes it).
function nullableWithoutType(node) {
  if (Array.isArray(node)) return node.forEach(nullableWithoutType)
  if (!node || typeof node !== 'object') return
  for (const v of Object.values(node)) nullableWithoutType(v)
  if (node.nullable === true && !('type' in node)) {
    const inner = { ...node }
    delete inner.nullable
    delete inner.description
    for (const k of Object.keys(node)) if (k !== 'description') delete node[k]
    node.anyOf = [inner, { type: 'null' }]
  }
}

function load() {
  if (state) return state
  const doc = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8'))
  nullableWithoutType(doc)
  // OpenAPI 3.0 schemas: `nullable` is understood by ajv 8 itself; example/description/
  // discriminator/readOnly are annotations (strict off so they are accepted).
  const ajv = new Ajv({ strict: false, allErrors: true, discriminator: true })
  addFormats(ajv)
  ajv.addSchema(doc, DOC_ID)
  const routes = []
  for (const [template, ops] of Object.entries(doc.paths)) {
    const segs = template.split('/').slice(1)
    const re = new RegExp(
      '^/' + segs.map((s) => (/^\{.+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/') + '$',
    )
    routes.push({ template, segs, re, ops })
  }
  // Most specific first: compare segment by segment, a literal beats a parameter. Routes of
  // different lengths never match the same path; ordering them by length keeps the comparison a
  // total order (with a truncated comparison, sort() misplaced /trainings/summary after
  // /trainings/{id} once more paths were added).
  routes.sort((a, b) => {
    if (a.segs.length !== b.segs.length) return a.segs.length - b.segs.length
    const n = a.segs.length
    for (let i = 0; i < n; i++) {
      const pa = a.segs[i].startsWith('{')
      const pb = b.segs[i].startsWith('{')
      if (pa !== pb) return pa ? 1 : -1
    }
    return 0
  })
  state = { doc, ajv, routes, cache: new Map() }
  return state
}

/** The documented route { template, ops } matching a pathname, or null. */
export function matchRoute(pathname) {
  const { routes } = load()
  return routes.find((r) => r.re.test(pathname)) ?? null
}

// Follows a local $ref ("#/components/responses/X") of the OpenAPI document; returns
// { node, pointer }.
function deref(doc, node, pointer) {
  while (node && typeof node.$ref === 'string') {
    pointer = node.$ref.slice(1)
    node = pointer.split('/').slice(1).reduce((o, k) => o?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc)
  }
  return { node, pointer }
}

function validatorFor(pointer) {
  const s = load()
  let v = s.cache.get(pointer)
  if (!v) {
    v = s.ajv.compile({ $ref: `${DOC_ID}#${pointer}` })
    s.cache.set(pointer, v)
  }
  return v
}

function describeErrors(errors) {
  return (errors || [])
    .slice(0, 8)
    .map((e) => `    ${e.instancePath || '(body)'}: ${e.message}${e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : ''} (schema ${e.schemaPath})`)
    .join('\n')
}

/**
 * The problems of one response against the document, as a message, or null when it conforms.
 * `json` is the parsed body (null when not JSON), `contentType` the response header.
 */
export function responseProblem(method, pathOrUrl, status, contentType, json, text) {
  const { doc } = load()
  const pathname = decodeURI(new URL(pathOrUrl, 'http://x').pathname)
  const m = method.toLowerCase()
  const route = matchRoute(pathname)
  const isJson = (contentType || '').includes('json')
  let where = `${method.toUpperCase()} ${pathname}`
  let responses
  let basePointer
  if (!route || !route.ops[m]) {
    if (!pathname.startsWith('/api/')) return null // static files of the web UI
    if (status !== 404 && status !== 405) {
      return `${where}: no such operation in openapi.json (HTTP ${status}); document the route`
    }
    responses = { [status]: { $ref: '#/components/responses/NotFound' } }
    basePointer = null
  } else {
    const op = route.ops[m]
    where = `${method.toUpperCase()} ${route.template} (${op.operationId ?? 'no operationId'})`
    responses = op.responses || {}
    basePointer = `/paths/${escapePointer(route.template)}/${m}/responses`
  }
  const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => k in responses)
  if (!key) {
    return `${where} → HTTP ${status}: status not declared (declared: ${Object.keys(responses).join(', ')}); body: ${String(text ?? '').slice(0, 300)}`
  }
  const { node: resp, pointer } = deref(doc, responses[key], basePointer ? `${basePointer}/${escapePointer(key)}` : null)
  const content = resp?.content || {}
  const jsonType = Object.keys(content).find((t) => t.includes('json'))
  if (!jsonType) {
    if (Object.keys(content).length) return null // CSV, HTML, SSE, text, octet-stream: not checked
    if (text && text.length) {
      return `${where} → HTTP ${status}: a body came back (${contentType}) but the declaration has no content: ${String(text).slice(0, 300)}`
    }
    return null
  }
  if (!isJson) {
    if (status === 304) return null
    return `${where} → HTTP ${status}: declared ${jsonType}, got content-type ${contentType || '(none)'}: ${String(text ?? '').slice(0, 200)}`
  }
  if (!content[jsonType].schema) return `${where} → HTTP ${status}: ${jsonType} declared without a schema`
  const schemaPointer = `${pointer}/content/${escapePointer(jsonType)}/schema`
  const validate = validatorFor(schemaPointer)
  if (validate(json)) return null
  return `${where} → HTTP ${status}: response does not match openapi.json #${schemaPointer}:\n${describeErrors(validate.errors)}\n  body: ${String(text ?? '').slice(0, 600)}`
}

/** Whether the check is on (it is unless XT_RESPONSE_CHECK=off). */
export function responseCheckOn() {
  return process.env.XT_RESPONSE_CHECK !== 'off'
}

/** Throws when the response does not conform (see the top). Called by the shared clients. */
export function checkResponse(method, path, res) {
  if (!responseCheckOn()) return
  const problem = responseProblem(method, path, res.status, res.headers?.get?.('content-type') ?? '', res.json, res.text)
  if (problem) {
    const err = new Error(`response check: ${problem}`)
    err.code = 'XT_RESPONSE_CHECK'
    throw err
  }
}
