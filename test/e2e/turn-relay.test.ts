// Real networks (issue 13, item 6): a control center told to hand out a TURN server
// (--ice-servers, credentials minted with --turn-secret) and a real coturn, both started by
// web-test-runner.e2e.config.mjs (test/support/coturn-wtr.mjs). The agent's and the customer's
// adapters are forced to `iceTransportPolicy: 'relay'` (the agent by `ice-transport-policy`, the
// customer by the adapter option), so media can flow only through coturn,
// which admits only the credentials the control center minted: the call still shows video both
// ways, and every PeerConnection's selected candidate pair is a relay one (getStats).
import { expect } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import '../../components/multi-seat/multi-seat.js';
import '../../components/seat-caller/seat-caller.js';
import type { MultiSeat } from '../../components/multi-seat/multi-seat.component.js';
import type { SeatCaller } from '../../components/seat-caller/seat-caller.component.js';
import { JanusMediaAdapter } from '../../components/media/janus-adapter.js';
import { waitFor } from './janus-helpers.js';
import { agentVideo, clickWhenEnabled, splitEl, splitVideo } from './live-floor.js';

async function turnCc(): Promise<{ ws: string; turn: string }> {
  const res = await fetch('/__turn');
  const body = await res.json();
  if (!res.ok) throw new Error(`coturn or its control center did not start: ${body.error}`);
  return body;
}

async function token(role: 'agent' | 'caller', sub: string): Promise<string> {
  const body = await (await fetch(`/__turn/token?role=${role}&sub=${encodeURIComponent(sub)}`)).json();
  if (!body.token) throw new Error(`no token: ${JSON.stringify(body)}`);
  return body.token;
}

/** Proves a <video> decodes: videoWidth > 0 and currentTime advancing. */
async function decoding(v: () => HTMLVideoElement | null, what: string): Promise<void> {
  const video = await waitFor(() => {
    const x = v();
    return x && x.videoWidth > 0 ? x : null;
  }, `${what}: videoWidth > 0`, 20_000);
  const t0 = video.currentTime;
  await waitFor(() => video.currentTime > t0 + 0.1, `${what}: currentTime advancing`, 10_000);
}

/** Every PeerConnection of an adapter's legs (janus.js keeps each handle's in webrtcStuff.pc). */
function peerConnections(adapter: unknown): RTCPeerConnection[] {
  const out: RTCPeerConnection[] = [];
  for (const leg of (adapter as { legs: Set<any> }).legs) for (const h of [leg.pub, leg.sub]) if (h?.webrtcStuff?.pc) out.push(h.webrtcStuff.pc);
  return out;
}

/** The selected pair's local and remote candidate types (from the transport's selectedCandidatePairId). */
async function selectedPair(pc: RTCPeerConnection): Promise<{ local: string; remote: string; address: string } | null> {
  const stats = await pc.getStats();
  let pairId: string | undefined;
  stats.forEach((s) => {
    if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId;
  });
  const pair = pairId ? stats.get(pairId) : undefined;
  if (!pair) return null;
  const local = stats.get(pair.localCandidateId);
  const remote = stats.get(pair.remoteCandidateId);
  return { local: local?.candidateType, remote: remote?.candidateType, address: `${local?.address}:${local?.port} → ${remote?.address}:${remote?.port}` };
}

const made: HTMLElement[] = [];
afterEach(() => made.splice(0).forEach((e) => e.remove()));

describe('issue 13: real networks, a TURN relay (coturn) on both sides', () => {
  it("with iceTransportPolicy 'relay' on the agent's and the customer's side, the call shows video both ways through coturn", async function () {
    this.timeout(120_000);
    await setViewport({ width: 1400, height: 900 });
    const { ws, turn } = await turnCc();
    const tag = Math.random().toString(36).slice(2, 8);
    const seatId = `seat-turn-${tag}`;
    const seat = document.createElement('multi-seat') as MultiSeat;
    seat.setAttribute('server', ws);
    seat.setAttribute('token', await token('agent', seatId));
    seat.setAttribute('splits', '1');
    seat.setAttribute('ring', 'off');
    seat.setAttribute('lang', 'en');
    seat.setAttribute('style', 'position:fixed;left:0;top:0;width:800px');
    // The agent's element makes its own adapter, relay-only by its attribute; the customer's
    // page gives an adapter with the option: both ways in.
    seat.setAttribute('ice-transport-policy', 'relay');
    document.body.append(seat);
    made.push(seat);
    await waitFor(() => seat.store?.getState().seat?.seatId === seatId, 'the seat signed in', 15_000);
    await seat.store!.ready();

    const c = document.createElement('seat-caller') as SeatCaller;
    c.setAttribute('server', ws);
    c.setAttribute('token', await token('caller', `cust-turn-${tag}`));
    c.setAttribute('queue', 'claims');
    c.setAttribute('name', 'Ada');
    c.setAttribute('style', 'position:fixed;right:0;top:0;width:420px');
    c.mediaAdapter = new JanusMediaAdapter({ iceTransportPolicy: 'relay' });
    document.body.append(c);
    made.push(c);
    await clickWhenEnabled(c, 'call');
    await waitFor(() => seat.store!.getState().seat?.splits[0]?.state === 'ringing', 'split 0 ringing', 15_000);

    // Both sides were told the TURN server with credentials minted for their own party.
    const agentIce = seat.store!.getState().seat!.splits[0]!.call!.media!.iceServers;
    expect(agentIce?.[0]?.urls).to.equal(turn);
    expect(agentIce?.[0]?.username).to.match(new RegExp(`^\\d+:agent:${seatId}$`));
    await waitFor(() => c.call?.media, 'the customer has the media');
    expect(c.call!.media!.iceServers?.[0]?.username).to.match(/^\d+:customer:cust-turn-/);

    await clickWhenEnabled(splitEl(seat, 0), 'answer');
    await waitFor(() => c.call?.state === 'connected', 'the customer connected');
    const why = async () => {
      const log = (await (await fetch('/__turn/log')).json()).log as string;
      const pcs = [...peerConnections(seat.mediaAdapter), ...peerConnections(c.mediaAdapter)];
      const states = pcs.map((pc) => `${JSON.stringify(pc.getConfiguration().iceServers)} ${pc.getConfiguration().iceTransportPolicy} ice=${pc.iceConnectionState} gathering=${pc.iceGatheringState}`);
      return `\npeer connections:\n${states.join('\n')}\ncoturn log tail:\n${log.split('\n').slice(-25).join('\n')}`;
    };
    await decoding(() => splitVideo(seat, 0), "the agent sees the customer").catch(async (e) => {
      throw new Error(`${e.message}${await why()}`);
    });
    await decoding(() => agentVideo(c), 'the customer sees the agent').catch(async (e) => {
      throw new Error(`${e.message}${await why()}`);
    });

    // Every PeerConnection (each side's publisher and subscriber) runs over a relay candidate.
    const pcs = [...peerConnections(seat.mediaAdapter), ...peerConnections(c.mediaAdapter)];
    expect(pcs.length, 'publisher and subscriber on each side').to.be.at.least(4);
    for (const pc of pcs) {
      expect(pc.getConfiguration().iceTransportPolicy).to.equal('relay');
      const pair = await waitFor(() => selectedPair(pc), 'a selected candidate pair', 10_000);
      expect(pair.local, `local candidate of ${pair.address}`).to.equal('relay');
    }
  });
});
