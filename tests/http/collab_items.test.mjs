// The combined 协作 list GET /api/v1/collab-items and its CSV export (docs/collaboration-contract.md,
// "Combined 协作 list"; SPEC §5 R-COL-1..8, R-ACC-1, R-TIME-4). One item of each of the five
// types between 新城镇 (xincheng) and the county market regulation bureau (scjg): a collaboration
// request, a hazard notice, a special meeting, a participation request (scjg → xincheng) and a
// violation notice, created a minute apart. Each side sees them with the right direction; 六祖镇
// (liuzu) sees none; filters, paging, order, refusals naming the field, and the CSV.
// The tests run in order on one server; the fake clock starts on Monday 2026-11-23 09:00.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer } from '../lib/server.mjs'
import { show } from './lib/util.mjs'
import { Users, orgsByCode, getRaw, assertError, NUMBER_RE } from './lib/referrals.mjs'

const NOW = '2026-11-23T09:00:00+08:00'
const TYPES = ['collaboration', 'notice', 'meeting', 'participation', 'violation_notice']
const API_OF = {
  collaboration: 'collaborations',
  notice: 'notices',
  meeting: 'meetings',
  participation: 'participation-requests',
  violation_notice: 'violation-notices',
}
const UI_OF = {
  collaboration: '/collaborations/',
  notice: '/notices/',
  meeting: '/meetings/',
  participation: '/participation-requests/',
  violation_notice: '/violation-notices/',
}

let server
let as
let orgs
const made = {} // type → the item as its own API returned it
let draft // a collaboration draft of xincheng (never sent)

async function ok(res, status = 200) {
  assert.equal(res.status, status, show(res))
  return res.json
}

async function advance(seconds) {
  const res = await (await as('admin')).post('/api/v1/test/clock', { advance_seconds: seconds })
  assert.ok(res.status === 200 || res.status === 204, show(res))
}

/** GET /api/v1/collab-items?query as `user`; asserts 200 and the shape. */
async function list(user, query = '') {
  const body = await ok(await (await as(user)).get(`/api/v1/collab-items${query ? '?' + query : ''}`))
  assert.equal(typeof body.total, 'number')
  assert.ok(Array.isArray(body.items))
  return body
}

/** Every item `user` sees with `query` (paging through). */
async function all(user, query = '') {
  const out = []
  for (let page = 1; ; page++) {
    const body = await list(user, `${query}${query ? '&' : ''}page=${page}&page_size=200`)
    out.push(...body.items)
    if (body.items.length < 200) return out
  }
}

const key = (x) => `${x.type}:${x.id}`
const mine = (items) => items.filter((x) => made[x.type]?.id === x.id)

/** "2026-11-25 09:00" in Shanghai time. */
function shanghaiMinute(instant) {
  const d = new Date(Date.parse(instant) + 8 * 3600_000)
  return d.toISOString().slice(0, 16).replace('T', ' ')
}
/** A deadline: as shanghaiMinute, but 00:00 is 24:00 of the day before (R-TIME-5, issue 17 defect 4). */
function dueMinute(instant) {
  const m = shanghaiMinute(instant)
  return m.endsWith(' 00:00') ? `${shanghaiMinute(new Date(Date.parse(instant) - 60_000).toISOString()).slice(0, 10)} 24:00` : m
}

