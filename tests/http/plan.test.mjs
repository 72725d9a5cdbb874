// The annual enforcement plan (年度执法计划, R-PLN-1) and commanded tasks (交办任务, R-PLN-2), end
// to end against docs/plan-contract.md: the coordinator drafts a plan, asks departments for
// comments (plan.comment met by the comment), splits it into key tasks, issues it (numbered 计
// to every township and department; one plan_task.complete duty per task on its owner, due on
// the task's due date); owners and co-owners report progress; 100 % with the outcome completes
// the task and alone meets its duty; an overdue task is red in the plan's progress by org; an
// ad hoc task to any org (numbered 任). Refusals name field and rule and change nothing;
// organisations the plan or task is not addressed to get 404.
// The tests run in order on one server; the fake clock only moves forward from Monday 2026-11-23.
// xt-backends: sqlite postgres (servers start in ./lib/coord.mjs through startServer)
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { show } from './lib/util.mjs'
import { assertSameInstant, NUMBER_RE } from './lib/referrals.mjs'
import { CoordSuite, dutiesOf, assertError } from './lib/coord.mjs'

const S = CoordSuite({ start: '2026-11-23T09:00:00+08:00' })
let orgs
const P = 'plans'
const T = 'plan-tasks'

before(async () => {
  await S.start()
  orgs = S.orgs
})
after(S.stop)

const draft = (over = {}) => ({
  year: 2027, title: '2027年度综合行政执法工作计划',
  text: '一、总体要求\n坚持依法行政，推进乡镇综合行政执法规范化。\n二、重点任务\n见附表。', ...over,
})
const tasks = () => [
  { title: '测试：开展校园周边食品安全专项检查', owner_org: orgs.scjg.id, co_owner_orgs: [orgs.xincheng.id], due_date: '2026-12-31', output: '检查学校周边经营户不少于100户，形成检查报告' },
  { title: '测试：整治河道非法采砂', owner_org: orgs.zrzy.id, co_owner_orgs: [orgs.swj.id, orgs.liuzu.id], due_date: '2026-12-04', output: '查处案件台账及整治总结' },
  { title: '测试：乡镇执法案卷评查', owner_org: orgs.xincheng.id, due_date: '2027-03-31', output: '评查案卷30宗并通报结果' },
]
const unchanged = (res, id, fn) => S.unchanged(res, id, fn)

let plan
test('R-PLN-1: only the coordinator drafts the plan; bad input names field and rule, nothing is created', async () => {
  const create = (who, body) => S.noneCreated(P, () => S.post(who, `/api/v1/${P}`, body))
  assertError(await create('scjg.officer', draft()), 403, { code: 'permission_denied', rule: 'R-PLN-1' })
  assertError(await create('xincheng.leader', draft()), 403, { rule: 'R-PLN-1' })
  assertError(await create('auditor', draft()), 403, { rule: 'R-PLN-1' })
  assertError(await create('coordinator.staff', draft({ title: undefined })), 400, { code: 'missing_field', field: 'title', rule: 'R-PLN-1' })
  assertError(await create('coordinator.staff', draft({ year: 2031 })), 400, { field: 'year', rule: 'R-PLN-1' })
  assertError(await create('coordinator.staff', draft({ bogus: 1 })), 400, { code: 'unknown_field', field: 'bogus', rule: 'R-PLN-1' })
  assertError(await create('coordinator.staff', draft({ materials: [{ name: 'x', file: 'f'.repeat(64) }] })), 400, { field: 'materials[0].file', rule: 'R-PLN-1' })
  const anon = await fetch(`${S.server.url}/api/v1/${P}`)
  assert.equal(anon.status, 401)

  plan = await S.create('coordinator.staff', P, draft())
  assert.equal(plan.type, 'annual_plan')
  assert.equal(plan.state, 'draft')
  assert.equal(plan.state_label, '起草中')
  assert.equal(plan.year, 2027)
  assert.equal(plan.number, null)
  assert.deepEqual(plan.tasks, [])
  assert.deepEqual(plan.progress_by_org, [])
  assert.deepEqual(plan.duties, [])
  // A draft is the coordinator's: no township or department sees it yet (R-ACC-1).
  for (const who of ['scjg.officer', 'xincheng.officer']) {
    assert.equal((await S.get(who, `/api/v1/${P}/${plan.id}`)).status, 404, who)
    assert.ok(!(await S.listIds(who, P)).includes(plan.id), who)
  }
  assert.equal((await S.detail('auditor', P, plan.id)).id, plan.id)
})

