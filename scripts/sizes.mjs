#!/usr/bin/env node
// @ts-check
// Prints the size of each built file (`npm run sizes`, after `npm run build`): minified bytes and
// gzip -9 bytes, and how much of the self-contained bundle janus-gateway + webrtc-adapter take
// (built alone, minified, with the same plugins), so our own code can be told apart.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { rollup } from 'rollup';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const gz = (/** @type {string | Buffer} */ b) => gzipSync(b, { level: 9 }).length;
const kb = (/** @type {number} */ n) => `${(n / 1024).toFixed(1)} kB`;

/** Bundles `code` (an entry module) with the bundle's plugins; returns the minified text. */
async function bundleOf(/** @type {string} */ code, /** @type {string[]} */ external = []) {
  const bundle = await rollup({
    input: 'entry',
    external,
    onwarn: () => {},
    plugins: [
      { name: 'entry', resolveId: (id) => (id === 'entry' ? id : null), load: (id) => (id === 'entry' ? code : null) },
      nodeResolve({ browser: true, rootDir: root }),
      commonjs(),
      terser({ format: { comments: false } }),
    ],
  });
  const { output } = await bundle.generate({ format: 'es', inlineDynamicImports: true });
  await bundle.close();
  return output[0].code;
}

const rows = [];
for (const f of ['multi-seat.bundle.js', 'index.js', 'multi-seat.js', 'seat-split.js', 'seat-caller.js', 'core.js']) {
  const b = readFileSync(join(dist, f));
  rows.push([`dist/${f}`, b.length, gz(b)]);
}
const chunks = readdirSync(join(dist, 'chunks')).filter((f) => f.endsWith('.js'));
for (const f of chunks) {
  const b = readFileSync(join(dist, 'chunks', f));
  rows.push([`dist/chunks/${f}`, b.length, gz(b)]);
}
/** The files an entry loads statically (its own and the chunks it imports), not the externals. */
function closure(/** @type {string} */ file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = readFileSync(join(dist, file), 'utf8');
  for (const m of code.matchAll(/(?:from|import)\s*"(\.\/[^"]+)"/g)) closure(join(file, '..', m[1]).replace(/^\.\//, ''), seen);
  return seen;
}
const loads = {};
for (const f of ['index.js', 'multi-seat.js', 'seat-split.js', 'seat-caller.js', 'core.js']) {
  loads[f] = [...closure(f)].reduce((sum, x) => sum + gz(readFileSync(join(dist, x))), 0);
}

const janus = await bundleOf("import Janus from 'janus-gateway'; import adapter from 'webrtc-adapter'; export { Janus, adapter };");
const lit = await bundleOf("export * from 'lit'; export * from 'lit/decorators.js'; export * from '@lit/context'; export * from 'lit/directives/repeat.js'; export * from 'lit/directives/if-defined.js';");
rows.push(['janus-gateway + webrtc-adapter (alone)', janus.length, gz(janus)]);
rows.push(['lit + @lit/context (alone)', lit.length, gz(lit)]);

const w = Math.max(...rows.map((r) => String(r[0]).length));
console.log(`${'file'.padEnd(w)}  ${'minified'.padStart(10)}  ${'gzip'.padStart(9)}`);
for (const [name, raw, z] of rows) console.log(`${String(name).padEnd(w)}  ${kb(Number(raw)).padStart(10)}  ${kb(Number(z)).padStart(9)}`);
console.log('\nWhat an import loads with a bundler (our files only, gzip each, summed; lit and janus external):');
for (const [f, n] of Object.entries(loads)) console.log(`  ${f.padEnd(16)} ${kb(n)}`);
const total = rows[0];
console.log(`\nbundle without janus-gateway + webrtc-adapter ≈ ${kb(Number(total[2]) - gz(janus))} gzip (difference of the two gzip sizes)`);
