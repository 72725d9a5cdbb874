// Local receivers for notifications away from the browser (issue 18), on 127.0.0.1:
//  - smtpReceiver(): a small SMTP server (EHLO/HELO, STARTTLS when given a key and certificate,
//    AUTH PLAIN/LOGIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT) that keeps every accepted message
//    with whether it came over TLS;
//  - webhookReceiver(): an HTTP server keeping every POST with its headers and body.
// Both can be stopped (an outage: the port refuses connections) and started again on the same
// port with restart().
import net from 'node:net'
import tls from 'node:tls'
import http from 'node:http'

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve(server.address().port)
    })
  })
}

function closeAll(server, sockets) {
  for (const s of sockets) s.destroy()
  sockets.clear()
  return new Promise((r) => server.close(() => r()))
}

/**
 * { port, messages: [{ from, to: [..], data, user, tls }], stop(), restart() }. `user`/`password`:
 * the credentials AUTH must present (a wrong one gets 535). With `tlsOptions` ({ key, cert })
 * STARTTLS is offered and required before AUTH (530 otherwise).
 */
export async function smtpReceiver({ user = 'xt-mailer', password = 'mail-secret', tlsOptions = null } = {}) {
  const messages = []
  const sockets = new Set()
  const b64 = (s) => Buffer.from(s, 'base64').toString('utf8')
  const make = () =>
    net.createServer((sock) => {
      sockets.add(sock)
      sock.on('close', () => sockets.delete(sock))
      sock.on('error', () => {})
      let buf = ''
      let mode = 'cmd' // cmd | data | auth-plain | login-user | login-pass
      let from = null
      let to = []
      let data = []
      let authed = null
      let loginUser = ''
      let io = sock // the TLS socket after STARTTLS
      let secure = false
      const say = (line) => io.write(line + '\r\n')
      const checkAuth = (u, p) => {
        if (u === user && p === password) {
          authed = u
          say('235 2.7.0 Authentication successful')
        } else say('535 5.7.8 Authentication credentials invalid')
        mode = 'cmd'
      }
      say('220 xt-test ESMTP')
      const onData = (chunk) => {
        buf += chunk.toString('utf8')
        let i
        while ((i = buf.indexOf('\r\n')) >= 0) {
          const line = buf.slice(0, i)
          buf = buf.slice(i + 2)
          if (mode === 'data') {
            if (line === '.') {
              messages.push({ from, to, data: data.join('\r\n'), user: authed, tls: secure })
              from = null
              to = []
              data = []
              mode = 'cmd'
              say('250 2.0.0 queued')
            } else data.push(line.startsWith('..') ? line.slice(1) : line)
            continue
          }
          if (mode === 'auth-plain') {
            const [, u, p] = b64(line).split('\0')
            checkAuth(u, p)
            continue
          }
          if (mode === 'login-user') {
            loginUser = b64(line)
            mode = 'login-pass'
            say('334 UGFzc3dvcmQ6')
            continue
          }
          if (mode === 'login-pass') {
            checkAuth(loginUser, b64(line))
            continue
          }
          const [verb, ...rest] = line.split(' ')
          const arg = rest.join(' ')
          switch (verb.toUpperCase()) {
            case 'EHLO':
              io.write(`250-xt-test\r\n${tlsOptions && !secure ? '250-STARTTLS\r\n' : ''}250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n`)
              break
            case 'STARTTLS':
              if (!tlsOptions || secure) {
                say('502 5.5.1 not available')
                break
              }
              say('220 2.0.0 ready to start TLS')
              sock.removeListener('data', onData)
              io = new tls.TLSSocket(sock, { isServer: true, ...tlsOptions })
              io.on('error', () => {})
              io.on('data', onData)
              secure = true
              buf = ''
              authed = null
              return
            case 'HELO':
              say('250 xt-test')
              break
            case 'AUTH': {
              if (tlsOptions && !secure) {
                say('530 5.7.0 Must issue a STARTTLS command first')
                break
              }
              const [mech, initial] = arg.split(' ')
              if (mech.toUpperCase() === 'PLAIN') {
                if (initial) {
                  const [, u, p] = b64(initial).split('\0')
                  checkAuth(u, p)
                } else {
                  mode = 'auth-plain'
                  say('334 ')
                }
              } else if (mech.toUpperCase() === 'LOGIN') {
                if (initial) {
                  loginUser = b64(initial)
                  mode = 'login-pass'
                  say('334 UGFzc3dvcmQ6')
                } else {
                  mode = 'login-user'
                  say('334 VXNlcm5hbWU6')
                }
              } else say('504 5.5.4 mechanism not supported')
              break
            }
            case 'MAIL':
              if (!authed) {
                say('530 5.7.0 Authentication required')
                break
              }
              from = /<(.*)>/.exec(arg)?.[1] ?? arg
              say('250 2.1.0 ok')
              break
            case 'RCPT':
              to.push(/<(.*)>/.exec(arg)?.[1] ?? arg)
              say('250 2.1.5 ok')
              break
            case 'DATA':
              mode = 'data'
              say('354 end with <CRLF>.<CRLF>')
              break
            case 'RSET':
              from = null
              to = []
              data = []
              say('250 ok')
              break
            case 'NOOP':
              say('250 ok')
              break
            case 'QUIT':
              say('221 bye')
              io.end()
              break
            default:
              say('502 5.5.2 command not implemented')
          }
        }
      }
      sock.on('data', onData)
    })
  let server = make()
  const port = await listen(server, 0)
  return {
    port,
    messages,
    async stop() {
      await closeAll(server, sockets)
    },
    async restart() {
      server = make()
      await listen(server, port)
    },
  }
}

/** { port, url, posts: [{ headers, body }], stop(), restart() }. */
export async function webhookReceiver() {
  const posts = []
  const sockets = new Set()
  const make = () => {
    const s = http.createServer((req, res) => {
      const chunks = []
      req.on('data', (c) => chunks.push(c))
      req.on('end', () => {
        posts.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
        res.writeHead(200, { 'Content-Type': 'application/json' })
        res.end('{"ok":true}')
      })
    })
    s.on('connection', (sock) => {
      sockets.add(sock)
      sock.on('close', () => sockets.delete(sock))
    })
    return s
  }
  let server = make()
  const port = await listen(server, 0)
  return {
    port,
    url: `http://127.0.0.1:${port}/push`,
    posts,
    async stop() {
      await closeAll(server, sockets)
    },
    async restart() {
      server = make()
      await listen(server, port)
    },
  }
}
