// N sequential create→submit→approve sends against URL (for an instruction count under callgrind).
import fs from 'node:fs'
const [url, tokfile, n] = [process.argv[2], process.argv[3], Number(process.argv[4] ?? 50)]
const tok = Object.fromEntries(fs.readFileSync(tokfile, 'utf8').trim().split('\n').map((l) => l.split(' ')))
const body = JSON.stringify({ matter: tok.matter_code, to_org: Number(tok.receiver_org), township: Number(tok.township_org),
  place: '云岭零零镇解放路1号', discovered_at: '2026-11-20T09:00:00+08:00', facts: '执法人员巡查发现当事人在该处从事违法经营活动，现场制作检查笔录并拍照取证。',
  party: { name: '陈某某', address: '云岭零零镇解放路12号', phone: '13800000000' }, legal_basis: '《无证无照经营查处办法》第十三条',
  evidence: [{ name: '现场检查笔录', description: '检查笔录一份', file: tok.file_sha }], urgent: false, ongoing: false,
  checklist: { facts_clear: true, evidence_complete: true, procedure_lawful: true, formalities_complete: true } })
let seq = 0
const post = async (path, token, b) => {
  const r = await fetch(url + path, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': `cg-${process.pid}-${++seq}` }, body: b })
  if (r.status >= 300) throw new Error(`${path} ${r.status} ${await r.text()}`)
  return r.json()
}
for (let i = 0; i < n; i++) {
  const c = await post('/api/v1/referrals', tok['c000t00.officer'], body)
  await post(`/api/v1/referrals/${c.id}/submit`, tok['c000t00.officer'], '{}')
  const a = await post(`/api/v1/referrals/${c.id}/approve`, tok['c000t00.leader'], '{}')
  if (a.state !== 'sent') throw new Error('not sent')
}
console.log(`sent ${n}`)
