// Administration of orgs, units and users (SPEC §1, R-ACC-1) and its audit trail (R-AUD-1):
// validation errors name their field, refused requests change nothing, disabling a user ends
// their session, and every change is in /api/v1/audit with its actor and org.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, api } from '../lib/server.mjs'
import { raw, cookieHeader, errorOf, show } from './lib/util.mjs'

let server
let admin
let leader // xincheng.leader: may not administer
let orgsByCode

before(async () => {
  server = await startServer({ extraArgs: ['--access-log', 'off'] })
  admin = await api(server.url).login('admin', server.password)
  leader = await api(server.url).login('xincheng.leader', server.password)
  const orgs = await admin.get('/api/v1/orgs')
  orgsByCode = Object.fromEntries(orgs.json.items.map((o) => [o.code, o]))
})
after(async () => {
  await server?.stop()
})

async function counts() {
  const orgs = await admin.get('/api/v1/orgs')
  const users = await admin.get('/api/v1/users')
  const audit = await admin.get('/api/v1/audit?limit=1')
  assert.equal(orgs.status, 200)
  assert.equal(users.status, 200)
  return { orgs: orgs.json.items.length, users: users.json.items.length, lastSeq: audit.json.items[0]?.seq ?? 0 }
}

/** Runs `fn` (which must be refused) and asserts orgs, users and the audit trail did not change. */
async function refusedChangesNothing(fn) {
  const before = await counts()
  const res = await fn()
  const after = await counts()
  assert.deepEqual(after, before, `a refused request changed something (${show(res)})`)
  return res
}

test('R-ACC-1: admin creates a township; a duplicate code is 409 already_exists naming "code"', async () => {
  const res = await admin.post('/api/v1/orgs', { code: 'testtown', name: '测试镇综合行政执法办公室', short_name: '测试镇', kind: 'township' })
  assert.equal(res.status, 201, show(res))
  assert.equal(res.json.code, 'testtown')
  assert.equal(res.json.kind, 'township')
  assert.equal(res.json.parent_id, null)
  assert.equal(res.json.active, true)
  assert.equal(typeof res.json.id, 'number')

  const dup = await refusedChangesNothing(() =>
    admin.post('/api/v1/orgs', { code: 'testtown', name: '另一个', short_name: '另一个', kind: 'township' }))
  assert.equal(dup.status, 409, show(dup))
  assert.equal(errorOf(dup).code, 'already_exists')
  assert.equal(errorOf(dup).field, 'code')

  const got = await leader.get(`/api/v1/orgs/${res.json.id}`)
  assert.equal(got.status, 200, 'everyone may read the directory')
  assert.equal(got.json.name, '测试镇综合行政执法办公室')
})

test('a unit needs parent_id; with it the unit is created under its parent', async () => {
  const scjg = orgsByCode.scjg
  const noParent = await refusedChangesNothing(() =>
    admin.post('/api/v1/orgs', { code: 'scjg-test', name: '测试所', short_name: '测试所', kind: 'unit' }))
  assert.equal(noParent.status, 400, show(noParent))
  assert.equal(errorOf(noParent).field, 'parent_id')

  const badParent = await refusedChangesNothing(() =>
    admin.post('/api/v1/orgs', { code: 'scjg-test', name: '测试所', short_name: '测试所', kind: 'unit', parent_id: 999999 }))
  assert.equal(badParent.status, 400)
  assert.equal(errorOf(badParent).field, 'parent_id')

  const township = await refusedChangesNothing(() =>
    admin.post('/api/v1/orgs', { code: 'scjg-test', name: '测试所', short_name: '测试所', kind: 'township', parent_id: scjg.id }))
  assert.equal(township.status, 400)
  assert.equal(errorOf(township).field, 'parent_id')

  const unit = await admin.post('/api/v1/orgs', { code: 'scjg-test', name: '新兴县市场监督管理局测试所', short_name: '测试所', kind: 'unit', parent_id: scjg.id })
  assert.equal(unit.status, 201, show(unit))
  assert.equal(unit.json.kind, 'unit')
  assert.equal(unit.json.parent_id, scjg.id)
})

test('org validation names the field: code syntax, kind, empty name', async () => {
  const cases = [
    [{ code: 'Bad Code', name: 'x', short_name: 'x', kind: 'township' }, 'code'],
    [{ code: 'okcode', name: 'x', short_name: 'x', kind: 'castle' }, 'kind'],
    [{ code: 'okcode', name: '', short_name: 'x', kind: 'township' }, 'name'],
    [{ code: 'okcode', name: 'x', kind: 'township' }, 'short_name'],
    [{ code: 'okcode', name: 'x', short_name: 'x', kind: 'township', colour: 'red' }, 'colour'],
  ]
  for (const [body, field] of cases) {
    const res = await refusedChangesNothing(() => admin.post('/api/v1/orgs', body))
    assert.equal(res.status, 400, `${JSON.stringify(body)}: ${show(res)}`)
    assert.equal(errorOf(res).field, field, JSON.stringify(body))
  }
})

