/**
 * The demo, walked as a new user walks it (issue 5's "Done when"), in Debian's Chromium with a
 * fake camera, against the whole stack started here: a private Janus on free ports, the control
 * center in demo mode on a free port serving demo/ and the built bundle.
 *
 * Two agent pages (seat-1 with 2 splits, seat-2), two customer pages. seat-1 goes ready, both
 * customers call, split 0 rings and is answered, then split 1; both panes show live video
 * (R9, R10); focus moves between the panes and the audio follows; the CRM's case panel filled on
 * answer (the screen pop); seat-2 goes ready and one call is blind-transferred to it (R14), rings
 * there and is answered; both calls hang up and every split is free (R11).
 *
 * Screenshots of each step go to test-output/demo/. `UPDATE_DEMO_SCREENSHOT=1` also writes the
 * README's docs/demo.png (seat-1 with two connected splits).
 *
 * Run: npm run test:demo (builds dist/ first when it is missing or stale).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ensureBuilt } from '../../scripts/ensure-built.mjs';
import { startJanus } from '../../scripts/janus.mjs';
import { startServer, type RunningServer } from '../../server/server.js';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const outDir = join(root, 'test-output', 'demo');
const CHROMIUM = chromiumPath;
const STEP_MS = 30_000;

let janus: Awaited<ReturnType<typeof startJanus>> | null = null;
let server: RunningServer | null = null;
let context: BrowserContext | null = null;
let profile = '';
const serverLog: string[] = [];
const pageLog: string[] = [];

before(async () => {
  const t0 = Date.now();
  ensureBuilt({ quiet: true });
  const built = Date.now();
  // Locked as `npm start` runs it: VideoRoom admin_key and token_auth (tokens through the admin API).
  janus = await startJanus({ wsPort: 0, httpPort: 0, adminPort: 0, locked: true });
  server = await startServer({
    demo: true,
    host: '127.0.0.1',
    port: 0,
    janusUrl: janus.wsUrl,
    janusAdminKey: janus.roomAdminKey ?? null,
    janusAdminUrl: janus.adminUrl ?? null,
    janusAdminSecret: janus.adminSecret ?? null,
    db: ':memory:',
    log: (m) => serverLog.push(m),
  });
  profile = mkdtempSync(join(tmpdir(), 'multi-seat-demo-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    viewport: { width: 1440, height: 860 },
    args: [
      ...chromiumArgs,
      // Background tabs keep full-speed timers and video: every page here is "in view".
      '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding',
      '--disable-backgrounding-occluded-windows',
    ],
  });
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  console.log(`demo stack up: build check ${built - t0} ms, janus + server + chromium ${Date.now() - built} ms (${server.url})`);
});

after(async () => {
  await context?.close().catch(() => {});
  await server?.close().catch(() => {});
  await janus?.stop().catch(() => {});
  if (profile) rmSync(profile, { recursive: true, force: true });
});

function watch(page: Page, name: string): Page {
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') pageLog.push(`[${name}] ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => pageLog.push(`[${name}] pageerror: ${e.message}`));
  return page;
}

async function open(name: string, path: string): Promise<Page> {
  const page = watch(await context!.newPage(), name);
  await page.goto(`${server!.url}${path}`);
  return page;
}

let shot = 0;
async function snap(page: Page, name: string): Promise<void> {
  shot += 1;
  // A tab in the background paints no video frames: bring it forward and let it paint twice.
  await page.bringToFront();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.screenshot({ path: join(outDir, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true });
}

/** A pane of <multi-seat> (Playwright's CSS locators pierce open shadow roots). */
const split = (page: Page, i: number) => page.locator(`multi-seat seat-split[index="${i}"]`);

async function splitState(page: Page, i: number, state: string): Promise<void> {
  await page.waitForFunction(
    ({ i, state }) => document.querySelector('multi-seat')?.shadowRoot?.querySelector(`seat-split[index="${i}"]`)?.getAttribute('data-state') === state,
    { i, state },
    { timeout: STEP_MS, polling: 100 },
  );
}

