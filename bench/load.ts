/**
 * `npm run bench:load`: simulated agents and customers over real WebSockets against the control
 * center in a child process (`--janus-url none`, per-address limits raised by flag: every client
 * shares 127.0.0.1). Prints figures, asserts nothing.
 *
 *   npm run bench:load                                            # small: ~1 minute
 *   npm run bench:load -- --agents 1000 --splits 4 --rate 300 --seconds 60
 *   npm run bench:load -- --find-max                              # most agents × splits with p99 offer < 20 ms
 *                                                                 # at --rate (with --scale-rate: rate grows with the floor)
 *   npm run bench:load -- --flood                                 # /healthz latency while a client floods and never reads
 *   npm run bench:load -- --nodes 3                               # 1 node vs a cluster of 3 on Redis, and fail-over times
 *
 * Processes: this one (orchestrator: starts everything, samples the server's CPU and RSS and
 * /healthz), the server, the agents (bench/load-agents.ts) and the customers
 * (bench/load-callers.ts). Latencies are measured across processes on one clock
 * (`performance.timeOrigin + performance.now()`): offer = customer's `call` sent (customers'
 * process) → the agent sees `ringing` (agents' process); answer = the agent's `answer` sent →
 * the customer sees `connected`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const SECRET = 'bench-load-secret-that-is-long-enough';

const { values: args } = parseArgs({
  options: {
    agents: { type: 'string', default: '200' },
    splits: { type: 'string', default: '4' },
    rate: { type: 'string', default: '60' },
    seconds: { type: 'string', default: '20' },
    'talk-ms': { type: 'string', default: '1000' },
    'find-max': { type: 'boolean', default: false },
    'scale-rate': { type: 'boolean', default: false },
    flood: { type: 'boolean', default: false },
    'no-journal': { type: 'boolean', default: false },
    nodes: { type: 'string', default: '1' },
    kills: { type: 'string', default: '20' },
  },
});

export interface AgentsReport {
  kind: 'agents';
  /** callId → when an agent first saw it ringing. */
  ringing: Record<string, number>;
  /** callId → when the agent sent `answer`. */
  answerSent: Record<string, number>;
  errors: number;
  connectFailures: number;
}

export interface CallersReport {
  kind: 'callers';
  /** callId → when the customer sent `call` (the call's id is learnt from the reply's snapshot). */
  callSent: Record<string, number>;
  /** callId → when the customer saw `connected`. */
  connected: Record<string, number>;
  /** Calls placed, answered (connected), ended normally (agent-hangup), and every other outcome. */
  placed: number;
  answered: number;
  endedNormally: number;
  lost: Record<string, number>;
  connectFailures: number;
}

interface Trial {
  nodes: number;
  agents: number;
  splits: number;
  rate: number;
  seconds: number;
  offered: number;
  answered: number;
  lost: number;
  lostWhy: Record<string, number>;
  offer: Quantiles;
  answer: Quantiles;
  serverCpuPct: number;
  serverRssMiB: number;
  healthz: Quantiles;
  connectFailures: number;
  /** Connections the server closed 4004 (did not read). */
  slowClosed: number;
  /** In a cluster: Redis commands (all nodes, every kind) per journaled event. */
  redisPerEvent: number | null;
}

interface Quantiles {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

function quantiles(xs: number[]): Quantiles {
  if (xs.length === 0) return { n: 0, p50: NaN, p99: NaN, max: NaN };
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { n: s.length, p50: q(0.5), p99: q(0.99), max: s[s.length - 1]! };
}

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** /proc/<pid>: CPU seconds used so far and resident MiB. */
function procSample(pid: number): { cpuS: number; rssMiB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuS: ticks / 100, rssMiB: rss ? Number(rss[1]) / 1024 : NaN };
}

interface Floor {
  /** The node whose CPU and RSS are sampled (the dispatcher in a cluster). */
  child: ChildProcess;
  children: ChildProcess[];
  /** Space-separated WebSocket base URLs, one per node. */
  urls: string;
  url: string;
  db: string;
  slowClosed: () => number;
  /** In a cluster: Redis commands so far and the journal's last entry, to count round trips. */
  redisCounts?: () => Promise<{ commands: number; events: number }>;
  stop(): Promise<void>;
}

