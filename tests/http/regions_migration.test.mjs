// Migration of an existing single-county database into the region tree (issue 19, R-ACC-2;
// docs/regions-contract.md "Operating"): `xietong regions place` puts every org under the county
// given on the command line (a township org into its township when named), creates the chain,
// is idempotent, refuses bad codes changing nothing — and nothing else changes for the users:
// their lists, counts and overviews are the same before and after. `regions import` validates
// like the HTTP route.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startServer, XT_BIN } from '../lib/server.mjs'
import { show } from './lib/util.mjs'
import { Users } from './lib/referrals.mjs'

let server
let as

function cli(args) {
  return new Promise((resolve) => {
    execFile(XT_BIN, args, { timeout: 60_000 }, (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr }))
  })
}

const PLACE = ['regions', 'place', '--county', '445321', '--name', '新兴县', '--city', '445300', '--city-name', '云浮市',
  '--province', '440000', '--province-name', '广东省']

before(async () => {
  server = await startServer({ fakeClock: '2026-12-02T10:00:00+08:00', extraArgs: ['--access-log', 'off', '--sweep-interval', '3600'] })
  as = Users(server.url, { tokens: true })
})
after(async () => server?.stop())

/** What each kind of user sees: lists, counts, the overview (not the audit trail, which records the placing). */
async function views() {
  const out = {}
  const get = async (who, path) => {
    const res = await (await as(who)).get(path)
    assert.equal(res.status, 200, `${who} ${path}: ${show(res)}`)
    return res.json
  }
  for (const who of ['coordinator.staff', 'auditor', 'admin', 'xincheng.officer', 'scjg.leader', 'government.leader']) {
    out[who] = {
      referrals: (await get(who, '/api/v1/referrals?page_size=200')).items.map((r) => [r.id, r.state]),
      collab: (await get(who, '/api/v1/collab-items?page_size=200')).items.map((x) => [x.type, x.id]),
      duties: (await get(who, '/api/v1/duties?scope=org&page_size=200')).items.map((d) => d.id),
      workbench: await get(who, '/api/v1/workbench'),
    }
  }
  for (const who of ['coordinator.staff', 'auditor']) {
    out[who].all_duties = (await get(who, '/api/v1/duties?scope=all&page_size=200')).total
    out[who].overview = await get(who, '/api/v1/overview/orgs')
    out[who].users = (await get(who, '/api/v1/users')).items.map((u) => u.id)
    out[who].disputes = (await get(who, '/api/v1/disputes?page_size=200')).total
    out[who].complaints = (await get(who, '/api/v1/complaints?page_size=200')).total
  }
  return out
}

test('R-ACC-2: a bad code is refused and changes nothing', async () => {
  const r = await cli([...PLACE.map((a) => (a === '445321' ? '44532' : a)), '--db', server.db])
  assert.equal(r.code, 2, r.stderr)
  assert.match(r.stderr, /county/)
  const orgs = (await (await as('admin')).get('/api/v1/orgs')).json.items
  assert.ok(orgs.every((o) => o.region_code === null), 'nothing placed')
  assert.deepEqual((await (await as('admin')).get('/api/v1/regions')).json.items, [])
})

test('R-ACC-2: regions place puts every org under the county; users see exactly what they saw before', async () => {
  const before = await views()
  const r = await cli([...PLACE, '--township', '445321100000=xincheng:新城镇', '--db', server.db])
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /新建区划 4 个/)
  const orgs = (await (await as('admin')).get('/api/v1/orgs')).json.items
  assert.ok(orgs.length > 20)
  for (const o of orgs) assert.equal(o.region_code, o.code === 'xincheng' ? '445321100000' : '445321', o.code)
  const tree = (await (await as('coordinator.staff')).get('/api/v1/regions')).json
  assert.equal(tree.scope, '445321', 'the county office now oversees its county')
  assert.deepEqual(tree.items.map((x) => [x.code, x.in_scope]), [['440000', false], ['445300', false], ['445321', true], ['445321100000', true]])
  const after = await views()
  assert.deepEqual(after, before, 'lists, counts and overviews are unchanged for every user')
  // Idempotent: a second run creates and places nothing.
  const again = await cli([...PLACE, '--db', server.db])
  assert.equal(again.code, 0, again.stderr)
  assert.match(again.stdout, /新建区划 0 个，0 个机构/)
})

test('R-ACC-2: regions import validates the file (line and column) and imports all or nothing', async () => {
  const bad = join(server.tmpDir, 'bad.csv')
  await writeFile(bad, 'code,name,parent_code\n445322,郁南县,445300\n445322100000,都城镇,445399\n')
  const r = await cli(['regions', 'import', bad, '--db', server.db])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /第3行第3列/)
  const codes = async () => (await (await as('admin')).get('/api/v1/regions')).json.items.map((x) => x.code)
  assert.ok(!(await codes()).includes('445322'), 'nothing imported')
  const good = join(server.tmpDir, 'good.csv')
  await writeFile(good, '\ufeffcode,name,parent_code\n445322,郁南县,445300\n445322100000,都城镇,445322\n')
  const ok = await cli(['regions', 'import', good, '--db', server.db])
  assert.equal(ok.code, 0, ok.stderr)
  assert.ok((await codes()).includes('445322100000'))
})
