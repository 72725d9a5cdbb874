// Issue 17 defects 2, 7, 10 and 11 (R-REF-4, R-AUD-1, R-DOC-1, R-REF-8): 待办 titles follow the party;
// saves of a draft stay out of the 流程记录 (kept in the audit trail); the printed 移送函 names the place once
// (「在新城镇建设路12号发现」, never 「新城镇新城镇…」) and prints a full verification address
// (http://host/referrals/{id}, not a bare path useless on paper); the referral CSV's 发生地乡镇
// column holds the township (新城镇), not its office's name.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer } from '../lib/server.mjs'
import { Users, Referrals, orgsByCode, uploadFile, getRaw, draftBody, classifyMatters, pick } from './lib/referrals.mjs'

let server
let as
let R
let orgs
let file
let matter

before(async () => {
  server = await startServer({ fakeClock: '2026-11-25T09:00:00+08:00', extraArgs: ['--access-log', 'off'] })
  as = Users(server.url, { tokens: true })
  R = Referrals(server.url, as)
  orgs = await orgsByCode(await as('coordinator.staff'))
  file = await uploadFile(server.url, await as('xincheng.officer'))
  const cat = await classifyMatters(await as('xincheng.officer'), ['xincheng'], '2026-11-24')
  matter = pick(cat.at.xincheng, (e) => e.competent.kind === 'county_department', 'owned by a department for 新城镇')
})
after(async () => {
  await server?.stop()
})

test('R-DOC-1 / issue 17 defect 10: the 移送函 names the place once and prints a full verification address', async () => {
  const r = await R.sent('xincheng.officer', 'xincheng.leader', draftBody({
    matter: matter.matter, to: matter.competent, township: orgs.xincheng, file, place: '新城镇建设路12号',
  }))
  const letter = r.documents.find((d) => d.kind === 'referral_letter')
  assert.ok(letter, JSON.stringify(r.documents))
  const page = await getRaw(server.url, await as('xincheng.officer'), letter.url, 'text/html')
  assert.equal(page.status, 200)
  assert.ok(!page.text.includes('新城镇新城镇'), 'the township is not written twice')
  assert.ok(page.text.includes('在新城镇建设路12号发现'))
  const host = new URL(server.url).host
  assert.ok(page.text.includes(`核验地址：<a href="http://${host}/referrals/${r.id}">http://${host}/referrals/${r.id}</a>`),
    'a full verification address')
})

test('R-REF-8 / issue 17 defect 11: the CSV\'s 发生地乡镇 is the township, 新城镇', async () => {
  const res = await getRaw(server.url, await as('xincheng.officer'), '/api/v1/referrals/export.csv?direction=out', 'text/csv')
  assert.equal(res.status, 200)
  const lines = res.text.replace(/^\uFEFF/, '').split(/\r\n/).filter(Boolean)
  const header = lines[0].split(',')
  const col = header.indexOf('发生地乡镇')
  assert.ok(col >= 0, lines[0])
  const rows = lines.slice(1).map((l) => l.split(','))
  assert.ok(rows.length >= 1)
  for (const row of rows) assert.equal(row[col], '新城镇', `row: ${row.slice(0, col + 2).join(',')}`)
})

test('R-REF-4 / issue 17 defects 2 and 7: the 待办 title follows the party entered after the first save; saves stay out of the 流程记录', async () => {
  const body = draftBody({ matter: matter.matter, to: matter.competent, township: orgs.xincheng, file })
  body.party = { name: '' }
  const r = await R.create('xincheng.officer', body)
  const send = (x) => x.duties.find((d) => d.kind === 'referral.send' && d.state === 'open')
  assert.match(send(r).title, /^移送当事人涉嫌/)
  const res = await R.patch('xincheng.officer', r.id, { party: { name: '王某某' } })
  assert.equal(res.status, 200, res.text)
  const after = await R.get('xincheng.officer', r.id)
  assert.match(send(after).title, /^移送王某某涉嫌/)
  // Issue 17 defect 7: the save is not a step of the formal 流程记录, but stays in the audit trail.
  assert.ok(!after.timeline.some((e) => e.action === 'update'), JSON.stringify(after.timeline))
  assert.ok(after.timeline.some((e) => e.action === 'create'))
  const trail = await (await as('xincheng.officer')).get(`/api/v1/audit?object_type=referral&object_id=${r.id}`)
  assert.ok(trail.json.items.some((e) => e.action === 'referral.update'), 'the save is in the audit trail')
  const inbox = await (await as('xincheng.officer')).get(`/api/v1/duties?scope=org&q=${encodeURIComponent('王某某')}`)
  assert.equal(inbox.status, 200)
  assert.ok(inbox.json.items.some((d) => d.object_id === String(r.id) && d.title.startsWith('移送王某某涉嫌')), JSON.stringify(inbox.json.items.map((d) => d.title)))
})
