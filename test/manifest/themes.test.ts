/**
 * themes/auto.css is generated from themes/dark.css (scripts/themes.mjs), so the dark token
 * values live in one file: this fails when auto.css was edited by hand or dark.css changed
 * without regenerating it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { autoTheme } from '../../scripts/themes.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('themes/auto.css is what scripts/themes.mjs makes of themes/dark.css (node scripts/themes.mjs)', () => {
  const dark = readFileSync(`${root}themes/dark.css`, 'utf8');
  assert.equal(readFileSync(`${root}themes/auto.css`, 'utf8'), autoTheme(dark));
});

test('every token of the dark theme is in auto.css, under the dark colour-scheme preference only', () => {
  const auto = readFileSync(`${root}themes/auto.css`, 'utf8');
  const dark = readFileSync(`${root}themes/dark.css`, 'utf8');
  const decls = (css: string) => [...css.matchAll(/(--seat-[\w-]+):\s*([^;]+);/g)].map((m) => `${m[1]}: ${m[2]}`);
  assert.ok(decls(dark).length >= 10);
  assert.deepEqual(decls(auto), decls(dark));
  const media = auto.indexOf('@media (prefers-color-scheme: dark)');
  assert.ok(media >= 0 && media < auto.indexOf('--seat-'), 'the tokens sit inside the media query');
});
