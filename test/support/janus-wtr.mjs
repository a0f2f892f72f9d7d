// web-test-runner glue for tests against a real Janus: a plugin that starts a private Janus
// (scripts/janus.mjs) when the test server starts and stops it when the run ends, and a Koa
// middleware that lets the page ask Node for what only Node may do:
//   GET  /__janus                          → {wsUrl, httpUrl}
//   POST /__janus/rooms                    → {room, pin, secret}   (a fresh private room;
//                                             body {room?, pin?} to choose them)
//   GET  /__janus/rooms/<room>             → {exists, participants:[{id, display, publisher}]}
//   POST /__janus/rooms/<room>/destroy     ← {secret}
//   POST /__janus/extra                    → {id, wsUrl, httpUrl}  a second Janus that a test may stop
//   POST /__janus/extra/<id>/stop          (as if it crashed: SIGTERM)
//   POST /__janus/extra/<id>/start         ← {room, pin}: starts it again on the same ports, makes the room
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
      for (const e of extras.values()) await e.j.stop();
      if (janus) await (await janus).stop();
    },
  };

  /** Extra Janus servers that tests stop and start, by id. @type {Map<number, {j: any, ports: any}>} */
  const extras = new Map();
  let extraSeq = 0;

  /** @param {any} ctx @param {() => Promise<void>} next */
  const middleware = async (ctx, next) => {
    if (!ctx.path.startsWith('/__janus')) return next();
    try {
      const j = await get();
      const body = ctx.method === 'POST' ? await readJson(ctx.req) : {};
      const m = /^\/__janus\/rooms\/(\d+)(\/destroy)?$/.exec(ctx.path);
      const x = /^\/__janus\/extra\/(\d+)\/(stop|start)$/.exec(ctx.path);
      let out;
      if (ctx.path === '/__janus') out = { wsUrl: j.wsUrl, httpUrl: j.httpUrl };
      else if (ctx.path === '/__janus/extra' && ctx.method === 'POST') {
        const e = await startJanus({ wsPort: 0, httpPort: 0, adminPort: false, rtpRange: '30001-31000' });
        const id = ++extraSeq;
        extras.set(id, { j: e, ports: { wsPort: e.wsPort, httpPort: e.httpPort } });
        out = { id, wsUrl: e.wsUrl, httpUrl: e.httpUrl };
      } else if (x && ctx.method === 'POST') {
        const e = extras.get(Number(x[1]));
        if (!e) throw new Error(`no extra Janus ${x[1]}`);
        if (x[2] === 'stop') await e.j.stop();
        else {
          e.j = await startJanus({ ...e.ports, adminPort: false, rtpRange: '30001-31000' });
          if (body.room) await createRoom(e.j.httpUrl, { room: body.room, pin: body.pin });
        }
        out = { ok: true };
      }
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
