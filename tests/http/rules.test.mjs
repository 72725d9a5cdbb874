// GET /api/v1/rules (issue 17 defect 3): the policy's rules in words for any signed-in user, so the
// web shows a clause by its words (the id only in a tooltip). R-REF-6 and R-TIME-4 are checked by
// their wording; anonymous callers get 401 and no rule text.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, api } from '../lib/server.mjs'

let server
before(async () => {
  server = await startServer({ fakeClock: '2026-12-01T09:00:00+08:00', extraArgs: ['--access-log', 'off'] })
})
after(async () => server?.stop())

test('R-REF-6, R-TIME-4: GET /api/v1/rules lists every rule with its Chinese and English words', async () => {
  const c = await api(server.url).login('xincheng.officer', server.password)
  const res = await c.get('/api/v1/rules')
  assert.equal(res.status, 200)
  const { items } = res.json
  const byId = Object.fromEntries(items.map((r) => [r.id, r]))
  assert.equal(byId['R-REF-6'].zh, '接收方应在5个工作日内书面告知移送部门受理情况。')
  assert.match(byId['R-TIME-4'].zh, /绿（正常）、黄（一个工作日内到期）、红（超期）/)
  assert.ok(byId['R-CRI-1a'], 'ids with a letter suffix are listed too')
  for (const r of items) {
    assert.match(r.id, /^R-[A-Z]+-\d+[a-z]?$/)
    assert.ok(r.zh.length > 4 && r.en.length > 4, `${r.id} has words in both languages`)
  }
  assert.equal(new Set(items.map((r) => r.id)).size, items.length, 'each rule once')
})

test('R-ACC-1: anonymous GET /api/v1/rules is 401 without rule text', async () => {
  const res = await api(server.url).anonymous().get('/api/v1/rules')
  assert.equal(res.status, 401)
  assert.doesNotMatch(res.text, /书面告知/)
})
