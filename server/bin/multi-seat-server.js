#!/usr/bin/env node
// From a checkout the TypeScript source runs as is (tsx compiles it on load), so the files that
// run are the files in the repository and there is no build to forget. The published package
// ships no source, only the bundle `npm pack` built, and needs no compiler at run time.
import { existsSync } from 'node:fs';

const source = new URL('../cli.ts', import.meta.url);
let cli;
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(source.href);
} else {
  cli = await import('../dist/cli.js');
}
await cli.main();
