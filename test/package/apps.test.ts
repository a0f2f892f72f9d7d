/**
 * The README's React and Vue examples, run as an integrator runs them (issue 12, "Tests"): the
 * elements package packed once (`npm pack`, its prepack builds it) and installed offline into two
 * fresh Vite apps whose sources are test/package/apps/react (React 19, TSX) and
 * test/package/apps/vue (Vue 3, `<script setup lang="ts">`), written as `npm create vite` writes
 * them. Their seat component is the README's code block, byte for byte.
 *
 * Each app is type-checked as its template's `build` script does (`tsc -b`, `vue-tsc -b`; the
 * tsconfigs set `noEmit`), and a throwaway copy with three wrong uses must fail with exactly those
 * errors (a detail field that does not exist, a `splits` of the wrong type, the answer handler on
 * `seat-error`), so the types are real and not `any`. Then `vite build`, the dist served on
 * 127.0.0.1 by a small static server here (another origin than the control center's, named in its
 * `--allowed-origins`), a real control center started by pid (`bin/multi-seat-server.js --demo
 * --janus-url none`), and Chromium: the seat goes ready, a customer (a WebSocket client here) calls,
 * the split rings, its Answer button is clicked, and the app's own case panel shows the customer's
 * name and id and the virtual seat its handler read from `e.detail`.
 *
 * Run: node scripts/run-node-tests.mjs test/package/apps.test.ts (part of npm test).
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserServer, type Page } from 'playwright-core';
import WebSocket from 'ws';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import { installApp, pack, repoRoot, type Packed } from '../support/offline-install.js';

/** Every wait is for a state, never longer than this. */
const STEP_MS = 30_000;

interface AppSpec {
  name: 'react' | 'vue';
  /** What `npm create vite` puts in the app's package.json (versions: the repository's lock). */
  deps: string[];
  /** The template's type check: `tsc -b` / `vue-tsc -b`, from the app's node_modules. */
  typecheck: string;
  /** The README's block for this framework, and the app file that must equal it. */
  readme: RegExp;
  seatFile: string;
  /** Wrong uses put into a throwaway copy of the seat file, each with the error it must give. */
  wrong: Array<{ from: string; to: string; error: RegExp }>;
}

const APPS: AppSpec[] = [
  {
    name: 'react',
    deps: ['react', 'react-dom', '@types/react', '@types/react-dom', '@vitejs/plugin-react', 'vite', 'typescript', '@types/node'],
    typecheck: 'typescript/bin/tsc',
    readme: /\*\*React\*\*[\s\S]*?```tsx\n([\s\S]*?)```/,
    seatFile: 'src/Seat.tsx',
    wrong: [
      { from: 'e.detail.virtualSeat)', to: 'e.detail.virtualSeatId)', error: /Seat\.tsx\(\d+,\d+\): error TS2551: Property 'virtualSeatId' does not exist on type 'SeatCallDetail'/ },
      { from: 'splits="2"', to: 'splits={true}', error: /Seat\.tsx\(\d+,\d+\): error TS2322: Type 'true' is not assignable to type 'string \| number \| undefined'/ },
      { from: "addEventListener('seat-answer', pop)", to: "addEventListener('seat-error', pop)", error: /Type 'SeatErrorEvent' is not assignable to type 'SeatAnswerEvent'/ },
    ],
  },
  {
    name: 'vue',
    deps: ['vue', '@vitejs/plugin-vue', 'vite', 'typescript', 'vue-tsc', '@types/node'],
    typecheck: 'vue-tsc/bin/vue-tsc.js',
    readme: /\*\*Vue 3\*\*[\s\S]*?```vue\n([\s\S]*?)```/,
    seatFile: 'src/components/Seat.vue',
    wrong: [
      { from: 'e.detail.virtualSeat)', to: 'e.detail.virtualSeatId)', error: /Seat\.vue\(\d+,\d+\): error TS2551: Property 'virtualSeatId' does not exist on type 'SeatCallDetail'/ },
      { from: ' splits="2"', to: ' :splits="true"', error: /Seat\.vue\(\d+,\d+\): error TS2322: Type 'true' is not assignable to type 'string \| number \| undefined'/ },
      { from: '@seat-answer="onAnswer"', to: '@seat-error="onAnswer"', error: /Type 'SeatErrorEvent' is not assignable to type 'SeatAnswerEvent'/ },
    ],
  },
];

