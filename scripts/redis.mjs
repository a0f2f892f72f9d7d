#!/usr/bin/env node
// A private Redis for the cluster's tests, benchmarks and `npm run cluster`: its own folder,
// 127.0.0.1 only, AOF on (appendfsync everysec: what Redis holds survives Redis), stopped by
// pid. Debian's `redis-server` package.
//   node scripts/redis.mjs start [--port N]
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** @returns {Promise<number>} */
async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', () => r(undefined)));
  const port = /** @type {import('node:net').AddressInfo} */ (s.address()).port;
  await new Promise((r) => s.close(() => r(undefined)));
  return port;
}

/** Resolves once Redis answers PING on the port (bounded). */
async function waitReady(port, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const ok = await new Promise((resolve) => {
      const c = connect(port, '127.0.0.1');
      c.once('connect', () => c.write('PING\r\n'));
      c.once('data', (d) => {
        c.destroy();
        resolve(String(d).startsWith('+PONG'));
      });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis on ${port} did not answer in ${ms} ms`);
}

/**
 * @param {{ port?: number, dir?: string, aof?: boolean, replicaOf?: number }} [options]
 * @returns {Promise<{ url: string, port: number, pid: number, dir: string, stop(): Promise<void>, kill(signal?: NodeJS.Signals): void }>}
 */
export async function startRedis(options = {}) {
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'multi-seat-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--protected-mode', 'yes'];
  if (options.aof ?? true) args.push('--appendonly', 'yes', '--appendfsync', 'everysec');
  if (options.replicaOf) args.push('--replicaof', '127.0.0.1', String(options.replicaOf));
  const child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', () => resolve(undefined)));
  child.once('error', (e) => console.error(`redis-server: ${e.message} (install the Debian package redis-server)`));
  await waitReady(port);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: /** @type {number} */ (child.pid),
    dir,
    kill: (signal = 'SIGKILL') => void child.kill(signal),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * A Redis Sentinel watching `masterPort` as `name` (quorum 1): `redis-server <conf> --sentinel`,
 * its config in a folder of its own (Sentinel rewrites it).
 * @param {{ masterPort: number, name?: string, port?: number }} options
 */
export async function startSentinel(options) {
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'multi-seat-sentinel-'));
  const conf = join(dir, 'sentinel.conf');
  writeFileSync(conf, `port ${port}\nbind 127.0.0.1\ndir ${dir}\nsentinel monitor ${options.name ?? 'mymaster'} 127.0.0.1 ${options.masterPort} 1\nsentinel down-after-milliseconds ${options.name ?? 'mymaster'} 1000\n`);
  const child = spawn('redis-server', [conf, '--sentinel'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', () => resolve(undefined)));
  await waitReady(port);
  return {
    port,
    pid: /** @type {number} */ (child.pid),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2] === 'start') {
  const i = process.argv.indexOf('--port');
  const r = await startRedis(i > 0 ? { port: Number(process.argv[i + 1]) } : {});
  console.log(`redis on ${r.url} (pid ${r.pid}, data in ${r.dir}); Ctrl-C stops it`);
  process.on('SIGINT', () => void r.stop().then(() => process.exit(0)));
}
