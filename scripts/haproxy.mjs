#!/usr/bin/env node
// @ts-check
// HAProxy in front of control-center nodes, for `npm run cluster`, the tests and as the source
// of deploy/haproxy.cfg (the documented sample has the same shape). Plain Node ESM.
//
// CLI:    node scripts/haproxy.mjs config --front-port 8780 --backend 127.0.0.1:8787 --backend 127.0.0.1:8788 [--proxy-protocol]
//           prints the config
//         node scripts/haproxy.mjs start  (same flags)   runs it until Ctrl-C
// Module: import { haproxyConfig, startHaproxy } from './scripts/haproxy.mjs';
//         const p = await startHaproxy({ frontPort: 0, backends: [{ name: 'n1', host: '127.0.0.1', port: 8787 }] });
//         // p.url (http://127.0.0.1:port), p.wsUrl, p.frontPort, p.pid, p.servers() (health per backend)
//         await p.stop();
//
// The control centers must trust the proxy's address (`--trusted-proxies 127.0.0.1`), or every
// client counts as the proxy for the per-address limits.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { freePort } from './janus.mjs';
import { own } from './owned-process.mjs';

/**
 * @typedef {{ name: string, host: string, port: number }} Backend
 * @typedef {{
 *   frontPort: number,
 *   frontHost?: string,
 *   backends: Backend[],
 *   proxyProtocol?: boolean,
 *   checkIntervalMs?: number,
 *   statsSocket?: string,
 *   tunnelTimeout?: string,
 *   maxconn?: number,
 *   forwardFor?: boolean,
 * }} HaproxyConfigOptions
 */

/**
 * The config text. `proxyProtocol` adds `send-proxy-v2` to every server (the control center
 * reads the header from `--trusted-proxies`); `option forwardfor` (X-Forwarded-For on the
 * upgrade request) is on unless `forwardFor: false`. Either one is enough. Health: `GET /healthz` must answer 200 (every node serves clients,
 * leader or follower); `fall` failures in a row mark a node down and cut its tunnels, so its
 * clients reconnect through the proxy to a live node.
 * @param {HaproxyConfigOptions} o
 */
export function haproxyConfig(o) {
  const inter = o.checkIntervalMs ?? 2000;
  const front = `${o.frontHost ?? '127.0.0.1'}:${o.frontPort}`;
  const servers = o.backends.map((b) => `    server ${b.name} ${b.host}:${b.port} check${o.proxyProtocol ? ' send-proxy-v2' : ''}`);
  return `# HAProxy in front of multi-seat control-center nodes (rendered by scripts/haproxy.mjs).
global
    # Open connections at once (each WebSocket is one). Every one holds two descriptors, so 2 ×
    # maxconn must stay under the open-files limit: 8000 fits the usual 20,000 (\`ulimit -n\`);
    # started as root (systemd), HAProxy raises its own limit to fit a larger maxconn.
    maxconn ${o.maxconn ?? 8000}
${o.statsSocket ? `    stats socket ${o.statsSocket} mode 600 level admin\n` : ''}
defaults
    mode http
    timeout connect 3s
    # Before the upgrade (and for /healthz, /v1/stats): ordinary HTTP timeouts.
    timeout client 30s
    timeout server 30s
    timeout http-request 10s
    # After the upgrade, a WebSocket is a tunnel. The control center pings every 10 s
    # (--ping-interval-ms) and the client sends a ping after 10 s without news, so a live tunnel
    # is never idle that long; keep this several intervals above --ping-interval-ms.
    timeout tunnel ${o.tunnelTimeout ?? '120s'}
    timeout client-fin 5s
    timeout server-fin 5s
    # A connect refused by a node not yet marked down is tried on another.
    option redispatch
    retries 2

frontend multi_seat
    bind ${front}
    # TLS at the proxy (the nodes speak plain HTTP on a private network), e.g.:
    # bind :443 ssl crt /etc/haproxy/certs/multi-seat.pem alpn http/1.1
    # http-request set-header X-Forwarded-Proto https if { ssl_fc }
${o.forwardFor === false ? '' : `    # The client's address for the per-address limits (trusted by --trusted-proxies).
    option forwardfor
`}    default_backend control_centers

backend control_centers
    # WebSockets live for hours: leastconn spreads them over the nodes by open connections
    # (round robin counts requests, not tunnels; source hashing would send an office behind one
    # NAT to one node). No stickiness is needed: any node serves any seat or customer.
    balance leastconn
    option httpchk
    http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host multi-seat
    http-check expect status 200
    default-server inter ${inter} fall 2 rise 2 on-marked-down shutdown-sessions
${servers.join('\n')}
`;
}

