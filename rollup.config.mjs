// Builds the embeddable components into dist/ (`npm run build`), two ways:
//
//  1. For bundlers (the package's `exports`): one ES module per element plus the index and the
//     headless core, minified, with source maps. The dependencies — lit, @lit/context,
//     janus-gateway, webrtc-adapter — stay external, so an app that already has lit ships one
//     copy. The Janus adapter is a chunk loaded on demand (only a seat with a `server` needs it).
//       dist/index.js        everything; defines <multi-seat>, <seat-split>, <seat-caller>
//       dist/multi-seat.js   defines <multi-seat> (and <seat-split>, which it renders)
//       dist/seat-split.js   defines <seat-split>
//       dist/seat-caller.js  defines <seat-caller>
//       dist/core.js         the headless engine, stores and protocol; no DOM, defines nothing
//  2. For a plain page: dist/multi-seat.bundle.js, one self-contained module with everything
//     (lit, janus-gateway, webrtc-adapter inlined): `<script type="module" src=…>`.
//
// Types come from `tsc -p tsconfig.types.json` into dist/types (see `npm run build`).
import { rmSync } from 'node:fs';
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

// Start clean: chunk names carry content hashes, so old ones would pile up.
rmSync('dist', { recursive: true, force: true });

const EXTERNAL = ['lit', '@lit/context', 'janus-gateway', 'webrtc-adapter'];
const isExternal = (id) => EXTERNAL.some((dep) => id === dep || id.startsWith(`${dep}/`));

// Note: the plugin silently skips .ts files outside tsconfig.build.json's `include`.
const ts = () => typescript({ tsconfig: './tsconfig.build.json', outDir: 'dist', noEmitOnError: true });
const min = () => terser({ format: { comments: false } });

export default [
  {
    input: {
      index: 'components/index.ts',
      'multi-seat': 'components/multi-seat/multi-seat.ts',
      'seat-split': 'components/seat-split/seat-split.ts',
      'seat-caller': 'components/seat-caller/seat-caller.ts',
      core: 'core/index.ts',
    },
    external: isExternal,
    // An entry chunk may export more than its module does, so the define() calls stay in the
    // entry files (dist/multi-seat.js, …) rather than moving to a shared chunk behind a facade:
    // package.json's `sideEffects` names exactly those files.
    preserveEntrySignatures: 'allow-extension',
    output: {
      dir: 'dist',
      format: 'es',
      sourcemap: true,
      entryFileNames: '[name].js',
      chunkFileNames: 'chunks/[name]-[hash].js',
    },
    plugins: [ts(), min()],
  },
  {
    input: { 'multi-seat.bundle': 'components/index.ts' },
    output: {
      dir: 'dist',
      format: 'es',
      sourcemap: true,
      entryFileNames: '[name].js',
      // One file: a page loads it with one <script type="module"> and nothing else.
      inlineDynamicImports: true,
    },
    plugins: [
      // janus-gateway and webrtc-adapter have browser builds; `sdp` (webrtc-adapter's) is CommonJS.
      nodeResolve({ browser: true }),
      commonjs(),
      ts(),
      min(),
    ],
  },
];
