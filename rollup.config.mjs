// Builds the embeddable components: components/index.ts → dist/ as ES modules,
// with lit, janus-gateway and webrtc-adapter bundled in, minified, with source maps.
import { existsSync } from 'node:fs';
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

const input = 'components/index.ts';

if (!existsSync(input)) {
  // Nothing to build until the components exist; say so rather than fail.
  console.warn(`rollup: ${input} does not exist yet, nothing to build.`);
  process.exit(0);
}

export default {
  input,
  output: {
    dir: 'dist',
    format: 'es',
    sourcemap: true,
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
  },
  plugins: [
    // janus-gateway and webrtc-adapter have browser builds; `sdp` is CommonJS.
    nodeResolve({ browser: true }),
    commonjs(),
    // Note: the plugin silently skips .ts files outside tsconfig.build.json's `include`.
    typescript({ tsconfig: './tsconfig.build.json' }),
    terser({ format: { comments: false } }),
  ],
};
