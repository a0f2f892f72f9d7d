// web-test-runner glue for end-to-end tests: a real control center (server/server.ts
// startServer, loaded through tsx) in demo mode, on a free port, talking to the Janus of
// janus-wtr.mjs. Started on the first request for it and closed when the run ends.
//   GET /__cc                               → {url, ws}      (HTTP base and WebSocket base)
//   GET /__cc/token?role=agent|caller&sub=… → {token}         (through POST /v1/dev-token)
import { register } from 'tsx/esm/api';
import { devToken, jsonRoutes } from './json-routes.mjs';

/** @param {() => Promise<{ wsUrl: string }>} janus */
export function controlCenterForTests(janus) {
  /** @type {Promise<any> | null} */
  let cc = null;
  const get = () =>
    (cc ??= (async () => {
      const j = await janus();
      register();
      const { startServer } = await import('../../server/server.ts');
      return startServer({
        host: '127.0.0.1',
        port: 0,
        demo: true,
        db: ':memory:',
        janusUrl: j.wsUrl,
        queueThrottleMs: 50,
        engine: { ringTimeoutMs: 60_000, wrapupMs: 0 },
        log: (/** @type {string} */ m) => {
          if (process.env.CC_LOG) console.log(`[cc] ${m}`);
        },
      });
    })());

  /** @type {import('@web/test-runner').TestRunnerPlugin} */
  const plugin = {
    name: 'multi-seat-control-center',
    async serverStop() {
      if (cc) await (await cc).close();
    },
  };

  const middleware = jsonRoutes('/__cc', async (ctx) => {
    const s = await get();
    if (ctx.path === '/__cc') return { url: s.url, ws: s.url.replace(/^http/, 'ws') };
    if (ctx.path === '/__cc/token') return devToken(s.url, ctx.query.role, ctx.query.sub);
    return undefined;
  });
  return { plugin, middleware };
}
