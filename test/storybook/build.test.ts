/**
 * Storybook builds offline (telemetry off) and has a story for every element state the README
 * promises. Builds with `--test` (no docs bundle optimisation, faster) into a temp folder; about
 * 5–20 s on two cores, so it runs with the other Node tests.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Story ids (`<title>--<export>`) that must exist, per element. */
const required: Record<string, string[]> = {
  'elements-multi-seat': [
    'signed-in',
    'idle',
    'ringing',
    'connected-in-focus',
    'connected-in-background',
    'attention',
    'dialing',
    'consulting',
    'consult-answered',
    'wrap-up',
    'reconnecting',
    'media-failed',
    'bad-splits',
    'no-token',
    'unreachable',
    'four-splits-under-load',
  ],
  'elements-seat-split': [
    'idle',
    'ringing',
    'connected-in-focus',
    'connected-in-background',
    'attention',
    'dialing',
    'consulting',
    'wrap-up',
    'media-failed',
  ],
  'elements-seat-caller': ['idle', 'queued', 'ringing', 'connected', 'held', 'attention-sent', 'outbound', 'ended', 'media-failed', 'no-queue', 'no-token', 'unreachable'],
  'capacity-claims-survey': ['claims-survey'],
};

function run(cmd: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: root,
      env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: '1', CI: 'true', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    child.stderr.on('data', (d: Buffer) => (output += d));
    child.on('close', (code) => resolve({ code, output }));
  });
}

test('build-storybook works offline and lists a story for every element state', { timeout: 120_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'storybook-'));
  try {
    const bin = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'storybook.cmd' : 'storybook');
    const started = Date.now();
    const { code, output } = await run(bin, ['build', '--test', '--quiet', '--disable-telemetry', '-o', out]);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    assert.equal(code, 0, `storybook build failed after ${seconds} s:\n${output.slice(-4000)}`);
    assert.ok(existsSync(join(out, 'iframe.html')), 'no iframe.html in the build');
    // No build warnings (janus-gateway's UMD `module` guard is filtered in .storybook/main.ts).
    const warnings = output.split('\n').filter((l) => /▲|\bwarn(ing)?\b|\[[A-Z_]{6,}\]/i.test(l));
    assert.deepEqual(warnings, [], `storybook build warned:\n${warnings.join('\n')}`);
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as { entries: Record<string, { type: string; tags?: string[] }> };
    const ids = Object.keys(index.entries);
    const missing = Object.entries(required).flatMap(([title, stories]) => stories.map((s) => `${title}--${s}`).filter((id) => !ids.includes(id)));
    assert.deepEqual(missing, [], `stories missing from the build (have: ${ids.join(', ')})`);
    for (const title of ['elements-multi-seat', 'elements-seat-split', 'elements-seat-caller']) {
      assert.ok(ids.includes(`${title}--docs`), `no autodocs page for ${title}`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
