/**
 * `GET /metrics`: Prometheus text exposition of one node. The renderer is a pure function
 * (checked on its own, label escaping included); over HTTP the figures follow the floor, and
 * `--metrics-token` closes it to anyone without that bearer.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderMetrics, type MetricsInput } from '../../server/metrics.js';
import { eventually, startHarness, type Harness } from './helpers.js';

/** name{labels} → value, for the samples of the text (comments skipped). */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

const base: MetricsInput = {
  node: '127.0.0.1:8787',
  role: 'leader',
  connections: { agent: 3, caller: 5 },
  signedIn: { agent: 2, caller: 4 },
  floor: {
    seats: { signedIn: 2, ready: 1, online: 2 },
    splits: { idle: 2, ringing: 1, dialing: 0, connected: 1, consulting: 0, wrapup: 0 },
    queues: { claims: { waiting: 2, longestWaitMs: 1500 }, 'we"ird\\q\nx': { waiting: 1, longestWaitMs: 0 } },
    counters: { offered: 7, answered: 5, abandoned: 1, requeued: 2, ended: 4 },
  },
  journal: 'ok',
  janus: [{ server: 'ws://127.0.0.1:8188', up: true, rooms: 3, participants: 6, calls: 2 }],
};

async function withHarness(options: Parameters<typeof startHarness>[0], body: (h: Harness) => Promise<void>): Promise<void> {
  const h = await startHarness(options);
  try {
    await body(h);
  } finally {
    await h.close();
  }
}

async function getMetrics(h: Harness, token?: string): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`${h.url}/metrics`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

describe('/metrics: the renderer', () => {
  test('every family has HELP and TYPE, samples follow the input, labels are escaped', () => {
    const text = renderMetrics(base);
    const s = samples(text);
    assert.equal(s.get('multi_seat_leader'), 1);
    assert.equal(s.get('multi_seat_node_info{node="127.0.0.1:8787",role="leader"}'), 1);
    assert.equal(s.get('multi_seat_connections{role="agent"}'), 3);
    assert.equal(s.get('multi_seat_connections{role="caller"}'), 5);
    assert.equal(s.get('multi_seat_connections_signed_in{role="caller"}'), 4);
    assert.equal(s.get('multi_seat_seats{state="ready"}'), 1);
    assert.equal(s.get('multi_seat_splits{state="ringing"}'), 1);
    assert.equal(s.get('multi_seat_queue_waiting{queue="claims"}'), 2);
    assert.equal(s.get('multi_seat_queue_longest_wait_seconds{queue="claims"}'), 1.5);
    assert.equal(s.get('multi_seat_queue_waiting{queue="we\\"ird\\\\q\\nx"}'), 1, 'quote, backslash and newline escaped');
    assert.equal(s.get('multi_seat_calls_offered_total'), 7);
    assert.equal(s.get('multi_seat_calls_requeued_total'), 2);
    assert.equal(s.get('multi_seat_journal_ok'), 1);
    assert.equal(s.get('multi_seat_lease_changes_total'), 0);
    assert.equal(s.get('multi_seat_journal_lag_events'), 0);
    assert.equal(s.get('multi_seat_janus_up{janus="ws://127.0.0.1:8188"}'), 1);
    assert.equal(s.get('multi_seat_janus_participants{janus="ws://127.0.0.1:8188"}'), 6);
    // Every sample belongs to a family announced just before it, with a known type.
    let family = '';
    for (const line of text.trimEnd().split('\n')) {
      const m = /^# TYPE (\S+) (gauge|counter)$/.exec(line);
      if (m) family = m[1]!;
      else if (!line.startsWith('# HELP ')) assert.ok(line.startsWith(family), `${line} under ${family}`);
    }
    assert.ok(text.endsWith('\n'));
  });

  test('a follower says leader 0; cluster figures fill the placeholders; no floor → no floor families', () => {
    const s = samples(renderMetrics({ ...base, role: 'follower', floor: null, journal: 'full', cluster: { leaseChanges: 3, journalLagEvents: 12 } }));
    assert.equal(s.get('multi_seat_leader'), 0);
    assert.equal(s.get('multi_seat_lease_changes_total'), 3);
    assert.equal(s.get('multi_seat_journal_lag_events'), 12);
    assert.equal(s.get('multi_seat_journal_ok'), 0);
    assert.equal(s.get('multi_seat_journal_status{status="full"}'), 1);
    assert.equal(s.get('multi_seat_seats{state="ready"}'), undefined);
  });
});

describe('/metrics over HTTP', () => {
  test('open by default, text/plain 0.0.4; figures follow the floor (connections, seats, queue, wait, offers)', async () => {
    await withHarness({}, async (h) => {
      const empty = await getMetrics(h);
      assert.equal(empty.status, 200);
      assert.equal(empty.type, 'text/plain; version=0.0.4; charset=utf-8');
      assert.equal(samples(empty.text).get('multi_seat_connections{role="agent"}'), 0);
      assert.equal(samples(empty.text).get('multi_seat_leader'), 1);

      const c1 = await h.caller('m-c1');
      await c1.ok({ type: 'call', queue: 'claims' });
      const c2 = await h.caller('m-c2');
      await c2.ok({ type: 'call', queue: 'claims' });
      const agent = await h.agent('m-seat', 2);
      let s = samples((await getMetrics(h)).text);
      assert.equal(s.get('multi_seat_connections{role="agent"}'), 1);
      assert.equal(s.get('multi_seat_connections{role="caller"}'), 2);
      assert.equal(s.get('multi_seat_connections_signed_in{role="agent"}'), 1);
      assert.equal(s.get('multi_seat_seats{state="signed_in"}'), 1);
      assert.equal(s.get('multi_seat_seats{state="ready"}'), 0);
      assert.equal(s.get('multi_seat_splits{state="idle"}'), 2);
      assert.equal(s.get('multi_seat_queue_waiting{queue="claims"}'), 2);
      assert.ok(s.get('multi_seat_queue_longest_wait_seconds{queue="claims"}')! >= 0);
      assert.equal(s.get('multi_seat_calls_offered_total'), 0);

      await agent.ok({ type: 'ready' });
      await agent.next('seat', (seat) => seat.splits.some((x) => x.state === 'ringing'));
      s = samples((await getMetrics(h)).text);
      assert.equal(s.get('multi_seat_seats{state="ready"}'), 1);
      assert.equal(s.get('multi_seat_splits{state="ringing"}'), 1);
      assert.equal(s.get('multi_seat_queue_waiting{queue="claims"}'), 1);
      assert.equal(s.get('multi_seat_calls_offered_total'), 1);

      agent.close();
      await agent.closed;
      await eventually(async () => {
        const after = samples((await getMetrics(h)).text);
        assert.equal(after.get('multi_seat_connections{role="agent"}'), 0);
      }, 'the closed agent connection is no longer counted');
    });
  });

  test('--metrics-token: 401 without it or with another bearer, 200 with it; POST is 405', async () => {
    const token = 'metrics-token-of-at-least-16';
    await withHarness({ access: { metricsToken: token } }, async (h) => {
      assert.equal((await getMetrics(h)).status, 401);
      assert.equal((await getMetrics(h, 'not-the-metrics-token')).status, 401);
      const ok = await getMetrics(h, token);
      assert.equal(ok.status, 200);
      assert.match(ok.text, /^# HELP multi_seat_/);
      assert.equal((await fetch(`${h.url}/metrics`, { method: 'POST' })).status, 405);
      // /healthz stays open to all.
      assert.equal((await fetch(`${h.url}/healthz`)).status, 200);
    });
  });
});