async function callerState(page: Page, state: string): Promise<void> {
  await page.waitForFunction((state) => document.querySelector('seat-caller')?.getAttribute('data-state') === state, state, {
    timeout: STEP_MS,
    polling: 100,
  });
}

/**
 * Live video in split i: the customer's <video> (looked up through both shadow roots) has a
 * decoded size, plays on without restarting (currentTime reaches 1.2 s on one stream: a <video>
 * whose srcObject is re-set starts again from 0), and its picture is not black (Chromium's fake
 * camera sends a green frame).
 */
async function liveVideo(page: Page, i: number): Promise<{ width: number; height: number }> {
  const find = `document.querySelector('multi-seat')?.shadowRoot?.querySelector('seat-split[index="${i}"]')?.shadowRoot?.querySelector('video.remote-video')`;
  const probe = (find: string) => {
    const v = (0, eval)(find) as HTMLVideoElement | null | undefined;
    return v ? { t: v.currentTime, width: v.videoWidth, height: v.videoHeight, paused: v.paused } : null;
  };
  const played = await page
    .waitForFunction(
      (find) => {
        const v = (0, eval)(find) as HTMLVideoElement | null | undefined;
        return !!v && v.videoWidth > 0 && !v.paused && v.currentTime >= 1.2;
      },
      find,
      { timeout: STEP_MS, polling: 100 },
    )
    .then(
      () => true,
      () => false,
    );
  const info = await page.evaluate(probe, find);
  assert.ok(played && info, `split ${i}: no video that plays on for 1.2 s (now: ${JSON.stringify(info)})`);
  const brightness = await page.evaluate((find) => {
    const v = (0, eval)(find) as HTMLVideoElement;
    const c = document.createElement('canvas');
    c.width = 32;
    c.height = 24;
    const g = c.getContext('2d')!;
    g.drawImage(v, 0, 0, c.width, c.height);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let sum = 0;
    for (let k = 0; k < d.length; k += 4) sum += d[k]! + d[k + 1]! + d[k + 2]!;
    return sum / (d.length / 4);
  }, find);
  assert.ok(brightness > 30, `split ${i}: the video is black (mean RGB sum ${brightness.toFixed(1)})`);
  return { width: info.width, height: info.height };
}

/** The muted flag of split i's customer video: R10 says only the focused call is heard. */
async function remoteMuted(page: Page, i: number): Promise<boolean> {
  return page.evaluate(
    (i) =>
      (document.querySelector('multi-seat')?.shadowRoot?.querySelector(`seat-split[index="${i}"]`)?.shadowRoot?.querySelector('video.remote-video') as HTMLVideoElement)
        .muted,
    i,
  );
}

async function focusedSplit(page: Page): Promise<number | null> {
  return page.evaluate(() => {
    const s = [...(document.querySelector('multi-seat')?.shadowRoot?.querySelectorAll('seat-split') ?? [])].find((e) => e.hasAttribute('data-focused'));
    return s ? Number(s.getAttribute('index')) : null;
  });
}

async function waitFocus(page: Page, i: number): Promise<void> {
  await page.waitForFunction(
    (i) =>
      [...(document.querySelector('multi-seat')?.shadowRoot?.querySelectorAll('seat-split') ?? [])]
        .filter((e) => e.hasAttribute('data-focused'))
        .map((e) => Number(e.getAttribute('index')))
        .join() === String(i),
    i,
    { timeout: STEP_MS, polling: 100 },
  );
}

async function goReady(page: Page): Promise<void> {
  const sw = page.locator('multi-seat button.ready-switch');
  await sw.waitFor({ timeout: STEP_MS });
  await page.waitForFunction(() => !document.querySelector('multi-seat')?.shadowRoot?.querySelector('button.ready-switch')?.hasAttribute('disabled'), null, {
    timeout: STEP_MS,
    polling: 100,
  });
  await sw.click();
  await page.waitForFunction(
    () => document.querySelector('multi-seat')?.shadowRoot?.querySelector('button.ready-switch')?.getAttribute('aria-checked') === 'true',
    null,
    { timeout: STEP_MS, polling: 100 },
  );
}

