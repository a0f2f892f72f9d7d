// @ts-check
// `npm pack` of @multi-seat/server: one ESM bundle of the server and the core it runs (the
// core's source is in the repository's core/, which a published package cannot reach), with
// every npm dependency left to `npm install`. The license, changelog and protocol are copied in
// because a package carries only files inside its own folder.
import { build } from 'esbuild';
import { copyFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const pkg = (await import('./package.json', { with: { type: 'json' } })).default;

rmSync(`${here}dist`, { recursive: true, force: true });
await build({
  entryPoints: [`${here}cli.ts`],
  outfile: `${here}dist/cli.js`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  legalComments: 'linked',
  external: Object.keys(pkg.dependencies),
  logLevel: 'warning',
});
copyFileSync(`${here}../LICENSE`, `${here}LICENSE`);
copyFileSync(`${here}../CHANGELOG.md`, `${here}CHANGELOG.md`);
copyFileSync(`${here}../docs/PROTOCOL.md`, `${here}PROTOCOL.md`);
