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
 *  2. Answer click → first frame in the pane, the whole stack (<multi-seat>, control center,
 *     Janus), preview on and off.
 *  3. <multi-seat splits="4"> with 4 calls connected: CPU, memory, fps per pane.
 *  4. the agent's browser with 0, 1 and 4 legs at once (each publishing camera + microphone and
 *     playing the customer's video): CPU and memory of the agent's browser processes.
 *  5. focus-aware media (issue 13): 1, 4 and 8 connected splits, quality="all" and "focus" side
 *     by side: the agent browser's CPU and memory, bitrates from getStats, decoded fps per pane,
 *     focus change → first full-width frame on the newly focused split (p50/p95). The customers
 *     of this part publish VP8 simulcast from 1280×720 in a browser of their own.
 *
 * Env: BENCH_CALLS (default 24), BENCH_SETTLE_MS (CPU window, default 10000), BENCH_GAP_MS (pause
 * between two subscribes to the same feed, and the agent's reaction time before Answer, default
 * 1000), BENCH_PARTS (which of subscribe,answer,splits4,legs,focus run; default all),
 * BENCH_SPLITS (part 5's numbers of connected splits, default 1,4,8), BENCH_FOCUS_CHANGES
 * (timed focus changes per row, default 16), BENCH_FOCUS_GAP_MS (pause before each, default
 * 1500), BENCH_TOP_WIDTH (the top layer's width, default 1280), BENCH_RAMP_MS (how long the
 * layers may take to settle, default 20000).
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
/** Which parts run: subscribe (1), answer (2), splits4 (3), legs (4), focus (5). Default: all. */
const PARTS = new Set((process.env.BENCH_PARTS ?? 'subscribe,answer,splits4,legs,focus').split(',').map((x) => x.trim()));
/** Part 5: the numbers of connected splits, the focus changes timed at each, the pause before each. */
const SPLITS = (process.env.BENCH_SPLITS ?? '1,4,8').split(',').map(Number).filter((n) => n >= 1 && n <= 8);
const FOCUS_CHANGES = Number(process.env.BENCH_FOCUS_CHANGES ?? 16);
const FOCUS_GAP_MS = Number(process.env.BENCH_FOCUS_GAP_MS ?? 1500);
/** Part 5: the widths of the customers' top and low simulcast layers (1280×720 capture). */
const TOP_WIDTH = Number(process.env.BENCH_TOP_WIDTH ?? 1280);
const LOW_WIDTH = TOP_WIDTH / 4;
/** Part 5: how long the layers may take to settle after calls connect or quality changes. */
const RAMP_MS = Number(process.env.BENCH_RAMP_MS ?? 20_000);
/** Part 5: the agent's seat width, as in part 3, in a laptop-wide viewport made tall enough to show every pane. */
const SEAT_WIDTH = 960;
const VIEW_WIDTH = 1366;
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

/**
 * A Chromium with its own profile and the bench page. `hd`: the customers' browser of the
 * focus-aware part, whose one fake camera is opened at 1280×720 first (see initHd in the page).
 */
async function browser(url: string, wsUrl: string, hd = false): Promise<{ ctx: BrowserContext; page: Page; dir: string }> {
  const dir = mkdtempSync(join(os.tmpdir(), 'bench-media-chromium-'));
  const ctx = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, args: ARGS, headless: true });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  if (process.env.BENCH_CONSOLE) page.on('console', (m) => console.error('[page]', m.text()));
  await page.goto(url);
  await page.waitForFunction(() => 'bench' in globalThis);
  if (hd) {
    const { generateKeyFrame } = (await page.evaluate(() => (globalThis as any).bench.initHd())) as { generateKeyFrame: boolean };
    console.error(`[bench:media] customers' browser: RTCRtpSender.generateKeyFrame ${generateKeyFrame ? 'present' : 'absent (layers are switched off and on for keyframes)'}`);
  }
  else await page.evaluate((ws) => (globalThis as any).bench.init(ws), wsUrl);
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