before(async () => {
  server = await startServer({ fakeClock: NOW, extraArgs: ['--access-log', 'off', '--sweep-interval', '3600'] })
  as = Users(server.url, { tokens: true })
  orgs = await orgsByCode(await as('coordinator.staff'))
  const town = await as('xincheng.officer')
  const dept = await as('scjg.officer')

  draft = await ok(await town.post('/api/v1/collaborations', {
    kind: 'advisory_opinion', to_org: orgs.scjg.id, title: '集合列表草稿：尚未发送', questions: '草稿', case_ref: '草稿',
  }), 201)
  await advance(60)

  const c = await ok(await town.post('/api/v1/collaborations', {
    kind: 'technical_appraisal', to_org: orgs.scjg.id, title: '集合列表协作：饮料保质期',
    questions: '请对查扣的12箱饮料是否过期进行鉴定，样品编号YL-0042', case_ref: '新城镇2026年第18号案', materials: [],
  }), 201)
  await ok(await town.post(`/api/v1/collaborations/${c.id}/submit`, {}))
  made.collaboration = await ok(await (await as('xincheng.leader')).post(`/api/v1/collaborations/${c.id}/approve`, {}))
  await advance(60)

  made.notice = await ok(await town.post('/api/v1/notices', {
    kind: 'hazard', to_org: orgs.scjg.id, title: '集合列表通报：化工厂储罐',
    description: '东区化工厂储罐区域存在泄漏隐患ZX-7788，请研究处置。', place: '新城镇东区',
  }), 201)
  await advance(60)

  made.meeting = await ok(await town.post('/api/v1/meetings', {
    subject: '集合列表会议：重大案件线索', agenda: '研究线索与联合执法', start_at: '2026-11-26T09:00:00+08:00',
    place: '新城镇会议室', invitees: [{ org: orgs.scjg.id }], title: '集合列表会议：重大案件线索',
  }), 201)
  await advance(60)

  made.participation = await ok(await dept.post('/api/v1/participation-requests', {
    kind: 'special_inspection', to_org: orgs.xincheng.id, subject: '集合列表参与：农贸市场专项检查',
    start_at: '2026-11-25T14:00:00+08:00', place: '新城镇农贸市场', title: '集合列表参与：农贸市场专项检查',
  }), 201)
  await advance(60)

  made.violation_notice = await ok(await town.post('/api/v1/violation-notices', {
    category: 'safety', to_org: orgs.scjg.id, title: '集合列表违法：无证储存烟花',
    description: '发现仓库无证储存烟花爆竹', place: '新城镇北街',
  }), 201)
})

after(async () => {
  await server?.stop()
})

test('R-COL-1..8, R-ACC-1: the township sees all five items it sent or received, newest first, with the contract shape', async () => {
  const items = mine(await all('xincheng.officer'))
  assert.deepEqual(items.map((x) => x.type), [...TYPES].reverse(), 'created a minute apart: newest first')
  for (const x of items) {
    const own = made[x.type]
    assert.deepEqual(Object.keys(x).sort(),
      ['colour', 'created_at', 'due_at', 'from_org', 'id', 'number', 'state', 'state_label', 'title', 'to_org', 'type', 'url'])
    assert.equal(x.url, UI_OF[x.type] + own.id)
    assert.equal(x.title, own.title)
    assert.equal(x.number, own.number ?? null)
    assert.equal(x.state, own.state)
    assert.equal(x.created_at, own.created_at)
    assert.deepEqual(x.from_org, { id: own.from_org.id, code: own.from_org.code, name: own.from_org.name })
    if (x.type === 'meeting') assert.equal(x.to_org, null)
    else assert.deepEqual(x.to_org, { id: own.to_org.id, code: own.to_org.code, name: own.to_org.name })
    assert.ok(x.colour === null || ['green', 'yellow', 'red'].includes(x.colour), x.colour)
    if (x.colour) assert.ok(x.due_at, `${x.type}: a colour comes with its due`)
  }
  // The formal acts are numbered (R-DOC-1).
  for (const t of ['collaboration', 'participation', 'violation_notice']) {
    assert.match(items.find((x) => x.type === t).number, NUMBER_RE, t)
  }
  // The collaboration's answer duty (R-COL-2) is its due.
  const c = items.find((x) => x.type === 'collaboration')
  const answer = made.collaboration.duties.find((d) => d.kind === 'collaboration.answer')
  assert.equal(Date.parse(c.due_at), Date.parse(answer.due_at))
  assert.equal(c.colour, 'green')
  // The draft is the sender's alone.
  assert.ok((await all('xincheng.officer')).some((x) => x.type === 'collaboration' && x.id === draft.id))
})

