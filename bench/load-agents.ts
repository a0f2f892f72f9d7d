/**
 * bench:load's agents, in their own process: LOAD_AGENTS seats sign in with LOAD_SPLITS splits,
 * go ready, answer every ringing split at once, talk LOAD_TALK_MS, hang up. Records when each
 * call first rang here and when its answer was sent; reports on the parent's `report`.
 */
import WebSocket from 'ws';
import { Auth } from '../server/auth.js';
import type { AgentsReport } from './load.js';

// One URL, or several (a cluster's nodes, space-separated): client n uses URL n mod count.
const urls = process.env['LOAD_URL']!.split(' ').map((u) => u + '/v1/agent');
const auth = new Auth(process.env['LOAD_SECRET']!);
const agents = Number(process.env['LOAD_AGENTS']);
const splits = Number(process.env['LOAD_SPLITS']);
const talkMs = Number(process.env['LOAD_TALK_MS']);
const now = () => performance.timeOrigin + performance.now();

const ringing = new Map<string, number>();
const answerSent = new Map<string, number>();
let errors = 0;
let connectFailures = 0;

interface SplitView {
  index: number;
  state: string;
  call: { callId: string } | null;
}

let agentSeq = 0;
function agent(seatId: string, token: string): Promise<void> {
  const url = urls[agentSeq++ % urls.length]!;
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    let seq = 0;
    let ready = false;
    /** The call each split last acted on, so a repeated snapshot does not act twice. */
    const handled = new Map<number, string>();
    const send = (m: Record<string, unknown>) => ws.send(JSON.stringify({ ...m, id: String(++seq) }));
    ws.on('open', () => {
      send({ type: 'hello', token, splits });
      send({ type: 'ready' });
    });
    ws.on('error', () => {
      connectFailures++;
      resolve();
    });
    ws.on('message', (data) => {
      const t = now();
      const m = JSON.parse(data.toString()) as { type: string; seat?: { ready: boolean; splits: SplitView[] }; code?: string };
      if (m.type === 'error') errors++;
      if (m.type !== 'seat') return;
      if (!ready && m.seat!.ready) {
        ready = true;
        resolve();
      }
      for (const s of m.seat!.splits) {
        if (!s.call) continue;
        const callId = s.call.callId;
        if (s.state === 'ringing' && handled.get(s.index) !== `ring:${callId}`) {
          handled.set(s.index, `ring:${callId}`);
          if (!ringing.has(callId)) ringing.set(callId, t);
          answerSent.set(callId, now());
          send({ type: 'answer', split: s.index });
        } else if (s.state === 'connected' && handled.get(s.index) !== `talk:${callId}`) {
          handled.set(s.index, `talk:${callId}`);
          setTimeout(() => send({ type: 'hangup', split: s.index }), talkMs);
        }
      }
    });
  });
}

// Sign everyone in, a few hundred at a time (as an office coming in, but quicker).
const tokens = await Promise.all(Array.from({ length: agents }, (_, i) => auth.sign({ role: 'agent', sub: `load-${i}` }, 3600)));
for (let i = 0; i < agents; i += 200) await Promise.all(tokens.slice(i, i + 200).map((t, j) => agent(`load-${i + j}`, t)));
process.send!({ kind: 'ready' });

process.on('message', (m: { kind: string }) => {
  if (m.kind !== 'report') return;
  const report: AgentsReport = {
    kind: 'agents',
    ringing: Object.fromEntries(ringing),
    answerSent: Object.fromEntries(answerSent),
    errors,
    connectFailures,
  };
  process.send!(report, () => process.exit(0));
});