/** One node on SQLite, or a Redis and `nodes` cluster nodes. */
async function startFloor(nodes: number): Promise<Floor> {
  if (nodes <= 1) {
    const s = await startServer();
    return { ...s, children: [s.child], urls: s.url.replace(/^http/, 'ws'), stop: () => stop(s.child) };
  }
  const { startRedis } = (await import('../scripts/redis.mjs')) as typeof import('../scripts/redis.mjs');
  const redis = await startRedis();
  const started: Array<Awaited<ReturnType<typeof startServer>>> = [];
  for (let i = 0; i < nodes; i++) started.push(await startServer(['--redis', redis.url, '--node', `b${i + 1}`, '--lease-ms', '1000', '--heartbeat-ms', '1500']));
  // The dispatcher does the deciding: its CPU is the one to watch.
  let leader = started[0]!;
  for (const s of started) if (((await (await fetch(`${s.url}/healthz`)).json()) as { role: string }).role === 'leader') leader = s;
  return {
    child: leader.child,
    children: started.map((s) => s.child),
    urls: started.map((s) => s.url.replace(/^http/, 'ws')).join(' '),
    url: leader.url,
    db: '',
    slowClosed: () => started.reduce((n, s) => n + s.slowClosed(), 0),
    async redisCounts() {
      const { Redis } = await import('ioredis');
      const r = new Redis(redis.url);
      try {
        const info = await r.info('stats');
        const last = await r.xrevrange('multi-seat:journal', '+', '-', 'COUNT', 1);
        return { commands: Number(/total_commands_processed:(\d+)/.exec(info)?.[1] ?? 0), events: last[0] ? Number(last[0][0].split('-')[0]) : 0 };
      } finally {
        r.disconnect();
      }
    },
    async stop() {
      for (const s of started) await stop(s.child);
      await redis.stop();
    },
  };
}

