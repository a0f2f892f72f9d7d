// web-test-runner glue for the relay test (test/e2e/turn-relay.test.ts): a coturn of its own
// (scripts/coturn.mjs: 127.0.0.1 only, its own ports, TURN REST auth) and a control center
// (server/server.ts in process, demo mode) told to hand out that TURN server with credentials
// minted from the shared secret (--ice-servers, --turn-secret), on the run's Janus. Started on
// the first request, stopped when the run ends (coturn by its pid).
//   GET /__turn                              → {url, ws, turn}
//   GET /__turn/token?role=agent|caller&sub= → {token}
import { randomBytes } from 'node:crypto';
import { register } from 'tsx/esm/api';
import { startCoturn } from '../../scripts/coturn.mjs';
import { devToken, jsonRoutes } from './json-routes.mjs';

/** @param {() => Promise<{ wsUrl: string }>} janus */
export function turnForTests(janus) {
  /** @type {Promise<{ cc: any, turn: Awaited<ReturnType<typeof startCoturn>> }> | null} */
  let started = null;
  const get = () =>
    (started ??= (async () => {
      const secret = randomBytes(16).toString('hex');
      const turn = await startCoturn({ secret });
      const j = await janus();
      register();
      const { startServer } = await import('../../server/server.ts');
      const cc = await startServer({
        host: '127.0.0.1',
        port: 0,
        demo: true,
        db: ':memory:',
        janusUrl: j.wsUrl,
        queueThrottleMs: 50,
        iceServers: [{ urls: turn.url }],
        turnSecret: secret,
        engine: { ringTimeoutMs: 60_000, wrapupMs: 0 },
        log: (/** @type {string} */ m) => {
          if (process.env.CC_LOG) console.log(`[cc turn] ${m}`);
        },
      });
      return { cc, turn };
    })());

  /** @type {import('@web/test-runner').TestRunnerPlugin} */
  const plugin = {
    name: 'multi-seat-coturn',
    async serverStop() {
      if (!started) return;
      const s = await started.catch(() => null);
      await s?.cc.close();
      await s?.turn.stop();
    },
  };

  const middleware = jsonRoutes('/__turn', async (ctx) => {
    const { cc, turn } = await get();
    if (ctx.path === '/__turn') return { url: cc.url, ws: cc.url.replace(/^http/, 'ws'), turn: turn.url };
    if (ctx.path === '/__turn/log') return { log: turn.logTail() };
    if (ctx.path === '/__turn/token') return devToken(cc.url, ctx.query.role, ctx.query.sub);
    return undefined;
  });
  return { plugin, middleware };
}
