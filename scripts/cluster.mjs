#!/usr/bin/env node
// @ts-check
// `npm run cluster`: the control center as a cluster on this machine — a Redis (AOF on), three
// control-center nodes, two locked Janus servers and HAProxy in front, all on 127.0.0.1 — with
// the demo pages served through the proxy. Prints the URLs; Ctrl-C stops everything (by pid).
//   npm run cluster [-- --port 8780 --nodes 3 --janus 2]
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startHaproxy } from './haproxy.mjs';
import { freePort, startJanus } from './janus.mjs';
import { startRedis } from './redis.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: { port: { type: 'string', default: '8780' }, nodes: { type: 'string', default: '3' }, janus: { type: 'string', default: '2' } },
});
const front = Number(values.port);
const nodeCount = Number(values.nodes);
const janusCount = Number(values.janus);

/** @type {Array<() => Promise<unknown>>} */
const stops = [];
let stopping = false;
async function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const stop of stops.reverse()) await stop().catch(() => {});
  process.exit(code);
}
process.on('SIGINT', () => void stopAll());
process.on('SIGTERM', () => void stopAll());

if (!existsSync(join(root, 'dist', 'multi-seat.bundle.js'))) {
  const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}

try {
  const redis = await startRedis();
  stops.push(() => redis.stop());
  console.log(`redis        ${redis.url} (AOF, appendfsync everysec; pid ${redis.pid})`);

  /** @type {string[]} */
  const janusArgs = [];
  for (let i = 0; i < janusCount; i++) {
    const from = 20000 + i * 200;
    const j = await startJanus({ wsPort: 0, httpPort: 0, adminPort: 0, locked: true, rtpRange: `${from}-${from + 199}` });
    stops.push(() => j.stop());
    janusArgs.push(...j.serverArgs);
    console.log(`janus ${i + 1}      ${j.wsUrl} (pid ${j.pid})`);
  }

  // Every node checks the same tokens and derives the same media keys.
  const secret = randomBytes(32).toString('base64url');
  /** @type {Array<{ name: string, host: string, port: number }>} */
  const backends = [];
  for (let i = 0; i < nodeCount; i++) {
    const port = /** @type {number} */ (await freePort());
    const name = `node-${i + 1}`;
    const args = ['bin/multi-seat-server.js', '--demo', '--secret', secret, '--redis', redis.url, '--node', name, '--host', '127.0.0.1', '--port', String(port), '--trusted-proxies', '127.0.0.1', ...janusArgs];
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    stops.push(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    });
    await new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (/** @type {Buffer} */ d) => {
        out += d.toString();
        if (/control center on/.test(out)) resolve(undefined);
      });
      child.once('exit', (c) => reject(new Error(`${name} exited (${c}): ${out}`)));
    });
    backends.push({ name, host: '127.0.0.1', port });
    console.log(`${name.padEnd(12)} http://127.0.0.1:${port} (pid ${child.pid})`);
  }

  const proxy = await startHaproxy({ frontPort: front, backends });
  stops.push(() => proxy.stop());
  console.log(`haproxy      ${proxy.url} (pid ${proxy.pid})`);
  console.log('');
  console.log(`multi-seat cluster demo: open in Chromium or Chrome, through the proxy`);
  console.log(`  ${proxy.url}/                                           start here`);
  console.log(`  ${proxy.url}/agent.html?seat=seat-1&splits=2            an agent`);
  console.log(`  ${proxy.url}/caller.html?customer=cust-1&queue=claims   a customer`);
  console.log(`  ${proxy.url}/healthz   (each node: /healthz on its own port says leader or follower)`);
  console.log('Kill a node (kill -9 <pid>): its clients reconnect through the proxy; the calls go on. Ctrl-C stops everything.');
} catch (e) {
  console.error(`npm run cluster: ${e instanceof Error ? e.message : e}`);
  await stopAll(1);
}
