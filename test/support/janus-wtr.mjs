// web-test-runner glue for tests against a real Janus: a plugin that starts a private Janus
// (scripts/janus.mjs) when the test server starts and stops it when the run ends, and a Koa
// middleware that lets the page ask Node for what only Node may do:
//   GET  /__janus                          → {wsUrl, httpUrl}
//   POST /__janus/rooms                    → {room, pin, secret}   (a fresh private room;
//                                             body {room?, pin?} to choose them)
//   GET  /__janus/rooms/<room>             → {exists, participants:[{id, display, publisher}]}
//   POST /__janus/rooms/<room>/destroy     ← {secret}
import { startJanus } from '../../scripts/janus.mjs';
import { createRoom, destroyRoom, listParticipants, roomExists } from './janus-http.mjs';

/** One Janus for the whole run, shared by the plugin and the middleware. */
export function janusForTests() {
  /** @type {Promise<Awaited<ReturnType<typeof startJanus>>> | null} */
  let janus = null;
  const get = () => (janus ??= startJanus({ wsPort: 0, httpPort: 0, adminPort: 0, rtpRange: '20000-30000' }));

  /** @type {import('@web/test-runner').TestRunnerPlugin} */
  const plugin = {
    name: 'multi-seat-janus',
    async serverStart() {
      const j = await get();
      console.log(`[janus] up: ${j.wsUrl} (pid ${j.pid})`);
    },
    async serverStop() {
      if (janus) await (await janus).stop();
    },
  };

  /** @param {any} ctx @param {() => Promise<void>} next */
  const middleware = async (ctx, next) => {
    if (!ctx.path.startsWith('/__janus')) return next();
    try {
      const j = await get();
      const body = ctx.method === 'POST' ? await readJson(ctx.req) : {};
      const m = /^\/__janus\/rooms\/(\d+)(\/destroy)?$/.exec(ctx.path);
      let out;
      if (ctx.path === '/__janus') out = { wsUrl: j.wsUrl, httpUrl: j.httpUrl };
      else if (ctx.path === '/__janus/rooms' && ctx.method === 'POST') out = await createRoom(j.httpUrl, body);
      else if (m && m[2] && ctx.method === 'POST') {
        await destroyRoom(j.httpUrl, Number(m[1]), String(body.secret));
        out = { ok: true };
      } else if (m && !m[2]) {
        const room = Number(m[1]);
        const exists = await roomExists(j.httpUrl, room);
        out = { exists, participants: exists ? await listParticipants(j.httpUrl, room) : [] };
      } else {
        ctx.status = 404;
        out = { error: `no ${ctx.method} ${ctx.path}` };
      }
      ctx.type = 'application/json';
      ctx.body = JSON.stringify(out);
    } catch (e) {
      ctx.status = 500;
      ctx.type = 'application/json';
      ctx.body = JSON.stringify({ error: e instanceof Error ? e.message : String(e) });
    }
  };

  return { plugin, middleware, janus: get };
}

/** @param {import('node:http').IncomingMessage} req */
function readJson(req) {
  return new Promise((resolve, reject) => {
    let s = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (s += c));
    req.on('end', () => {
      try {
        resolve(s ? JSON.parse(s) : {});
      } catch (e) {
        reject(e);
      }
    });
    req.on('error', reject);
  });
}
