// web-test-runner for the tests that need a real Janus (test/e2e/**/*.test.ts): the same
// Chromium and plugins as web-test-runner.config.mjs, plus a private Janus started before the
// tests and stopped after (test/support/janus-wtr.mjs), reachable from the page through
// /__janus/… endpoints. Real Janus, real Chromium, real WebRTC (fake camera and microphone).
import base from './web-test-runner.config.mjs';
import { janusForTests } from './test/support/janus-wtr.mjs';

const janus = janusForTests();

export default {
  ...base,
  files: ['test/e2e/**/*.test.ts'],
  testFramework: { config: { timeout: 30000 } },
  testsFinishTimeout: 300000,
  middleware: [...(base.middleware ?? []), janus.middleware],
  plugins: [...(base.plugins ?? []), janus.plugin],
};
