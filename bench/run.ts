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