async function caseField(page: Page, field: string): Promise<string> {
  return (await page.locator(`#case-body dd[data-field="${field}"]`).textContent({ timeout: STEP_MS })) ?? '';
}

test('the demo path: two calls in two splits, video, focus, screen pop, transfer to seat-2, hang up', { timeout: 240_000 }, async (t) => {
  const started = Date.now();
  const step = (name: string) => t.diagnostic(`${((Date.now() - started) / 1000).toFixed(1)} s: ${name}`);
  try {
    // The index page links everything and shows the capacity chart.
    const home = await open('home', '/');
    await home.locator('#agent-links a').first().waitFor({ timeout: STEP_MS });
    assert.equal(await home.locator('img.chart').first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), true);
    await snap(home, 'index');
    await home.close();

    // 1. Two agents sign in; seat-1 goes ready (seat-2 stays not ready until the transfer).
    const agent1 = await open('seat-1', '/agent.html?seat=seat-1&splits=2');
    const agent2 = await open('seat-2', '/agent.html?seat=seat-2&splits=2');
    await goReady(agent1);
    await agent2.locator('multi-seat button.ready-switch:not([disabled])').waitFor({ timeout: STEP_MS });
    step('agents signed in, seat-1 ready');
    await snap(agent1, 'seat-1-ready');

    // 2. Two customers call, one after the other.
    const cust1 = await open('cust-1', '/caller.html?customer=cust-1&queue=claims');
    const cust2 = await open('cust-2', '/caller.html?customer=cust-2&queue=claims');
    await cust1.locator('seat-caller button.primary:not([disabled])').click({ timeout: STEP_MS });
    await splitState(agent1, 0, 'ringing');
    await cust2.locator('seat-caller button.primary:not([disabled])').click({ timeout: STEP_MS });
    await callerState(cust2, 'queued');
    step('both customers called; split 0 rings');
    await snap(agent1, 'split-0-ringing');
    await snap(cust2, 'customer-2-queued');

    // 3. Answer split 0: the screen pop fills the case panel. Then split 1 rings (R2) and is answered.
    await split(agent1, 0).locator('button.success').click({ timeout: STEP_MS });
    await splitState(agent1, 0, 'connected');
    assert.equal(await caseField(agent1, 'id'), 'cust-1');
    assert.equal(await caseField(agent1, 'name'), 'Li Wei');
    assert.equal(await caseField(agent1, 'virtualSeat'), 'seat-1:0');
    await splitState(agent1, 1, 'ringing');
    await snap(agent1, 'split-0-connected-split-1-ringing');
    await split(agent1, 1).locator('button.success').click({ timeout: STEP_MS });
    await splitState(agent1, 1, 'connected');
    await callerState(cust1, 'connected');
    await callerState(cust2, 'connected');
    assert.equal(await caseField(agent1, 'id'), 'cust-2', 'the case panel pops the newly answered customer');
    assert.equal(await caseField(agent1, 'virtualSeat'), 'seat-1:1');
    assert.equal(await agent1.locator('#log li[data-event="seat-answer"]').count(), 2);
    step('both calls answered');

    // 4. Both panes show live video.
    const v0 = await liveVideo(agent1, 0);
    const v1 = await liveVideo(agent1, 1);
    assert.ok(v0.width > 0 && v1.width > 0);
    step(`both videos live (${v0.width}×${v0.height}, ${v1.width}×${v1.height})`);
    await snap(agent1, 'two-connected-splits');
    if (process.env.UPDATE_DEMO_SCREENSHOT === '1') await agent1.screenshot({ path: join(root, 'docs', 'demo.png'), clip: { x: 0, y: 0, width: 1440, height: 640 } }); // after snap(): in front
    await snap(cust1, 'customer-1-connected');

    // 5. Focus (R10): answering split 1 gave it focus; only it is heard and its customer is not on hold.
    await waitFocus(agent1, 1);
    assert.equal(await remoteMuted(agent1, 1), false);
    assert.equal(await remoteMuted(agent1, 0), true);
    await cust1.locator('seat-caller [part~="hold"]').waitFor({ timeout: STEP_MS });
    assert.equal(await cust2.locator('seat-caller [part~="hold"]').count(), 0);
    // Switch: the agent clicks "Talk" on split 0.
    await split(agent1, 0).locator('button[part~="focus"]').click();
    await waitFocus(agent1, 0);
    assert.equal(await remoteMuted(agent1, 0), false);
    assert.equal(await remoteMuted(agent1, 1), true);
    await cust2.locator('seat-caller [part~="hold"]').waitFor({ timeout: STEP_MS });
    await cust1.locator('seat-caller [part~="hold"]').waitFor({ state: 'detached', timeout: STEP_MS });
    assert.equal(await caseField(agent1, 'id'), 'cust-1', 'the case on screen follows focus');
    // And back, by clicking the pane itself.
    await split(agent1, 1).locator('[part~="stage"]').click();
    await waitFocus(agent1, 1);
    assert.equal(await remoteMuted(agent1, 1), false);
    assert.equal(await remoteMuted(agent1, 0), true);
    assert.equal(await focusedSplit(agent1), 1);
    step('focus switched 1 → 0 → 1, audio followed');
    await snap(agent1, 'focus-on-split-1');
    await snap(cust2, 'customer-2-in-focus');

    // The language switch: the CRM's texts and the elements (their `lang`) turn Chinese, and back.
    await agent1.locator('.lang-switch button[data-lang="zh-CN"]').click();
    await split(agent1, 0).locator('[part~="state-badge"]', { hasText: '通话中' }).waitFor({ timeout: STEP_MS });
    await agent1.locator('multi-seat button.ready-switch', { hasText: '就绪' }).waitFor({ timeout: STEP_MS });
    await snap(agent1, 'zh-CN');
    await agent1.locator('.lang-switch button[data-lang="en"]').click();
    await split(agent1, 0).locator('[part~="state-badge"]', { hasText: 'Connected' }).waitFor({ timeout: STEP_MS });

    // 6. Blind transfer of split 1 (cust-2) to seat-2 (R14): it rings there and is answered.
    await goReady(agent2);
    await split(agent1, 1).locator('button[part~="transfer"]').click();
    await split(agent1, 1).locator('input[part~="target"]').fill('seat-2');
    await split(agent1, 1).locator('button[part~="submit"]').click();
    await splitState(agent1, 1, 'idle');
    await splitState(agent2, 0, 'ringing');
    await snap(agent2, 'seat-2-ringing');
    await split(agent2, 0).locator('button.success').click({ timeout: STEP_MS });
    await splitState(agent2, 0, 'connected');
    assert.equal(await caseField(agent2, 'id'), 'cust-2');
    assert.equal(await caseField(agent2, 'virtualSeat'), 'seat-2:0');
    await liveVideo(agent2, 0);
    await callerState(cust2, 'connected');
    assert.equal(await agent1.locator('#log li[data-event="seat-transfer"]').count(), 1);
    step('transferred to seat-2 and answered there, video live');
    await snap(agent2, 'seat-2-connected');
    await snap(agent1, 'seat-1-after-transfer');

    // 7. Hang up both; every split is free and both customers see the call ended.
    await split(agent1, 0).locator('button.danger').click();
    await split(agent2, 0).locator('button.danger').click();
    for (const [page, i] of [[agent1, 0], [agent1, 1], [agent2, 0], [agent2, 1]] as const) await splitState(page, i, 'idle');
    await callerState(cust1, 'ended');
    await callerState(cust2, 'ended');
    assert.equal(await agent1.locator('#case-body .empty').count(), 1, 'the case closes when its call ends');
    step('hung up, all splits idle');
    await snap(agent1, 'seat-1-free');
    await snap(cust1, 'customer-1-ended');

    const errors = pageLog.filter((l) => /pageerror|seat-error/.test(l));
    assert.deepEqual(errors, [], 'no page errors');
  } catch (e) {
    for (const p of context?.pages() ?? []) await snap(p, `failure-${new URL(p.url()).search.replace(/\W+/g, '-')}`).catch(() => {});
    console.error(`--- page console ---\n${pageLog.join('\n')}\n--- server log ---\n${serverLog.join('\n')}`);
    throw e;
  }
});