/** Finds the haproxy binary: $HAPROXY_BIN, /usr/sbin/haproxy, then $PATH. */
export function findHaproxyBinary() {
  const candidates = [process.env.HAPROXY_BIN, '/usr/sbin/haproxy', '/usr/local/sbin/haproxy'];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir) candidates.push(join(dir, 'haproxy'));
  const found = candidates.find((c) => c && existsSync(c));
  if (!found) throw new Error('haproxy binary not found (looked at $HAPROXY_BIN, /usr/sbin/haproxy and $PATH). Install it: apt-get install -y haproxy');
  return found;
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
 * Starts haproxy (`-f <file> -db`, foreground) with a rendered config in a temporary folder,
 * resolves once the front port accepts connections. A `frontPort` of 0 picks a free one.
 * `stop()` ends it by its pid (SIGTERM, SIGKILL after 3 s) and removes the folder.
 * @param {Omit<HaproxyConfigOptions, 'statsSocket'> & { timeoutMs?: number }} options
 */
export async function startHaproxy(options) {
  const bin = findHaproxyBinary();
  const frontHost = options.frontHost ?? '127.0.0.1';
  const frontPort = options.frontPort || /** @type {number} */ (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'multi-seat-haproxy-'));
  const statsSocket = join(dir, 'stats.sock');
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, haproxyConfig({ ...options, frontPort, frontHost, statsSocket }));
  /** @type {string[]} */
  const tail = [];
  const child = spawn(bin, ['-f', file, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
  /** @param {Buffer} d */
  const onOutput = (d) => {
    for (const line of d.toString().split('\n')) if (line.trim()) tail.push(line);
    while (tail.length > 40) tail.shift();
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
      throw new Error(`haproxy ${spawnError ? `could not start: ${spawnError.message}` : `exited (code ${exited?.code})`}\n${tail.join('\n')}`);
    }
    if (await canConnect(frontPort, frontHost)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`haproxy did not listen on ${frontHost}:${frontPort}\n${tail.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  /**
   * Each backend's state as HAProxy sees it (`show stat` on the stats socket): UP, DOWN, …
   * @returns {Promise<Record<string, string>>}
   */
  const servers = () =>
    new Promise((resolve, reject) => {
      const s = connect(statsSocket);
      let text = '';
      s.on('data', (d) => (text += d.toString()));
      s.once('error', reject);
      s.once('connect', () => s.write('show stat\n'));
      s.once('end', () => {
        /** @type {Record<string, string>} */
        const out = {};
        const [head, ...rows] = text.trim().split('\n');
        const cols = (head ?? '').replace(/^# /, '').split(',');
        const [px, sv, st] = ['pxname', 'svname', 'status'].map((c) => cols.indexOf(c));
        for (const row of rows) {
          const f = row.split(',');
          if (f[px] === 'control_centers' && f[sv] !== 'BACKEND' && f[sv] !== 'FRONTEND') out[/** @type {string} */ (f[sv])] = /** @type {string} */ (f[st]);
        }
        resolve(out);
      });
    });

  return {
    pid: /** @type {number} */ (child.pid),
    frontPort,
    url: `http://${frontHost}:${frontPort}`,
    wsUrl: `ws://${frontHost}:${frontPort}`,
    dir,
    config: file,
    logTail: () => tail.join('\n'),
    servers,
    exited: owned.exitPromise,
    stop,
  };
}

/** @param {string[]} argv */
function parseCli(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'front-port': { type: 'string' },
      'front-host': { type: 'string' },
      backend: { type: 'string', multiple: true },
      'proxy-protocol': { type: 'boolean' },
    },
  });
  const backends = (values.backend ?? ['127.0.0.1:8787']).map((b, i) => {
    const at = b.lastIndexOf(':');
    return { name: `node${i + 1}`, host: b.slice(0, at), port: Number(b.slice(at + 1)) };
  });
  return {
    command: positionals[0] ?? 'config',
    options: { frontPort: Number(values['front-port'] ?? 8780), frontHost: values['front-host'], backends, proxyProtocol: values['proxy-protocol'] ?? false },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { command, options } = parseCli(process.argv.slice(2));
  if (command === 'config') process.stdout.write(haproxyConfig(options));
  else if (command === 'start') {
    const p = await startHaproxy(options);
    console.log(`haproxy (pid ${p.pid}) on ${p.url} → ${options.backends.map((b) => `${b.host}:${b.port}`).join(', ')}; Ctrl-C stops it.`);
    const quit = () => p.stop().then(() => process.exit(0));
    process.once('SIGINT', quit);
    process.once('SIGTERM', quit);
  } else {
    console.error('usage: node scripts/haproxy.mjs config|start [--front-port N] [--backend host:port]… [--proxy-protocol]');
    process.exit(2);
  }
}