/** CPU seconds every core of the machine spent busy (not idle, not waiting for I/O), from /proc/stat. */
function machineBusy(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return (total - f[3]! - f[4]!) / TICK;
}

const f0 = (x: number) => (Number.isNaN(x) ? '–' : x.toFixed(0));
const f1 = (x: number) => (Number.isNaN(x) ? '–' : x.toFixed(1));
const loadavg = () => os.loadavg().map((x) => x.toFixed(2)).join(', ');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Browser = { ctx: BrowserContext; page: Page; dir: string };

interface FocusRow {
  splits: number;
  quality: 'all' | 'focus';
  /** Layers as wanted before the window (focused pane full, and with "focus" the others low). */
  settled: boolean;
  cpuPct: number;
  pssMiB: number;
  customersCpuPct: number;
  janusCpuPct: number;
  /** The machine's busy time not spent by the agent's browser, the customers' or Janus: other work, and this Node process. */
  othersCpuPct: number;
  rxMbps: number;
  txMbps: number;
  fps: number[];
  widths: number[];
  focus: number;
  load1: number;
  /** Per focus change: ms from the click to the first frame TOP_WIDTH wide, and above the low layer. */
  full: number[];
  aboveLow: number[];
  focusAck: number[];
  /** Per focus change: ms from the click to the split's layer request (configure) to Janus. */
  configure: number[];
  /** Per focus change: ms from the click until the newly focused customer's leg was told (wall clock, across browsers). */
  customerHigh: number[];
  changes: number;
}

/**
 * Part 5 (issue 13): the agent's <multi-seat splits="N"> with N calls connected, customers on VP8
 * simulcast from 1280×720 in their own browser; with quality="all" then "focus" on the same calls:
 * the agent's browser's CPU and memory, bitrates from getStats, decoded fps per pane over the
 * window, then focus changes timed to the first full-width frame on the newly focused split.
 */
