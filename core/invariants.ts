/**
 * The invariants of DESIGN.md, checked against an engine's state. Property tests run this after
 * every event; it is also a debugging aid for integrators who run the engine themselves.
 */
import type { Engine } from './engine.js';

/** Returns every broken invariant, described; empty when all hold. */
export function checkInvariants(engine: Engine, now: number): string[] {
  const broken: string[] = [];
  const placed = new Map<string, string>();
  const place = (callId: string, where: string) => {
    const before = placed.get(callId);
    if (before) broken.push(`call ${callId} is in two places: ${before} and ${where}`);
    placed.set(callId, where);
  };
  for (const call of engine.queuedCalls()) {
    place(call.callId, 'queue');
    if (call.place !== 'queued') broken.push(`call ${call.callId} waits in the queue but says ${call.place}`);
  }
  for (const seat of engine.allSeats()) {
    let ringing = 0;
    for (const split of seat.splits) {
      if (split.state === 'ringing') ringing++;
      const busy = split.state !== 'idle' && split.state !== 'wrapup';
      if (busy !== (split.callId !== null)) broken.push(`${seat.seatId}:${split.index} is ${split.state} with call ${split.callId}`);
      if (!split.callId) continue;
      place(split.callId, `${seat.seatId}:${split.index}`);
      const call = engine.call(split.callId);
      if (!call) broken.push(`${seat.seatId}:${split.index} holds ended call ${split.callId}`);
      else if (call.seatId !== seat.seatId || call.split !== split.index || call.place !== 'split')
        broken.push(`call ${call.callId} does not know it is on ${seat.seatId}:${split.index}`);
    }
    if (ringing > 1) broken.push(`R2: seat ${seat.seatId} has ${ringing} ringing splits`);
    if (seat.focus !== null && seat.splits[seat.focus]?.state !== 'connected')
      broken.push(`R10: seat ${seat.seatId} focuses split ${seat.focus}, which is ${seat.splits[seat.focus]?.state}`);
  }
  for (const call of engine.liveCalls()) {
    if (!placed.has(call.callId)) broken.push(`call ${call.callId} is live but nowhere`);
    if (call.place === 'ended') broken.push(`call ${call.callId} ended but is still live`);
  }
  // No offer while a higher-ordered call that the seat could take is waiting: whatever waits,
  // no seat that could take it is eligible (dispatch ran to the end).
  for (const call of engine.queuedCalls()) {
    for (const seat of engine.allSeats()) {
      // R3, R8, R13/R14 aims, R19/R20 skills, R21 callbacks: the engine's own test.
      if (!engine.canTake(call, seat.seatId, now)) continue;
      broken.push(`R4: call ${call.callId} waits while seat ${seat.seatId} could take it`);
    }
  }
  return broken;
}
