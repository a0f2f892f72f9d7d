import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CallerStore } from '../../core/caller-store.js';
import { ProtocolError } from '../../core/control-client.js';
import { SeatStore } from '../../core/seat-store.js';
import { Simulator, type Scheduler } from '../../core/simulator.js';

/** Virtual time for the simulator: timers fire only when the test moves the clock. */
class ManualScheduler implements Scheduler {
  t = 1_700_000_000_000;
  private seq = 0;
  private readonly due = new Map<number, { at: number; fn: () => void }>();
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.seq;
    this.due.set(id, { at: this.t + ms, fn });
    return id;
  };
  clearTimeout = (h: unknown) => void this.due.delete(h as number);
  advance(ms: number) {
    const end = this.t + ms;
    for (;;) {
      const next = [...this.due.entries()].filter(([, d]) => d.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!next) break;
      this.due.delete(next[0]);
      this.t = Math.max(this.t, next[1].at);
      next[1].fn();
    }
    this.t = end;
  }
}

function setup() {
  const clock = new ManualScheduler();
  const sim = new Simulator({ scheduler: clock, config: { ringTimeoutMs: 10_000 } });
  const seat = new SeatStore(sim.agent('seat-1', 2));
  return { clock, sim, seat };
}

describe('SeatStore over the simulator', () => {
  test('R2/R9: a store sees the offer, answers, and the second call rings only then', async () => {
    const { clock, sim, seat } = setup();
    await seat.ready();
    const a = new CallerStore(sim.caller('a'));
    const b = new CallerStore(sim.caller('b'));
    await a.call('claims', 'Ann');
    await b.call('claims', 'Bo');
    clock.advance(0); // rooms arrive
    assert.deepEqual(seat.getState().seat!.splits.map((s) => s.state), ['ringing', 'idle']);
    assert.equal(seat.getState().waiting, 1);
    assert.equal(b.getState().call!.position, 1);
    assert.ok(seat.getState().seat!.splits[0]!.call!.media, 'the ringing call carries media for a preview');
    await seat.answer(0);
    assert.deepEqual(seat.getState().seat!.splits.map((s) => s.state), ['connected', 'ringing']);
    assert.equal(a.getState().call!.state, 'connected');
    assert.equal(a.getState().call!.focused, true);
  });

  test('R9: a double answer is refused locally and by the engine; the call connects once', async () => {
    const { sim, seat } = setup();
    await seat.ready();
    await new CallerStore(sim.caller('a')).call('claims');
    const first = seat.answer(0);
    // Refused here, before the control center: a typed code, not a text to match.
    await assert.rejects(seat.answer(0), (e: ProtocolError) => e.code === 'locally-refused');
    await first;
    await assert.rejects(seat.answer(0), (e: ProtocolError) => e.code === 'invalid-state');
    assert.equal(seat.getState().lastError!.command, 'answer');
    assert.equal(sim.engine.seat('seat-1')!.splits[0]!.state, 'connected');
  });

  test('R11: hangup() asks the before-hangup hooks first; a veto keeps the call and rejects with locally-refused', async () => {
    const { clock, sim, seat } = setup();
    await seat.ready();
    await new CallerStore(sim.caller('a')).call('claims', 'Ann');
    clock.advance(0);
    await seat.answer(0);
    const asked: [number, string, string][] = [];
    const off = seat.onBeforeHangup((r) => {
      asked.push([r.split, r.call.customer.name ?? '', r.virtualSeat]);
      return false;
    });
    await assert.rejects(seat.hangup(0), (e: ProtocolError) => e.code === 'locally-refused');
    assert.deepEqual(asked, [[0, 'Ann', 'seat-1:0']]);
    assert.equal(sim.engine.seat('seat-1')!.splits[0]!.state, 'connected', 'vetoed: the call goes on');
    assert.equal(seat.getState().lastError, null, 'a veto is no error');
    off();
    await seat.hangup(0);
    assert.notEqual(sim.engine.seat('seat-1')!.splits[0]!.state, 'connected');
    assert.equal(asked.length, 1, 'a removed hook is not asked');
  });

  test('R18: open requests are ordered longest-first', async () => {
    const { clock, sim, seat } = setup();
    await seat.ready();
    const ids = ['a', 'b', 'c'];
    const sim3 = new SeatStore(sim.agent('seat-3', 3));
    await sim3.ready();
    await seat.notReady();
    const callers = ids.map((id) => new CallerStore(sim.caller(id)));
    for (const [i, c] of callers.entries()) {
      await c.call('claims');
      await sim3.answer(i);
    }
    // Focus is on split 2 (answered last): that customer cannot ask, the others can.
    await assert.rejects(callers[2]!.attention(true), (e: ProtocolError) => e.code === 'invalid-state');
    clock.advance(1000);
    await callers[1]!.attention(true);
    clock.advance(1000);
    await callers[0]!.attention(true);
    assert.deepEqual(sim3.getState().attention, [1, 0]);
  });

  test('snapshots older than the one held are dropped', async () => {
    const { seat } = setup();
    await seat.ready();
    const v = seat.getState().seat!.version;
    const client = seat.client as unknown as { deliver(m: unknown): void };
    client.deliver({ type: 'seat', seat: { ...seat.getState().seat!, version: v - 1, ready: false } });
    assert.equal(seat.getState().seat!.ready, true);
    assert.equal(seat.getState().seat!.version, v);
  });

  test('after a reconnect the first snapshot is taken even with a lower version (server restarted)', async () => {
    const { seat } = setup();
    await seat.ready();
    const client = seat.client as unknown as { deliver(m: unknown): void; setOnline(up: boolean): void };
    client.setOnline(false);
    client.setOnline(true);
    client.deliver({ type: 'seat', seat: { ...seat.getState().seat!, version: 1, ready: false } });
    assert.equal(seat.getState().seat!.ready, false);
    assert.equal(seat.getState().seat!.version, 1);
    client.deliver({ type: 'seat', seat: { ...seat.getState().seat!, version: 1, ready: true } });
    assert.equal(seat.getState().seat!.ready, false, 'after that, stale versions are dropped again');
  });

  test('no-call after a new hello: a call still shown live is shown ended (it ended while the page was away)', async () => {
    const { clock, sim, seat } = setup();
    await seat.ready();
    const caller = new CallerStore(sim.caller('a'));
    await caller.call('claims', 'Ann');
    clock.advance(0);
    await seat.answer(0);
    assert.equal(caller.getState().call!.state, 'connected');
    const client = caller.client as unknown as { deliver(m: unknown): void; setOnline(up: boolean): void };
    const { callId } = caller.getState().call!;
    client.setOnline(false);
    assert.equal(caller.getState().call!.state, 'connected', 'a lost connection alone ends nothing');
    client.setOnline(true);
    client.deliver({ type: 'no-call' });
    const call = caller.getState().call!;
    assert.equal(call.callId, callId);
    assert.equal(call.state, 'ended');
    assert.equal(call.endReason, null, 'the reason is not known');
    assert.equal(call.focused, false);
    client.deliver({ type: 'no-call' });
    assert.equal(caller.getState().call, call, 'an ended call stays as it is');
  });

  test('no-call with no call shown changes nothing; a queued call shown is ended too', async () => {
    const { sim } = setup();
    const caller = new CallerStore(sim.caller('b'));
    const client = caller.client as unknown as { deliver(m: unknown): void };
    const before = caller.getState();
    client.deliver({ type: 'no-call' });
    assert.equal(caller.getState(), before);
    await caller.call('claims');
    assert.equal(caller.getState().call!.state, 'queued');
    client.deliver({ type: 'no-call' });
    assert.equal(caller.getState().call!.state, 'ended');
    assert.equal(caller.getState().call!.position, null);
  });

  test('R15: a dropped connection shows offline and the seat is restored on return', async () => {
    const { sim, seat } = setup();
    await seat.ready();
    const client = seat.client as unknown as { setOnline(up: boolean): void };
    client.setOnline(false);
    assert.equal(seat.getState().connection.state, 'offline');
    await assert.rejects(seat.notReady(), (e: ProtocolError) => e.code === 'not-signed-in');
    const again = new SeatStore(sim.agent('seat-1', 2));
    assert.equal(again.getState().seat?.ready ?? sim.engine.seat('seat-1')!.ready, true);
  });
});