async function startServer(extra: string[] = []): Promise<{ child: ChildProcess; url: string; db: string; slowClosed: () => number }> {
  const db = join(os.tmpdir(), `bench-load-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.db`);
  const flags = [
    '--port', '0', '--janus-url', 'none', '--secret', SECRET, '--db', db, ...extra,
    // Every simulated client shares 127.0.0.1: raise the per-address and per-identity limits.
    '--connections-per-address', '1000000', '--hellos-per-second-per-address', '1000000', '--hello-burst-per-address', '1000000',
    '--calls-per-minute-per-customer', '1000000',
    ...(args['no-journal'] ? ['--no-journal'] : []),
  ];
  const child = spawn(process.execPath, [join(root, 'bin/multi-seat-server.js'), ...flags], { stdio: ['ignore', 'pipe', 'pipe'] });
  // The server's log: counted (a flooder closed 4004 is one line each), anything else shown.
  let slow = 0;
  child.stderr!.on('data', (d: Buffer) => {
    for (const line of d.toString().split('\n')) {
      if (!line) continue;
      if (line.includes('does not read')) slow++;
      else process.stderr.write(line + '\n');
    }
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /control center on (http:\/\/\S+?);/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}: ${out}`)));
  });
  return { child, url, db, slowClosed: () => slow };
}

function worker(file: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(root, 'bench', file)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  });
}

function message<T>(child: ChildProcess, pred: (m: any) => boolean): Promise<T> {
  return new Promise((resolve, reject) => {
    const on = (m: any) => {
      if (!pred(m)) return;
      child.off('message', on);
      resolve(m as T);
    };
    child.on('message', on);
    child.once('exit', (code) => reject(new Error(`${String(child.spawnargs.at(-1))} exited with ${code}`)));
  });
}

function stop(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

async function trial(agents: number, splits: number, rate: number, seconds: number, talkMs: number, flood: boolean, nodes = 1): Promise<Trial> {
  const server = await startFloor(nodes);
  const children: ChildProcess[] = [];
  try {
    const pid = server.child.pid!;
    const env = { LOAD_URL: server.urls, LOAD_SECRET: SECRET };
    const agentsProc = worker('load-agents.ts', { ...env, LOAD_AGENTS: String(agents), LOAD_SPLITS: String(splits), LOAD_TALK_MS: String(talkMs) });
    children.push(agentsProc);
    await message(agentsProc, (m) => m.kind === 'ready');

    // /healthz every 100 ms from here, in this process (neither load process).
    const health: number[] = [];
    let probing = true;
    const prober = (async () => {
      while (probing) {
        const t = now();
        await fetch(`${server.url}/healthz`).then((r) => r.text()).catch(() => {});
        health.push(now() - t);
        await sleep(100);
      }
    })();
    let flooder: ChildProcess | null = null;
    if (flood) {
      flooder = worker('load-flood.ts', { ...env, LOAD_FLOOD_CONNECTIONS: '4' });
      children.push(flooder);
    }

    const countsBefore = await server.redisCounts?.();
    const before = procSample(pid);
    let rssMax = before.rssMiB;
    const sampler = setInterval(() => (rssMax = Math.max(rssMax, procSample(pid).rssMiB)), 500);
    const callersProc = worker('load-callers.ts', { ...env, LOAD_RATE: String(rate), LOAD_SECONDS: String(seconds), LOAD_TALK_MS: String(talkMs) });
    children.push(callersProc);
    const t0 = now();
    const callers = await message<CallersReport>(callersProc, (m) => m.kind === 'callers');
    const after = procSample(pid);
    const countsAfter = await server.redisCounts?.();
    clearInterval(sampler);
    probing = false;
    await prober;
    agentsProc.send({ kind: 'report' });
    const agentsR = await message<AgentsReport>(agentsProc, (m) => m.kind === 'agents');

    const offer: number[] = [];
    for (const [callId, sent] of Object.entries(callers.callSent)) {
      const rang = agentsR.ringing[callId];
      if (rang !== undefined) offer.push(rang - sent);
    }
    const answer: number[] = [];
    for (const [callId, sent] of Object.entries(agentsR.answerSent)) {
      const conn = callers.connected[callId];
      if (conn !== undefined) answer.push(conn - sent);
    }
    const lost = callers.placed - callers.endedNormally;
    return {
      nodes,
      agents,
      splits,
      rate,
      seconds,
      offered: Object.keys(agentsR.ringing).length,
      answered: callers.answered,
      lost,
      lostWhy: callers.lost,
      offer: quantiles(offer),
      answer: quantiles(answer),
      serverCpuPct: ((after.cpuS - before.cpuS) / ((now() - t0) / 1000)) * 100,
      serverRssMiB: Math.max(rssMax, after.rssMiB),
      healthz: quantiles(health),
      connectFailures: callers.connectFailures + agentsR.connectFailures,
      slowClosed: server.slowClosed(),
      redisPerEvent:
        countsBefore && countsAfter && countsAfter.events > countsBefore.events
          ? (countsAfter.commands - countsBefore.commands) / (countsAfter.events - countsBefore.events)
          : null,
    };
  } finally {
    for (const c of children.reverse()) await stop(c);
    await server.stop();
    if (server.db) for (const suffix of ['', '-wal', '-shm', '.lock']) rmSync(server.db + suffix, { force: true });
  }
}

/**
 * Fail-over: a cluster of `nodes` with one agent ready on a node that is never killed; the
 * dispatcher is killed `kills` times and each time a customer calls at once: kill → the agent
 * sees the offer. The killed node comes back as a follower before the next round.
 */
async function failover(nodes: number, kills: number): Promise<number[]> {
  const { startRedis } = (await import('../scripts/redis.mjs')) as typeof import('../scripts/redis.mjs');
  const { Auth } = await import('../server/auth.js');
  const WebSocket = (await import('ws')).default;
  const auth = new Auth(SECRET);
  const redis = await startRedis();
  const flags = (i: number) => ['--redis', redis.url, '--node', `f${i + 1}`, '--lease-ms', '1000', '--heartbeat-ms', '1500'];
  const started = await Promise.all(Array.from({ length: nodes }, (_, i) => startServer(flags(i))));
  const role = async (url: string) => ((await (await fetch(`${url}/healthz`)).json().catch(() => ({ role: 'down' }))) as { role: string }).role;
  const times: number[] = [];
  /** Sends and waits for the reply (any verdict), bounded. */
  const request = (ws: InstanceType<typeof WebSocket>, m: Record<string, unknown>, id: string) =>
    new Promise<void>((resolve) => {
      const on = (d: unknown) => {
        if ((JSON.parse(String(d)) as { id?: string }).id !== id) return;
        ws.off('message', on);
        resolve();
      };
      ws.on('message', on);
      ws.send(JSON.stringify({ ...m, id }));
      setTimeout(resolve, 10_000).unref();
    });
  const open = async (url: string, hello: Record<string, unknown>) => {
    const ws = new WebSocket(url);
    await new Promise((r) => ws.once('open', r));
    await request(ws, hello, 'h');
    return ws;
  };
  try {
    for (let k = 0; k < kills; k++) {
      const roles = await Promise.all(started.map((s) => role(s.url).catch(() => 'down')));
      const li = roles.indexOf('leader');
      const keep = started[(li + 1) % started.length]!;
      const agent = await open(keep.url.replace(/^http/, 'ws') + '/v1/agent', { type: 'hello', token: await auth.sign({ role: 'agent', sub: `fo-${k}` }), splits: 1 });
      await request(agent, { type: 'ready' }, 'r');
      let rang = 0;
      agent.on('message', (d) => {
        const m = JSON.parse(d.toString()) as { type: string; seat?: { splits: Array<{ state: string }> } };
        if (m.type === 'seat' && m.seat?.splits[0]?.state === 'ringing' && !rang) rang = now();
      });
      const victim = started[li]!;
      const t0 = now();
      victim.child.kill('SIGKILL');
      const caller = await open(keep.url.replace(/^http/, 'ws') + '/v1/caller', { type: 'hello', token: await auth.sign({ role: 'caller', sub: `fo-c-${k}` }) });
      caller.send(JSON.stringify({ type: 'call', id: 'c', queue: 'q' }));
      for (let i = 0; i < 200 && !rang; i++) await sleep(50);
      if (rang) times.push(rang - t0);
      else console.log(`kill ${k + 1}: no offer within 10 s`);
      // Leave nothing behind: a call left waiting would ring the next round's agent first.
      await request(caller, { type: 'hangup' }, 'x');
      await request(agent, { type: 'not-ready' }, 'y');
      agent.terminate();
      caller.terminate();
      await new Promise((r) => (victim.child.exitCode !== null || victim.child.signalCode !== null ? r(undefined) : victim.child.once('exit', r)));
      started[li] = await startServer(flags(li));
    }
  } finally {
    for (const s of started) await stop(s.child);
    await redis.stop();
  }
  return times;
}

const ms = (x: number) => (Number.isNaN(x) ? '–' : x < 10 ? x.toFixed(2) : x.toFixed(1));

function print(rows: Trial[]): void {
  const cols: Array<[string, (t: Trial) => string]> = [
    ['nodes', (t) => String(t.nodes)],
    ['agents × splits', (t) => `${t.agents} × ${t.splits}`],
    ['calls/s', (t) => String(t.rate)],
    ['s', (t) => String(t.seconds)],
    ['offered', (t) => String(t.offered)],
    ['answered', (t) => String(t.answered)],
    ['lost', (t) => String(t.lost) + (t.lost ? ` ${JSON.stringify(t.lostWhy)}` : '')],
    ['offer p50/p99/max ms', (t) => `${ms(t.offer.p50)} / ${ms(t.offer.p99)} / ${ms(t.offer.max)}`],
    ['answer p50/p99/max ms', (t) => `${ms(t.answer.p50)} / ${ms(t.answer.p99)} / ${ms(t.answer.max)}`],
    ['server CPU', (t) => `${t.serverCpuPct.toFixed(0)} %`],
    ['server RSS', (t) => `${t.serverRssMiB.toFixed(0)} MiB`],
    ['/healthz p50/p99/max ms', (t) => `${ms(t.healthz.p50)} / ${ms(t.healthz.p99)} / ${ms(t.healthz.max)}`],
  ];
  const cells = [cols.map(([h]) => h), ...rows.map((t) => cols.map(([, f]) => f(t)))];
  const widths = cols.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  for (const r of cells) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
  for (const t of rows) if (t.connectFailures) console.log(`(${t.agents} × ${t.splits}: ${t.connectFailures} connections failed)`);
  for (const t of rows) if (t.slowClosed) console.log(`(${t.agents} × ${t.splits}: ${t.slowClosed} connections closed 4004, not reading)`);
}

const cpus = os.cpus();
console.log(
  `machine: ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`,
);
console.log(`server: --janus-url none, journal ${args['no-journal'] ? 'off' : 'on (temp file)'}; agents answer at once, talk ${args['talk-ms']} ms, hang up`);
console.log('');

const talkMs = Number(args['talk-ms']);
const splits = Number(args.splits);
if (args['find-max']) {
  // Double the floor until p99 offer ≥ 20 ms, at the same calls/s (or, with --scale-rate, the
  // same calls per agent per second as the requested run).
  const perAgent = Number(args.rate) / Number(args.agents);
  const rows: Trial[] = [];
  let best: Trial | null = null;
  for (let agents = Number(args.agents); agents <= 64_000; agents *= 2) {
    const rate = args['scale-rate'] ? Math.round(perAgent * agents) : Number(args.rate);
    const t = await trial(agents, splits, rate, Number(args.seconds), talkMs, false);
    rows.push(t);
    console.log(`  ${agents} × ${splits}: p99 offer ${ms(t.offer.p99)} ms, lost ${t.lost}`);
    if (t.offer.p99 >= 20 || t.lost > 0 || t.connectFailures > 0) break;
    best = t;
  }
  console.log('');
  print(rows);
  console.log('');
  console.log(best ? `most one server held with p99 offer latency < 20 ms: ${best.agents} agents × ${best.splits} splits (${best.agents * best.splits} splits) at ${best.rate} calls/s` : 'no size met p99 offer latency < 20 ms');
} else if (Number(args.nodes) > 1) {
  const n = Number(args.nodes);
  const rows = [
    await trial(Number(args.agents), splits, Number(args.rate), Number(args.seconds), talkMs, false, 1),
    await trial(Number(args.agents), splits, Number(args.rate), Number(args.seconds), talkMs, false, n),
  ];
  print(rows);
  const one = rows[0]!;
  const many = rows[1]!;
  console.log(`cluster of ${n} vs one node: offer p99 ${(many.offer.p99 / one.offer.p99).toFixed(2)}×, offered ${(many.offered / Math.max(1, one.offered)).toFixed(2)}×`);
  if (many.redisPerEvent !== null) console.log(`Redis commands per journaled event (all nodes: forwarding, reads, the fenced append, heartbeats): ${many.redisPerEvent.toFixed(2)}`);
  console.log('(one node: SQLite journal; cluster: the journal is a Redis Stream, one fenced Lua call per event, plus one XADD per forwarded command and one XREAD batch per node)');
  console.log('');
  const times = await failover(n, Number(args.kills));
  const q = quantiles(times);
  console.log(`fail-over over ${times.length} kills of the dispatcher (kill -9 → the next offer reaches an agent on a surviving node; lease 1 s): p50 ${ms(q.p50)} ms, p99 ${ms(q.p99)} ms, max ${ms(q.max)} ms`);
} else {
  const rows = [await trial(Number(args.agents), splits, Number(args.rate), Number(args.seconds), talkMs, false)];
  if (args.flood) rows.push(await trial(Number(args.agents), splits, Number(args.rate), Number(args.seconds), talkMs, true));
  print(rows);
  if (args.flood) console.log('second row: the same load while 4 connections flood tiny bad frames and never read (each is closed 4004 at 1 MiB unsent, and reconnects)');
}