/** Runs a command to its end (killed after `ms`); resolves with its exit code and output. */
function run(cmd: string, args: string[], cwd: string, ms = 120_000): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, timeout: ms, killSignal: 'SIGKILL', maxBuffer: 64 << 20, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, out: `${stdout}${stderr}${err && code === null ? `\n${err.message}` : ''}` });
    });
  });
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json' };

/** A static server for a built app on 127.0.0.1 (a free port), as a CDN or the CRM's web server. */
async function serveStatic(dir: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = normalize(join(dir, path === '/' ? 'index.html' : decodeURIComponent(path)));
    let body: Buffer | null = null;
    if (file.startsWith(dir)) {
      try {
        if (statSync(file).isFile()) body = readFileSync(file);
      } catch {
        body = null;
      }
    }
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  return { server, origin: `http://127.0.0.1:${address.port}` };
}

/** The control center from this checkout, as an operator runs it, in its own process. */
async function startControlCenter(db: string, origins: string[]): Promise<{ child: ChildProcess; url: string; log: () => string }> {
  const args = [join(repoRoot, 'bin', 'multi-seat-server.js'), '--demo', '--janus-url', 'none', '--host', '127.0.0.1', '--port', '0', '--db', db, '--allowed-origins', origins.join(',')];
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the control center did not start in ${STEP_MS} ms: ${out}`)), STEP_MS);
    const look = () => {
      const m = /multi-seat control center on (http:\/\/[^\s;]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', look);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the control center exited (${code ?? signal}) before listening: ${out}`));
    });
  });
  return { child, url, log: () => out };
}

