#!/usr/bin/env node
// @ts-check
// Starts a private Janus for development and tests. Plain Node ESM, no dependencies.
//
// CLI:    node scripts/janus.mjs start [--ws-port 8188] [--http-port 8088] [--admin-port 7088|off]
//                                      [--rtp-range 20000-20200]
//                                      [--locked]
//         (stays up until Ctrl-C; a port of 0 picks a free one; --locked sets a VideoRoom
//          admin_key and token_auth, and prints the control-center flags that go with them)
// Module: import { startJanus } from './scripts/janus.mjs';
//         const j = await startJanus({ wsPort: 0, httpPort: 0, adminPort: 0 });
//         // j.wsUrl, j.httpUrl, j.adminUrl, j.adminSecret, j.pid, j.dir, j.logFile
//         await j.stop();
//
// It copies /etc/janus into a fresh temporary folder, binds every transport to
// 127.0.0.1, keeps only the videoroom plugin and the HTTP and WebSocket transports,
// sets no STUN server, and runs `janus -F <folder> -o -D` until stop().
// See shared JANUS.md for why each edit is there.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, createWriteStream, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { own } from './owned-process.mjs';

const HOST = '127.0.0.1';

const DISABLED_PLUGINS = [
  'libjanus_audiobridge.so',
  'libjanus_duktape.so',
  'libjanus_echotest.so',
  'libjanus_lua.so',
  'libjanus_nosip.so',
  'libjanus_recordplay.so',
  'libjanus_sip.so',
  'libjanus_streaming.so',
  'libjanus_textroom.so',
  'libjanus_videocall.so',
  'libjanus_voicemail.so',
];
const DISABLED_TRANSPORTS = ['libjanus_mqtt.so', 'libjanus_nanomsg.so', 'libjanus_pfunix.so', 'libjanus_rabbitmq.so'];
const DISABLED_LOGGERS = ['libjanus_jsonlog.so'];

/** Finds the janus binary: $JANUS_BIN, /usr/bin/janus, then $PATH. */
export function findJanusBinary() {
  const candidates = [process.env.JANUS_BIN, '/usr/bin/janus', '/usr/local/bin/janus', '/opt/janus/bin/janus'];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir) candidates.push(join(dir, 'janus'));
  const found = candidates.find((c) => c && existsSync(c));
  if (!found) {
    throw new Error('janus binary not found (looked at $JANUS_BIN, /usr/bin/janus and $PATH). Install it: apt-get install -y janus');
  }
  return found;
}

/** Resolves to a TCP port on 127.0.0.1 that is free right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, HOST, () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/**
 * Rejects if `port` cannot be bound on 127.0.0.1 (so we never talk to someone else's Janus).
 * @param {number} port @param {string} what
 */
function assertPortFree(port, what) {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', (/** @type {NodeJS.ErrnoException} */ err) =>
      reject(new Error(`janus: ${what} port ${port} on ${HOST} is not free (${err.code ?? err.message}); pass another port or 0 for a free one`)),
    );
    srv.listen(port, HOST, () => srv.close(() => resolve(undefined)));
  });
}

/** @param {number | undefined | null} port @param {number} dflt @param {string} what */
async function resolvePort(port, dflt, what) {
  const p = port === undefined ? dflt : Number(port);
  if (!Number.isInteger(p) || p < 0 || p > 65535) throw new Error(`janus: bad ${what} port: ${port}`);
  if (p === 0) return freePort();
  await assertPortFree(p, what);
  return p;
}

/**
 * Sets `key = value` inside the top-level `section: { ... }` of a .jcfg text,
 * replacing an active (uncommented) setting or adding one after the opening line.
 * @param {string} text @param {string} section @param {string} key @param {string | number | boolean} value
 */
