// web-test-runner: the browser tests in test/components/**/*.test.ts, run in
// Debian's Chromium (/usr/bin/chromium; no browser is downloaded).
// `CHROMIUM_PATH` overrides the browser binary.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fromRollup } from '@web/dev-server-rollup';
import { chromeLauncher } from '@web/test-runner-chrome';
import rollupCommonjs from '@rollup/plugin-commonjs';
import { chromiumArgs, chromiumPath } from './scripts/chromium.mjs';

// webrtc-adapter imports `sdp`, which is CommonJS.
const commonjs = fromRollup(rollupCommonjs);

export default {
  files: ['test/components/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: chromiumPath,
        headless: true,
        args: chromiumArgs,
      },
    }),
  ],
  plugins: [
    // Standard and experimental decorators both need es2022 here: with 'auto'
    // Chromium would get raw decorators.
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }),
    commonjs({ include: ['**/node_modules/sdp/**'] }),
  ],
};
