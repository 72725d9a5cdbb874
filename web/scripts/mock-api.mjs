// A throwaway in-memory stand-in for the referral API (docs/referrals-contract.md), for working on
// the 案件移送 pages before the C++ routes exist. Serves dist/ with history fallback.
//   node scripts/mock-api.mjs 5199   → http://127.0.0.1:5199 (any demo user, any password)
// Not used by any test; the browser tests run against the real server.
import { createServer } from 'node:http'
import { readFile } from 'node:fs/promises'
import { extname, join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createHash } from 'node:crypto'

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist')
const port = Number(process.argv[2] || 5199)
const now = () => new Date(Date.parse('2026-11-24T09:00:00+08:00') + (Date.now() - started))
const started = Date.now()
const iso = (d) => new Date(d.getTime() + 8 * 3600e3).toISOString().replace('Z', '+08:00').replace(/\.\d+/, '')

const orgs = [
  { id: 1, code: 'coordinator', name: '中共新兴县委全面依法治县委员会办公室', short_name: '县委依法治县办', kind: 'coordinator', parent_id: null },
  { id: 2, code: 'xincheng', name: '新城镇综合行政执法办公室', short_name: '新城镇', kind: 'township', parent_id: null },
  { id: 3, code: 'liuzu', name: '六祖镇综合行政执法办公室', short_name: '六祖镇', kind: 'township', parent_id: null },
  { id: 4, code: 'scjg', name: '新兴县市场监督管理局', short_name: '县市场监管局', kind: 'county_department', parent_id: null },
  { id: 5, code: 'zjj', name: '新兴县住房和城乡建设局', short_name: '县住建局', kind: 'county_department', parent_id: null },
]
const users = {
  'xincheng.officer': { id: 11, display_name: '陈晓明', roles: ['officer'], org: 2 },
  'xincheng.leader': { id: 12, display_name: '黄志强', roles: ['leader'], org: 2 },
  'scjg.leader': { id: 21, display_name: '李建华', roles: ['leader'], org: 4 },
  'coordinator.staff': { id: 31, display_name: '王芳', roles: ['coordinator_staff'], org: 1 },
}
const matters = [
  { id: 1, code: 'SCJG-001', name: '无证无照经营', legal_basis: '《无证无照经营查处办法》第十三条', owner: 4, deleg: [] },
  { id: 2, code: 'ZJJ-003', name: '违法建设', legal_basis: '《中华人民共和国城乡规划法》第六十四条', owner: 5, deleg: [2] },
  { id: 3, code: 'SCJG-010', name: '占道经营', legal_basis: '《城市市容和环境卫生管理条例》第三十六条', owner: 4, deleg: [2, 3] },
]
const matterJson = (m) => ({
  id: m.id, code: m.code, name: m.name, legal_basis: m.legal_basis,
  owner_org: { id: m.owner, code: orgs[m.owner - 1].code, name: orgs[m.owner - 1].name },
  statutory_referral_days: null,
  delegations: m.deleg.map((t) => ({ township: { id: t, code: orgs[t - 1].code, name: orgs[t - 1].name }, from: '2023-07-12', to: null })),
})
const org = (id) => orgs.find((o) => o.id === Number(id))
const lite = (o) => o && { id: o.id, code: o.code, name: o.name, kind: o.kind }
const sessions = new Map()
const referrals = []
const files = new Map()
let numberSeq = 0

function duty(kind, rule, owner, title, hoursLeft) {
  const due = new Date(now().getTime() + hoursLeft * 3600e3)
  return { id: Math.floor(Math.random() * 1e6), kind, rule, rule_text: rule === 'R-REF-6' ? '接收单位应在5个工作日内书面告知受理情况' : '', owner_org: { id: owner.id, name: owner.name },
    object_type: 'referral', title, due_at: iso(due), state: 'open', colour: hoursLeft < 0 ? 'red' : hoursLeft < 30 ? 'yellow' : 'green',
    remaining: { working_days: Math.floor(Math.abs(hoursLeft) / 24), hours: Math.abs(hoursLeft) % 24, overdue: hoursLeft < 0 }, on_time: null }
}
function body(req) {
  return new Promise((r) => { const c = []; req.on('data', (d) => c.push(d)); req.on('end', () => r(Buffer.concat(c))) })
}
function send(res, status, obj) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' })
  res.end(JSON.stringify(obj))
}
const err = (res, status, code, message, field = null, rule = null) => send(res, status, { error: { code, message, field, rule } })

