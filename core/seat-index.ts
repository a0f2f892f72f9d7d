/**
 * The eligible seats (R3), ordered by the strategy's key (R5). A heap with lazy deletion: a
 * seat whose key or eligibility changes gets a new entry and its old one is skipped when met.
 */
import { Heap } from './heap.js';

interface Entry {
  seatId: string;
  key: number[];
}

function less(a: Entry, b: Entry): boolean {
  const n = Math.min(a.key.length, b.key.length);
  for (let i = 0; i < n; i++) {
    if (a.key[i]! < b.key[i]!) return true;
    if (a.key[i]! > b.key[i]!) return false;
  }
  return a.seatId < b.seatId;
}

function sameKey(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export class SeatIndex {
  private heap = new Heap<Entry>(less);
  private live = new Map<string, Entry>();

  get size(): number {
    return this.live.size;
  }

  has(seatId: string): boolean {
    return this.live.has(seatId);
  }

  /** Records the seat as eligible with this key, or as not eligible (null). */
  set(seatId: string, key: number[] | null): void {
    const old = this.live.get(seatId);
    if (key === null) {
      if (old) this.live.delete(seatId);
    } else if (!old || !sameKey(old.key, key)) {
      const entry = { seatId, key };
      this.live.set(seatId, entry);
      this.heap.push(entry);
    }
    if (this.heap.size > 2 * this.live.size + 64) this.heap.filter((e) => this.live.get(e.seatId) === e);
  }

  /** Every eligible seat with its key, in no particular order (R19 scans them for skills). */
  *entries(): IterableIterator<[string, number[]]> {
    for (const [id, e] of this.live) yield [id, e.key];
  }

  /** Whether seat `a` with key `ka` comes before seat `b` with key `kb` in the strategy's order. */
  static before(a: string, ka: number[], b: string, kb: number[]): boolean {
    return less({ seatId: a, key: ka }, { seatId: b, key: kb });
  }

  /** The first eligible seat that `allowed` accepts, or null. Leaves the index unchanged. */
  best(allowed: (seatId: string) => boolean): string | null {
    const passed: Entry[] = [];
    let found: string | null = null;
    for (let e = this.heap.peek(); e; e = this.heap.peek()) {
      if (this.live.get(e.seatId) !== e) {
        this.heap.pop();
        continue;
      }
      if (allowed(e.seatId)) {
        found = e.seatId;
        break;
      }
      passed.push(this.heap.pop()!);
    }
    for (const e of passed) this.heap.push(e);
    return found;
  }
}