test('media off (npm start -- --media none): calls connect and both sides say there is no video', { timeout: 90_000 }, async () => {
  const off = await startServer({ demo: true, host: '127.0.0.1', port: 0, janusUrl: null, db: ':memory:', log: (m) => serverLog.push(m) });
  try {
    const agent = watch(await context!.newPage(), 'off-seat-9');
    await agent.goto(`${off.url}/agent.html?seat=seat-9&splits=2`);
    await agent.locator('#media-off:not([hidden])').waitFor({ timeout: STEP_MS });
    await goReady(agent);
    const cust = watch(await context!.newPage(), 'off-cust-3');
    await cust.goto(`${off.url}/caller.html?customer=cust-3&queue=claims`);
    await cust.locator('seat-caller button.primary:not([disabled])').click({ timeout: STEP_MS });
    await splitState(agent, 0, 'ringing');
    await split(agent, 0).locator('button.success').click({ timeout: STEP_MS });
    await splitState(agent, 0, 'connected');
    await split(agent, 0).locator('[part~="placeholder"][data-media="off"]').waitFor({ timeout: STEP_MS });
    await cust.locator('seat-caller [data-media="off"]').waitFor({ timeout: STEP_MS });
    assert.equal(await caseField(agent, 'id'), 'cust-3');
    await snap(agent, 'media-off-agent');
    await snap(cust, 'media-off-customer');
    await split(agent, 0).locator('button.danger').click();
    await splitState(agent, 0, 'idle');
    await callerState(cust, 'ended');
    await agent.close();
    await cust.close();
  } finally {
    await off.close();
  }
});

