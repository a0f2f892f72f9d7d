#!/usr/bin/env node
// @ts-check
// A coturn TURN server a script starts and owns, for the relay test (test/support/coturn-wtr.mjs):
// clients reach it on 127.0.0.1 only, its own ports, TURN REST auth with a shared secret (the
// control center's --turn-secret), no TLS, no CLI; stopped by its pid (scripts/owned-process.mjs).
//
// The relay side: Janus skips loopback for ICE (shared JANUS.md), so its candidates are on the
// machine's own address. A relay on 127.0.0.1 gets its allocations and permissions (seen:
// ALLOCATE and CREATE_PERMISSION succeed) but no media ever flows between it and Janus; relaying
// from the machine's address, as Janus's candidates are, works. The relay may reach that one
// address only (--denied-peer-ip everything, --allowed-peer-ip it), so it is no open relay.
//
// Module: import { startCoturn } from './scripts/coturn.mjs';
//         const t = await startCoturn({ secret: 's' });   // t.port, t.url ('turn:127.0.0.1:port'), t.pid
//         await t.stop();
// CLI:    node scripts/coturn.mjs start [--port 3478] [--secret s]   runs it until Ctrl-C
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { freePort } from './janus.mjs';
import { own } from './owned-process.mjs';

/** Finds turnserver: $TURNSERVER_BIN, /usr/bin/turnserver, then $PATH. */
export function findCoturnBinary() {
  const candidates = [process.env.TURNSERVER_BIN, '/usr/bin/turnserver', '/usr/local/bin/turnserver'];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir) candidates.push(join(dir, 'turnserver'));
  const found = candidates.find((c) => c && existsSync(c));
  if (!found) throw new Error('turnserver (coturn) not found (looked at $TURNSERVER_BIN, /usr/bin/turnserver and $PATH). Install it: apt-get install -y coturn');
  return found;
}

/** The machine's first non-loopback IPv4 address: where Janus gathers its ICE candidates. */
export function machineAddress() {
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  throw new Error('no non-loopback IPv4 address: Janus cannot gather ICE candidates here either (shared JANUS.md)');
}

/** @param {number} port @param {string} host */
function canConnect(port, host) {
  return new Promise((resolve) => {
    const s = connect({ port, host });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * Starts turnserver in the foreground listening on 127.0.0.1, relaying from `relayIp` (default
 * the machine's address, see above) to that address only; resolves once its TCP listener
 * accepts. `port` 0 picks a free one; relay ports come from `relayPorts` (default 40000-40199,
 * clear of the Janus RTP ranges of the tests).
 * @param {{ secret: string, port?: number, relayIp?: string, relayPorts?: string, realm?: string, timeoutMs?: number }} options
 */
export async function startCoturn(options) {
  const bin = findCoturnBinary();
  const port = options.port || /** @type {number} */ (await freePort());
  const [minPort, maxPort] = (options.relayPorts ?? '40000-40199').split('-');
  const relayIp = options.relayIp ?? machineAddress();
  const dir = mkdtempSync(join(tmpdir(), 'multi-seat-coturn-'));
  const args = [
    '-n', // no config file: everything is here
    '--listening-ip=127.0.0.1',
    `--relay-ip=${relayIp}`,
    `--listening-port=${port}`,
    `--min-port=${minPort}`,
    `--max-port=${maxPort}`,
    // Peers: Janus's address only.
    '--denied-peer-ip=0.0.0.0-255.255.255.255',
    `--allowed-peer-ip=${relayIp}`,
    '--no-tls',
    '--no-dtls',
    '--no-cli',
    // TURN REST: credentials are HMACs of "<expiry>:<party>" with this secret (server/ice-servers.ts).
    '--use-auth-secret',
    `--static-auth-secret=${options.secret}`,
    `--realm=${options.realm ?? 'multi-seat.test'}`,
    '--fingerprint',
    `--userdb=${join(dir, 'turndb')}`,
    `--pidfile=${join(dir, 'turnserver.pid')}`,
    '--log-file=stdout',
    '--simple-log',
    '--no-software-attribute',
    ...(process.env.COTURN_VERBOSE ? ['--verbose'] : []),
  ];
  /** @type {string[]} */
  const tail = [];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  /** @param {Buffer} d */
  const onOutput = (d) => {
    for (const line of d.toString().split('\n')) if (line.trim()) tail.push(line);
    while (tail.length > 200) tail.shift();
    if (process.env.COTURN_LOG) process.stdout.write(`[coturn] ${d}`);
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  const owned = own(child, dir);
  const stop = owned.stop;
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const { spawnError, exited } = owned;
    if (spawnError || exited) {
      await stop();
      throw new Error(`turnserver ${spawnError ? `could not start: ${spawnError.message}` : `exited (code ${exited?.code})`}\n${tail.join('\n')}`);
    }
    if (await canConnect(port, '127.0.0.1')) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`turnserver did not listen on 127.0.0.1:${port}\n${tail.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    pid: /** @type {number} */ (child.pid),
    port,
    /** The entry for --ice-servers (credentials minted by the control center). */
    url: `turn:127.0.0.1:${port}?transport=udp`,
    logTail: () => tail.join('\n'),
    exited: owned.exitPromise,
    stop,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { port: { type: 'string' }, secret: { type: 'string' } } });
  if (positionals[0] !== 'start') {
    console.error('usage: node scripts/coturn.mjs start [--port N] [--secret S]');
    process.exit(2);
  }
  const secret = values.secret ?? 'multi-seat-dev-turn-secret';
  const t = await startCoturn({ secret, port: Number(values.port ?? 3478) });
  console.log(`coturn (pid ${t.pid}) on ${t.url}; control center: --ice-servers '[{"urls":"${t.url}"}]' --turn-secret ${secret}; Ctrl-C stops it.`);
  const quit = () => t.stop().then(() => process.exit(0));
  process.once('SIGINT', quit);
  process.once('SIGTERM', quit);
}
