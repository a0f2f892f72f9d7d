// Writes themes/auto.css from themes/dark.css: the same dark tokens, applied by the browser's
// colour-scheme preference instead of a class. dark.css stays the one source of the values; run
// `node scripts/themes.mjs` after editing it (`--check` only compares, and fails when auto.css is
// stale; test/components/theme.test.ts checks the same in the browser).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const DARK = `${root}themes/dark.css`;
const AUTO = `${root}themes/auto.css`;

/**
 * auto.css for the given dark.css text: the declarations of its `.seat-theme-dark { … }` rule,
 * under `@media (prefers-color-scheme: dark)`, on the elements themselves. `:where()` keeps the
 * selector's specificity at zero, so any rule of the page on the elements wins over it.
 * @param {string} dark
 * @returns {string}
 */
export function autoTheme(dark) {
  const m = /\.seat-theme-dark\s*\{([^}]*)\}/.exec(dark);
  if (!m) throw new Error('themes/dark.css has no .seat-theme-dark { … } rule');
  const body = m[1]
    .trim()
    .split('\n')
    .map((l) => `    ${l.trim()}`)
    .join('\n');
  return `/*
 * multi-seat automatic theme: the dark theme (themes/dark.css) when the browser prefers a dark
 * colour scheme, the shipped light theme otherwise. Load it; no class is needed. Tokens the page
 * sets on the elements themselves still win (the selector has no specificity).
 *
 * Generated from themes/dark.css by scripts/themes.mjs: edit dark.css, then run
 * \`node scripts/themes.mjs\`.
 */
@media (prefers-color-scheme: dark) {
  :where(multi-seat, seat-split, seat-caller) {
${body}
  }
}
`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const want = autoTheme(readFileSync(DARK, 'utf8'));
  if (process.argv.includes('--check')) {
    let have = '';
    try {
      have = readFileSync(AUTO, 'utf8');
    } catch {
      // missing: stale
    }
    if (have !== want) {
      console.error('themes/auto.css is stale: run node scripts/themes.mjs');
      process.exit(1);
    }
  } else {
    writeFileSync(AUTO, want);
    console.log('wrote themes/auto.css');
  }
}