test('R-PLN-1: the draft goes to chosen departments for comments — a plan.comment duty each, met by that department\'s comment', async () => {
  assertError(await unchanged(P, plan.id, () => S.post('scjg.officer', `/api/v1/${P}/${plan.id}/consult`, { orgs: [orgs.scjg.id] })), 404, { code: 'not_found' })
  assertError(await unchanged(P, plan.id, () => S.post('coordinator.staff', `/api/v1/${P}/${plan.id}/consult`, { orgs: [orgs.xincheng.id] })), 400, { field: 'orgs[0]', rule: 'R-PLN-1' })
  assertError(await unchanged(P, plan.id, () => S.post('coordinator.staff', `/api/v1/${P}/${plan.id}/consult`, { orgs: [] })), 400, { field: 'orgs', rule: 'R-PLN-1' })
  assertError(await unchanged(P, plan.id, () => S.post('coordinator.staff', `/api/v1/${P}/${plan.id}/comment`, { text: '无' })), 403, { code: 'permission_denied', rule: 'R-PLN-1' })
  const c = await S.act('coordinator.staff', P, plan.id, 'consult', { orgs: [orgs.scjg.id, orgs.zrzy.id], note: '请于一周内反馈' })
  assert.equal(c.state, 'consulting')
  const duties = dutiesOf(c, 'plan.comment')
  assert.deepEqual(duties.map((d) => d.owner_org.id).sort(), [orgs.scjg.id, orgs.zrzy.id].sort())
  assert.ok(duties.every((d) => d.state === 'open' && d.rule === 'R-PLN-1'))
  assert.deepEqual(duties[0].period, { unit: 'working_days', value: 5 })
  assert.deepEqual(await S.noteKinds('scjg.leader', 'annual_plan', plan.id), ['plan.consult'])
  // A consulted department sees the draft; one not asked does not.
  assert.equal((await S.detail('scjg.officer', P, plan.id)).state, 'consulting')
  assert.equal((await S.get('sthj.officer', `/api/v1/${P}/${plan.id}`)).status, 404)
  assertError(await unchanged(P, plan.id, () => S.post('coordinator.staff', `/api/v1/${P}/${plan.id}/consult`, { orgs: [orgs.scjg.id] })), 400, { code: 'duplicate', field: 'orgs[0]' })
  assertError(await unchanged(P, plan.id, () => S.post('scjg.officer', `/api/v1/${P}/${plan.id}/comment`, {})), 400, { code: 'missing_field', field: 'text', rule: 'R-PLN-1' })

  const m = await S.act('scjg.officer', P, plan.id, 'comment', { text: '建议增加校园周边食品安全专项检查' })
  const mine = dutiesOf(m, 'plan.comment').find((d) => d.owner_org.id === orgs.scjg.id)
  assert.equal(mine.state, 'met')
  assert.equal(dutiesOf(m, 'plan.comment').find((d) => d.owner_org.id === orgs.zrzy.id).state, 'open')
  assert.equal(m.consulted.find((x) => x.org.id === orgs.scjg.id).comment.text, '建议增加校园周边食品安全专项检查')
  assertError(await unchanged(P, plan.id, () => S.post('scjg.officer', `/api/v1/${P}/${plan.id}/comment`, { text: '再补充' })), 409, { code: 'comment_given', rule: 'R-PLN-1' })
  plan = m
})