async function focusAware(url: string, wsUrl: string, janusPid: number, agent: Browser, ccWs: string, token: (role: 'agent' | 'caller', sub: string) => Promise<string>): Promise<void> {
  const hd = await browser(url, wsUrl, true);
  const rows: FocusRow[] = [];
  const ev = <T>(b: Browser, fn: string, ...args: unknown[]) =>
    b.page.evaluate(([f, a]) => (globalThis as any).bench[f as string](...(a as unknown[])), [fn, args] as const) as Promise<T>;
  let paneBox = '';
  try {
    for (const n of SPLITS) {
      // Each quality on calls of its own, answered under it, as a seat set up that way meets them
      // (a quality change on live calls is another path: see the README).
      for (const quality of ['all', 'focus'] as const) {
        await agent.page.setViewportSize({ width: VIEW_WIDTH, height: 768 });
        await ev(agent, 'seatOpen', ccWs, await token('agent', `bench-focus-${n}-${quality}`), n, 'on', quality, `${SEAT_WIDTH}px`);
        const names: string[] = [];
        for (let i = 0; i < n; i++) {
          const name = `cust-focus-${n}-${quality}-${i}`;
          await ev(hd, 'callerCall', ccWs, await token('caller', name), name);
          names.push(name);
          await ev(agent, 'answerToFrame', i, true);
        }
        // Chromium decodes no frames of a video out of view: every pane must be on screen.
        const box = await agent.page.evaluate(() => {
          const seat = document.querySelector('multi-seat')!;
          const panes = [...seat.shadowRoot!.querySelectorAll('seat-split')].map((s) => s.getBoundingClientRect());
          return { bottom: Math.max(...panes.map((r) => r.bottom), seat.getBoundingClientRect().bottom), panes: panes.map((r) => `${Math.round(r.width)}×${Math.round(r.height)}`) };
        });
        if (box.bottom > 768) await agent.page.setViewportSize({ width: VIEW_WIDTH, height: Math.ceil(box.bottom) + 8 });
        if (quality === 'all') paneBox += `  ${n} split${n > 1 ? 's' : ''}: panes ${[...new Set(box.panes)].join(', ')} px\n`;
        // Simulcast layers ramp up as the customers' encoders and bandwidth estimates warm.
        const want = async () => {
          const [w, f] = [await ev<number[]>(agent, 'paneWidths'), await ev<number>(agent, 'focusedSplit')];
          return w.every((x, i) => (quality === 'all' || i === f ? x >= TOP_WIDTH : x > 0 && x <= LOW_WIDTH));
        };
        const end = Date.now() + RAMP_MS;
        let settled = await want();
        while (!settled && Date.now() < end) {
          await sleep(250);
          settled = await want();
        }
        await sleep(2000);
        const pids = procsOf(agent.dir);
        const cpids = procsOf(hd.dir);
        const [a, ca, ja, ma] = [usage(pids), usage(cpids), usage([janusPid]), machineBusy()];
        const t = performance.now();
        const w = await ev<{ rxMbps: number; txMbps: number; fps: number[]; widths: number[] }>(agent, 'splitWindow', SETTLE_MS);
        if (process.env.BENCH_VERBOSE) console.error(`[bench:media] ${n}/${quality}: settled ${settled}, focus ${await ev<number>(agent, 'focusedSplit')}, window ${JSON.stringify(w)}; customers: ${JSON.stringify(await ev(hd, 'rtpStats'))}`);
        const [b, cb, jb, mb] = [usage(pids), usage(cpids), usage([janusPid]), machineBusy()];
        const secs = (performance.now() - t) / 1000;
        const row: FocusRow = {
          splits: n,
          quality,
          settled,
          cpuPct: ((b.cpu - a.cpu) / secs) * 100,
          pssMiB: b.rss / 2 ** 20,
          customersCpuPct: ((cb.cpu - ca.cpu) / secs) * 100,
          janusCpuPct: ((jb.cpu - ja.cpu) / secs) * 100,
          othersCpuPct: ((mb - ma - (b.cpu - a.cpu) - (cb.cpu - ca.cpu) - (jb.cpu - ja.cpu)) / secs) * 100,
          ...w,
          focus: await ev<number>(agent, 'focusedSplit'),
          load1: os.loadavg()[0],
          full: [],
          aboveLow: [],
          focusAck: [],
          configure: [],
          customerHigh: [],
          changes: 0,
        };
        for (let k = 0; n > 1 && k < FOCUS_CHANGES; k++) {
          const target = ((await ev<number>(agent, 'focusedSplit')) + 1) % n;
          // With "focus" the split to be focused should be on the low layer first (it is, unless
          // it was focused a moment ago): a real switch up is timed, not a split already sharp.
          const lowEnd = Date.now() + 5000;
          while (quality === 'focus' && Date.now() < lowEnd && (await ev<number[]>(agent, 'paneWidths'))[target]! > LOW_WIDTH) await sleep(100);
          await sleep(FOCUS_GAP_MS);
          const r = await ev<{ full: number; aboveLow: number; focusAck: number; configure: number; clickWall: number }>(agent, 'focusChange', target, TOP_WIDTH, LOW_WIDTH, 5000);
          const learnt = (await ev<{ display: string; q: string; t: number }[]>(hd, 'qualityLogSince', r.clickWall)).find((e) => e.display === names[target] && e.q === 'high');
          row.customerHigh.push(learnt ? learnt.t - r.clickWall : NaN);
          row.configure.push(r.configure);
          if (process.env.BENCH_VERBOSE) console.error(`[bench:media] ${n}/${quality}: focus → ${target}: ${JSON.stringify(r)} widths now ${await ev<number[]>(agent, 'paneWidths')}`);
          row.changes++;
          row.full.push(r.full);
          row.aboveLow.push(r.aboveLow);
          row.focusAck.push(r.focusAck);
        }
        rows.push(row);
        console.error(`[bench:media] ${n} splits, quality="${quality}" done (load ${loadavg()})`);
        for (let i = 0; i < n; i++) await ev(agent, 'agentHangup', i);
        for (const name of names) await ev(hd, 'callerGone', name);
        await ev(agent, 'seatClose');
        await sleep(1000);
      }
    }
  } finally {
    await hd.ctx.close();
    rmSync(hd.dir, { recursive: true, force: true });
  }

  const reached = (xs: number[]) => xs.filter((x) => !Number.isNaN(x));
  const p = (xs: number[], q: number) => (reached(xs).length ? pct(reached(xs), q) : NaN);
  console.log(
    `Focus-aware media (issue 13): <multi-seat splits="N"> with N calls connected, customers on VP8 simulcast from 1280×720 (layers ${TOP_WIDTH}/${TOP_WIDTH / 2}/${LOW_WIDTH} wide)`,
  );
  console.log(`in their own browser; quality="all" and "focus" each on N calls answered under it; ${SETTLE_MS / 1000} s window; ${FOCUS_CHANGES} focus changes per row (click on the next split's focus control,`);
  console.log(`${FOCUS_GAP_MS} ms apart): ms to the first frame the newly focused pane presents ${TOP_WIDTH} wide ("sharp"; n = how many got there within 5 s),`);
  console.log(`and to the first above the low layer. Agent's seat ${SEAT_WIDTH} px wide (a seat panel in a CRM page) in a ${VIEW_WIDTH}-wide viewport, every pane in view:`);
  process.stdout.write(paneBox);
  console.log('');
  console.log(' N  quality  agent CPU %core  PSS MiB  rx Mbit/s  tx Mbit/s  focus→sharp p50 / p95 (n)  →above low p50  decoded fps per pane (focused*)      widths per pane          customers / Janus / rest CPU %  load1');
  for (const r of rows) {
    const fps = r.fps.map((x, i) => `${f0(x)}${i === r.focus ? '*' : ''}`).join(' ');
    const sharp = r.changes ? `${f0(p(r.full, 50))} / ${f0(p(r.full, 95))} (${reached(r.full).length}/${r.changes})` : '–';
    console.log(
      `${String(r.splits).padStart(2)}  ${r.quality.padEnd(7)}  ${f0(r.cpuPct).padStart(15)}  ${f0(r.pssMiB).padStart(7)}  ${r.rxMbps.toFixed(2).padStart(9)}  ${r.txMbps.toFixed(2).padStart(9)}  ${sharp.padStart(26)}  ${(r.changes ? f0(p(r.aboveLow, 50)) : '–').padStart(14)}  ${fps.padEnd(34)}  ${r.widths.join(' ').padEnd(23)}  ${`${f0(r.customersCpuPct)} / ${f0(r.janusCpuPct)} / ${f0(Math.max(0, r.othersCpuPct))}`.padStart(30)}  ${r.load1.toFixed(1).padStart(5)}${r.settled ? '' : '  (layers had not settled)'}${r.fps.some((x) => x < 1) ? `  (${r.fps.filter((x) => x < 1).length} pane(s) decoded no frame in the window)` : ''}`,
    );
  }
  console.log('');
  console.log('Where a focus change\'s time goes (p50 / p95 ms from the click, "focus" rows): the seat\'s store shows the focus,');
  console.log('the split asks Janus for the top layer (configure), the newly focused customer\'s leg learns it (its keyframes');
  console.log('follow at once and at +400, +1500, +3000 ms), first sharp frame:');
  for (const r of rows.filter((x) => x.quality === 'focus' && x.changes)) {
    const pp = (xs: number[]) => `${f0(p(xs, 50))} / ${f0(p(xs, 95))}`;
    console.log(`  ${r.splits} splits: store focus ${pp(r.focusAck)}  configure ${pp(r.configure)}  customer told ${pp(r.customerHigh)}  sharp ${pp(r.full)}`);
  }
  const goal = rows.find((r) => r.splits === 8 && r.quality === 'focus');
  if (goal) {
    const yes = (ok: boolean) => (ok ? 'met' : 'NOT met');
    const p95 = p(goal.full, 95);
    const allFull = reached(goal.full).length === goal.changes;
    console.log('');
    console.log(
      `Goals at 8 splits, quality="focus": agent CPU < 1 core: ${f0(goal.cpuPct)} % (${yes(goal.cpuPct < 100)}); received < 3 Mbit/s: ${goal.rxMbps.toFixed(2)} (${yes(goal.rxMbps < 3)}); ` +
        `sent < 1.5 Mbit/s: ${goal.txMbps.toFixed(2)} (${yes(goal.txMbps < 1.5)}); focus → sharp p95 < 300 ms: ${f0(p95)} ms${allFull ? '' : `, ${goal.changes - reached(goal.full).length} of ${goal.changes} never sharp within 5 s`} (${yes(p95 < 300 && allFull)})`,
    );
  }
  console.log('CPU: user + system time of every process of the browser over the window (% of one core; the machine has');
  console.log(`${os.cpus().length} cores: ${os.cpus().length * 100} % in all); "rest": the machine's busy time outside the two browsers and Janus (other`);
  console.log('engineers\' work, this Node process); load1 counts runnable threads, the benchmark\'s own included. Memory: PSS of the agent browser\'s processes;');
  console.log('bitrates: bytes through every PeerConnection of the seat (getStats transport: media, RTCP, headers); decoded fps from');
  console.log('each pane\'s inbound-rtp framesDecoded; widths: the pane <video>\'s videoWidth at the end of the window.');
  console.log('');
}