test('R-ACC-1: a non-admin cannot create or change orgs or users, and nothing changes', async () => {
  const xincheng = orgsByCode.xincheng
  const org = await refusedChangesNothing(() =>
    leader.post('/api/v1/orgs', { code: 'sneaky', name: '偷建机构', short_name: '偷建', kind: 'township' }))
  assert.equal(org.status, 403, show(org))
  assert.equal(errorOf(org).rule, 'R-ACC-1')

  const user = await refusedChangesNothing(() =>
    leader.post('/api/v1/users', { username: 'sneaky.user', display_name: '偷建用户', org_id: xincheng.id, roles: ['admin'], password: 'Sneaky2026pw' }))
  assert.equal(user.status, 403, show(user))

  const me = leader.user
  const promote = await refusedChangesNothing(() => leader.patch(`/api/v1/users/${me.id}`, { roles: ['admin'] }))
  assert.equal(promote.status, 403, show(promote))
  assert.deepEqual((await leader.get('/api/v1/me')).json.user.roles, ['leader'])

  const rename = await refusedChangesNothing(() => leader.patch(`/api/v1/orgs/${xincheng.id}`, { name: '改名' }))
  assert.equal(rename.status, 403)
  const reset = await refusedChangesNothing(() => leader.post(`/api/v1/users/${me.id}/password`, { new_password: 'Another2026pw' }))
  assert.equal(reset.status, 403)
})

test('user validation names the field: username, roles, org_id, unit_id, weak password', async () => {
  const xincheng = orgsByCode.xincheng
  const good = { username: 'new.officer', display_name: '新同事', org_id: xincheng.id, roles: ['officer'], password: 'Welcome2026x' }
  const cases = [
    [{ ...good, username: 'Bad Name!' }, 'username', null],
    [{ ...good, username: 'ab' }, 'username', null],
    [{ ...good, roles: [] }, 'roles', null],
    [{ ...good, roles: ['king'] }, 'roles', null],
    [{ ...good, roles: 'officer' }, 'roles', 'invalid_type'],
    [{ ...good, org_id: 999999 }, 'org_id', null],
    [{ ...good, org_id: orgsByCode['scjg-xincheng'].id }, 'org_id', null], // a unit is not an org
    [{ ...good, unit_id: orgsByCode['scjg-xincheng'].id }, 'unit_id', null], // unit of another org
    [{ ...good, org_id: String(xincheng.id) }, 'org_id', 'invalid_type'],
    [{ ...good, password: 'weak' }, 'password', 'weak_password'],
    [{ ...good, password: 'allletters' }, 'password', 'weak_password'],
    [{ ...good, display_name: '' }, 'display_name', null],
    [{ ...good, is_superuser: true }, 'is_superuser', 'unknown_field'],
    [{ ...good, username: 'xincheng.officer' }, null, 'already_exists'],
  ]
  for (const [body, field, code] of cases) {
    const res = await refusedChangesNothing(() => admin.post('/api/v1/users', body))
    const what = `${JSON.stringify(body)}: ${show(res)}`
    if (code === 'already_exists') {
      assert.equal(res.status, 409, what)
    } else {
      assert.equal(res.status, 400, what)
      assert.equal(errorOf(res).field, field, what)
    }
    if (code) assert.equal(errorOf(res).code, code, what)
  }
})