test('R-PLN-1: split into key tasks (owner, co-owners, due date, output); nothing issued without tasks', async () => {
  assertError(await unchanged(P, plan.id, () => S.post('coordinator.staff', `/api/v1/${P}/${plan.id}/issue`, {})), 409, { code: 'no_tasks', rule: 'R-PLN-1' })
  const split = (body) => S.post('coordinator.staff', `/api/v1/${P}/${plan.id}/tasks`, body)
  assertError(await unchanged(P, plan.id, () => split({ tasks: [{ ...tasks()[0], due_date: '2026-11-23' }] })), 400, { field: 'tasks[0].due_date', rule: 'R-PLN-1' })
  assertError(await unchanged(P, plan.id, () => split({ tasks: [{ ...tasks()[0], due_date: '31/12/2026' }] })), 400, { field: 'tasks[0].due_date', rule: 'R-PLN-1' })
  assertError(await unchanged(P, plan.id, () => split({ tasks: [tasks()[0], { ...tasks()[1], owner_org: 999999 }] })), 400, { field: 'tasks[1].owner_org', rule: 'R-PLN-1' })
  assertError(await unchanged(P, plan.id, () => split({ tasks: [{ ...tasks()[0], co_owner_orgs: [orgs.scjg.id] }] })), 400, { field: 'tasks[0].co_owner_orgs[0]' })
  assertError(await unchanged(P, plan.id, () => split({ tasks: [{ ...tasks()[0], output: undefined }] })), 400, { code: 'missing_field', field: 'tasks[0].output', rule: 'R-PLN-1' })
  assertError(await unchanged(P, plan.id, () => S.post('scjg.officer', `/api/v1/${P}/${plan.id}/tasks`, { tasks: tasks() })), 403, { rule: 'R-PLN-1' })
  const s = await S.act('coordinator.staff', P, plan.id, 'tasks', { tasks: tasks() })
  assert.equal(s.state, 'consulting')
  assert.deepEqual(s.tasks.map((t) => [t.no, t.owner_org.id, t.due_date, t.task_id]), [
    [1, orgs.scjg.id, '2026-12-31', null], [2, orgs.zrzy.id, '2026-12-04', null], [3, orgs.xincheng.id, '2027-03-31', null]])
  assert.deepEqual(s.tasks[1].co_owner_orgs.map((o) => o.id), [orgs.swj.id, orgs.liuzu.id])
  plan = s
})