export function setJcfg(text, section, key, value) {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^${section}\\s*:\\s*\\{`).test(l));
  if (start < 0) throw new Error(`janus config: no section "${section}"`);
  let end = lines.findIndex((l, i) => i > start && /^\}/.test(l));
  if (end < 0) end = lines.length;
  const rendered = typeof value === 'string' ? JSON.stringify(value) : String(value);
  const line = `\t${key} = ${rendered}`;
  const keyRe = new RegExp(`^\\s*${key}\\s*=`);
  const existing = lines.findIndex((l, i) => i > start && i < end && keyRe.test(l));
  if (existing >= 0) lines[existing] = line;
  else lines.splice(start + 1, 0, line);
  return lines.join('\n');
}

/**
 * Removes the top-level `room-…: { … }` sections of a VideoRoom .jcfg text.
 * @param {string} text
 */
export function dropStaticRooms(text) {
  const out = [];
  let skipping = false;
  for (const line of text.split('\n')) {
    if (!skipping && /^room-[^:\s]*\s*:\s*\{/.test(line)) skipping = true;
    if (!skipping) out.push(line);
    else if (/^\}/.test(line)) skipping = false;
  }
  return out.join('\n');
}

/** @param {string} file @param {(text: string) => string} edit */
function editFile(file, edit) {
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
}

/**
 * Starts Janus on 127.0.0.1.
 * @param {{ wsPort?: number, httpPort?: number, adminPort?: number | false | null,
 *           rtpRange?: string, sourceDir?: string, debugLevel?: number, timeoutMs?: number,
 *           roomAdminKey?: string, apiSecret?: string, tokenAuth?: boolean, locked?: boolean }} [options]
 *   Ports default to Janus's own (8188, 8088, 7088); 0 picks a free port; adminPort false/null turns the admin API off.
 *   roomAdminKey sets the VideoRoom plugin's admin_key: rooms are then created only with it, and
 *   `list` shows private rooms to whoever gives it. apiSecret sets Janus's api_secret: every
 *   request must then carry it as `apisecret`. tokenAuth sets Janus's token_auth: every request
 *   must then carry a token added through the admin API (add_token), which needs the admin port.
 *   locked: the lockdown the control center expects — a random roomAdminKey (also enforced for
 *   RTP forwarding) and tokenAuth; the result carries `roomAdminKey` and `serverArgs`, the
 *   control-center flags that go with it.
 * @returns {Promise<{ pid: number, wsUrl: string, httpUrl: string, adminUrl?: string, adminSecret?: string,
 *   wsPort: number, httpPort: number, adminPort?: number, dir: string, logFile: string,
 *   roomAdminKey?: string, tokenAuth: boolean, serverArgs: string[],
 *   logTail: (lines?: number) => string, exited: Promise<{ code: number | null, signal: string | null }>,
 *   stop: () => Promise<void> }>}
 */
export async function startJanus(options = {}) {
  const {
    rtpRange = '20000-20200',
    sourceDir = '/etc/janus',
    debugLevel = 4,
    timeoutMs = 15_000,
  } = options;
  if (!/^\d+-\d+$/.test(rtpRange)) throw new Error(`janus: bad rtpRange "${rtpRange}" (want "min-max")`);
  const bin = findJanusBinary();
  if (!existsSync(join(sourceDir, 'janus.jcfg'))) {
    throw new Error(`janus: no ${join(sourceDir, 'janus.jcfg')}; install Janus (apt-get install -y janus)`);
  }
  const adminOn = options.adminPort !== false && options.adminPort !== null;
  const wsPort = await resolvePort(options.wsPort, 8188, 'WebSocket');
  const httpPort = await resolvePort(options.httpPort, 8088, 'HTTP');
  const adminPort = adminOn ? await resolvePort(/** @type {number|undefined} */ (options.adminPort), 7088, 'admin') : undefined;
  if (new Set([wsPort, httpPort, adminPort].filter((p) => p !== undefined)).size !== (adminOn ? 3 : 2)) {
    throw new Error(`janus: ports must differ (ws ${wsPort}, http ${httpPort}, admin ${adminPort})`);
  }
  const adminSecret = adminOn ? randomBytes(18).toString('base64url') : undefined;
  const roomAdminKey = options.roomAdminKey ?? (options.locked ? randomBytes(18).toString('base64url') : undefined);
  const tokenAuth = Boolean(options.tokenAuth ?? options.locked);
  if (tokenAuth && !adminOn) throw new Error('janus: token_auth needs the admin API (tokens are added through it); do not turn --admin-port off');

  const dir = mkdtempSync(join(tmpdir(), 'multi-seat-janus-'));
  const confDir = join(dir, 'conf');
  cpSync(sourceDir, confDir, { recursive: true });

  editFile(join(confDir, 'janus.jcfg'), (t) => {
    t = setJcfg(t, 'general', 'configs_folder', confDir);
    t = setJcfg(t, 'general', 'debug_level', debugLevel);
    t = setJcfg(t, 'general', 'admin_secret', adminSecret ?? randomBytes(18).toString('base64url'));
    if (options.apiSecret) t = setJcfg(t, 'general', 'api_secret', options.apiSecret);
    if (tokenAuth) t = setJcfg(t, 'general', 'token_auth', true);
    t = setJcfg(t, 'media', 'rtp_port_range', rtpRange);
    t = setJcfg(t, 'plugins', 'disable', DISABLED_PLUGINS.join(','));
    t = setJcfg(t, 'transports', 'disable', DISABLED_TRANSPORTS.join(','));
    t = setJcfg(t, 'loggers', 'disable', DISABLED_LOGGERS.join(','));
    return t;
  });
  // The stock file declares public demo rooms without a pin (1234, 5678): nobody needs them.
  editFile(join(confDir, 'janus.plugin.videoroom.jcfg'), dropStaticRooms);
  if (roomAdminKey) {
    // admin_key: only its holders create rooms (and list private ones); lock_rtp_forward: and
    // forward a room's media elsewhere.
    editFile(join(confDir, 'janus.plugin.videoroom.jcfg'), (t) => {
      t = setJcfg(t, 'general', 'admin_key', roomAdminKey);
      return setJcfg(t, 'general', 'lock_rtp_forward', true);
    });
  }
  editFile(join(confDir, 'janus.transport.websockets.jcfg'), (t) => {
    t = setJcfg(t, 'general', 'ws', true);
    t = setJcfg(t, 'general', 'ws_ip', HOST);
    t = setJcfg(t, 'general', 'ws_port', wsPort);
    t = setJcfg(t, 'general', 'wss', false);
    t = setJcfg(t, 'admin', 'admin_ws', false);
    t = setJcfg(t, 'admin', 'admin_wss', false);
    return t;
  });
  editFile(join(confDir, 'janus.transport.http.jcfg'), (t) => {
    t = setJcfg(t, 'general', 'http', true);
    t = setJcfg(t, 'general', 'ip', HOST);
    t = setJcfg(t, 'general', 'port', httpPort);
    t = setJcfg(t, 'general', 'https', false);
    t = setJcfg(t, 'admin', 'admin_http', adminOn);
    if (adminOn) {
      t = setJcfg(t, 'admin', 'admin_ip', HOST);
      t = setJcfg(t, 'admin', 'admin_port', /** @type {number} */ (adminPort));
    }
    t = setJcfg(t, 'admin', 'admin_https', false);
    return t;
  });

  const logFile = join(dir, 'janus.log');
  const log = createWriteStream(logFile);
  /** @type {string[]} */
  const tail = [];
  let partial = '';
  const onOutput = (/** @type {Buffer} */ chunk) => {
    log.write(chunk);
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    for (const l of parts) {
      tail.push(l);
      if (tail.length > 40) tail.shift();
    }
  };
  const logTail = (n = 20) => [...tail, partial].filter(Boolean).slice(-n).join('\n');

  const child = spawn(bin, ['-F', confDir, '-C', join(confDir, 'janus.jcfg'), '-o', '-D'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  const owned = own(child, dir, () => new Promise((resolve) => log.end(resolve)));
  const stop = owned.stop;

  const httpUrl = `http://${HOST}:${httpPort}/janus`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { spawnError, exited } = owned;
    if (spawnError || exited) {
      await stop();
      const why = spawnError ? `could not start ${bin}: ${spawnError.message}` : `exited early (code ${exited?.code}, signal ${exited?.signal})`;
      throw new Error(`janus ${why}\n--- last log lines ---\n${logTail()}`);
    }
    try {
      const res = await fetch(`${httpUrl}/info`, { signal: AbortSignal.timeout(1000) });
      const body = await res.json();
      if (body && body.janus === 'server_info') break;
    } catch {}
    if (Date.now() > deadline) {
      const lines = logTail();
      await stop();
      throw new Error(`janus did not answer GET ${httpUrl}/info within ${timeoutMs} ms\n--- last log lines ---\n${lines}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  const adminUrl = adminOn ? `http://${HOST}:${adminPort}/admin` : undefined;
  /** The control-center flags that go with this Janus. */
  // --flag=value: a random key may start with '-', which a parser would take for another flag.
  const serverArgs = [`--janus-url=ws://${HOST}:${wsPort}`];
  if (roomAdminKey) serverArgs.push(`--janus-admin-key=${roomAdminKey}`);
  if (options.apiSecret) serverArgs.push(`--janus-api-secret=${options.apiSecret}`);
  if (adminUrl && adminSecret) serverArgs.push(`--janus-admin-url=${adminUrl}`, `--janus-admin-secret=${adminSecret}`);
  return {
    pid: /** @type {number} */ (child.pid),
    roomAdminKey,
    tokenAuth,
    serverArgs,
    wsUrl: `ws://${HOST}:${wsPort}`,
    httpUrl,
    adminUrl,
    adminSecret,
    wsPort,
    httpPort,
    adminPort,
    dir,
    logFile,
    logTail,
    exited: owned.exitPromise,
    stop,
  };
}

/**
 * Parses `--ws-port N --http-port N --admin-port N|off --rtp-range MIN-MAX` into startJanus options.
 * @param {string[]} argv
 */
export function parseJanusArgs(argv) {
  /** @type {Record<string, any>} */
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.split('=', 2);
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (flag === '--ws-port') opts.wsPort = Number(value());
    else if (flag === '--http-port') opts.httpPort = Number(value());
    else if (flag === '--admin-port') {
      const v = value();
      opts.adminPort = v === 'off' ? false : Number(v);
    } else if (flag === '--rtp-range') opts.rtpRange = value();
    else if (flag === '--locked') opts.locked = true;
    else throw new Error(`unknown option ${a}`);
  }
  return opts;
}

async function cli() {
  const [cmd, ...rest] = process.argv.slice(2);
  if (cmd !== 'start') {
    console.error('usage: node scripts/janus.mjs start [--ws-port N] [--http-port N] [--admin-port N|off] [--rtp-range MIN-MAX] [--locked]');
    process.exit(cmd === undefined || cmd === '--help' || cmd === '-h' ? 0 : 2);
  }
  const janus = await startJanus(parseJanusArgs(rest));
  console.log(`Janus is up (pid ${janus.pid}, config and log in ${janus.dir})`);
  console.log(`  WebSocket: ${janus.wsUrl}  (protocol janus-protocol)`);
  console.log(`  HTTP:      ${janus.httpUrl}`);
  if (janus.adminUrl) console.log(`  Admin:     ${janus.adminUrl}  (admin_secret ${janus.adminSecret})`);
  if (janus.tokenAuth) console.log(`Locked (VideoRoom admin_key, token_auth). Start the control center with:\n  npm run server -- --demo ${janus.serverArgs.join(' ')}`);
  console.log('Ctrl-C stops it.');
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await janus.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  janus.exited.then(({ code, signal }) => {
    if (stopping) return;
    console.error(`janus exited by itself (code ${code}, signal ${signal})\n--- last log lines ---\n${janus.logTail()}`);
    process.exit(1);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  cli().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
