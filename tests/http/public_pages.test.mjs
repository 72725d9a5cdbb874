// PDF documents, verification codes and the public pages (issue 14; R-DOC-1, R-ASM-3), against
// docs/documents-pdf-contract.md: a real document downloaded as PDF (content type, %PDF-, page
// count by pdfinfo, its QR code decoded by zbarimg to the verification URL), the verification page
// and its JSON without a session (number, issuer, date, SHA-256 — nothing confidential), wrong codes
// 404, and the public-notice lifecycle (draft → published → withdrawn) seen from outside: only a
// published notice is public. Every refusal changes nothing.
// xt-backends: sqlite postgres (startServer)
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer, api } from '../lib/server.mjs'
import { show } from './lib/util.mjs'
import { Users, orgsByCode, getRaw, assertError } from './lib/referrals.mjs'

let server
let as
let orgs
let doc      // the violation notice's 违法行为通知书 (a letter)
let item     // the violation notice
let anon
const tmp = mkdtempSync(join(tmpdir(), 'xt-public-'))
const DESCRIPTION = '某餐饮店后厨违规使用无合格证的液化气瓶（保密正文）'

before(async () => {
  server = await startServer({ extraArgs: ['--access-log', 'off'] })
  as = Users(server.url, { tokens: true })
  orgs = await orgsByCode(await as('coordinator.staff'))
  anon = api(server.url).anonymous()
  const town = await as('xincheng.officer')
  const res = await town.post('/api/v1/violation-notices', {
    category: 'safety', to_org: orgs.scjg.id, description: DESCRIPTION, place: '新城镇新兴大道88号',
  })
  assert.equal(res.status, 201, show(res))
  item = res.json
  doc = item.documents?.[0]
  assert.ok(doc?.id, `the violation notice issues a numbered document: ${show(res)}`)
})
after(async () => {
  await server?.stop()
  rmSync(tmp, { recursive: true, force: true })
})

async function pdfOf(who, id) {
  return getRaw(server.url, who ? await as(who) : {}, `/api/v1/documents/${id}/pdf`, 'application/pdf')
}

/** The verification code and URL printed in the HTML print view of the document. */
async function marksOf(id) {
  const page = await getRaw(server.url, await as('xincheng.officer'), `/api/v1/documents/${id}`, 'text/html')
  assert.equal(page.status, 200)
  const code = page.text.match(/核验码：<code>([0-9A-Z]+-[0-9A-Z]{8})<\/code>/)?.[1]
  assert.ok(code, 'the print view shows the verification code')
  const url = `${server.url}/verify/${code}`
  assert.ok(page.text.includes(`href="${url}"`), `the print view links to ${url}`)
  return { code, url, page }
}

test('R-DOC-1: a real document downloads as a PDF (application/pdf, %PDF-, pages by pdfinfo) for whoever sees it', async () => {
  const res = await pdfOf('xincheng.officer', doc.id)
  assert.equal(res.status, 200, res.text.slice(0, 300))
  assert.match(res.headers.get('content-type'), /^application\/pdf/)
  assert.match(res.headers.get('content-disposition'), new RegExp(`^inline; filename="document-${doc.id}\\.pdf"; filename\\*=UTF-8''`))
  assert.equal(Buffer.from(res.bytes.slice(0, 5)).toString('latin1'), '%PDF-')
  const file = join(tmp, 'doc.pdf')
  writeFileSync(file, res.bytes)
  const info = execFileSync('pdfinfo', [file]).toString()
  const pages = Number(info.match(/^Pages:\s+(\d+)/m)?.[1])
  assert.ok(pages >= 1, info)
  assert.match(info, /^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/m, 'A4 (GB/T 9704)')
  // The addressed department sees it too; anybody else gets 404 without data; nobody signed in 401.
  assert.equal((await pdfOf('scjg.officer', doc.id)).status, 200)
  const other = await pdfOf('liuzu.officer', doc.id)
  assert.equal(other.status, 404)
  assert.ok(!other.text.includes('%PDF'), 'no data in a refusal')
  assert.equal((await pdfOf(null, doc.id)).status, 401)
  assert.equal((await pdfOf('xincheng.officer', 999999)).status, 404)
})