async function main(): Promise<void> {
  const janusVersion = spawnSync('janus', ['--version'], { encoding: 'utf8' }).stdout?.split('\n').find((l) => /Janus/.test(l))?.trim() ?? 'janus';
  const chromiumVersion = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? CHROMIUM;
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}`,
  );
  console.log(`${chromiumVersion}; ${janusVersion}; janus-gateway (npm) 1.4.2; fake camera 640×480 (parts 1–4; 1280×720 for the customers in part 5)`);
  console.log(`load average at start (1, 5, 15 min): ${loadavg()} — the machine is shared; other work competes with every figure`);
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
    for (let i = 0; PARTS.has('subscribe') && i < CALLS + warm; i++) {
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
    const line = (name: string, xs: number[]) =>
      console.log(
        `${name.padEnd(44)} ${f0(pct(xs, 50)).padStart(5)}  ${f0(pct(xs, 95)).padStart(5)}  ${(pct(xs, 50) / floor50).toFixed(2).padStart(9)}×  ${(pct(xs, 95) / floor95).toFixed(2).padStart(9)}×`,
      );
    if (PARTS.has('subscribe')) {
    console.log(`Subscribe → first decoded remote frame (ms), ${CALLS} calls each, interleaved, one run`);
    console.log('                                               p50    p95   p50 vs raw  p95 vs raw');
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
    }

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
      if (PARTS.has('answer')) {
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
      }

      // ---- 3. <multi-seat splits="4"> with 4 calls connected ----
      if (PARTS.has('splits4')) {
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
      }

    // ---- 4. N legs at once, adapter only ----
    if (PARTS.has('legs')) {
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
    console.log('');
    }
    await agent.page.evaluate(() => (globalThis as any).bench.disposeAll());
    await cust.page.evaluate(() => (globalThis as any).bench.disposeAll());

    // ---- 5. focus-aware media: 1, 4, 8 connected splits, quality="all" and "focus" ----
    if (PARTS.has('focus')) {
      // The customers of this part publish simulcast from 1280×720: a browser of their own whose
      // one fake camera opens at that size (the first browser's is 640×480). Closed first, the
      // first customers' browser takes no CPU from this part.
      await cust.ctx.close();
      rmSync(cust.dir, { recursive: true, force: true });
      await focusAware(url, janus.wsUrl, janus.pid, agent, ccWs, token);
    }
    } finally {
      await cc.close();
    }
    console.log(`load average at the end (1, 5, 15 min): ${loadavg()}`);
  } finally {
    await agent.ctx.close();
    await cust.ctx.close().catch(() => {});
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