test('R-ACC-1/R-AUD-1: create, edit roles, disable a user — each audited with actor and org; a disabled user is out', async () => {
  const town = orgsByCode.xincheng
  const created = await admin.post('/api/v1/users', {
    username: 'temp.officer', display_name: '临时人员', org_id: town.id, roles: ['officer'], password: 'Temp2026pass',
  })
  assert.equal(created.status, 201, show(created))
  const id = created.json.id
  assert.equal(created.json.username, 'temp.officer')
  assert.deepEqual(created.json.roles, ['officer'])
  assert.equal(created.json.org.code, 'xincheng')
  assert.equal(created.json.disabled, false)
  assert.equal(created.json.password, undefined)

  // The new user can sign in and sees their own org's users only.
  const temp = await api(server.url).login('temp.officer', 'Temp2026pass')
  const tempCookie = cookieHeader(temp)
  assert.equal((await temp.get('/api/v1/me')).json.user.id, id)

  const roles = await admin.patch(`/api/v1/users/${id}`, { roles: ['leader', 'liaison'] })
  assert.equal(roles.status, 200, show(roles))
  assert.deepEqual([...roles.json.roles].sort(), ['leader', 'liaison'])
  assert.deepEqual([...(await temp.get('/api/v1/me')).json.user.roles].sort(), ['leader', 'liaison'])

  const self = await admin.patch(`/api/v1/users/${admin.user.id}`, { disabled: true })
  assert.equal(self.status, 400, 'an admin cannot disable themselves')
  assert.equal(errorOf(self).field, 'disabled')

  const disable = await admin.patch(`/api/v1/users/${id}`, { disabled: true })
  assert.equal(disable.status, 200, show(disable))
  assert.equal(disable.json.disabled, true)

  // The open session stops working at once, and signing in is refused like a wrong password.
  const meAfter = await raw(server.url, 'GET', '/api/v1/me', { headers: { Cookie: tempCookie } })
  assert.equal(meAfter.status, 401, show(meAfter))
  const login = await raw(server.url, 'POST', '/api/v1/auth/login', { body: { username: 'temp.officer', password: 'Temp2026pass' } })
  assert.equal(login.status, 401, show(login))
  assert.equal(errorOf(login).code, 'invalid_credentials')

  // The audit trail of this user: create, roles, disable — each with actor and org.
  const audit = await admin.get(`/api/v1/audit?object_type=user&object_id=${id}`)
  assert.equal(audit.status, 200, show(audit))
  const items = audit.json.items
  const byAction = (a) => items.filter((e) => e.action === a)
  assert.equal(byAction('user.create').length, 1, JSON.stringify(items.map((e) => e.action)))
  assert.ok(byAction('user.update').length >= 2, JSON.stringify(items.map((e) => e.action)))
  for (const e of [...byAction('user.create'), ...byAction('user.update')]) {
    assert.equal(e.object_type, 'user')
    assert.equal(e.object_id, String(id))
    assert.equal(e.actor?.username, 'admin', JSON.stringify(e))
    assert.equal(e.actor_user_id, admin.user.id)
    assert.equal(e.org?.id, admin.user.org_id)
    assert.equal(e.org?.name, admin.user.org.name)
    assert.match(e.at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$/)
    assert.match(e.hash, /^[0-9a-f]{64}$/)
    assert.match(e.summary, /temp\.officer/)
  }
  const disabledEntry = byAction('user.update').find((e) => JSON.parse(e.detail).after?.disabled === true)
  assert.ok(disabledEntry, 'the disable is recorded with before/after')
  assert.equal(JSON.parse(disabledEntry.detail).before.disabled, false)
  const rolesEntry = byAction('user.update').find((e) => {
    const d = JSON.parse(e.detail)
    return JSON.stringify(d.before?.roles) !== JSON.stringify(d.after?.roles)
  })
  assert.ok(rolesEntry, 'the role change is recorded with before/after')
  assert.deepEqual(JSON.parse(rolesEntry.detail).before.roles, ['officer'])
  assert.deepEqual([...JSON.parse(rolesEntry.detail).after.roles].sort(), ['leader', 'liaison'])
  // newest first
  const seqs = items.map((e) => e.seq)
  assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a))

  // Re-enable: can sign in again.
  const enable = await admin.patch(`/api/v1/users/${id}`, { disabled: false })
  assert.equal(enable.status, 200)
  await api(server.url).login('temp.officer', 'Temp2026pass')
})

test('R-AUD-1: org creation is audited with actor and org; a township officer sees only their own org\'s entries', async () => {
  const created = await admin.post('/api/v1/orgs', { code: 'audittown', name: '审计测试镇', short_name: '审计镇', kind: 'township' })
  assert.equal(created.status, 201)
  const audit = await admin.get(`/api/v1/audit?object_type=org&object_id=${created.json.id}`)
  assert.equal(audit.json.items.length, 1)
  const e = audit.json.items[0]
  assert.equal(e.action, 'org.create')
  assert.equal(e.actor.username, 'admin')
  assert.equal(e.org.name, admin.user.org.name)

  const officer = await api(server.url).login('xincheng.officer', server.password)
  const theirs = await officer.get(`/api/v1/audit?object_type=org&object_id=${created.json.id}`)
  assert.equal(theirs.status, 200)
  assert.equal(theirs.json.items.length, 0, 'the coordinator\'s entry is not visible to a township (R-ACC-1)')
  const own = await officer.get('/api/v1/audit?limit=50')
  assert.ok(own.json.items.length > 0)
  for (const x of own.json.items) assert.equal(x.actor_org_id, officer.user.org_id, JSON.stringify(x))
})

test('admin password reset ends the user\'s sessions', async () => {
  const u = await api(server.url).login('taiping.officer', server.password)
  const cookie = cookieHeader(u)
  const res = await admin.post(`/api/v1/users/${u.user.id}/password`, { new_password: 'weak' })
  assert.equal(res.status, 400)
  assert.equal(errorOf(res).code, 'weak_password')
  assert.equal(errorOf(res).field, 'new_password')
  assert.equal((await raw(server.url, 'GET', '/api/v1/me', { headers: { Cookie: cookie } })).status, 200)
  const ok = await admin.post(`/api/v1/users/${u.user.id}/password`, { new_password: 'NewPass2026' })
  assert.equal(ok.status, 204)
  assert.equal((await raw(server.url, 'GET', '/api/v1/me', { headers: { Cookie: cookie } })).status, 401)
  const missing = await admin.post('/api/v1/users/999999/password', { new_password: 'NewPass2026' })
  assert.equal(missing.status, 404)
})