test('R-DOC-1 / R-ASM-3: the QR code of the PDF decodes (zbarimg) to the verification URL printed beside it', async () => {
  const { url } = await marksOf(doc.id)
  const file = join(tmp, 'qr.pdf')
  writeFileSync(file, (await pdfOf('xincheng.officer', doc.id)).bytes)
  execFileSync('pdftoppm', ['-r', '150', '-png', file, join(tmp, 'qr')])
  const pages = readdirSync(tmp).filter((f) => f.startsWith('qr-') && f.endsWith('.png')).sort()
  assert.ok(pages.length >= 1)
  const decoded = execFileSync('zbarimg', ['--raw', '-q', join(tmp, pages.at(-1))], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim()
  assert.equal(decoded, url)
})

test('R-ASM-3: the verification page opens without a session and shows number, issuer, date and SHA-256 — nothing confidential', async () => {
  const { code, url } = await marksOf(doc.id)
  const res = await fetch(url)
  const html = await res.text()
  assert.equal(res.status, 200, html)
  assert.match(res.headers.get('content-type'), /^text\/html/)
  assert.match(res.headers.get('cache-control'), /^public, max-age=\d+$/)
  assert.match(res.headers.get('content-security-policy'), /default-src 'none'/)
  assert.equal(res.headers.get('set-cookie'), null)
  assert.ok(html.includes(doc.number), 'the number')
  assert.ok(html.includes(orgs.xincheng.name), 'the issuer')
  assert.ok(!html.includes('<script'), 'no script')
  assert.ok(!html.includes('保密正文') && !html.includes('新兴大道88号'), 'no body, no place')
  const json = await anon.get(`/api/v1/public/verify/${code}`)
  assert.equal(json.status, 200, show(json))
  assert.equal(json.json.valid, true)
  assert.equal(json.json.code, code)
  assert.equal(json.json.number, doc.number)
  assert.equal(json.json.issuer, orgs.xincheng.name)
  assert.match(json.json.date, /^2\d{3}年\d{1,2}月\d{1,2}日$/)
  assert.match(json.json.sha256, /^[0-9a-f]{64}$/)
  assert.ok(html.includes(json.json.sha256), 'the page shows the SHA-256')
  assert.ok(!JSON.stringify(json.json).includes('保密正文'))
  // The form on /public (a code typed by hand, spaces around it) answers the same page.
  assert.ok((await (await fetch(`${server.url}/public`)).text()).includes('action="/verify"'))
  const typed = await fetch(`${server.url}/verify?code=${encodeURIComponent(' ' + code + ' ')}`)
  assert.equal(typed.status, 200)
  assert.ok((await typed.text()).includes(json.json.sha256))
  assert.equal((await fetch(`${server.url}/verify?code=`)).status, 404)
  // Lower case reads the same (Crockford base32).
  assert.equal((await anon.get(`/api/v1/public/verify/${code.toLowerCase()}`)).status, 200)
})

test('R-ASM-3: a wrong verification code answers 404 (an HTML page, and JSON not_found) and reveals nothing', async () => {
  const { code } = await marksOf(doc.id)
  const last = code.at(-1) === '0' ? '1' : '0'
  const wrong = [code.slice(0, -1) + last, 'ZZZZZZ-00000000', 'nonsense', `${code}X`, '1-ABCDEFGH']
  for (const c of wrong) {
    const res = await fetch(`${server.url}/verify/${encodeURIComponent(c)}`)
    const html = await res.text()
    assert.equal(res.status, 404, `${c}: ${html.slice(0, 200)}`)
    assert.match(res.headers.get('content-type'), /^text\/html/)
    assert.ok(html.includes('核验码不存在'), html)
    assert.ok(!html.includes(doc.number))
    assertError(await anon.get(`/api/v1/public/verify/${encodeURIComponent(c)}`), 404, { code: 'not_found', field: 'code' })
  }
})

// ---- Notices to the public (R-ASM-3) ----

const NOTICE = { kind: 'legal_education', title: '普法宣传：占道经营的法律责任', body: '第一段：占用城市道路经营须经许可。\n第二段：违者依法处罚。' }

async function publicList() {
  const res = await anon.get('/api/v1/public/notices?page_size=200')
  assert.equal(res.status, 200, show(res))
  return res.json
}

async function auditHead() {
  return (await (await as('auditor')).get('/api/v1/audit?limit=1')).json.items[0]?.id
}

test('R-ASM-3: only coordinator staff write notices; a refused create or step changes nothing', async () => {
  const total = async () => (await (await as('coordinator.staff')).get('/api/v1/public-notices?page_size=1')).json.total
  const before = await total()
  const head = await auditHead()
  assertError(await (await as('xincheng.officer')).post('/api/v1/public-notices', NOTICE), 403, { code: 'permission_denied', rule: 'R-ASM-3' })
  assertError(await (await as('auditor')).post('/api/v1/public-notices', NOTICE), 403, { rule: 'R-ASM-3' })
  assertError(await (await as('coordinator.staff')).post('/api/v1/public-notices', { ...NOTICE, kind: 'gossip' }), 400, { field: 'kind', rule: 'R-ASM-3' })
  assertError(await (await as('coordinator.staff')).post('/api/v1/public-notices', { ...NOTICE, title: '  ' }), 400, { field: 'title', rule: 'R-ASM-3' })
  assertError(await (await as('coordinator.staff')).post('/api/v1/public-notices', { ...NOTICE, extra: 1 }), 400, { field: 'extra' })
  assertError(await anon.post('/api/v1/public-notices', NOTICE), 401, {})
  assert.equal(await total(), before, 'nothing created')
  assert.equal(await auditHead(), head, 'nothing audited')
  // Townships and departments neither list nor see them.
  assertError(await (await as('xincheng.officer')).get('/api/v1/public-notices'), 403, { rule: 'R-ASM-3' })
})

test('R-ASM-3: a notice is public only while published — draft and withdrawn answer 404 on every public route', async () => {
  const coord = await as('coordinator.staff')
  const created = await coord.post('/api/v1/public-notices', NOTICE)
  assert.equal(created.status, 201, show(created))
  const n = created.json
  assert.equal(created.headers.get('location'), `/api/v1/public-notices/${n.id}`)
  assert.equal(n.state, 'draft')
  assert.equal(n.type, 'public_notice')
  const hidden = async () => {
    assertError(await anon.get(`/api/v1/public/notices/${n.id}`), 404, { code: 'not_found' })
    const page = await fetch(`${server.url}/public/${n.id}`)
    assert.equal(page.status, 404)
    assert.ok(!(await page.text()).includes(NOTICE.title))
    assert.ok(!(await publicList()).items.some((x) => x.id === n.id))
    assert.ok(!(await (await fetch(`${server.url}/public`)).text()).includes(NOTICE.title))
  }
  await hidden()
  // Other orgs do not see the draft internally either (404 without data).
  assert.equal((await (await as('xincheng.officer')).get(`/api/v1/public-notices/${n.id}`)).status, 404)

  const edited = await coord.post(`/api/v1/public-notices/${n.id}/edit`, { ...NOTICE, kind: 'enforcement_announcement', title: NOTICE.title + '（修订）' })
  assert.equal(edited.status, 200, show(edited))
  assert.equal(edited.json.kind, 'enforcement_announcement')
  const title = NOTICE.title + '（修订）'

  // Publishing: a township may not (403, nothing changes), the coordinator may.
  const head = await auditHead()
  assert.equal((await coord.get(`/api/v1/public-notices/${n.id}`)).json.state, 'draft')
  const refused = await (await as('xincheng.leader')).post(`/api/v1/public-notices/${n.id}/publish`, {})
  assert.ok(refused.status === 404 || refused.status === 403, show(refused))
  assert.equal(await auditHead(), head)
  assert.equal((await coord.get(`/api/v1/public-notices/${n.id}`)).json.state, 'draft')
  const pub = await coord.post(`/api/v1/public-notices/${n.id}/publish`, {})
  assert.equal(pub.status, 200, show(pub))
  assert.equal(pub.json.state, 'published')
  assert.ok(pub.json.published_at)

  const json = await anon.get(`/api/v1/public/notices/${n.id}`)
  assert.equal(json.status, 200, show(json))
  assert.deepEqual(Object.keys(json.json).sort(), ['body', 'id', 'issuer', 'kind', 'kind_label', 'published_at', 'title'])
  assert.equal(json.json.title, title)
  assert.equal(json.json.kind_label, '执法公告')
  assert.match(json.headers.get('cache-control'), /^public, max-age=\d+$/)
  assert.ok((await publicList()).items.some((x) => x.id === n.id))
  const page = await fetch(`${server.url}/public/${n.id}`)
  const html = await page.text()
  assert.equal(page.status, 200)
  assert.match(page.headers.get('cache-control'), /^public, max-age=\d+$/)
  assert.equal(page.headers.get('x-frame-options'), 'DENY')
  assert.ok(html.includes(title) && html.includes('<p>第二段：违者依法处罚。</p>'), html)
  const list = await (await fetch(`${server.url}/public`)).text()
  assert.ok(list.includes(`href="/public/${n.id}"`))

  // A published notice is no longer editable (409), and unchanged by the refusal.
  assertError(await coord.post(`/api/v1/public-notices/${n.id}/edit`, NOTICE), 409, { code: 'illegal_transition' })
  assert.equal((await anon.get(`/api/v1/public/notices/${n.id}`)).json.title, title)

  const wd = await coord.post(`/api/v1/public-notices/${n.id}/withdraw`, {})
  assert.equal(wd.status, 200, show(wd))
  assert.equal(wd.json.state, 'withdrawn')
  await hidden()
  assertError(await coord.post(`/api/v1/public-notices/${n.id}/publish`, {}), 409, { code: 'illegal_transition' })
})

test('R-ASM-3: public routes reach no internal data — other item ids, odd ids and internal routes stay closed', async () => {
  // The violation notice is an item too: not public under any id route.
  assertError(await anon.get(`/api/v1/public/notices/${item.id}`), 404, { code: 'not_found' })
  assert.equal((await fetch(`${server.url}/public/${item.id}`)).status, 404)
  assert.equal((await fetch(`${server.url}/public/abc`)).status, 404)
  assert.equal((await fetch(`${server.url}/public/0`)).status, 404)
  // The internal routes behind the public ones still need a session.
  for (const path of ['/api/v1/public-notices', `/api/v1/documents/${doc.id}`, `/api/v1/documents/${doc.id}/pdf`, `/api/v1/violation-notices/${item.id}`]) {
    assert.equal((await anon.get(path)).status, 401, path)
  }
  // Every /api/v1/public route answers without a session.
  const { code } = await marksOf(doc.id)
  for (const path of ['/api/v1/public/notices', `/api/v1/public/verify/${code}`]) {
    assert.equal((await anon.get(path)).status, 200, path)
  }
})