let taskIds
test('R-PLN-1: issuing — numbered 计 to every township and department, comment duties waived, one plan_task.complete duty per task due on its date', async () => {
  assertError(await unchanged(P, plan.id, () => S.post('scjg.leader', `/api/v1/${P}/${plan.id}/issue`, {})), 403, { code: 'permission_denied', rule: 'R-PLN-1' })
  const i = await S.act('coordinator.staff', P, plan.id, 'issue', {})
  assert.equal(i.state, 'issued')
  assert.equal(i.state_label, '已印发')
  assert.match(i.number, NUMBER_RE)
  assert.ok(i.number.includes('计'), i.number)
  assert.deepEqual(i.documents.map((d) => [d.kind, d.number]), [['annual_plan', i.number]])
  assert.equal(i.issued.document.number, i.number)
  assert.equal(dutiesOf(i, 'plan.comment').find((d) => d.owner_org.id === orgs.zrzy.id).state, 'waived')
  taskIds = i.tasks.map((t) => t.task_id)
  assert.ok(taskIds.every((id) => Number.isInteger(id)))
  assert.deepEqual(i.tasks.map((t) => [t.state, t.percent, t.colour]), [['open', 0, 'green'], ['open', 0, 'green'], ['open', 0, 'green']])
  assert.deepEqual(i.progress_by_org.map((r) => [r.org.id, r.tasks, r.done, r.average_percent, r.overdue]),
    [[orgs.scjg.id, 1, 0, 0, 0], [orgs.zrzy.id, 1, 0, 0, 0], [orgs.xincheng.id, 1, 0, 0, 0]])
  // Issued to every township and department: all of them see it now; the police do not (R-ACC-1).
  for (const who of ['sthj.officer', 'dajiang.officer', 'xincheng.officer']) assert.equal((await S.detail(who, P, plan.id)).number, i.number, who)
  assert.equal((await S.get('gaj.officer', `/api/v1/${P}/${plan.id}`)).status, 404)
  // The plan document is readable by a township, not by the police.
  assert.equal((await S.get('dajiang.officer', `/api/v1/documents/${i.documents[0].id}`)).status, 200)
  assert.equal((await S.get('gaj.officer', `/api/v1/documents/${i.documents[0].id}`)).status, 404)
  // Each task: a plan_task item addressed to its owner; its duty is due on the task's due date.
  const t2 = await S.detail('zrzy.officer', T, taskIds[1])
  assert.equal(t2.type, 'plan_task')
  assert.equal(t2.kind, 'plan')
  assert.equal(t2.state, 'open')
  assert.equal(t2.to_org.id, orgs.zrzy.id)
  assert.equal(t2.plan.number, i.number)
  const [d2] = dutiesOf(t2, 'plan_task.complete')
  assert.equal(d2.owner_org.id, orgs.zrzy.id)
  assert.equal(d2.rule, 'R-PLN-1')
  assert.equal(d2.object_type, 'plan_task')
  // Due on Friday 2026-12-04: the deadline is that day's end.
  assertSameInstant(d2.due_at, '2026-12-05T00:00:00+08:00', 'task due at the end of its due date')
  assert.deepEqual(await S.noteKinds('zrzy.leader', 'plan_task', taskIds[1]), ['plan_task.assigned'])
  // Co-owners see their task; an org not involved does not (R-ACC-1).
  assert.equal((await S.detail('liuzu.officer', T, taskIds[1])).id, taskIds[1])
  assert.equal((await S.get('scjg.officer', `/api/v1/${T}/${taskIds[1]}`)).status, 404)
  assert.ok(!(await S.listIds('scjg.officer', T)).includes(taskIds[1]))
  assert.ok((await S.listIds('zrzy.officer', T, 'direction=in')).includes(taskIds[1]))
  // Issued: no more splitting or consulting.
  assertError(await unchanged(P, plan.id, () => S.post('coordinator.staff', `/api/v1/${P}/${plan.id}/tasks`, { tasks: tasks() })), 409, { code: 'illegal_transition', field: 'state', rule: 'R-PLN-1' })
  assertError(await unchanged(P, plan.id, () => S.post('coordinator.staff', `/api/v1/${P}/${plan.id}/issue`, {})), 409, { code: 'illegal_transition' })
  plan = i
})

