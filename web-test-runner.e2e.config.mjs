// web-test-runner for the tests that need a real Janus (test/e2e/**/*.test.ts): the same
// Chromium and plugins as web-test-runner.config.mjs, plus a private Janus started before the
// tests and stopped after (test/support/janus-wtr.mjs), reachable from the page through
// /__janus/… endpoints, and a real control center (test/support/cc-wtr.mjs) behind /__cc/…. Real Janus, real Chromium, real WebRTC (fake camera and microphone).
import base from './web-test-runner.config.mjs';
import { janusForTests } from './test/support/janus-wtr.mjs';
import { controlCenterForTests } from './test/support/cc-wtr.mjs';
import { controlCenterProcesses } from './test/support/cc-process-wtr.mjs';
import { janusPoolForTests } from './test/support/janus-pool-wtr.mjs';
import { turnForTests } from './test/support/coturn-wtr.mjs';

const janus = janusForTests();
const cc = controlCenterForTests(janus.janus);
// Control centers in child processes (with a locked Janus of their own), for the tests that
// kill one (SIGKILL) and start it again.
const ccProcs = controlCenterProcesses();
// A control center with a pool of two locked Janus, one of which a test kills.
const pool = janusPoolForTests();
// A coturn of its own and a control center handing it out, for the relay test (turn-relay.test.ts).
const turn = turnForTests(janus.janus);

export default {
  ...base,
  files: ['test/e2e/**/*.test.ts'],
  testFramework: { config: { timeout: 30000 } },
  testsFinishTimeout: 300000,
  // /__ccproc first: the in-process control center answers everything under /__cc.
  middleware: [...(base.middleware ?? []), janus.middleware, ccProcs.middleware, pool.middleware, turn.middleware, cc.middleware],
  // The control center closes before Janus (plugins stop in order).
  plugins: [...(base.plugins ?? []), cc.plugin, ccProcs.plugin, pool.plugin, turn.plugin, janus.plugin],
};
