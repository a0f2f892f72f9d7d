/**
 * `npm run bench:media`: prints media figures, asserts nothing.
 *
 * Starts a private Janus (scripts/janus.mjs), bundles bench/media-page.ts with esbuild, serves it
 * from 127.0.0.1, and drives Debian's Chromium with a fake camera and microphone (playwright-core,
 * no browser download). Two browsers: the customers' (they publish into each call's room) and the
 * agent's (what is measured). Rooms are made from Node through Janus's HTTP API, as the control
 * center does.
 *
 *  1. subscribe → first decoded remote frame, ≥ 20 calls, side by side in one run:
 *     raw janus.js subscribing to a known feed (the floor) vs. our adapter's join() without
 *     publishing (a ringing preview) and with publishing (an answered call), interleaved.
 *  2. the agent's browser with 1 and with 4 legs at once (each publishing camera + microphone and
 *     playing the customer's video): CPU and memory of the agent's browser processes.
 *
 * Env: BENCH_CALLS (default 24), BENCH_SETTLE_MS (CPU window, default 10000), BENCH_GAP_MS (pause
 * between two subscribes to the same feed, and the agent's reaction time before Answer, default 1000).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startJanus } from '../scripts/janus.mjs';
import { createRoom } from '../test/support/janus-http.mjs';
import { startServer } from '../server/server.js';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs';

const CALLS = Number(process.env.BENCH_CALLS ?? 24);
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 10_000);
const GAP_MS = Number(process.env.BENCH_GAP_MS ?? 1000);
const CHROMIUM = chromiumPath;
const ARGS = [...chromiumArgs, '--autoplay-policy=no-user-gesture-required'];

const here = fileURLToPath(new URL('.', import.meta.url));

export function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[i];
}

async function bundle(): Promise<string> {
  const out = await build({
    entryPoints: [join(here, 'media-page.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    write: false,
    minify: false,
    logLevel: 'error',
    // package.json's `sideEffects` names only dist/; the page imports the sources for their
    // custom-element definitions, which esbuild would otherwise drop.
    ignoreAnnotations: true,
  });
  return out.outputFiles[0].text;
}

function serve(js: string): Promise<{ server: Server; url: string }> {
  const html = '<!doctype html><meta charset="utf-8"><title>bench:media</title><script type="module" src="/page.js"></script>';
  const server = createServer((req, res) => {
    if (req.url === '/page.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    else res.writeHead(200, { 'content-type': 'text/html' }).end(html);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/` });
    }),
  );
}

async function browser(url: string, wsUrl: string): Promise<{ ctx: BrowserContext; page: Page; dir: string }> {
  const dir = mkdtempSync(join(os.tmpdir(), 'bench-media-chromium-'));
  const ctx = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, args: ARGS, headless: true });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  if (process.env.BENCH_CONSOLE) page.on('console', (m) => console.error('[page]', m.text()));
  await page.goto(url);
  await page.waitForFunction(() => 'bench' in globalThis);
  await page.evaluate((ws) => (globalThis as any).bench.init(ws), wsUrl);
  return { ctx, page, dir };
}

/** Chromium processes whose command line names this profile folder. */
function procsOf(dir: string): number[] {
  const pids: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
      if (cmd.includes(dir)) pids.push(Number(d));
    } catch {}
  }
  // Renderer and utility processes do not carry --user-data-dir: add the children of those found.
  const all = new Set(pids);
  let grew = true;
  while (grew) {
    grew = false;
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d) || all.has(Number(d))) continue;
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (all.has(ppid)) {
          all.add(Number(d));
          grew = true;
        }
      } catch {}
    }
  }
  return [...all];
}

const TICK = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim() || 100);

/** CPU seconds (user + system) and proportional set size (PSS: shared pages split, not double-counted) summed over the processes. */
function usage(pids: number[]): { cpu: number; rss: number } {
  let cpu = 0;
  let rss = 0;
  for (const p of pids) {
    try {
      const f = readFileSync(`/proc/${p}/stat`, 'utf8').slice(readFileSync(`/proc/${p}/stat`, 'utf8').lastIndexOf(')') + 2).split(' ');
      cpu += (Number(f[11]) + Number(f[12])) / TICK;
      const st = readFileSync(`/proc/${p}/smaps_rollup`, 'utf8');
      rss += Number(/^Pss:\s+(\d+)/m.exec(st)?.[1] ?? 0) * 1024;
    } catch {}
  }
  return { cpu, rss };
}