test('R-PLN-1: progress reports by the owner and co-owners; only the owner\'s 100 % with the outcome completes the task and meets its duty', async () => {
  const id = taskIds[0]
  const report = (who, body) => S.post(who, `/api/v1/${T}/${id}/progress`, body)
  assertError(await unchanged(T, id, () => report('zrzy.officer', { percent: 10, text: 'x' })), 404, { code: 'not_found' })
  assertError(await unchanged(T, id, () => report('coordinator.staff', { percent: 10, text: 'x' })), 403, { rule: 'R-PLN-1' })
  assertError(await unchanged(T, id, () => report('scjg.officer', { percent: 101, text: 'x' })), 400, { field: 'percent', rule: 'R-PLN-1' })
  assertError(await unchanged(T, id, () => report('scjg.officer', { percent: 100, text: '完成' })), 400, { code: 'missing_field', field: 'outcome', rule: 'R-PLN-1' })
  assertError(await unchanged(T, id, () => report('scjg.officer', { percent: 50, text: 'x', outcome: 'y' })), 400, { field: 'outcome' })
  assertError(await unchanged(T, id, () => report('scjg.officer', { text: 'x' })), 400, { code: 'missing_field', field: 'percent' })
  const a = await S.act('scjg.officer', T, id, 'progress', { percent: 30, text: '已检查学校周边经营户30户' })
  assert.equal(a.percent, 30)
  assert.equal(a.state, 'open')
  // A co-owner reports progress too, but cannot complete the task (the duty is the owner's).
  const b = await S.act('xincheng.officer', T, id, 'progress', { percent: 60, text: '新城镇辖区学校周边已检查完毕' })
  assert.equal(b.percent, 60)
  assert.deepEqual(b.reports.map((r) => [r.percent, r.org.id]), [[30, orgs.scjg.id], [60, orgs.xincheng.id]])
  assertError(await unchanged(T, id, () => report('xincheng.officer', { percent: 100, text: '完成', outcome: '报告' })), 403, { code: 'permission_denied', rule: 'R-PLN-1' })
  assert.equal(dutiesOf(b, 'plan_task.complete')[0].state, 'open', 'progress alone never meets the duty')
  const p = await S.detail('coordinator.staff', P, plan.id)
  assert.deepEqual(p.progress_by_org.find((r) => r.org.id === orgs.scjg.id), { org: p.progress_by_org.find((r) => r.org.id === orgs.scjg.id).org, tasks: 1, done: 0, average_percent: 60, overdue: 0 })

  const done = await S.act('scjg.leader', T, id, 'progress', { percent: 100, text: '全部完成', outcome: '检查经营户126户，形成检查报告' })
  assert.equal(done.state, 'done')
  assert.equal(done.state_label, '已完成')
  assert.equal(done.outcome.text, '检查经营户126户，形成检查报告')
  const [d] = dutiesOf(done, 'plan_task.complete')
  assert.equal(d.state, 'met')
  assert.equal(d.on_time, true)
  assert.deepEqual(done.timeline.map((t) => t.action), ['progress', 'progress', 'complete'])
  assertError(await unchanged(T, id, () => report('scjg.officer', { percent: 50, text: '再报' })), 409, { code: 'illegal_transition', field: 'state', rule: 'R-PLN-1' })
})

test('R-PLN-1: a task past its due date is red — in its list, in the plan\'s progress by org (overdue), and in the county-wide list', async () => {
  await S.setClock('2026-12-07T10:00:00+08:00')
  await S.sweep()
  const t2 = await S.detail('coordinator.staff', T, taskIds[1])
  assert.equal(t2.colour, 'red')
  const p = await S.detail('coordinator.staff', P, plan.id)
  assert.deepEqual(p.tasks.map((t) => [t.state, t.colour]), [['done', null], ['open', 'red'], ['open', 'green']])
  const z = p.progress_by_org.find((r) => r.org.id === orgs.zrzy.id)
  assert.deepEqual([z.tasks, z.done, z.overdue], [1, 0, 1])
  assert.deepEqual([p.progress_by_org[0].done, p.progress_by_org[0].average_percent], [1, 100])
  // The county-wide open red tasks (the demo county has its own overdue task too).
  const red = await S.listIds('coordinator.staff', T, 'state=open&colour=red')
  assert.ok(red.includes(taskIds[1]) && !red.includes(taskIds[0]) && !red.includes(taskIds[2]), JSON.stringify(red))
  assertError(await S.get('coordinator.staff', `/api/v1/${T}?colour=purple`), 400, { field: 'colour' })
  // CSV export of the tasks (the coordinator's county-wide list).
  const csv = await S.get('coordinator.staff', `/api/v1/${T}/export.csv?state=open`)
  assert.equal(csv.status, 200, show(csv))
  assert.ok(csv.text.includes('测试：整治河道非法采砂'), csv.text)
  const row = csv.text.split('\r\n').find((l) => l.includes('测试：整治河道非法采砂'))
  assert.ok(row.endsWith(',超期'), row)
  assert.ok(!csv.text.includes('测试：开展校园周边食品安全专项检查'), 'only open tasks')
  // A late completion is met late.
  const done = await S.act('zrzy.officer', T, taskIds[1], 'progress', { percent: 100, text: '完成', outcome: '查处案件5宗' })
  assert.equal(dutiesOf(done, 'plan_task.complete')[0].on_time, false)
})