test('R-COL-1..8: state_label is the Chinese label the type\'s own API renders', async () => {
  const items = mine(await all('xincheng.officer'))
  assert.equal(items.length, 5)
  for (const x of items) {
    const own = await ok(await (await as('xincheng.officer')).get(`/api/v1/${API_OF[x.type]}/${x.id}`))
    assert.equal(x.state_label, own.state_label, x.type)
    assert.match(x.state_label, /\p{Script=Han}/u, `${x.type}: ${x.state_label}`)
  }
  assert.equal(items.find((x) => x.type === 'collaboration').state_label, '已发送')
  assert.equal(items.find((x) => x.type === 'notice').state_label, '待研究处置')
})

test('R-ACC-1: direction — out is what my org started, in what was addressed or invited to it', async () => {
  const xOut = mine(await all('xincheng.officer', 'direction=out')).map((x) => x.type).sort()
  const xIn = mine(await all('xincheng.officer', 'direction=in')).map((x) => x.type).sort()
  assert.deepEqual(xOut, ['collaboration', 'meeting', 'notice', 'violation_notice'])
  assert.deepEqual(xIn, ['participation'])
  const sOut = mine(await all('scjg.officer', 'direction=out')).map((x) => x.type).sort()
  const sIn = mine(await all('scjg.officer', 'direction=in')).map((x) => x.type).sort()
  assert.deepEqual(sOut, ['participation'])
  assert.deepEqual(sIn, ['collaboration', 'meeting', 'notice', 'violation_notice'])
  // Every item of either list is one of the org's own (R-ACC-1), whatever the filters.
  for (const x of await all('scjg.officer')) {
    assert.ok(x.from_org.id === orgs.scjg.id || x.to_org?.id === orgs.scjg.id || x.type === 'meeting', JSON.stringify(x))
  }
  // The department never sees the township's unsent draft.
  assert.ok(!(await all('scjg.officer')).some((x) => x.type === 'collaboration' && x.id === draft.id))
})

test('R-ACC-1: a third township sees none of them, in the list or the CSV; the coordinator sees them all', async () => {
  const liuzu = await all('liuzu.officer')
  assert.deepEqual(mine(liuzu), [])
  assert.ok(!liuzu.some((x) => x.type === 'collaboration' && x.id === draft.id))
  for (const t of TYPES) assert.equal(mine(await all('liuzu.officer', `type=${t}`)).length, 0, t)
  const csv = await getRaw(server.url, await as('liuzu.officer'), '/api/v1/collab-items/export.csv', 'text/csv')
  assert.equal(csv.status, 200)
  for (const t of TYPES) assert.ok(!csv.text.includes(made[t].title), `liuzu's CSV lists ${t}`)
  // The coordinator sees everything (R-ACC-1), sent or not.
  const coord = await all('coordinator.staff')
  assert.equal(mine(coord).length, 5)
  // direction=in for the coordinator: nothing of these is addressed to it.
  assert.equal(mine(await all('coordinator.staff', 'direction=in')).length, 0)
})

test('R-COL-1..8: filter by type', async () => {
  for (const t of TYPES) {
    const items = await all('xincheng.officer', `type=${t}`)
    assert.ok(items.length >= 1, t)
    assert.ok(items.every((x) => x.type === t), t)
    assert.ok(items.some((x) => x.id === made[t].id), t)
  }
  const every = await all('xincheng.officer', 'type=all')
  assert.deepEqual(every.map(key), (await all('xincheng.officer')).map(key))
})

