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
//   3. Janus on 127.0.0.1 (scripts/janus.mjs). Options are passed on:
//      npm start -- --ws-port 0 --http-port 0 --admin-port off
//
// Later steps add the control-center server and the demo pages here.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

function missingDebianPackages() {
  /** @type {string[]} */
  const missing = [];
  if (!hasJanus()) missing.push('janus');
  if (!existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) missing.push('chromium');
  if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
    // Only needed to compile better-sqlite3 during `npm ci`.
    if (!existsSync('/usr/bin/python3')) missing.push('python3');
    if (!onPath('make')) missing.push('make');
    if (!onPath('g++')) missing.push('g++');
  }
  return missing;
}

function installSystemPackages() {
  const missing = missingDebianPackages();
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

async function main() {
  const janusOptions = parseJanusArgs(process.argv.slice(2));
  installSystemPackages();
  installNodePackages();

  const janus = await startJanus(janusOptions);
  console.log('');
  console.log(`Janus is up (pid ${janus.pid}, config and log in ${janus.dir})`);
  console.log(`  WebSocket: ${janus.wsUrl}  (protocol janus-protocol)`);
  console.log(`  HTTP:      ${janus.httpUrl}`);
  if (janus.adminUrl) console.log(`  Admin:     ${janus.adminUrl}  (admin_secret ${janus.adminSecret})`);
  console.log('Ctrl-C stops everything.');

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

main().catch((err) => {
  console.error(`npm start: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
