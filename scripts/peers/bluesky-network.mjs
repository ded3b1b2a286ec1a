// Starts a full local Bluesky network with @atproto/dev-env: PLC directory (2582), PDS (2583),
// AppView (2584), Ozone (2587), plus the bsync and dataplane services on free ports. Run by
// bluesky.sh with DB_POSTGRES_URL, REDIS_HOST, TMPDIR and HERALD_ATPROTO_DIR (the install folder)
// set. Prints "HERALD_BSKY_READY ..." once every service answers; stops cleanly on SIGTERM/SIGINT.
import net from 'node:net'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

// Loopback only: the atproto services call app.listen(port), which binds every interface.
// Give any listen() without a host 127.0.0.1. (Clients that try ::1 first for "localhost",
// such as curl and Node, fall back to 127.0.0.1.)
const listen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  const [first] = args
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1')
  } else if (first && typeof first === 'object' && first.port !== undefined && !first.host && !first.path) {
    args[0] = { ...first, host: '127.0.0.1' }
  }
  return listen.apply(this, args)
}

// ES modules ignore NODE_PATH: load dev-env from the cached install folder by path.
const atprotoDir = process.env.HERALD_ATPROTO_DIR
if (!atprotoDir) throw new Error('HERALD_ATPROTO_DIR is not set')
const devEnv = await import(
  pathToFileURL(path.join(atprotoDir, 'node_modules/@atproto/dev-env/dist/index.js')).href
)
const { TestNetwork, mockMailer } = devEnv

const started = Date.now()
// The same shape as dev-env's own `bin.js`, without its seeded mock accounts.
const network = await TestNetwork.create({
  // Schemas in the dedicated database: bsync_herald, bsky (AppView), ozone_herald.
  dbPostgresSchema: 'herald',
  pds: {
    port: 2583,
    hostname: 'localhost',
    inviteRequired: false,
    // createSession/refreshSession include the DID document, as bsky.social's PDS does.
    enableDidDocWithSession: true,
  },
  bsky: {
    dbPostgresSchema: 'bsky',
    port: 2584,
    publicUrl: 'http://localhost:2584',
  },
  plc: { port: 2582 },
  ozone: {
    port: 2587,
    // dev-env's defaults; no chat service runs here.
    chatUrl: 'http://localhost:2590',
    chatDid: 'did:example:chat',
    dbMaterializedViewRefreshIntervalMs: 30_000,
  },
})
// Email (confirmation, password reset) goes nowhere instead of failing.
mockMailer(network.pds)

console.log(
  `HERALD_BSKY_READY in ${Date.now() - started} ms: ` +
    `plc ${network.plc.url} pds ${network.pds.url} appview ${network.bsky.url} ` +
    `appview-did ${network.bsky.serverDid} ozone ${network.ozone.url} ozone-did ${network.ozone.ctx.cfg.service.did}`,
)

let closing = false
const shutdown = async (signal) => {
  if (closing) return
  closing = true
  console.log(`${signal}: closing the network`)
  // network.close() first drains the PDS -> AppView event stream; don't let that hang a stop.
  const timer = setTimeout(() => {
    console.log('close timed out; exiting')
    process.exit(0)
  }, 10_000)
  try {
    await network.close()
  } catch (err) {
    console.error('close failed:', err)
  }
  clearTimeout(timer)
  process.exit(0)
}
process.on('SIGTERM', () => shutdown('SIGTERM'))
process.on('SIGINT', () => shutdown('SIGINT'))