// Issue 17: the workbench counts this month's items in and out; its card links to this list with
// from/to, so the filter must select by the day created (Shanghai days, inclusive) for every type.
test('R-COL-1..8, issue 17: filter by the day created (from/to) — every type, list total and CSV', async () => {
  const day = '2026-11-23' // every item was created on the first day of the clock
  const onDay = await all('xincheng.officer', `from=${day}&to=${day}`)
  assert.deepEqual(mine(onDay).map((x) => x.type), [...TYPES].reverse())
  const [dayStart, dayEnd] = [Date.parse(`${day}T00:00:00+08:00`), Date.parse(`${day}T00:00:00+08:00`) + 86400_000]
  assert.ok(onDay.every((x) => Date.parse(x.created_at) >= dayStart && Date.parse(x.created_at) < dayEnd), 'only that Shanghai day')
  assert.equal((await list('xincheng.officer', `from=${day}&to=${day}&page_size=1`)).total, onDay.length, 'total is exact')
  // The month: out and in, as the workbench asks (total = what the list pages through).
  for (const [dir, want] of [['out', ['collaboration', 'meeting', 'notice', 'violation_notice']], ['in', ['participation']]]) {
    const q = `direction=${dir}&from=2026-11-01&to=2026-11-30`
    const items = await all('xincheng.officer', q)
    assert.deepEqual(mine(items).map((x) => x.type).sort(), want, dir)
    assert.equal((await list('xincheng.officer', `${q}&page_size=1`)).total, items.length, `${dir}: total`)
  }
  // Each source applies it (collaborations through their service, the others in SQL).
  for (const t of TYPES) {
    assert.ok((await all('xincheng.officer', `type=${t}&from=${day}`)).some((x) => x.id === made[t].id), `${t} from ${day}`)
    assert.ok(!(await all('xincheng.officer', `type=${t}&from=2026-11-24`)).some((x) => x.id === made[t].id), `${t} from the 24th`)
    assert.ok(!(await all('xincheng.officer', `type=${t}&to=2026-11-22`)).some((x) => x.id === made[t].id), `${t} to the 22nd`)
  }
  assert.equal((await list('xincheng.officer', 'from=2026-12-01&to=2026-12-31')).total, 0, 'next month: none yet')
  // The export takes the same filter.
  const later = await getRaw(server.url, await as('xincheng.officer'), '/api/v1/collab-items/export.csv?from=2026-11-24', 'text/csv')
  assert.equal(later.status, 200)
  for (const t of TYPES) assert.ok(!later.text.includes(made[t].title), `the CSV from the 24th lists ${t}`)
  const same = await getRaw(server.url, await as('xincheng.officer'), `/api/v1/collab-items/export.csv?from=${day}&to=${day}`, 'text/csv')
  for (const t of TYPES) assert.ok(same.text.includes(made[t].title), `the CSV of ${day} lists ${t}`)
})

test('R-COL-1..8: filter by state (a state name of the type)', async () => {
  const sent = await all('xincheng.officer', 'state=sent')
  assert.deepEqual(sent.map(key), [key({ type: 'collaboration', id: made.collaboration.id })])
  const drafts = await all('xincheng.officer', 'type=collaboration&state=draft')
  assert.deepEqual(drafts.map((x) => x.id), [draft.id])
  const scheduled = await all('scjg.officer', 'type=meeting&state=scheduled')
  assert.deepEqual(scheduled.map((x) => x.id), [made.meeting.id])
  // "notified" is a state of participation requests and of violation notices.
  const notified = mine(await all('xincheng.officer', 'state=notified')).map((x) => x.type).sort()
  assert.deepEqual(notified, ['participation', 'violation_notice'])
  assert.deepEqual(await all('xincheng.officer', 'type=notice&state=closed'), [])
})

test('R-COL-1..8: q searches the title, the number and the type\'s own text', async () => {
  assert.deepEqual((await all('xincheng.officer', `q=${encodeURIComponent('化工厂储罐')}`)).map(key), [`notice:${made.notice.id}`])
  // Text of the notice's description (its own fields), not in the title.
  assert.deepEqual((await all('scjg.officer', 'q=ZX-7788')).map(key), [`notice:${made.notice.id}`])
  // The collaboration's questions.
  assert.deepEqual((await all('scjg.officer', 'q=YL-0042')).map(key), [`collaboration:${made.collaboration.id}`])
  // A number.
  const n = made.violation_notice.number
  assert.ok((await all('scjg.officer', `q=${encodeURIComponent(n)}`)).some((x) => x.type === 'violation_notice' && x.id === made.violation_notice.id))
  // Every title has 集合列表: all five, and nothing for liuzu.
  assert.equal(mine(await all('xincheng.officer', `q=${encodeURIComponent('集合列表')}`)).length, 5)
  assert.equal((await all('liuzu.officer', `q=${encodeURIComponent('集合列表')}`)).length, 0)
})

