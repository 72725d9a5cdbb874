// N sequential GET /api/v1/collaborations (a page of 50 collaboration requests) as the coordinator (for an instruction count under callgrind).
import fs from 'node:fs'
const [url, tokfile, n] = [process.argv[2], process.argv[3], Number(process.argv[4] ?? 200)]
const tok = Object.fromEntries(fs.readFileSync(tokfile, 'utf8').trim().split('\n').map((l) => l.split(' ')))
let ok = 0
for (let i = 1; i <= n; i++) {
  const r = await fetch(`${url}/api/v1/collaborations?page_size=50`, { headers: { Authorization: `Bearer ${tok['coord.staff']}` } })
  await r.text(); if (r.status === 200) ok++
}
console.log(`got ${ok}`)