async function load(dir: string, page: Page, ms: number): Promise<{ cpuPct: number; rssMiB: number; heapMiB: number; fps: number[] }> {
  const pids = procsOf(dir);
  const a = usage(pids);
  const t = performance.now();
  const fps = (await page.evaluate((w) => (globalThis as any).bench.decodedFps(w), ms)) as number[];
  const b = usage(pids);
  const secs = (performance.now() - t) / 1000;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
  await cdp.detach();
  return { cpuPct: ((b.cpu - a.cpu) / secs) * 100, rssMiB: b.rss / 2 ** 20, heapMiB: heap / 2 ** 20, fps };
}

const f0 = (x: number) => x.toFixed(0);
const f1 = (x: number) => x.toFixed(1);

async function main(): Promise<void> {
  const janusVersion = spawnSync('janus', ['--version'], { encoding: 'utf8' }).stdout?.split('\n').find((l) => /Janus/.test(l))?.trim() ?? 'janus';
  const chromiumVersion = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? CHROMIUM;
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}`,
  );
  console.log(`${chromiumVersion}; ${janusVersion}; janus-gateway (npm) 1.4.2; fake camera 640×480`);
  console.log('');

  const janus = await startJanus({ wsPort: 0, httpPort: 0, adminPort: false, debugLevel: 3 });
  const js = await bundle();
  const { server, url } = await serve(js);
  const cust = await browser(url, janus.wsUrl);
  const agent = await browser(url, janus.wsUrl);
  try {
    // ---- 1. subscribe → first decoded frame ----
    type Steps = Record<'joined' | 'subscribe' | 'webrtcUp' | 'track' | 'frame', number>;
    const steps = { raw: [] as Steps[], preview: [] as Steps[], answer: [] as Steps[] };
    const warm = 2;
    for (let i = 0; i < CALLS + warm; i++) {
      const { room, pin } = await createRoom(janus.httpUrl);
      const feed = (await cust.page.evaluate(([r, p]) => (globalThis as any).bench.customer(r, p), [room, pin] as const)) as number;
      // Rotate the order so that none of the three always goes first (or last).
      const kinds = ['raw', 'preview', 'answer'] as const;
      const order = [0, 1, 2].map((j) => kinds[(i + j) % 3]);
      for (const kind of order) {
        // Janus asks the publisher for a keyframe for each new subscriber but not more often
        // than it allows; a gap keeps one measurement from waiting for the previous one's.
        await new Promise((r) => setTimeout(r, GAP_MS));
        const st = (await agent.page.evaluate(
          ([k, r, p, f]) =>
            k === 'raw' ? (globalThis as any).bench.rawSubscribe(r, p, f) : (globalThis as any).bench.adapterJoin(r, p, k === 'answer'),
          [kind, room, pin, feed] as const,
        )) as Steps;
        if (i >= warm) steps[kind].push(st);
      }
      await cust.page.evaluate((r) => (globalThis as any).bench.hangupCustomer(r), room);
    }
    const rows = { raw: steps.raw.map((x) => x.frame), preview: steps.preview.map((x) => x.frame), answer: steps.answer.map((x) => x.frame) };
    const floor50 = pct(rows.raw, 50);
    const floor95 = pct(rows.raw, 95);
    console.log(`Subscribe → first decoded remote frame (ms), ${CALLS} calls each, interleaved, one run`);
    console.log('                                               p50    p95   p50 vs raw  p95 vs raw');
    const line = (name: string, xs: number[]) =>
      console.log(
        `${name.padEnd(44)} ${f0(pct(xs, 50)).padStart(5)}  ${f0(pct(xs, 95)).padStart(5)}  ${(pct(xs, 50) / floor50).toFixed(2).padStart(9)}×  ${(pct(xs, 95) / floor95).toFixed(2).padStart(9)}×`,
      );
    line('raw janus.js subscriber, feed known (floor)', rows.raw);
    line('adapter join, preview (publish: false)', rows.preview);
    line('adapter join, answered (publish: true)', rows.answer);
    console.log('');
    console.log('Where the time goes (p50 ms from the start: publisher joined, subscribe sent, subscriber WebRTC up,');
    console.log('remote video track, first decoded frame)');
    for (const k of ['raw', 'preview', 'answer'] as const) {
      const m = (f: keyof Steps) => {
        const xs = steps[k].map((x) => x[f]).filter((x) => !Number.isNaN(x));
        return xs.length ? f0(pct(xs, 50)) : '-';
      };
      console.log(`  ${k.padEnd(8)} joined ${m('joined').padStart(4)}  subscribe ${m('subscribe').padStart(4)}  webrtc-up ${m('webrtcUp').padStart(4)}  track ${m('track').padStart(4)}  frame ${m('frame').padStart(4)}`);
    }
    console.log('');

    // ---- 2. the whole stack: Answer click → first frame in the pane ----
    const cc = await startServer({
      host: '127.0.0.1',
      port: 0,
      demo: true,
      db: ':memory:',
      janusUrl: janus.wsUrl,
      queueThrottleMs: 50,
      engine: { ringTimeoutMs: 60_000, wrapupMs: 0 },
      log: () => {},
    });
    const ccWs = cc.url.replace(/^http/, 'ws');
    const token = async (role: 'agent' | 'caller', sub: string): Promise<string> => {
      const res = await fetch(`${cc.url}/v1/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role, sub }) });
      return ((await res.json()) as { token: string }).token;
    };
    const answered: Record<'on' | 'off', number[]> = { on: [], off: [] };
    const answeredSteps: Record<'on' | 'off', Record<string, number>[]> = { on: [], off: [] };
    try {
      for (const preview of ['on', 'off'] as const) {
        await agent.page.evaluate(([w, t, p]) => (globalThis as any).bench.seatOpen(w, t, 1, p), [ccWs, await token('agent', `bench-seat-${preview}`), preview] as const);
        for (let i = 0; i < CALLS + warm; i++) {
          const name = `cust-${preview}-${i}`;
          await cust.page.evaluate(([w, t, n]) => (globalThis as any).bench.callerCall(w, t, n), [ccWs, await token('caller', name), name] as const);
          const st = (await agent.page.evaluate((p) => (globalThis as any).bench.answerToFrame(0, p[0], p[1]), [preview === 'on', GAP_MS] as const)) as Record<string, number>;
          if (i >= warm) {
            answered[preview].push(st.frame);
            answeredSteps[preview].push(st);
          }
          await agent.page.evaluate(() => (globalThis as any).bench.agentHangup(0));
          await cust.page.evaluate((n) => (globalThis as any).bench.callerGone(n), name);
        }
        await agent.page.evaluate(() => (globalThis as any).bench.seatClose());
      }
      console.log(`Answer click → first decoded frame in the pane (ms), <multi-seat> + control center + Janus, ${CALLS} calls each`);
      console.log('                                               p50    p95   p50 vs raw  p95 vs raw');
      line('preview on (the ringing pane already plays)', answered.on);
      line('preview off (join + subscribe on answer)', answered.off);
      console.log('Where the time goes (p50 ms from the click: seat snapshot says connected, the pane starts its leg,');
      console.log('subscribe sent, subscriber WebRTC up, first frame; same <video> as before the click: share of calls)');
      for (const k of ['on', 'off'] as const) {
        const m = (f: string) => {
          const xs = answeredSteps[k].map((x) => x[f]).filter((x) => !Number.isNaN(x));
          return xs.length ? f0(pct(xs, 50)) : '-';
        };
        const same = answeredSteps[k].filter((x) => x.sameVideo).length / Math.max(1, answeredSteps[k].length);
        console.log(`  preview ${k.padEnd(4)} connected ${m('connected').padStart(4)}  leg ${m('join').padStart(4)}  attached ${m('attached').padStart(4)}  joined ${m('joined').padStart(4)}  spare ${m('spare').padStart(4)}  feeds ${m('feeds').padStart(4)}  subscribe ${m('subscribe').padStart(4)}  webrtc-up ${m('webrtcUp').padStart(4)}  track ${m('track').padStart(4)}  decoded ${m('decoded').padStart(4)}  frame ${m('frame').padStart(4)}  same video ${(same * 100).toFixed(0)} %`);
      }
      console.log('');

      // ---- 3. <multi-seat splits="4"> with 4 calls connected ----
      await agent.page.evaluate(([w, t]) => (globalThis as any).bench.seatOpen(w, t, 4, 'on'), [ccWs, await token('agent', 'bench-seat-4')] as const);
      for (let i = 0; i < 4; i++) {
        const name = `cust-4-${i}`;
        await cust.page.evaluate(([w, t, n]) => (globalThis as any).bench.callerCall(w, t, n), [ccWs, await token('caller', name), name] as const);
        await agent.page.evaluate((k) => (globalThis as any).bench.answerToFrame(k, true), i);
      }
      await new Promise((r) => setTimeout(r, 2000));
      if (process.env.BENCH_PROBE) console.error('churn', JSON.stringify(await agent.page.evaluate(() => (globalThis as any).bench.paneChurn(3000))));
      const pids = procsOf(agent.dir);
      const a = usage(pids);
      const t = performance.now();
      const fps = (await agent.page.evaluate((w) => (globalThis as any).bench.paneFps(w), SETTLE_MS)) as { decoded: number[]; presented: number[] };
      const b = usage(pids);
      const secs = (performance.now() - t) / 1000;
      console.log(
        `<multi-seat splits="4">, 4 calls connected (4 × camera + mic published, 4 customer videos): agent browser ` +
          `${f0(((b.cpu - a.cpu) / secs) * 100)} % of one core, PSS ${f0(b.rss / 2 ** 20)} MiB;\n  per pane: decoded fps ${fps.decoded.map(f0).join(' ')}, presented fps ${fps.presented.map(f0).join(' ')}`,
      );
      console.log('');
      await agent.page.evaluate(() => (globalThis as any).bench.seatClose());
    } finally {
      await cc.close();
    }

    // ---- 4. N legs at once, adapter only ----
    console.log(`Agent browser with N calls at once (each: camera + mic published, customer video played), ${SETTLE_MS / 1000} s window`);
    console.log('  N   CPU % of one core   PSS MiB (all processes)   JS heap MiB   decoded fps per video');
    for (const n of [0, 1, 4]) {
      const media = [];
      for (let i = 0; i < n; i++) {
        const r = await createRoom(janus.httpUrl);
        await cust.page.evaluate(([room, pin]) => (globalThis as any).bench.customer(room, pin), [r.room, r.pin] as const);
        media.push({ server: janus.wsUrl, room: r.room, pin: r.pin });
      }
      if (n) await agent.page.evaluate((m) => (globalThis as any).bench.agentOpen(m), media);
      await new Promise((r) => setTimeout(r, 2000));
      const l = await load(agent.dir, agent.page, SETTLE_MS);
      console.log(
        `${String(n).padStart(3)}   ${f0(l.cpuPct).padStart(17)}   ${f0(l.rssMiB).padStart(23)}   ${f1(l.heapMiB).padStart(11)}   ${l.fps.map(f0).join(' ') || '-'}`,
      );
      await agent.page.evaluate(() => (globalThis as any).bench.agentCloseAll());
      for (const m of media) await cust.page.evaluate((room) => (globalThis as any).bench.hangupCustomer(room), m.room);
    }
    console.log('');
    console.log('CPU: user + system time of every process of the agent browser over the window; the customers run in');
    console.log('another browser on the same 2 cores (their encoders compete), and Janus too.');
    await agent.page.evaluate(() => (globalThis as any).bench.disposeAll());
    await cust.page.evaluate(() => (globalThis as any).bench.disposeAll());
  } finally {
    await agent.ctx.close();
    await cust.ctx.close();
    rmSync(agent.dir, { recursive: true, force: true });
    rmSync(cust.dir, { recursive: true, force: true });
    server.close();
    await janus.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
