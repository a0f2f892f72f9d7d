// web-test-runner glue for end-to-end tests: a real control center (server/server.ts
// startServer, loaded through tsx) in demo mode, on a free port, talking to the Janus of
// janus-wtr.mjs. Started on the first request for it and closed when the run ends.
//   GET /__cc                               → {url, ws}      (HTTP base and WebSocket base)
//   GET /__cc/token?role=agent|caller&sub=… → {token}         (through POST /v1/dev-token)
import { register } from 'tsx/esm/api';

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

  /** @param {any} ctx @param {() => Promise<void>} next */
  const middleware = async (ctx, next) => {
    if (!ctx.path.startsWith('/__cc')) return next();
    try {
      const s = await get();
      let out;
      if (ctx.path === '/__cc') out = { url: s.url, ws: s.url.replace(/^http/, 'ws') };
      else if (ctx.path === '/__cc/token') {
        const res = await fetch(`${s.url}/v1/dev-token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ role: ctx.query.role, sub: ctx.query.sub }),
        });
        out = await res.json();
      } else {
        ctx.status = 404;
        out = { error: `no ${ctx.path}` };
      }
      ctx.type = 'application/json';
      ctx.body = JSON.stringify(out);
    } catch (e) {
      ctx.status = 500;
      ctx.type = 'application/json';
      ctx.body = JSON.stringify({ error: e instanceof Error ? e.stack ?? e.message : String(e) });
    }
  };
  return { plugin, middleware };
}
