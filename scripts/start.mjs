#!/usr/bin/env node
// @ts-check
// `npm start`: installs what is missing, then starts the development stack and
// stays up until Ctrl-C. Plain Node ESM with no dependencies, so it runs on a
// fresh clone before `npm ci`.
//
//   1. Debian packages: janus (the media server), chromium (browser tests),
//      python3 make g++ (better-sqlite3 compiles from source). Installed with
//      apt-get when missing and running as root on Debian; otherwise it says what
//      to install and stops.
//   2. npm packages: `npm ci` when node_modules is missing.
//   3. The bundle: `npm run build` when dist/ is missing or older than the sources.
//   4. Janus on 127.0.0.1 (scripts/janus.mjs). Options are passed on:
//      npm start -- --ws-port 0 --http-port 0 --admin-port off
//      `--media none` starts no Janus: calls connect without video.
//   5. The control center in demo mode (bin/multi-seat-server.js --demo) on 127.0.0.1:8787
//      (`--port N` for another), serving the demo pages; it prints their URLs.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureBuilt } from './ensure-built.mjs';
import { randomBytes } from 'node:crypto';
import { findJanusBinary, parseJanusArgs, startJanus } from './janus.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

/** @param {string} cmd @param {string[]} args @param {Record<string, string>} [env] */
function run(cmd, args, env = {}) {
  console.log(`$ ${[cmd, ...args].join(' ')}`);
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (res.error) throw new Error(`${cmd} could not run: ${res.error.message}`);
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${res.status ?? res.signal})`);
}

/** @param {string} bin */
function onPath(bin) {
  return spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
}

function hasJanus() {
  try {
    findJanusBinary();
    return existsSync('/etc/janus/janus.jcfg');
  } catch {
    return false;
  }
}

/** @param {boolean} needJanus */
function missingDebianPackages(needJanus) {
  /** @type {string[]} */
  const missing = [];
  if (needJanus && !hasJanus()) missing.push('janus');
  if (!existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) missing.push('chromium');
  // The pages speak Simplified Chinese too; a bare Debian has no font with those glyphs.
  if (!existsSync('/usr/share/fonts/truetype/wqy/wqy-microhei.ttc')) missing.push('fonts-wqy-microhei');
  if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
    // Only needed to compile better-sqlite3 during `npm ci`.
    if (!existsSync('/usr/bin/python3')) missing.push('python3');
    if (!onPath('make')) missing.push('make');
    if (!onPath('g++')) missing.push('g++');
  }
  return missing;
}

/** @param {boolean} needJanus */
function installSystemPackages(needJanus) {
  const missing = missingDebianPackages(needJanus);
  if (missing.length === 0) return;
  const isRoot = process.getuid?.() === 0;
  const isDebian = existsSync('/etc/debian_version') && onPath('apt-get');
  if (!isRoot || !isDebian) {
    throw new Error(
      `missing system packages: ${missing.join(' ')}\n` +
        (isDebian
          ? `install them as root: sudo apt-get install -y ${missing.join(' ')}`
          : 'install them with your system package manager (Janus 1.x, Chromium, a C++ toolchain and Python 3).'),
    );
  }
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update'], env);
  run('apt-get', ['install', '-y', ...missing], env);
}

function installNodePackages() {
  if (existsSync(join(root, 'node_modules', '.package-lock.json'))) return;
  run('npm', ['ci']);
}

/**
 * Splits our own options (`--media janus|none`, `--port N`) from Janus's.
 * @param {string[]} argv
 */
export function parseStartArgs(argv) {
  let media = 'janus';
  let port = 8787;
  /** @type {string[]} */
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (flag === '--media') {
      media = value();
      if (media !== 'janus' && media !== 'none') throw new Error(`--media must be "janus" or "none", not "${media}"`);
    } else if (flag === '--port') {
      port = Number(value());
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bad --port ${port}`);
    } else rest.push(argv[i]);
  }
  return { media, port, janusOptions: parseJanusArgs(rest) };
}

