// Issue 17 defect 1 (R-DOC-1, R-COL-2): a collaboration whose subject already starts with 关于 (the
// normal way to write one) gets documents titled 「关于某事的执法协作函/反馈意见」, never
// 「关于关于…」, in the title and in the printed body.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer } from '../lib/server.mjs'
import { show } from './lib/util.mjs'
import { Users, orgsByCode, uploadFile, getRaw } from './lib/referrals.mjs'

let server
let as
let orgs
let file

before(async () => {
  server = await startServer({ fakeClock: '2026-11-23T09:00:00+08:00', extraArgs: ['--access-log', 'off'] })
  as = Users(server.url, { tokens: true })
  orgs = await orgsByCode(await as('coordinator.staff'))
  file = await uploadFile(server.url, await as('xincheng.officer'), { name: '检测样品照片.pdf' })
})
after(async () => {
  await server?.stop()
})

async function ok(res, status = 200) {
  assert.equal(res.status, status, show(res))
  return res.json
}

test('R-COL-2 / issue 17 defect 1: no 「关于关于」 in collaboration documents', async () => {
  const subject = '关于涉案饮料是否过期的认定'
  const officer = await as('xincheng.officer')
  const draft = await ok(await officer.post('/api/v1/collaborations', {
    kind: 'technical_appraisal', to_org: orgs.scjg.id, title: subject,
    questions: '请对现场查扣的12箱饮料是否超过保质期进行技术鉴定', case_ref: '新城镇2026年第18号案',
    materials: [{ name: '样品照片', description: '3张', file: file.id }],
  }), 201)
  const path = (a) => `/api/v1/collaborations/${draft.id}/${a}`
  await ok(await officer.post(path('submit'), {}))
  await ok(await (await as('xincheng.leader')).post(path('approve'), {}))
  await ok(await (await as('scjg.officer')).post(path('receive'), {}))
  await ok(await (await as('scjg.officer')).post(path('answer'), { conclusion: '均已过期', text: '经检测，均已超过保质期。' }))
  const c = await ok(await (await as('scjg.leader')).post(path('approve-answer'), {}))
  const titles = c.documents.map((d) => d.title)
  assert.deepEqual(titles.sort(), [`${subject}的执法协作函`, `${subject}的执法协作反馈意见`].sort())
  for (const d of c.documents) {
    const page = await getRaw(server.url, await as('scjg.officer'), d.url, 'text/html')
    assert.equal(page.status, 200)
    assert.ok(!page.text.includes('关于关于'), `${d.kind}: 关于关于 in the printed text`)
    assert.ok(page.text.includes(subject))
  }
})
