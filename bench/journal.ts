/**
 * The journal's cost and the restart's speed: accepted commands per second and command → `ok`
 * latency over real WebSockets with the journal on and off, and the time from start to serving
 * with many live calls and a long journal tail behind the last snapshot.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Engine } from '../core/engine.js';
import { openDatabase } from '../server/database.js';
import { Records } from '../server/records.js';
import { startServer } from '../server/server.js';
import { SqliteJournal } from '../server/sqlite-journal.js';

export const SECRET = 'bench-secret-that-is-long-enough-for-hs256';
const OPEN = { connectionsPerAddress: 1e9, hellosPerSecondPerAddress: 1e9, helloBurstPerAddress: 1e9 };

export interface CommandFigures {
  journal: boolean;
  seats: number;
  commands: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
}

/**
 * `seats` agents with 4 splits each send `ready`/`not-ready`: `window` in flight per seat as fast
 * as replies come (throughput), or `rate` commands/s in all (latency below saturation).
 */
export async function benchCommands(journal: boolean, seats: number, commands: number, window = 4, rate = 0): Promise<CommandFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'multi-seat-bench-'));
  const server = await startServer({
    port: 0,
    secret: SECRET,
    db: join(dir, 'calls.db'),
    journal,
    janusUrl: null,
    log: () => {},
    rateLimit: { perSecond: 1e9, burst: 1e9 },
    limits: OPEN,
  });
  try {
    // The load runs in its own process, so the server has a core of its own (as in production).
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./journal-load.ts', import.meta.url)), server.url.replace('http', 'ws') + '/v1/agent', String(seats), String(commands), String(window), String(rate)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise((r) => child.once('exit', r));
    const f = JSON.parse(out) as { perSecond: number; p50ms: number; p99ms: number };
    return { journal, seats, commands, ...f };
  } finally {
    await server.close({ endCalls: false });
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface RecoveryFigures {
  liveCalls: number;
  tail: number;
  startMs: number;
  replayMs: number;
  eventsPerSecond: number;
}

/**
 * A journal with `liveCalls` connected calls in its snapshot and `tail` events after it (focus
 * moving between splits, as a busy floor makes), then a real start on it, timed to serving.
 */
export async function benchRecovery(liveCalls: number, tail: number): Promise<RecoveryFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'multi-seat-bench-'));
  const file = join(dir, 'calls.db');
  const seats = Math.ceil(liveCalls / 4);
  {
    const db = openDatabase(file);
    const journal = new SqliteJournal(db, new Records(db));
    const engine = new Engine();
    let now = Date.now();
    const apply = (e: Parameters<Engine['apply']>[0]) => {
      if (!engine.apply(e).ok) throw new Error(`${e.type} refused`);
      journal.append(e, []);
    };
    for (let s = 0; s < seats; s++) {
      apply({ type: 'agent-hello', seatId: `s${s}`, splits: 4, now });
      apply({ type: 'agent-ready', seatId: `s${s}`, now });
    }
    for (let c = 0; c < liveCalls; c++) {
      apply({ type: 'caller-hello', customerId: `k${c}`, now: ++now });
      apply({ type: 'caller-call', customerId: `k${c}`, queue: 'claims', name: null, priority: 0, callId: `call-${c}`, now });
      const call = engine.call(`call-${c}`)!;
      apply({ type: 'agent-answer', seatId: call.seatId!, split: call.split!, now });
    }
    journal.snapshot(engine.snapshot());
    for (let i = 0; i < tail; i++) apply({ type: 'agent-focus', seatId: `s${i % seats}`, split: (i >> 3) % 4, now: ++now });
    db.close();
  }
  const started = performance.now();
  const server = await startServer({ port: 0, secret: SECRET, db: file, janusUrl: null, log: () => {}, limits: OPEN });
  const startMs = performance.now() - started;
  const r = server.recovered!;
  await server.close({ endCalls: false });
  rmSync(dir, { recursive: true, force: true });
  return { liveCalls, tail, startMs, replayMs: r.ms, eventsPerSecond: r.replayed / Math.max(r.ms / 1000, 1e-9) };
}