let adhoc
test('R-PLN-2: the coordinator issues an ad hoc task to any org — numbered 任, the same duty and reporting', async () => {
  const create = (who, body) => S.noneCreated(T, () => S.post(who, `/api/v1/${T}`, body))
  const body = { title: '核查群众反映的夜间施工噪声问题', owner_org: orgs.gaj.id, co_owner_orgs: [orgs.dongcheng.id], due_date: '2026-12-18', output: '核查情况报告', text: '请会同东成镇核查并依法处理。' }
  assertError(await create('scjg.leader', body), 403, { code: 'permission_denied', rule: 'R-PLN-2' })
  assertError(await create('coordinator.staff', { ...body, due_date: '2026-12-01' }), 400, { field: 'due_date', rule: 'R-PLN-2' })
  assertError(await create('coordinator.staff', { ...body, owner_org: orgs.coordinator.id }), 400, { field: 'owner_org', rule: 'R-PLN-2' })
  assertError(await create('coordinator.staff', { ...body, text: undefined }), 400, { code: 'missing_field', field: 'text', rule: 'R-PLN-2' })
  adhoc = await S.create('coordinator.staff', T, body)
  assert.equal(adhoc.kind, 'ad_hoc')
  assert.equal(adhoc.plan, null)
  assert.equal(adhoc.to_org.id, orgs.gaj.id)
  assert.match(adhoc.number, NUMBER_RE)
  assert.ok(adhoc.number.includes('任'), adhoc.number)
  assert.deepEqual(adhoc.documents.map((d) => d.kind), ['task_order'])
  const [d] = dutiesOf(adhoc, 'plan_task.complete')
  assert.equal(d.owner_org.id, orgs.gaj.id)
  assertSameInstant(d.due_at, '2026-12-19T00:00:00+08:00')
  assert.deepEqual(await S.noteKinds('gaj.leader', 'plan_task', adhoc.id), ['plan_task.assigned'])
  assert.equal((await S.get('xincheng.officer', `/api/v1/${T}/${adhoc.id}`)).status, 404)
  const adhocs = (await S.get('coordinator.staff', `/api/v1/${T}?kind=ad_hoc&page_size=200`)).json.items
  assert.ok(adhocs.some((x) => x.id === adhoc.id) && adhocs.every((x) => x.kind === 'ad_hoc' && x.plan === null))
  assert.ok(!(await S.listIds('coordinator.staff', T, 'kind=plan')).includes(adhoc.id))
  const p = await S.act('dongcheng.officer', T, adhoc.id, 'progress', { percent: 40, text: '已现场核查' })
  assert.equal(p.percent, 40)
  const done = await S.act('gaj.officer', T, adhoc.id, 'progress', { percent: 100, text: '处理完毕', outcome: '责令停止夜间施工，罚款' })
  assert.equal(done.state, 'done')
  assert.equal(dutiesOf(done, 'plan_task.complete')[0].state, 'met')
})

test('R-PLN-1: lists — plans by state, tasks filtered; bad filters 400', async () => {
  assert.ok((await S.listIds('xincheng.officer', P, 'state=issued')).includes(plan.id))
  assert.ok(!(await S.listIds('xincheng.officer', P, 'state=draft')).includes(plan.id))
  assertError(await S.get('coordinator.staff', `/api/v1/${P}?state=bogus`), 400, { field: 'state' })
  assertError(await S.get('coordinator.staff', `/api/v1/${T}?kind=bogus`), 400, { field: 'kind' })
  const csv = await S.get('coordinator.staff', `/api/v1/${P}/export.csv`)
  assert.equal(csv.status, 200, show(csv))
  assert.ok(csv.text.includes('2027年度综合行政执法工作计划'))
})
