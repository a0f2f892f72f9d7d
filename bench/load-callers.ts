/**
 * bench:load's customers, in their own process: calls arrive as a Poisson stream of LOAD_RATE a
 * second for LOAD_SECONDS; each is a new customer who connects, says hello, sends `call` (the
 * time is recorded), and waits for the agent to answer and hang up. Then it reports.
 */
import WebSocket from 'ws';
import { Auth } from '../server/auth.js';
import type { CallersReport } from './load.js';

// One URL, or several (a cluster's nodes, space-separated): client n uses URL n mod count.
const urls = process.env['LOAD_URL']!.split(' ').map((u) => u + '/v1/caller');
const auth = new Auth(process.env['LOAD_SECRET']!);
const rate = Number(process.env['LOAD_RATE']);
const seconds = Number(process.env['LOAD_SECONDS']);
const talkMs = Number(process.env['LOAD_TALK_MS']);
const now = () => performance.timeOrigin + performance.now();

const callSent = new Map<string, number>();
const connected = new Map<string, number>();
const lost = new Map<string, number>();
let placed = 0;
let answered = 0;
let endedNormally = 0;
let connectFailures = 0;
const live = new Set<Promise<void>>();

function customer(n: number, token: string): Promise<void> {
  // Customers start one node over from the agents, so calls cross nodes in a cluster.
  const url = urls[(n + 1) % urls.length]!;
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    let sentAt = 0;
    let callId: string | null = null;
    let done = false;
    const finish = (outcome: string | null) => {
      if (done) return;
      done = true;
      if (outcome === null) endedNormally++;
      else lost.set(outcome, (lost.get(outcome) ?? 0) + 1);
      ws.close();
      resolve();
    };
    ws.on('open', () => {
      ws.send(JSON.stringify({ type: 'hello', id: 'h', token }));
      sentAt = now();
      ws.send(JSON.stringify({ type: 'call', id: 'c', queue: 'load' }));
      placed++;
    });
    ws.on('error', () => {
      connectFailures++;
      if (sentAt) finish('socket-error');
      else resolve();
    });
    ws.on('close', () => finish('closed-by-server'));
    ws.on('message', (data) => {
      const t = now();
      const m = JSON.parse(data.toString()) as { type: string; id?: string; code?: string; call?: { callId: string; state: string; endReason: string | null } };
      if (m.type === 'error') return finish(`error:${m.code}`);
      if (m.type !== 'call') return;
      const call = m.call!;
      if (callId === null) {
        callId = call.callId;
        callSent.set(callId, sentAt);
      }
      if (call.state === 'connected' && !connected.has(call.callId)) {
        connected.set(call.callId, t);
        answered++;
      }
      if (call.state === 'ended') finish(call.endReason === 'agent-hangup' ? null : `ended:${call.endReason}`);
    });
  });
}

// Tokens first, so signing costs nothing during the run.
const total = Math.round(rate * seconds * 1.2) + 10;
const tokens = await Promise.all(Array.from({ length: total }, (_, i) => auth.sign({ role: 'caller', sub: `lc-${process.pid}-${i}` }, 3600)));

// Poisson arrivals on a fixed schedule, so a slow moment here does not thin the stream.
const start = performance.now();
let next = 0;
let n = 0;
while (n < tokens.length) {
  next += -Math.log(1 - Math.random()) * (1000 / rate);
  if (next > seconds * 1000) break;
  const wait = start + next - performance.now();
  if (wait > 1) await new Promise((r) => setTimeout(r, wait));
  const p = customer(n, tokens[n]!);
  n++;
  live.add(p);
  void p.then(() => live.delete(p));
}
// Let the last calls be answered and hung up (or give up on them: they count as lost).
await Promise.race([Promise.all(live), new Promise((r) => setTimeout(r, 30_000 + talkMs))]);

const report: CallersReport = {
  kind: 'callers',
  callSent: Object.fromEntries(callSent),
  connected: Object.fromEntries(connected),
  placed,
  answered,
  endedNormally,
  lost: Object.fromEntries(lost),
  connectFailures,
};
process.send!(report, () => process.exit(0));
