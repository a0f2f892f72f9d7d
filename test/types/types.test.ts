/**
 * What an integrator's TypeScript sees: the fixtures (test/types/fixtures) import the package by
 * name, as the README does, and are type-checked against the built dist/types (`npm run build`
 * first; scripts/ensure-built.mjs is not used so a stale build shows). `addEventListener('seat-answer',
 * e => e.detail.call…)` from `multi-seat/multi-seat.js`, and the README's React example in TSX
 * with `multi-seat/react` (React 19 types, from the dev dependencies' @types/react); `multi-seat/vue`
 * against a declaration-only stand-in for vue (not a dependency here).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('the entry .d.ts files keep the event map', { skip: !existsSync(`${root}dist/types`) && 'run npm run build' }, () => {
  for (const t of ['multi-seat', 'seat-split', 'seat-caller']) {
    const dts = readFileSync(`${root}dist/types/components/${t}/${t}.d.ts`, 'utf8');
    assert.match(dts, /from '\.\.\/events\/events\.js'/, `${t}.d.ts`);
  }
  for (const f of ['seat-answer', 'seat-error', 'seat-call-change']) {
    assert.match(readFileSync(`${root}dist/types/components/events/${f}.d.ts`, 'utf8'), /interface HTMLElementEventMap/);
  }
});

test('typed events and JSX from the package entry points (tsc on test/types/fixtures)', { skip: !existsSync(`${root}dist/types`) && 'run npm run build' }, () => {
  const tsc = spawnSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}test/types/fixtures/tsconfig.json`], { encoding: 'utf8' });
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
});

test('multi-seat/vue: GlobalComponents with props and typed handlers (against a declaration-only vue)', { skip: !existsSync(`${root}dist/types`) && 'run npm run build' }, () => {
  const tsc = spawnSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}test/types/fixtures/tsconfig.vue.json`], { encoding: 'utf8' });
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
});

test('package.json exports and ships the React and Vue declarations', () => {
  const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { exports: Record<string, { types?: string }>; files: string[] };
  assert.equal(pkg.exports['./react']?.types, './types/react.d.ts');
  assert.equal(pkg.exports['./vue']?.types, './types/vue.d.ts');
  assert.ok(pkg.files.includes('types/'));
  assert.match(readFileSync(`${root}types/vue.d.ts`, 'utf8'), /interface GlobalComponents/);
});
