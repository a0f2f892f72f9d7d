/** `npm run bench`: prints figures, asserts nothing. */
import os from 'node:os';
import { benchDispatch, type DispatchFigures } from './dispatch.js';

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`machine: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`);
console.log('');

const row = (f: DispatchFigures, base?: DispatchFigures) =>
  [
    String(f.seats).padStart(6),
    String(f.splits).padStart(6),
    String(f.waiting).padStart(7),
    String(f.decisions).padStart(9),
    Math.round(f.decisionsPerSec).toLocaleString('en-US').padStart(14),
    f.p50us.toFixed(1).padStart(8),
    f.p99us.toFixed(1).padStart(8),
    base ? `${(f.p50us / base.p50us).toFixed(2)}×`.padStart(10) : '      1.00×',
    base ? `${(f.p99us / base.p99us).toFixed(2)}×`.padStart(10) : '     1.00×',
  ].join(' ');

console.log('Dispatch engine: saturated floor, 4 splits per seat, 10,000 waiting calls');
console.log(' seats splits waiting decisions  decisions/s  p50 µs   p99 µs  p50 vs 200 p99 vs 200');
// Warm the JIT once so the first row is not paying for it.
benchDispatch(200, 4, 2000, 2000);
let base: DispatchFigures | undefined;
for (const seats of [200, 2000, 20000]) {
  const f = benchDispatch(seats, 4, 10_000, 20_000);
  console.log(row(f, base));
  base ??= f;
}
console.log('');
console.log('p50/p99: time of one engine event (answer, hangup + dispatch decision, hello, call).');
console.log('decisions/s: offers made per second of engine time.');

// ---- the journal ---------------------------------------------------------------------------
const { benchCommands, benchRecovery } = await import('./journal.js');
const SEATS = Number(process.env.BENCH_SEATS ?? 2000);
const COMMANDS = Number(process.env.BENCH_COMMANDS ?? 100_000);
console.log('');
console.log(`Commands over real WebSockets: ${SEATS} seats × 4 splits, ready/not-ready; the load in its own process`);
console.log(' journal  load                    commands/s   ok p50 ms   ok p99 ms');
const rows: Array<[string, Awaited<ReturnType<typeof benchCommands>>]> = [];
for (const journal of [false, true]) rows.push([`saturated (4 in flight/seat)`, await benchCommands(journal, SEATS, COMMANDS, 4)]);
for (const journal of [false, true]) rows.push([`paced at 2,000/s`, await benchCommands(journal, SEATS, 20_000, 1, 2000)]);
for (const [load, f] of rows)
  console.log(
    [(f.journal ? 'on' : 'off').padStart(8), load.padEnd(22), Math.round(f.perSecond).toLocaleString('en-US').padStart(11), f.p50ms.toFixed(2).padStart(11), f.p99ms.toFixed(2).padStart(11)].join(' '),
  );
console.log(`journal on/off, saturated: ${(rows[1]![1].perSecond / rows[0]![1].perSecond).toFixed(2)}× the commands/s`);
console.log('');
console.log('Restart: start → serving on a journal with live calls in its snapshot and a tail behind it');
console.log(' live calls   tail events   start ms   replay ms   replay events/s');
for (const [calls, tail] of [
  [10_000, 0],
  [10_000, 100_000],
] as const) {
  const r = await benchRecovery(calls, tail);
  console.log(
    [
      r.liveCalls.toLocaleString('en-US').padStart(11),
      r.tail.toLocaleString('en-US').padStart(13),
      Math.round(r.startMs).toString().padStart(10),
      Math.round(r.replayMs).toString().padStart(11),
      (r.tail ? Math.round(r.eventsPerSecond).toLocaleString('en-US') : '–').padStart(17),
    ].join(' '),
  );
}