function view(r) {
  const ev = (a) => ({ at: iso(now()), action: a, summary: '', actor: { display_name: 'x' }, org: null })
  void ev
  return r
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x')
  const p = url.pathname
  const sid = /sid=(\w+)/.exec(req.headers.cookie || '')?.[1]
  const me = sid && sessions.get(sid)
  if (!p.startsWith('/api/')) {
    let f = join(dist, p)
    let data
    try { data = await readFile(f) } catch { f = join(dist, 'index.html'); data = await readFile(f) }
    const types = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html; charset=utf-8', '.svg': 'image/svg+xml' }
    res.writeHead(200, { 'Content-Type': types[extname(f)] || 'application/octet-stream' })
    return res.end(data)
  }
  if (p === '/api/v1/auth/login' && req.method === 'POST') {
    const b = JSON.parse(await body(req))
    const u = users[b.username]
    if (!u) return err(res, 401, 'invalid_credentials', '用户名或密码错误')
    const s = Math.random().toString(36).slice(2)
    const user = { ...u, username: b.username, org: org(u.org), org_id: u.org, unit_id: null, unit: null }
    sessions.set(s, user)
    res.setHeader('Set-Cookie', `sid=${s}; Path=/`)
    return send(res, 200, { user, csrf_token: 'x' })
  }
  if (!me) return err(res, 401, 'unauthenticated', '请先登录')
  if (p === '/api/v1/me') return send(res, 200, { user: me, csrf_token: 'x' })
  if (p === '/api/v1/auth/logout') { sessions.delete(sid); return send(res, 200, {}) }
  if (p === '/api/v1/events') { res.writeHead(200, { 'Content-Type': 'text/event-stream' }); return }
  if (p === '/api/v1/notifications') return send(res, 200, { items: [], total: 0, unread: 0 })
  if (p === '/api/v1/orgs') return send(res, 200, { items: orgs })
  if (p === '/api/v1/users') return send(res, 200, { items: Object.values(users).filter((u) => u.org === me.org.id && u.roles.includes(url.searchParams.get('role') || 'leader')).map((u) => ({ ...u, disabled: false })) })
  if (p === '/api/v1/duties') {
    const items = referrals.flatMap((r) => r.duties.filter((d) => d.state === 'open').map((d) => ({ ...d, object_id: String(r.id) })))
    return send(res, 200, { items, total: items.length })
  }
  if (p === '/api/v1/matters') {
    const q = url.searchParams.get('q') || ''
    const items = matters.filter((m) => !q || m.name.includes(q) || m.code.includes(q)).map(matterJson)
    return send(res, 200, { items, total: items.length })
  }
  if (p === '/api/v1/jurisdiction') {
    const m = matters.find((x) => x.code === url.searchParams.get('matter'))
    const t = Number(url.searchParams.get('township'))
    const del = m.deleg.includes(t)
    const c = del ? org(t) : org(m.owner)
    return send(res, 200, { competent_org: lite(c), matter: matterJson(m), delegation: del ? { from: '2023-07-12', to: null } : null, legal_basis: m.legal_basis,
      reason: del ? `该事项自2023-07-12起划转${org(t).short_name}实施` : `该事项未划转${org(t).short_name}，由${org(m.owner).short_name}管辖` })
  }
  if (p === '/api/v1/files' && req.method === 'POST') {
    const b = await body(req)
    const id = createHash('sha256').update(b).digest('hex')
    const f = { id, name: decodeURIComponent(req.headers['x-file-name'] || 'file'), size: b.length, content_type: req.headers['content-type'] }
    files.set(id, { ...f, b })
    return send(res, 201, f)
  }
  if (p.startsWith('/api/v1/files/')) {
    const f = files.get(p.split('/').pop())
    res.writeHead(200, { 'Content-Type': f.content_type }); return res.end(f.b)
  }
  if (p.startsWith('/api/v1/documents/')) {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
    return res.end('<html><body style="font-family:serif;padding:37mm 26mm 35mm 28mm"><h1 style="color:#c00;text-align:center">新城镇综合行政执法办公室</h1><p style="text-align:center">新城执移〔2026〕1号</p><hr style="border-color:#c00"><h2 style="text-align:center">案件移送函</h2></body></html>')
  }
  if (p === '/api/v1/referrals/approvals') {
    return send(res, 200, { items: referrals.filter((r) => r.state === 'submitted' && r.from_org.id === me.org.id), total: 0 })
  }
  if (p === '/api/v1/referrals' && req.method === 'GET') {
    const dir = url.searchParams.get('direction')
    const items = referrals.filter((r) => dir === 'all' || (dir === 'in' ? r.to_org.id === me.org.id : r.from_org.id === me.org.id))
    return send(res, 200, { items, total: items.length })
  }
  const toRef = (b, r = {}) => {
    const m = b.matter ? matters.find((x) => x.code === b.matter) : null
    return { ...r, to_org: lite(org(b.to_org)), matter: m && { id: m.id, code: m.code, name: m.name }, township: lite(org(b.township)), place: b.place,
      discovered_at: b.discovered_at, facts: b.facts, party: b.party, legal_basis: b.legal_basis, urgent: b.urgent, ongoing: b.ongoing, dissuasion: b.dissuasion,
      evidence: b.evidence.map((e) => ({ name: e.name, description: e.description, file: e.file ? (({ b: _b, ...f }) => f)(files.get(e.file)) : null })),
      checklist: b.checklist, jurisdiction_override_reason: b.jurisdiction_override_reason }
  }
  if (p === '/api/v1/referrals' && req.method === 'POST') {
    const b = JSON.parse(await body(req))
    const r = toRef(b, { id: referrals.length + 1, number: null, state: 'draft', from_org: lite(me.org), created_by: { id: me.id, display_name: me.display_name }, created_at: iso(now()),
      duties: [duty('referral.send', 'R-REF-4', me.org, '移送案件', 40)], documents: [], timeline: [{ at: iso(now()), action: 'create', summary: '创建草稿', actor: { display_name: me.display_name }, org: lite(me.org) }] })
    referrals.push(r)
    return send(res, 201, r)
  }
  const m = /^\/api\/v1\/referrals\/(\d+)(?:\/(.+))?$/.exec(p)
  if (m) {
    const r = referrals.find((x) => x.id === Number(m[1]))
    if (!r) return err(res, 404, 'not_found', '不存在')
    if (req.method === 'GET') return send(res, 200, view(r))
    const b = JSON.parse((await body(req)).toString() || '{}')
    if (req.method === 'PATCH') { Object.assign(r, toRef(b, r)); return send(res, 200, r) }
    const a = m[2]
    const tl = (action, summary = '') => r.timeline.push({ at: iso(now()), action, summary, actor: { display_name: me.display_name }, org: lite(me.org) })
    if (a === 'submit') {
      if (!r.evidence.some((e) => e.file)) return err(res, 400, 'incomplete', '移送须附证据材料', 'evidence', 'R-REF-3')
      r.state = 'submitted'; r.submitted_at = iso(now()); tl('submit')
    } else if (a === 'approve') {
      r.state = 'sent'; r.sent_at = iso(now()); r.number = `新城执移〔2026〕${++numberSeq}号`; tl('approve', r.number)
      r.duties[0].state = 'met'; r.duties[0].on_time = true
      r.duties.push(duty('referral.accept_notice', 'R-REF-6', org(r.to_org.id), '书面告知受理情况', -5))
      r.documents.push({ id: 1, kind: 'referral_letter', number: r.number, title: '案件移送函', created_at: iso(now()), url: '/api/v1/documents/1' })
    } else if (a === 'accept') {
      r.state = 'accepted'; r.accepted_at = iso(now()); tl('accept'); r.duties[1].state = 'met'; r.duties[1].on_time = true
    } else if (a === 'return') { r.state = 'returned'; r.return_reason = b.reason; tl('return', b.reason) }
    else return err(res, 409, 'illegal_transition', `当前状态为${r.state}，不能办理`, null, null)
    return send(res, 200, r)
  }
  err(res, 404, 'not_found', 'no route')
})
server.listen(port, '127.0.0.1', () => console.log(`mock on http://127.0.0.1:${port}`))
