// The session lifecycle of <multi-seat> and <seat-caller>: who makes and disposes the store and
// the media adapter. One suite, run against both elements (they share one session controller),
// so the two cannot drift apart again.
import { expect, fixture, html } from '@open-wc/testing';
import '../../components/multi-seat/multi-seat.js';
import '../../components/seat-caller/seat-caller.js';
import type { MultiSeat } from '../../components/multi-seat/multi-seat.component.js';
import type { SeatCaller } from '../../components/seat-caller/seat-caller.component.js';
import { FakeMediaAdapter } from '../../components/media/fake-adapter.js';
import { janusFactory } from '../../components/media/janus-factory.js';
import type { MediaAdapter } from '../../core/media-adapter.js';
import { CallerStore } from '../../core/caller-store.js';
import { SeatStore } from '../../core/seat-store.js';
import type { Simulator } from '../../core/simulator.js';
import { newSim, settle, until } from './harness.js';

type Session = MultiSeat | SeatCaller;
type AnyStore = SeatStore | CallerStore;

/** A fake adapter that counts its disposals. */
class CountedAdapter extends FakeMediaAdapter {
  disposed = 0;
  constructor() {
    super({ audio: false });
  }
  override async dispose(): Promise<void> {
    this.disposed++;
    await super.dispose();
  }
}

/** A store that counts its disposals. */
function counted<S extends AnyStore>(store: S): S & { disposed: number } {
  const s = store as S & { disposed: number };
  s.disposed = 0;
  const dispose = store.dispose.bind(store);
  s.dispose = () => {
    s.disposed++;
    dispose();
  };
  return s;
}

interface Kind {
  tag: 'multi-seat' | 'seat-caller';
  /** The element on `sim`, its media made by `factory` (the stand-in for the lazily loaded Janus adapter). */
  make(sim: Simulator, factory?: () => Promise<MediaAdapter<MediaStream>>): Promise<Session>;
  /** A store of this element's kind, from outside. */
  store(sim: Simulator): AnyStore;
}

const kinds: Kind[] = [
  {
    tag: 'multi-seat',
    make: (sim, factory) =>
      fixture<MultiSeat>(html`<multi-seat .simulator=${sim} .mediaAdapterFactory=${factory ?? janusFactory} token="seat-1" ring="off" preview="off"></multi-seat>`),
    store: (sim) => new SeatStore(sim.agent('seat-7', 2)),
  },
  {
    tag: 'seat-caller',
    make: (sim, factory) => fixture<SeatCaller>(html`<seat-caller .simulator=${sim} .mediaAdapterFactory=${factory ?? janusFactory} token="cust-a" queue="claims"></seat-caller>`),
    store: (sim) => new CallerStore(sim.caller('cust-7')),
  },
];

/** The adapter an element made itself, read once it exists. */
async function ownAdapter(el: Session): Promise<FakeMediaAdapter> {
  await settle(el);
  await until(() => el.mediaAdapter, 'the element never made its media adapter');
  return el.mediaAdapter as FakeMediaAdapter;
}

/** Spies on an adapter's dispose. */
function spy(adapter: FakeMediaAdapter): { count: number } {
  const seen = { count: 0 };
  const dispose = adapter.dispose.bind(adapter);
  adapter.dispose = () => {
    seen.count++;
    return dispose();
  };
  return seen;
}

