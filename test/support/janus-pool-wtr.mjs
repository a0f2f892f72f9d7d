// web-test-runner glue for the Janus pool end-to-end test: a control center in this process
// (server/server.ts through tsx, demo mode, :memory:) with a pool of two Janus servers of its
// own, both locked as `npm start` runs one, and a way to kill one of them (SIGKILL by pid).
//   POST /__pool                          → {id, url, ws, janus: [wsUrl, wsUrl]}
//   POST /__pool/<id>/kill?janus=<wsUrl>  SIGKILL that Janus, waits for its exit
//   GET  /__pool/<id>/token?role=&sub=    → {token}  (POST /v1/dev-token)
//   POST /__pool/<id>/stop                closes the control center, stops both Janus
import { register } from 'tsx/esm/api';
import { startJanus } from '../../scripts/janus.mjs';
import { devToken, jsonRoutes } from './json-routes.mjs';

export function janusPoolForTests() {
  /** @type {Map<number, {cc: any, janus: any[]}>} */
  const pools = new Map();
  let seq = 0;

  async function make() {
    register();
    const { startServer } = await import('../../server/server.ts');
    const id = ++seq;
    const janus = [];
    for (const range of ['32001-33000', '33001-34000']) janus.push(await startJanus({ wsPort: 0, httpPort: 0, adminPort: 0, rtpRange: range, locked: true }));
    const cc = await startServer({
      host: '127.0.0.1',
      port: 0,
      demo: true,
      db: ':memory:',
      janusServers: janus.map((j) => ({ url: j.wsUrl, adminKey: j.roomAdminKey, adminUrl: j.adminUrl, adminSecret: j.adminSecret })),
      janusGraceMs: 1000,
      janusReconnectMinMs: 200,
      janusReconnectMaxMs: 500,
      janusLoadEveryMs: 0,
      queueThrottleMs: 50,
      engine: { ringTimeoutMs: 60_000, wrapupMs: 0 },
      log: (/** @type {string} */ m) => {
        if (process.env.CC_LOG) console.log(`[pool ${id}] ${m}`);
      },
    });
    pools.set(id, { cc, janus });
    return { id, url: cc.url, ws: cc.url.replace(/^http/, 'ws'), janus: janus.map((j) => j.wsUrl) };
  }

  async function stop(/** @type {number} */ id) {
    const p = pools.get(id);
    if (!p) return;
    pools.delete(id);
    await p.cc.close({ endCalls: true }).catch(() => {});
    for (const j of p.janus) await j.stop().catch(() => {});
  }

  /** @type {import('@web/test-runner').TestRunnerPlugin} */
  const plugin = {
    name: 'multi-seat-janus-pool',
    async serverStop() {
      for (const id of [...pools.keys()]) await stop(id);
    },
  };

  const middleware = jsonRoutes('/__pool', async (ctx) => {
    if (ctx.path === '/__pool' && ctx.method === 'POST') return make();
    const m = /^\/__pool\/(\d+)\/(kill|token|stop)$/.exec(ctx.path);
    if (!m) return undefined;
    const p = pools.get(Number(m[1]));
    if (!p) throw new Error(`no pool ${m[1]}`);
    if (m[2] === 'kill') {
      const j = p.janus.find((x) => x.wsUrl === ctx.query.janus);
      if (!j) throw new Error(`no Janus ${ctx.query.janus}`);
      process.kill(j.pid, 'SIGKILL');
      await j.exited;
      return { ok: true };
    }
    if (m[2] === 'token') return devToken(p.cc.url, ctx.query.role, ctx.query.sub);
    await stop(Number(m[1]));
    return { ok: true };
  });
  return { plugin, middleware };
}
