import type { SeatState } from '../../core/seat-store.js';
import type { CallView, SplitView } from '../../core/protocol.js';
import type { SeatCallDetail } from '../events/detail.js';
import type { SeatAttentionDetail } from '../events/seat-attention.js';
import type { SeatConsultDetail } from '../events/seat-consult.js';
import type { SeatFocusDetail } from '../events/seat-focus.js';
import type { SeatHangupDetail } from '../events/seat-hangup.js';
import type { SeatReadyChangeDetail } from '../events/seat-ready-change.js';
import type { SeatTransferDetail } from '../events/seat-transfer.js';
import type { TransferTarget } from '../../core/protocol.js';

export type DerivedEvent =
  | { name: 'seat-offer'; detail: SeatCallDetail }
  | { name: 'seat-answer'; detail: SeatCallDetail }
  | { name: 'seat-transfer'; detail: SeatTransferDetail }
  | { name: 'seat-hangup'; detail: SeatHangupDetail }
  | { name: 'seat-focus'; detail: SeatFocusDetail }
  | { name: 'seat-consult'; detail: SeatConsultDetail }
  | { name: 'seat-attention'; detail: SeatAttentionDetail }
  | { name: 'seat-ready-change'; detail: SeatReadyChangeDetail };

const live = new Set(['connected', 'consulting', 'dialing']);

function detail(split: SplitView, call: CallView): SeatCallDetail {
  return { split: split.index, call, virtualSeat: call.virtualSeat ?? split.channel };
}

/**
 * The CRM-facing events a change of seat snapshot means, derived from the snapshots alone so
 * they fire whoever made the change (the customer hung up, the ring timed out, another tab, a
 * headless integration). `transferTarget` names where this seat asked to transfer a call, if it
 * did: a call that leaves a talking split then is a transfer (`seat-transfer`, and a
 * `seat-hangup` with reason `transferred`), not a hang-up.
 */
export function deriveSeatEvents(
  prev: SeatState,
  next: SeatState,
  transferTarget: (callId: string) => TransferTarget | undefined = () => undefined,
): DerivedEvent[] {
  const a = prev.seat;
  const b = next.seat;
  const out: DerivedEvent[] = [];
  if (!b) return out;
  const same = a && a.seatId === b.seatId ? a : null;
  if (same && (same.ready !== b.ready || same.notReadyReason !== b.notReadyReason)) {
    out.push({ name: 'seat-ready-change', detail: { ready: b.ready, reason: b.notReadyReason } });
  }
  for (const n of b.splits) {
    const p = same?.splits[n.index];
    const pc = p?.call ?? null;
    const nc = n.call;
    // A call that leaves and comes back in one snapshot (a blind transfer re-offered to this
    // seat) is a hang-up and a new offer.
    const back = !!p && live.has(p.state) && n.state === 'ringing';
    const isNew = !!nc && (pc?.callId !== nc.callId || back);
    // Wrap-up keeps the finished call on the split (without its room): it has left all the same.
    const left = !!p && !!pc && live.has(p.state) && (isNew || !nc || n.state === 'wrapup');
    if (p && pc && left) {
      // A dialing call cannot be transferred; a talking one the seat asked to transfer was.
      const target = transferTarget(pc.callId);
      const wasTransferred = p.state !== 'dialing' && (!!target || !!prev.pending[`transfer:${n.index}`] || !!next.pending[`transfer:${n.index}`]);
      if (p.state === 'consulting' && pc.consult) out.push({ name: 'seat-consult', detail: { ...detail(p, pc), to: pc.consult.seat, state: 'ended' } });
      if (wasTransferred) {
        const warm = p.state === 'consulting';
        const to = target ?? (warm && pc.consult ? { seat: pc.consult.seat } : undefined);
        out.push({ name: 'seat-transfer', detail: { ...detail(p, pc), mode: warm ? 'warm' : 'blind', ...(to ? { to } : {}) } });
      }
      out.push({ name: 'seat-hangup', detail: { ...detail(p, pc), reason: wasTransferred ? 'transferred' : 'ended' } });
    }
    if (!nc || n.state === 'wrapup') continue;
    const was = isNew ? null : p!.state;
    if (n.state === 'ringing' && was !== 'ringing') out.push({ name: 'seat-offer', detail: detail(n, nc) });
    if (n.state === 'connected' && was !== 'connected' && was !== 'consulting') out.push({ name: 'seat-answer', detail: detail(n, nc) });
    if (n.state === 'consulting' && nc.consult) {
      if (was !== 'consulting') out.push({ name: 'seat-consult', detail: { ...detail(n, nc), to: nc.consult.seat, state: 'started' } });
      if (nc.consult.state === 'connected' && (isNew || pc?.consult?.state !== 'connected')) {
        out.push({ name: 'seat-consult', detail: { ...detail(n, nc), to: nc.consult.seat, state: 'answered' } });
      }
    }
    if (was === 'consulting' && n.state !== 'consulting' && pc?.consult) {
      out.push({ name: 'seat-consult', detail: { ...detail(n, nc), to: pc.consult.seat, state: 'ended' } });
    }
    if (n.state === 'connected' && nc.attention && (isNew || pc?.attention?.since !== nc.attention.since)) {
      out.push({ name: 'seat-attention', detail: { ...detail(n, nc), since: nc.attention.since, order: next.attention } });
    }
  }
  if ((same?.focus ?? null) !== b.focus) {
    const split = b.focus === null ? null : b.splits[b.focus];
    const call = split?.call ?? null;
    out.push({
      name: 'seat-focus',
      detail: { split: b.focus, call, virtualSeat: call && split ? (call.virtualSeat ?? split.channel) : null },
    });
  }
  return out;
}
