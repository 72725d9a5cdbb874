// The OpenAPI document passes a standard validator (issue 18 "Contract checked by standard
// tools"): @apidevtools/swagger-parser validates src/http/openapi.json against the OpenAPI 3.0
// schema and resolves every $ref. The response check of tests/http/lib/contract.mjs is tested
// here too on hand-made responses, so that it cannot silently accept everything.
import test from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import SwaggerParser from '@apidevtools/swagger-parser'
import { OPENAPI_PATH, responseProblem, matchRoute } from './lib/contract.mjs'

test('openapi.json is a valid OpenAPI 3.0 document (swagger-parser)', async () => {
  const doc = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8'))
  await SwaggerParser.validate(doc) // throws with the offending path on the first error
})

test('every nullable enum lists null among its values (ajv rejects null otherwise)', () => {
  const doc = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8'))
  const bad = []
  const walk = (node, path) => {
    if (!node || typeof node !== 'object') return
    if (node.nullable === true && Array.isArray(node.enum) && !node.enum.includes(null)) bad.push(path)
    for (const [k, v] of Object.entries(node)) walk(v, `${path}/${k}`)
  }
  walk(doc, '#')
  assert.deepEqual(bad, [])
})

test('the response check matches literal segments before parameters', () => {
  assert.equal(matchRoute('/api/v1/matters/export.csv')?.template, '/api/v1/matters/export.csv')
  assert.equal(matchRoute('/api/v1/matters/12')?.template, '/api/v1/matters/{id}')
  assert.equal(matchRoute('/api/v1/notifications')?.template, '/api/v1/notifications')
  assert.equal(matchRoute('/no/such/thing'), null)
})

test('the response check refuses what the document does not say', () => {
  const json = 'application/json'
  // A conforming error body.
  const err = { error: { code: 'not_found', message: '不存在', field: 'id', rule: '' } }
  assert.equal(responseProblem('GET', '/api/v1/notifications', 401, json, err, JSON.stringify(err)), null)
  // A body lacking a required field names the operation, the status and the path of the error.
  const bad = { error: { code: 'x', message: 'y', field: 'z' } }
  const p1 = responseProblem('GET', '/api/v1/notifications', 401, json, bad, JSON.stringify(bad))
  assert.match(p1, /GET \/api\/v1\/notifications \(listNotifications\) → HTTP 401/)
  assert.match(p1, /\/error: must have required property 'rule'/)
  // An undeclared status.
  assert.match(responseProblem('GET', '/api/v1/notifications', 418, json, err, '{}'), /status not declared/)
  // An /api/ route that is not documented.
  assert.match(responseProblem('GET', '/api/v1/no-such-route', 200, json, {}, '{}'), /no such operation/)
  // A wrong type deep inside a page of notifications.
  const page = { items: [{ id: 'one' }], unread: 0 }
  assert.match(responseProblem('GET', '/api/v1/notifications?page=1', 200, json, page, JSON.stringify(page)) ?? '', /\/items\/0/)
})