async function main() {
  const { media, port, janusOptions } = parseStartArgs(process.argv.slice(2));
  installSystemPackages(media === 'janus');
  installNodePackages();
  ensureBuilt();

  /** @type {Awaited<ReturnType<typeof startJanus>> | null} */
  // Locked as in production: only the control center makes rooms (VideoRoom admin_key), and
  // only parties of a call open Janus sessions (token_auth, tokens added through the admin API;
  // without the admin API only the admin_key).
  const adminOff = janusOptions.adminPort === false || janusOptions.adminPort === null;
  const janus = media === 'janus' ? await startJanus({ ...janusOptions, locked: !adminOff, ...(adminOff ? { roomAdminKey: randomBytes(18).toString('base64url') } : {}) }) : null;
  if (janus) {
    console.log('');
    console.log(`Janus is up (pid ${janus.pid}, config and log in ${janus.dir})`);
    console.log(`  WebSocket: ${janus.wsUrl}  (protocol janus-protocol)`);
    console.log(`  HTTP:      ${janus.httpUrl}`);
    if (janus.adminUrl) console.log(`  Admin:     ${janus.adminUrl}  (admin_secret ${janus.adminSecret})`);
  }

  const args = ['bin/multi-seat-server.js', '--demo', '--host', '127.0.0.1', '--port', String(port), '--janus-url', janus ? janus.wsUrl : 'none'];
  // Ctrl-C stops Janus too, so the calls could not go on: end them (server-shutdown).
  args.push('--end-calls-on-stop');
  // The Janus keys go to the server in its environment, not on its command line (ps shows that).
  /** @type {Record<string, string>} */
  const janusEnv = {};
  if (janus?.roomAdminKey) janusEnv.MULTI_SEAT_JANUS_ADMIN_KEY = janus.roomAdminKey;
  if (janus?.tokenAuth && janus.adminUrl && janus.adminSecret) {
    janusEnv.MULTI_SEAT_JANUS_ADMIN_URL = janus.adminUrl;
    janusEnv.MULTI_SEAT_JANUS_ADMIN_SECRET = janus.adminSecret;
  }
  const server = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...janusEnv } });
  /** @type {Promise<{ code: number | null, signal: string | null }>} */
  const serverExited = new Promise((resolve) => server.once('exit', (code, signal) => resolve({ code, signal })));
  let stopping = false;
  const shutdown = async (/** @type {number} */ code = 0) => {
    if (stopping) return;
    stopping = true;
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
    const timer = setTimeout(() => server.kill('SIGKILL'), 5000);
    await serverExited;
    clearTimeout(timer);
    await janus?.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());

  // The server prints one line once it listens: `multi-seat control center on http://…`.
  let announced = false;
  let buffered = '';
  server.stdout.on('data', (/** @type {Buffer} */ chunk) => {
    process.stdout.write(chunk);
    if (announced) return;
    buffered += chunk.toString('utf8');
    const m = /control center on (http:\/\/\S+)/.exec(buffered);
    if (!m) return;
    announced = true;
    const base = m[1];
    console.log('');
    console.log(`multi-seat demo${janus ? '' : ' (media off: no Janus, no video)'}: open in Chromium or Chrome`);
    console.log(`  ${base}/                                           start here`);
    console.log(`  ${base}/agent.html?seat=seat-1&splits=2            an agent (a mock CRM page)`);
    console.log(`  ${base}/caller.html?customer=cust-1&queue=claims   a customer`);
    console.log('Ctrl-C stops everything.');
  });
  serverExited.then(({ code, signal }) => {
    if (stopping) return;
    console.error(`the control center exited by itself (code ${code}, signal ${signal})`);
    void shutdown(1);
  });
  janus?.exited.then(({ code, signal }) => {
    if (stopping) return;
    console.error(`janus exited by itself (code ${code}, signal ${signal})\n--- last log lines ---\n${janus.logTail()}`);
    void shutdown(1);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(`npm start: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  });
}
