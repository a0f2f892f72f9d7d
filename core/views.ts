/** Derives the wire views of PROTOCOL.md from the engine's state. */
import type { Call, Seat } from './model.js';
import type { CallView, CustomerCallState, CustomerCallView, SeatView } from './protocol.js';

export interface ViewSource {
  call(callId: string): Call | undefined;
  position(call: Call): number | null;
}

export function channelOf(seatId: string, index: number): string {
  return `${seatId}:${index}`;
}

export function seatView(seat: Seat, src: ViewSource): SeatView {
  return {
    seatId: seat.seatId,
    version: seat.version,
    ready: seat.ready,
    notReadyReason: seat.notReadyReason,
    focus: seat.focus,
    skills: { ...(seat.skills ?? {}) },
    splits: seat.splits.map((s) => {
      const call = s.callId ? src.call(s.callId) : undefined;
      return {
        index: s.index,
        channel: channelOf(seat.seatId, s.index),
        state: s.state,
        call: call ? callView(call, s.since, src) : s.state === 'wrapup' ? (s.wrapup ?? null) : null,
      };
    }),
  };
}

export function callView(call: Call, since: number, src: ViewSource): CallView {
  const view: CallView = {
    callId: call.callId,
    kind: call.kind,
    queue: call.queue,
    customer: { ...call.customer },
    virtualSeat: call.virtualSeat,
    since,
    media: call.media,
    attention: call.attention,
  };
  if (call.consult) {
    const leg = src.call(call.consult.callId);
    view.consult = leg
      ? {
          seat: leg.targetSeat ?? leg.seatId ?? '',
          state: leg.answeredAt !== null ? 'connected' : 'ringing',
          media: leg.media,
        }
      : null;
  }
  if (call.kind === 'consult') view.from = call.from;
  if (call.returning) view.returning = { ...call.returning };
  if (call.callback === 'dialled') view.callback = true;
  return view;
}

export function customerState(call: Call, seat: Seat | undefined): CustomerCallState {
  if (call.place === 'ended') return 'ended';
  if (call.place === 'queued' || !seat || call.split === null) return 'queued';
  const state = seat.splits[call.split]!.state;
  if (state === 'connected') return 'connected';
  if (state === 'consulting') return 'held';
  return 'ringing';
}

export function customerCallView(call: Call, seat: Seat | undefined, src: ViewSource): CustomerCallView {
  const state = customerState(call, seat);
  const connected = state === 'connected' || state === 'held';
  return {
    callId: call.callId,
    state,
    position: state === 'queued' ? src.position(call) : null,
    agent: connected && call.seatId ? { seat: call.seatId, virtualSeat: call.virtualSeat } : null,
    media: call.media,
    endReason: call.endReason,
    focused: state === 'connected' && seat?.focus === call.split,
    attention: call.attention,
    kind: call.kind === 'outbound' || call.callback === 'dialled' ? 'outbound' : 'inbound',
    callback: call.callback ?? null,
    handover: call.returning && call.seatId ? { from: call.returning.from, to: call.seatId } : null,
  };
}
