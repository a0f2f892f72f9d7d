#!/usr/bin/env node
// @ts-check
// Builds dist/ (`npm run build`) when it is missing or older than its sources. Plain Node, no
// dependencies: `npm start` and the demo test call it before they serve the bundle.
//   node scripts/ensure-built.mjs        # builds if needed
//   import { ensureBuilt } from './ensure-built.mjs'; ensureBuilt();
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** What the build writes; if any is missing, it builds. */
const OUTPUTS = ['dist/multi-seat.bundle.js', 'dist/index.js', 'dist/core.js', 'dist/types/components/index.d.ts', 'demo/capacity.svg'];
/** What it builds from; if any is newer than the oldest output, it builds. */
const SOURCES = ['components', 'core', 'capacity', 'rollup.config.mjs', 'tsconfig.build.json', 'tsconfig.types.json', 'package-lock.json', 'scripts/demo-assets.ts'];

/** @param {string} p @returns {number} newest mtime under p (0 if it does not exist) */
function newest(p) {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = s.mtimeMs;
  for (const e of readdirSync(p)) max = Math.max(max, newest(join(p, e)));
  return max;
}

/** Why a build is needed, or null when dist/ is up to date. */
export function staleReason() {
  const missing = OUTPUTS.find((o) => !existsSync(join(root, o)));
  if (missing) return `${missing} is missing`;
  const built = Math.min(...OUTPUTS.map((o) => statSync(join(root, o)).mtimeMs));
  const src = SOURCES.find((s) => newest(join(root, s)) > built);
  return src ? `${src} changed since the last build` : null;
}

/** Runs `npm run build` when dist/ is missing or stale; throws if the build fails. */
export function ensureBuilt({ quiet = false } = {}) {
  const why = staleReason();
  if (!why) return false;
  if (!quiet) console.log(`Building the bundle (${why}): npm run build`);
  const res = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: quiet ? 'pipe' : 'inherit', encoding: 'utf8' });
  if (res.status !== 0) {
    throw new Error(`npm run build failed (exit ${res.status ?? res.signal})${quiet ? `\n${res.stdout}\n${res.stderr}` : ''}`);
  }
  return true;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    if (!ensureBuilt()) console.log('dist/ is up to date.');
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