test('R-COL-1..8: q never matches the names of the stored fields, only their text; total is exact', async () => {
  // Every notice, meeting, participation request and violation notice stores its own fields as
  // JSON with keys like these: a search for a key name must not match them all.
  for (const name of ['description', 'place', 'invitees', 'agenda', 'subject', 'category', 'start_at', 'org']) {
    const found = await all('coordinator.staff', `q=${encodeURIComponent(name)}`)
    assert.deepEqual(mine(found).map(key), [], `q=${name}`)
    const body = await list('coordinator.staff', `q=${encodeURIComponent(name)}&page_size=1`)
    assert.equal(body.total, found.length, `q=${name}: total`)
  }
  // …while the values of those fields are found.
  assert.deepEqual(mine(await all('scjg.officer', `q=${encodeURIComponent('新城镇东区')}`)).map(key), [`notice:${made.notice.id}`])
  assert.deepEqual(mine(await all('scjg.officer', `q=${encodeURIComponent('研究线索')}`)).map(key), [`meeting:${made.meeting.id}`])
  // total counts every matching item, on every page, whatever the page size.
  const everything = await all('coordinator.staff')
  for (const size of [1, 3]) {
    const body = await list('coordinator.staff', `page=2&page_size=${size}`)
    assert.equal(body.total, everything.length)
  }
})

test('R-TIME-4, R-COL-8: filter by colour — the violation notice turns red once its 2-hour dispatch duty is overdue', async () => {
  const current = await all('xincheng.officer')
  for (const c of ['green', 'yellow', 'red']) {
    const got = await all('xincheng.officer', `colour=${c}`)
    assert.deepEqual(got.map(key), current.filter((x) => x.colour === c).map(key), c)
  }
  await advance(3 * 3600)
  const red = mine(await all('xincheng.officer', 'colour=red'))
  assert.ok(red.some((x) => x.type === 'violation_notice'), JSON.stringify(red))
  assert.ok(red.every((x) => x.colour === 'red'))
  const v = red.find((x) => x.type === 'violation_notice')
  const duty = made.violation_notice.duties.find((d) => d.kind === 'violation.dispatch')
  assert.equal(Date.parse(v.due_at), Date.parse(duty.due_at))
  assert.ok(!mine(await all('xincheng.officer', 'colour=green')).some((x) => x.type === 'violation_notice'))
  // Filters combine: red violation notices addressed to scjg.
  assert.deepEqual(mine(await all('scjg.officer', 'colour=red&direction=in&type=violation_notice')).map(key), [key(v)])
})

test('R-COL-1..8: paging — pages of 2 make up the whole list, total stays the same', async () => {
  const whole = await list('xincheng.officer', 'page_size=200')
  assert.ok(whole.total >= 6, `total ${whole.total}`)
  assert.equal(whole.items.length, whole.total)
  const seen = []
  for (let page = 1; page <= Math.ceil(whole.total / 2); page++) {
    const body = await list('xincheng.officer', `page=${page}&page_size=2`)
    assert.equal(body.total, whole.total)
    assert.ok(body.items.length <= 2)
    seen.push(...body.items)
  }
  assert.deepEqual(seen.map(key), whole.items.map(key))
  const beyond = await list('xincheng.officer', `page=${whole.total + 1}&page_size=2`)
  assert.deepEqual(beyond.items, [])
  assert.equal(beyond.total, whole.total)
  // Default page size 20.
  assert.ok((await list('xincheng.officer')).items.length <= 20)
  // Order: created_at descending, then type, then id descending.
  for (let i = 1; i < whole.items.length; i++) {
    const a = whole.items[i - 1]
    const b = whole.items[i]
    const ta = Date.parse(a.created_at)
    const tb = Date.parse(b.created_at)
    assert.ok(ta > tb || (ta === tb && (a.type < b.type || (a.type === b.type && a.id > b.id))), `${key(a)} before ${key(b)}`)
  }
})

