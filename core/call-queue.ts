/**
 * R4: waiting calls in offer order — higher queue priority, then higher call priority first, then earlier first arrival, then
 * arrival sequence. A sorted array: inserts and removals find their place by binary search, and
 * a call that comes back keeps its first arrival, so it lands at the head again.
 */
import type { Call } from './model.js';

type Queued = Pick<Call, 'callId' | 'priority' | 'arrivedAt' | 'seq' | 'queuePriority'>;

/** Negative when `a` is offered before `b`: the queue's priority (R19), then the call's. */
export function compareQueued(a: Queued, b: Queued): number {
  return (b.queuePriority ?? 0) - (a.queuePriority ?? 0) || b.priority - a.priority || a.arrivedAt - b.arrivedAt || a.seq - b.seq;
}

export class CallQueue<T extends Queued = Call> {
  private items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  /** Offer order, head first. Do not mutate while iterating. */
  [Symbol.iterator](): Iterator<T> {
    return this.items[Symbol.iterator]();
  }

  /** The call at this 0-based place. */
  at(i: number): T {
    const call = this.items[i];
    if (!call) throw new RangeError(`no call at queue place ${i}`);
    return call;
  }

  insert(call: T): void {
    this.items.splice(this.lowerBound(call), 0, call);
  }

  remove(call: T): boolean {
    const i = this.indexOf(call);
    if (i < 0) return false;
    this.items.splice(i, 1);
    return true;
  }

  has(call: T): boolean {
    return this.indexOf(call) >= 0;
  }

  /** 1-based place of the call, or null when it does not wait. */
  position(call: T): number | null {
    const i = this.indexOf(call);
    return i < 0 ? null : i + 1;
  }

  private indexOf(call: T): number {
    const i = this.lowerBound(call);
    return this.items[i]?.callId === call.callId ? i : -1;
  }

  private lowerBound(call: T): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareQueued(this.items[mid]!, call) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
