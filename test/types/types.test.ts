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
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

test("the README's React example type-checks as written (TSX)", { skip: !existsSync(`${root}dist/types`) && 'run npm run build' }, () => {
  const readme = readFileSync(`${root}README.md`, 'utf8');
  const block = /\*\*React\*\*[\s\S]*?```tsx\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(block, 'no ```tsx block after **React** in the README');
  // Inside the package (so `multi-seat/…` resolves through its own exports), removed afterwards.
  const dir = `${root}test/types/fixtures/`;
  const name = `readme-react-${process.pid}`;
  writeFileSync(`${dir}${name}.tsx`, block);
  writeFileSync(`${dir}${name}.json`, JSON.stringify({ extends: './tsconfig.json', files: [`${name}.tsx`] }));
  try {
    const tsc = spawnSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${dir}${name}.json`], { encoding: 'utf8' });
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
  } finally {
    rmSync(`${dir}${name}.tsx`, { force: true });
    rmSync(`${dir}${name}.json`, { force: true });
  }
});

test('package.json exports and ships the React and Vue declarations', () => {
  const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { exports: Record<string, { types?: string }>; files: string[] };
  assert.equal(pkg.exports['./react']?.types, './types/react.d.ts');
  assert.equal(pkg.exports['./vue']?.types, './types/vue.d.ts');
  assert.ok(pkg.files.includes('types/'));
  assert.match(readFileSync(`${root}types/vue.d.ts`, 'utf8'), /interface GlobalComponents/);
});
