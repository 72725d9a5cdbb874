// Issue 15 finding 3: a referral create's latency while 16 clients sign in.
//
//   XT_BIN=build/src/cli/xietong node bench/signin/signin_bench.mjs [creates=40] [clients=16]
//
// Starts the server of XT_BIN on a fresh demo database (tests/lib/server.mjs: SQLite, or
// PostgreSQL with XT_DB_BACKEND=postgres), signs xincheng.officer in, then times `creates`
// sequential POST /api/v1/referrals (a draft: one write transaction with its audit entry) twice:
// with the server idle, and while `clients` loops sign in with the right password (each its own
// demo user, Argon2id at libsodium's interactive cost). Prints one JSON line with the median and
// maximum in ms and how many sign-ins completed. bench/signin/run.sh alternates two binaries.
import { startServer, api } from '../../tests/lib/server.mjs'
import { allMatters, jurisdiction, draftBody, uploadFile } from '../../tests/http/lib/referrals.mjs'

const CREATES = Number(process.argv[2] ?? 40)
const CLIENTS = Number(process.argv[3] ?? 16)
const ON = new Date().toISOString().slice(0, 10)

const server = await startServer({ extraArgs: ['--access-log', 'off'] })
try {
  const officer = await api(server.url).login('xincheng.officer', server.password)
  const coord = await api(server.url).login('coordinator.staff', server.password)
  const orgs = Object.fromEntries((await coord.get('/api/v1/orgs')).json.items.map((o) => [o.code, o]))
  let entry
  for (const m of await allMatters(coord)) {
    const j = await jurisdiction(coord, m.code, 'xincheng', ON)
    if (j.competent_org?.kind === 'county_department') {
      entry = { matter: j.matter ?? m, competent: j.competent_org }
      break
    }
  }
  if (!entry) throw new Error('no matter competent to a county department in xincheng')
  const file = await uploadFile(server.url, officer)
  const body = draftBody({ matter: entry.matter, to: orgs[entry.competent.code], township: orgs.xincheng, file })

  async function timeCreates(n) {
    const ms = []
    for (let i = 0; i < n; i++) {
      const t = performance.now()
      const res = await officer.post('/api/v1/referrals', body)
      ms.push(performance.now() - t)
      if (res.status !== 201) throw new Error(`create: HTTP ${res.status} ${res.text}`)
    }
    ms.sort((a, b) => a - b)
    return { median: +ms[Math.floor(ms.length / 2)].toFixed(1), max: +ms[ms.length - 1].toFixed(1) }
  }

  await timeCreates(5) // warm-up
  const idle = await timeCreates(CREATES)

  const users = Object.values(orgs)
    .filter((o) => o.kind === 'township' || o.kind === 'county_department')
    .flatMap((o) => [`${o.code}.officer`, `${o.code}.leader`])
  let stop = false
  let logins = 0
  let refused = 0
  const loops = Array.from({ length: CLIENTS }, async (_, k) => {
    const username = users[k % users.length]
    while (!stop) {
      const res = await fetch(new URL('/api/v1/auth/login', server.url), {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username, password: server.password }),
      })
      await res.arrayBuffer()
      if (res.status === 200) logins++
      else refused++
    }
  })
  await new Promise((r) => setTimeout(r, 1000)) // let the sign-ins pile up
  const t0 = performance.now()
  const loaded = await timeCreates(CREATES)
  const seconds = (performance.now() - t0) / 1000
  stop = true
  await Promise.all(loops)
  console.log(JSON.stringify({
    bin: process.env.XT_BIN, backend: process.env.XT_DB_BACKEND || 'sqlite', creates: CREATES, clients: CLIENTS,
    idle, during_signins: loaded, signins_per_s: +(logins / seconds).toFixed(1), signins_refused: refused,
  }))
} finally {
  await server.stop()
}