test('layouts (issue 13): the agent page at 1366×768 shows every split of 4 and of 8 on screen, none smaller than 180×135', { timeout: 90_000 }, async () => {
  for (const n of [4, 8]) {
    const page = watch(await context!.newPage(), `layout-${n}`);
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(`${server!.url}/agent.html?seat=seat-layout-${n}&splits=${n}`);
    await page.locator('multi-seat').waitFor({ timeout: STEP_MS });
    await page.waitForFunction((count) => document.querySelector('multi-seat')?.shadowRoot?.querySelectorAll('seat-split').length === count, n, { timeout: STEP_MS });
    // The grid settles after the element measured its box.
    await page.waitForFunction(() => !!document.querySelector('multi-seat')?.shadowRoot?.querySelector('.splits[data-fit]'), null, { timeout: STEP_MS });
    const panes = await page.evaluate(() =>
      [...document.querySelector('multi-seat')!.shadowRoot!.querySelectorAll('seat-split')].map((s) => {
        const r = s.getBoundingClientRect();
        return { top: r.top, left: r.left, bottom: r.bottom, right: r.right, width: r.width, height: r.height };
      }),
    );
    const grid = await page.evaluate(() => document.querySelector('multi-seat')!.shadowRoot!.querySelector('.splits')!.getAttribute('data-grid'));
    shot += 1;
    await page.screenshot({ path: join(outDir, `${String(shot).padStart(2, '0')}-layout-1366x768-${n}-splits.png`) });
    for (const [i, p] of panes.entries()) {
      assert.ok(p.top >= 0 && p.left >= 0 && p.bottom <= 768 && p.right <= 1366, `split ${i + 1} of ${n} on screen (grid ${grid}): ${JSON.stringify(p)}`);
      assert.ok(p.width >= 180 && p.height >= 135, `split ${i + 1} of ${n} at least 180×135: ${Math.round(p.width)}×${Math.round(p.height)}`);
    }
    await page.close();
  }
});