/** Sends `signal` to a child by its pid and waits for it to exit; SIGKILL after 5 s. */
async function stop(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  process.kill(child.pid, signal);
  const timer = setTimeout(() => child.exitCode === null && child.signalCode === null && process.kill(child.pid!, 'SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function devToken(cc: string, role: 'agent' | 'caller', sub: string): Promise<string> {
  const res = await fetch(`${cc}/v1/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role, sub }) });
  assert.equal(res.status, 200, `dev-token: ${await res.clone().text()}`);
  return ((await res.json()) as { token: string }).token;
}

interface CustomerCall {
  callId: string;
  state: string;
  agent: { seat: string; virtualSeat: string } | null;
}

/** A customer on the protocol (docs/PROTOCOL.md, /v1/caller): signs in and places one call. */
class Customer {
  private socket: WebSocket;
  private seq = 0;
  private calls: CustomerCall[] = [];
  private waiters: Array<() => void> = [];
  private replies = new Map<string, (m: { type: string; code?: string; message?: string }) => void>();

  constructor(url: string) {
    this.socket = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/caller`);
    this.socket.on('error', () => {}); // open() reports it; a later one fails the next wait
    this.socket.on('message', (data) => {
      const m = JSON.parse(String(data)) as { type: string; id?: string; call?: CustomerCall };
      if ((m.type === 'ok' || m.type === 'error') && m.id) this.replies.get(m.id)?.(m);
      if (m.type === 'call' && m.call) this.calls.push(m.call);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  async open(): Promise<void> {
    if (this.socket.readyState === WebSocket.OPEN) return;
    await within(
      new Promise<void>((resolve, reject) => {
        this.socket.once('open', () => resolve());
        this.socket.once('close', (code) => reject(new Error(`the customer's WebSocket closed (${code})`)));
      }),
      "the customer's WebSocket open",
    );
  }

  async send(msg: Record<string, unknown>): Promise<void> {
    const id = String(++this.seq);
    const reply = new Promise<{ type: string; code?: string; message?: string }>((r) => this.replies.set(id, r));
    this.socket.send(JSON.stringify({ ...msg, id }));
    const m = await within(reply, `the answer to ${String(msg.type)}`);
    assert.equal(m.type, 'ok', `${String(msg.type)}: ${m.code} ${m.message}`);
  }

  /** The customer's call once it is in `state`. */
  async callIn(state: string): Promise<CustomerCall> {
    const found = () => [...this.calls].reverse().find((c) => c.state === state);
    return within(
      (async () => {
        while (!found()) await new Promise<void>((r) => this.waiters.push(r));
        return found()!;
      })(),
      `the customer's call ${state} (seen: ${this.calls.map((c) => c.state).join(', ') || 'none'})`,
    );
  }

  close(): void {
    this.socket.close();
  }
}

function within<T>(p: Promise<T>, what: string, ms = STEP_MS): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no ${what} in ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

describe("the README's React and Vue examples in fresh Vite apps, against a real control center", () => {
  let work = '';
  let elements: Packed;
  const sites = new Map<string, { server: Server; origin: string }>();
  let cc: Awaited<ReturnType<typeof startControlCenter>> | undefined;
  let chromiumServer: BrowserServer | undefined;
  let browser: Browser | undefined;
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

  before(async () => {
    const t0 = Date.now();
    work = mkdtempSync(join(tmpdir(), 'multi-seat-apps-'));
    elements = pack(repoRoot, join(work, 'tarballs'));
    const packed = Date.now();
    // The apps' sites first: the control center must know their origins.
    for (const app of APPS) {
      mkdirSync(join(work, app.name, 'dist'), { recursive: true });
      sites.set(app.name, await serveStatic(join(work, app.name, 'dist')));
    }
    cc = await startControlCenter(join(work, 'calls.db'), [...sites.values()].map((s) => s.origin));
    chromiumServer = await chromium.launchServer({ executablePath: chromiumPath, args: chromiumArgs });
    browser = await chromium.connect(chromiumServer.wsEndpoint());
    console.log(`apps: npm pack ${packed - t0} ms; sites, control center (${cc.url}) and Chromium ${Date.now() - packed} ms`);
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await chromiumServer?.close().catch(() => {});
    const pid = chromiumServer?.process().pid;
    if (pid && chromiumServer?.process().exitCode === null) process.kill(pid, 'SIGKILL');
    await stop(cc?.child);
    for (const { server } of sites.values()) await new Promise((r) => server.close(r));
    if (work) rmSync(work, { recursive: true, force: true });
  });

  for (const app of APPS) {
    const dir = () => join(work, app.name);
    const bin = (rel: string) => join(dir(), 'node_modules', rel);

    it(`${app.name}: the app's seat component is the README's code, as written`, () => {
      const block = app.readme.exec(readme)?.[1];
      assert.ok(block, `no ${app.name} code block in the README`);
      const source = readFileSync(join(repoRoot, 'test', 'package', 'apps', app.name, app.seatFile), 'utf8');
      assert.equal(source, block, `${app.seatFile} and the README's block differ`);
      if (app.name === 'vue') {
        // The compiler option the README tells Vue users to set is the app's.
        const option = /in Vite,\s*`(vue\(\{ template: .*?\}\)\)?)`/s.exec(readme)?.[1];
        assert.ok(option, "the README's isCustomElement option");
        assert.ok(readFileSync(join(repoRoot, 'test', 'package', 'apps', 'vue', 'vite.config.ts'), 'utf8').includes(option), `vite.config.ts uses ${option}`);
      }
    });

    it(`${app.name}: installs offline, type-checks, and a wrong use of the types fails`, { timeout: 180_000 }, async () => {
      cpSync(join(repoRoot, 'test', 'package', 'apps', app.name), dir(), { recursive: true });
      installApp(dir(), `crm-${app.name}`, app.deps, [elements]);
      const good = await run(process.execPath, [bin(app.typecheck), '-b'], dir());
      assert.equal(good.code, 0, `${app.typecheck} -b:\n${good.out}`);

      // A throwaway copy beside it (same node_modules by lookup), with every wrong use at once.
      const wrong = join(dir(), 'wrong-use');
      mkdirSync(wrong);
      for (const f of ['src', 'tsconfig.json', 'tsconfig.app.json', 'tsconfig.node.json', 'vite.config.ts']) cpSync(join(dir(), f), join(wrong, f), { recursive: true });
      let seat = readFileSync(join(wrong, app.seatFile), 'utf8');
      for (const w of app.wrong) {
        assert.ok(seat.includes(w.from), `${app.seatFile} has ${w.from}`);
        seat = seat.replace(w.from, w.to);
      }
      writeFileSync(join(wrong, app.seatFile), seat);
      const bad = await run(process.execPath, [bin(app.typecheck), '-b'], wrong);
      rmSync(wrong, { recursive: true, force: true });
      assert.notEqual(bad.code, 0, `the wrong uses type-checked:\n${bad.out}`);
      for (const w of app.wrong) assert.match(bad.out, w.error, `${w.to}: not the expected error`);
      assert.equal(bad.out.match(/error TS\d+/g)?.length, app.wrong.length, `only the planted errors:\n${bad.out}`);
    });

    it(`${app.name}: vite build`, { timeout: 120_000 }, async () => {
      const build = await run(process.execPath, [bin('vite/bin/vite.js'), 'build', '--logLevel', 'warn'], dir());
      assert.equal(build.code, 0, `vite build:\n${build.out}`);
      assert.match(readFileSync(join(dir(), 'dist', 'index.html'), 'utf8'), /<script type="module" crossorigin src="\/assets\/index-[^"]+\.js">/);
    });

    it(`${app.name}: in Chromium, answering a call in <multi-seat> pops the app's case panel with the typed detail`, { timeout: 120_000 }, async () => {
      const seatId = `seat-${app.name}`;
      const customerId = `cust-${app.name}-${process.pid}`;
      const site = sites.get(app.name)!;
      const token = await devToken(cc!.url, 'agent', seatId);
      const page = await browser!.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      let customer: Customer | undefined;
      try {
        await page.goto(`${site.origin}/?${new URLSearchParams({ server: cc!.url.replace(/^http/, 'ws'), token })}`);
        await page.locator('#case').getByText('No call yet.').waitFor({ timeout: STEP_MS });

        // The seat signs in (its origin is allowed) and goes ready.
        await page.locator('multi-seat button.ready-switch:not([disabled])').click({ timeout: STEP_MS });
        await page.locator('multi-seat button.ready-switch[aria-checked="true"]').waitFor({ timeout: STEP_MS });

        customer = new Customer(cc!.url);
        await customer.open();
        await customer.send({ type: 'hello', token: await devToken(cc!.url, 'caller', customerId) });
        await customer.send({ type: 'call', queue: 'claims', name: 'Li Wei' });
        const ringing = await customer.callIn('ringing');

        await page.locator('multi-seat seat-split[index="0"][data-state="ringing"]').waitFor({ timeout: STEP_MS });
        await page.locator('multi-seat seat-split[index="0"] button[part~="answer"]').click({ timeout: STEP_MS });
        const connected = await customer.callIn('connected');
        assert.equal(connected.callId, ringing.callId);
        assert.equal(connected.agent?.seat, seatId);

        // The app's own screen pop, rendered by its seat-answer handler from e.detail.
        const field = (f: string) => page.locator(`#case dd[data-field="${f}"]`);
        await field('id').waitFor({ timeout: STEP_MS });
        assert.equal(await field('id').textContent(), customerId);
        assert.equal(await field('name').textContent(), 'Li Wei');
        assert.equal(await field('virtual-seat').textContent(), connected.agent?.virtualSeat);
        assert.deepEqual(errors, [], 'no uncaught error on the page');

        await customer.send({ type: 'hangup' });
        await customer.callIn('ended');
        await page.locator('multi-seat seat-split[index="0"][data-state="idle"]').waitFor({ timeout: STEP_MS });
      } catch (e) {
        throw new Error(`${(e as Error).message}\n--- control center:\n${cc!.log().slice(-3000)}`, { cause: e });
      } finally {
        customer?.close();
        await page.close();
      }
    });
  }
});
