/**
 * The load of `benchCommands` (journal.ts), in a process of its own: N agents sign in, then
 * send `ready`/`not-ready` in turn with a few in flight each; prints commands/s and the
 * command → reply latency percentiles as JSON.
 * With a rate (commands/s), commands are sent at that pace instead (latency below saturation).
 * Usage: node --import tsx bench/journal-load.ts <ws url> <seats> <commands> <window> [rate]
 */
import WebSocket from 'ws';
import { Auth } from '../server/auth.js';
import { SECRET } from './journal.js';

const [url, seatsArg, commandsArg, windowArg, rateArg] = process.argv.slice(2);
const rate = Number(rateArg ?? 0);
const seats = Number(seatsArg);
const commands = Number(commandsArg);
const window = Number(windowArg);
const auth = new Auth(SECRET);

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

const sockets: WebSocket[] = [];
for (let i = 0; i < seats; i++) {
  const ws = new WebSocket(url!);
  await new Promise((r) => ws.once('open', r));
  const token = await auth.sign({ role: 'agent', sub: `bench-${i}` });
  ws.send(JSON.stringify({ type: 'hello', id: 'h', token, splits: 4 }));
  await new Promise<void>((resolve) => {
    const on = (d: WebSocket.RawData) => {
      if ((JSON.parse(d.toString()) as { id?: string }).id !== 'h') return;
      ws.off('message', on);
      resolve();
    };
    ws.on('message', on);
  });
  sockets.push(ws);
}
const latencies: number[] = [];
let sent = 0;
let done = 0;
const started = performance.now();
const paced: Array<() => void> = [];
await new Promise<void>((finish) => {
  for (const [i, ws] of sockets.entries()) {
    const pending = new Map<string, number>();
    let n = 0;
    const fire = () => {
      if (sent >= commands) return;
      sent++;
      const id = String(++n);
      pending.set(id, performance.now());
      ws.send(JSON.stringify({ type: n % 2 ? 'ready' : 'not-ready', id }));
    };
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as { type: string; id?: string };
      if (m.type !== 'ok' && m.type !== 'error') return;
      const t = pending.get(m.id!);
      if (t === undefined) return;
      pending.delete(m.id!);
      latencies.push(performance.now() - t);
      if (++done >= commands) finish();
      else if (rate === 0) fire();
    });
    if (rate > 0) {
      paced.push(fire);
      continue;
    }
    // Spread the start so the seats do not all fire in the same tick.
    setTimeout(() => {
      for (let k = 0; k < window; k++) fire();
    }, i % 50);
  }
  if (rate > 0) {
    // Open loop: a command every 1000/rate ms on average, round robin over the seats.
    let next = 0;
    const timer = setInterval(() => {
      for (let k = 0; k < rate / 100 && sent < commands; k++) paced[next++ % paced.length]!();
      if (sent >= commands) clearInterval(timer);
    }, 10);
  }
});
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
for (const ws of sockets) ws.terminate();
process.stdout.write(JSON.stringify({ perSecond: commands / seconds, p50ms: pct(latencies, 50), p99ms: pct(latencies, 99) }));
process.exit(0);