test('R-COL-1..8: bad parameters → 400 naming the field (list and export)', async () => {
  const client = await as('xincheng.officer')
  const cases = [
    ['type=bogus', 'type'],
    ['type=referral', 'type'],
    ['direction=sideways', 'direction'],
    ['colour=blue', 'colour'],
    ['state=nonsense', 'state'],
    ['type=notice&state=sent', 'state'],
    [`q=${'长'.repeat(101)}`, 'q'],
    ['from=2026-13-01', 'from'],
    ['to=11/30', 'to'],
    ['from=2026-11-30&to=2026-11-01', 'to'],
  ]
  for (const [query, field] of cases) {
    for (const path of ['/api/v1/collab-items', '/api/v1/collab-items/export.csv']) {
      const res = await client.get(`${path}?${encodeURI(query)}`)
      assertError(res, 400, { field })
    }
  }
  assertError(await client.get('/api/v1/collab-items?colour=blue'), 400, { field: 'colour', rule: 'R-TIME-4' })
  assertError(await client.get('/api/v1/collab-items?page=0'), 400, { field: 'page' })
  assertError(await client.get('/api/v1/collab-items?page_size=201'), 400, { field: 'page_size' })
  assertError(await client.get('/api/v1/collab-items?page_size=x'), 400, { field: 'page_size' })
  // Not signed in.
  const anon = await fetch(new URL('/api/v1/collab-items', server.url))
  assert.equal(anon.status, 401)
})

test('R-COL-1..8: CSV export — BOM, header, one row per item with the same filters, Chinese values', async () => {
  const res = await getRaw(server.url, await as('xincheng.officer'), '/api/v1/collab-items/export.csv', 'text/csv')
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type') ?? '', /^text\/csv;\s*charset=utf-8/i)
  assert.match(res.headers.get('content-disposition') ?? '', /^attachment;/)
  assert.deepEqual([...res.bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM')
  const lines = res.text.slice(1).split('\r\n').filter((l) => l.length > 0)
  assert.equal(lines[0], '类型,文号,标题,发起单位,接收单位,状态,期限,颜色,创建时间')
  const every = await all('xincheng.officer')
  assert.equal(lines.length - 1, every.length, 'one row per item')
  // The notice's row (no number; still open).
  const n = every.find((x) => x.type === 'notice' && x.id === made.notice.id)
  const colourWord = { green: '正常', yellow: '预警', red: '超期' }
  const row = ['隐患通报', '', n.title, orgs.xincheng.name, orgs.scjg.name, '待研究处置',
    n.due_at ? dueMinute(n.due_at) : '', n.colour ? colourWord[n.colour] : '', shanghaiMinute(n.created_at)].join(',')
  assert.ok(lines.includes(row), `row ${row} in\n${lines.join('\n')}`)
  assert.equal(shanghaiMinute(n.created_at), '2026-11-23 09:02')
  assert.ok(!lines.some((l) => / 00:00,/.test(l)), 'no deadline written as 00:00 of the next day')
  // The violation notice's row carries its number and its red colour (after the clock moved).
  const v = lines.find((l) => l.includes(made.violation_notice.number))
  assert.ok(v && v.startsWith('违法行为通知,') && v.includes(',超期,'), v)
  // Rows in the list's order.
  const titles = lines.slice(1).map((l) => l.split(',')[2])
  assert.deepEqual(titles, every.map((x) => x.title))
  // The same filters as the list.
  const onlyNotices = await getRaw(server.url, await as('xincheng.officer'), '/api/v1/collab-items/export.csv?type=notice&direction=out', 'text/csv')
  const noticeLines = onlyNotices.text.slice(1).split('\r\n').filter((l) => l.length > 0)
  assert.equal(noticeLines.length - 1, (await all('xincheng.officer', 'type=notice&direction=out')).length)
  assert.ok(noticeLines.slice(1).every((l) => l.startsWith('隐患通报,')))
})
