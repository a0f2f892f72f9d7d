#!/usr/bin/env node
// Runs the Node test suites with `node --import tsx --test`.
// Node 20's `--test` does not expand globs (that came in Node 21), so this finds
// the files itself: every *.test.ts under test/ except the browser test folders
// test/components/ (`npm run test:browser`) and test/e2e/ (`npm run test:e2e`), and the
// demo walk-through test/demo/ (`npm run test:demo`: it builds the bundle first),
// or under the folders or files given as arguments; it fails if it finds none.
//   node scripts/run-node-tests.mjs                  # test/core, test/server, ...
//   node scripts/run-node-tests.mjs test/server      # one folder
//   node scripts/run-node-tests.mjs test/server/janus-dev.test.ts
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_DIRS = ['test'];
// Run by web-test-runner in Chromium, not by Node; test/demo runs on its own (`npm run test:demo`).
const BROWSER_DIRS = new Set(['test/components', 'test/e2e', 'test/demo'].map((d) => join(root, d)));
const args = process.argv.slice(2);
const passThrough = args.filter((a) => a.startsWith('--'));
const targets = args.filter((a) => !a.startsWith('--'));

/** @param {string} dir @returns {string[]} */
function findTests(dir) {
  if (!existsSync(dir)) return [];
  if (statSync(dir).isFile()) return [dir];
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const p = join(dir, entry.name);
    if (BROWSER_DIRS.has(p)) continue;
    if (entry.isDirectory()) out.push(...findTests(p));
    else if (entry.isFile() && entry.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const files = (targets.length ? targets : DEFAULT_DIRS)
  .flatMap((t) => findTests(join(root, t)))
  .map((f) => relative(root, f))
  .sort();

if (files.length === 0) {
  console.error(`run-node-tests: no *.test.ts files found under ${(targets.length ? targets : DEFAULT_DIRS).join(', ')}`);
  process.exit(1);
}

const nodeArgs = ['--import', 'tsx', '--test', '--test-reporter=spec', ...passThrough, ...files];
const child = spawn(process.execPath, nodeArgs, { cwd: root, stdio: 'inherit' });
for (const sig of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(sig, () => child.kill(sig));
}
child.on('exit', (code, signal) => {
  if (signal) {
    console.error(`run-node-tests: node --test ended by ${signal}`);
    process.exit(1);
  }
  process.exit(code ?? 1);
});
