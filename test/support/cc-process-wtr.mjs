// web-test-runner glue for tests that kill the control center: it runs as a child process
// (bin/multi-seat-server.js, demo mode, a --db file of its own), so a test can SIGKILL it by
// pid — a crash, not a planned stop — and start it again on the same port and file. Its Janus
// is its own and locked as `npm start` runs it (VideoRoom admin_key, token_auth): the restarted
// control center finds the live calls' private rooms only with that key.
//   POST /__ccproc                          → {id, url, ws, pid}   a new control center
//   POST /__ccproc/<id>/kill                SIGKILL, waits for the exit
//   POST /__ccproc/<id>/start               starts it again: same --db, same port → {pid}
//   POST /__ccproc/<id>/stop                SIGTERM (calls kept in the file), then the file is removed
//   GET  /__ccproc/<id>/token?role=&sub=    → {token}  (POST /v1/dev-token on it)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startJanus } from '../../scripts/janus.mjs';
import { devToken, jsonRoutes } from './json-routes.mjs';

const BIN = fileURLToPath(new URL('../../bin/multi-seat-server.js', import.meta.url));

/**
 * @typedef {{ id: number, dir: string, db: string, port: number, url: string,
 *   child: import('node:child_process').ChildProcess | null }} Proc
 */

export function controlCenterProcesses() {
  /** @type {Promise<Awaited<ReturnType<typeof startJanus>>> | null} */
  let janusP = null;
  const janus = () => (janusP ??= startJanus({ wsPort: 0, httpPort: 0, adminPort: 0, rtpRange: '31001-32000', locked: true }));
  /** @type {Map<number, Proc>} */
  const procs = new Map();
  let seq = 0;

  /** Starts the server for `p` and resolves once it listens (its first line names the URL). @param {Proc} p */
  async function launch(p) {
    const j = await janus();
    const args = [BIN, '--demo', '--host', '127.0.0.1', '--port', String(p.port), '--db', p.db, ...j.serverArgs, '--ring-timeout-ms', '60000', '--wrapup-ms', '0'];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    p.child = child;
    const log = (/** @type {string} */ s) => process.env.CC_LOG && process.stdout.write(`[cc ${p.id} pid ${child.pid}] ${s}`);
    child.stderr?.on('data', (d) => log(String(d)));
    await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`control center did not start in 30 s: ${out}`)), 30_000);
      child.stdout?.on('data', (d) => {
        log(String(d));
        out += String(d);
        const m = /control center on (http:\/\/[^\s;]+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          p.url = m[1];
          p.port = Number(new URL(m[1]).port);
          resolve(undefined);
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`control center exited (${code ?? signal}) before listening: ${out}`));
      });
    });
    return child;
  }

  /** Sends `signal` to this process's child by its pid and waits for it to exit. @param {Proc} p @param {NodeJS.Signals} signal */
  async function end(p, signal) {
    const child = p.child;
    p.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(/** @type {number} */ (child.pid), signal);
    await exited;
  }

  /** @type {import('@web/test-runner').TestRunnerPlugin} */
  const plugin = {
    name: 'multi-seat-control-center-processes',
    async serverStop() {
      for (const p of procs.values()) {
        await end(p, 'SIGTERM');
        rmSync(p.dir, { recursive: true, force: true });
      }
      procs.clear();
      if (janusP) await (await janusP).stop();
    },
  };

  const middleware = jsonRoutes('/__ccproc', async (ctx) => {
    const m = /^\/__ccproc\/(\d+)\/(kill|start|stop|token)$/.exec(ctx.path);
    const p = m ? procs.get(Number(m[1])) : undefined;
    if (m && !p) throw new Error(`no control center ${m[1]}`);
    if (ctx.path === '/__ccproc' && ctx.method === 'POST') {
      const dir = mkdtempSync(join(tmpdir(), 'multi-seat-cc-'));
      /** @type {Proc} */
      const np = { id: ++seq, dir, db: join(dir, 'calls.db'), port: 0, url: '', child: null };
      procs.set(np.id, np);
      const child = await launch(np);
      return { id: np.id, url: np.url, ws: np.url.replace(/^http/, 'ws'), pid: child.pid };
    }
    if (p && m?.[2] === 'kill' && ctx.method === 'POST') {
      await end(p, 'SIGKILL');
      return { ok: true };
    }
    if (p && m?.[2] === 'start' && ctx.method === 'POST') {
      if (p.child) throw new Error('it is running');
      const child = await launch(p);
      return { pid: child.pid, url: p.url };
    }
    if (p && m?.[2] === 'stop' && ctx.method === 'POST') {
      await end(p, 'SIGTERM');
      rmSync(p.dir, { recursive: true, force: true });
      procs.delete(p.id);
      return { ok: true };
    }
    if (p && m?.[2] === 'token') return devToken(p.url, ctx.query.role, ctx.query.sub);
    return undefined;
  });

  return { plugin, middleware };
}