for (const kind of kinds) {
  describe(`<${kind.tag}> session lifecycle`, () => {
    it('an adapter it made itself is disposed when an outside adapter is set, and the outside one is used', async () => {
      const el = await kind.make(newSim());
      const own = await ownAdapter(el);
      const disposed = spy(own);
      const outside = new CountedAdapter();
      el.mediaAdapter = outside;
      await settle(el);
      expect(el.mediaAdapter).to.equal(outside);
      expect(disposed.count, 'the adapter it made leaked').to.equal(1);
      el.remove();
      await settle(el);
      expect(outside.disposed, 'an outside adapter is the page’s to dispose').to.equal(0);
    });

    it('with a server: the adapter its factory made (the Janus one) is disposed when an outside one is set', async () => {
      const made: CountedAdapter[] = [];
      const factory = async () => {
        const a = new CountedAdapter();
        made.push(a);
        return a;
      };
      const el = await kind.make(newSim(), factory);
      el.server = 'ws://127.0.0.1:9';
      el.token = 't';
      await settle(el);
      await until(() => made.length === 1 && el.mediaAdapter === made[0], 'the factory was not used');
      const outside = new CountedAdapter();
      el.mediaAdapter = outside;
      await settle(el);
      expect(made[0]!.disposed, 'the Janus adapter it made leaked').to.equal(1);
      expect(made.length, 'no second adapter is made while an outside one is set').to.equal(1);
      el.remove();
      await settle(el);
      expect(outside.disposed).to.equal(0);
    });

    it('an outside adapter set while its own is still loading: the late one is disposed, never used', async () => {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const late = new CountedAdapter();
      const el = await kind.make(newSim(), async () => {
        await gate;
        return late;
      });
      el.server = 'ws://127.0.0.1:9';
      el.token = 't';
      await settle(el);
      const outside = new CountedAdapter();
      el.mediaAdapter = outside;
      release();
      await until(() => late.disposed === 1, 'the late adapter was not disposed');
      expect(el.mediaAdapter).to.equal(outside);
      el.remove();
    });

    it('clearing the outside adapter makes its own again, keeping the store', async () => {
      const el = await kind.make(newSim());
      await ownAdapter(el);
      const store = el.store;
      el.mediaAdapter = new CountedAdapter();
      await settle(el);
      el.mediaAdapter = null;
      await settle(el);
      await until(() => el.mediaAdapter instanceof FakeMediaAdapter && !(el.mediaAdapter instanceof CountedAdapter), 'no adapter of its own again');
      expect(el.store, 'the session goes on').to.equal(store);
      el.remove();
    });

    it('mediaAdapter = null while it uses its own: the same adapter goes on, nothing is disposed', async () => {
      const el = await kind.make(newSim());
      const own = await ownAdapter(el);
      const disposed = spy(own);
      el.mediaAdapter = null;
      await settle(el);
      expect(el.mediaAdapter).to.equal(own);
      expect(disposed.count).to.equal(0);
      el.remove();
    });

    it('removed from the page: its own store and adapter are disposed; moved within the page: nothing is', async () => {
      const el = await kind.make(newSim());
      const own = await ownAdapter(el);
      const disposed = spy(own);
      const store = counted(el.store as AnyStore);
      // Moving the element disconnects and reconnects it at once: the session stays.
      const other = document.createElement('div');
      document.body.append(other);
      other.append(el);
      await settle(el);
      expect(el.store).to.equal(store);
      expect(el.mediaAdapter).to.equal(own);
      expect([store.disposed, disposed.count]).to.deep.equal([0, 0]);
      other.remove();
      await settle(el);
      expect([store.disposed, disposed.count], 'store and adapter disposed').to.deep.equal([1, 1]);
      // Back on the page: a new session.
      document.body.append(el);
      await settle(el);
      await until(() => el.store && el.store !== store && el.mediaAdapter && el.mediaAdapter !== own, 'no new session');
      el.remove();
    });

    it('an outside store: never disposed by the element; its own adapter is, and comes back when the element does', async () => {
      const sim = newSim();
      const el = await kind.make(sim);
      const first = counted(el.store as AnyStore);
      const outside = counted(kind.store(sim));
      (el as { store: AnyStore | undefined }).store = outside;
      await settle(el);
      expect(el.store).to.equal(outside);
      expect(first.disposed, 'the store it made is disposed once replaced').to.equal(1);
      const own = await ownAdapter(el);
      const disposed = spy(own);
      el.remove();
      await settle(el);
      expect(outside.disposed, 'the page’s store').to.equal(0);
      expect(disposed.count).to.equal(1);
      document.body.append(el);
      await settle(el);
      await until(() => el.mediaAdapter && el.mediaAdapter !== own, 'no media adapter after coming back');
      expect(el.store).to.equal(outside);
      el.remove();
      await settle(el);
      outside.dispose();
    });

    it('store = undefined while it uses its own: the same session goes on (no new sign-in)', async () => {
      const el = await kind.make(newSim());
      await ownAdapter(el);
      const store = counted(el.store as AnyStore);
      (el as { store: AnyStore | undefined }).store = undefined;
      await settle(el);
      expect(el.store).to.equal(store);
      expect(store.disposed).to.equal(0);
      el.remove();
    });

    it('clearing an outside store makes its own again and leaves the outside one alone', async () => {
      const sim = newSim();
      const outside = counted(kind.store(sim));
      const el = await kind.make(sim);
      (el as { store: AnyStore | undefined }).store = outside;
      await settle(el);
      (el as { store: AnyStore | undefined }).store = undefined;
      await settle(el);
      await until(() => el.store && el.store !== outside, 'no store of its own');
      expect(outside.disposed).to.equal(0);
      el.remove();
      outside.dispose();
    });
  });
}
