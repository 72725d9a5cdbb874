// Finding 5 at scale: N idle connections from 127.0.0.1 against a server with the default caps
// (from the fd limit), then /healthz, an over-cap API request, and the server after the flood.
//   XT_WEB_ROOT=web/dist node bench/soak/idle_flood.mjs 9000
// (XT_BIN selects the binary; the client needs N file descriptors: ulimit -n.)
import { startServer } from '../../tests/lib/server.mjs'
import net from 'node:net'
const s = await startServer({ extraArgs: ['--access-log', 'off'] })
const socks = []; let closed = 0, connected = 0
const N = Number(process.argv[2] ?? 20400)
const t0 = Date.now()
await Promise.all(Array.from({ length: N }, () => new Promise((ok) => {
  const c = net.connect({ host: '127.0.0.1', port: s.port }); socks.push(c)
  c.on('connect', () => { connected++; ok() }); c.on('error', () => ok()); c.on('close', () => { closed++ })
})))
console.log(`opened ${N}: connected ${connected} in ${Date.now() - t0} ms`)
await new Promise((r) => setTimeout(r, 3000))
const t1 = Date.now()
const h = await fetch(s.url + '/healthz').then(async (r) => r.status + ' ' + await r.text()).catch((e) => 'ERR ' + e.message)
console.log(`after 3 s: ${closed} closed by the server; /healthz ${h} in ${Date.now() - t1} ms`)
const over = await fetch(s.url + '/api/v1/me').then(async (r) => r.status + ' ' + await r.text()).catch((e) => 'ERR ' + e.message)
console.log(`/api/v1/me: ${over}`)
for (const c of socks) c.destroy()
await new Promise((r) => setTimeout(r, 1000))
const after = await fetch(s.url + '/api/v1/me').then((r) => r.status).catch((e) => 'ERR ' + e.message)
console.log(`after the flood: /api/v1/me ${after}`)
const { stderr } = s.output()
console.log('server warnings:', stderr.split('\n').filter((l) => /warn|accept/.test(l)).slice(0, 5).join('\n'))
await s.stop()
