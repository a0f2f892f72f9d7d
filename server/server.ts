/**
 * Wires the control center together: HTTP, both WebSocket endpoints, Janus, records. Tests and
 * the CLI both start it through `startServer`; `close()` is the graceful shutdown.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { Engine } from '../core/engine.js';
import { CloseCode, MAX_FRAME_BYTES, type MediaInfo } from '../core/protocol.js';
import { AgentConnection } from './agent-endpoint.js';
import { Auth } from './auth.js';
import { CallerConnection } from './caller-endpoint.js';
import { systemClock, type Clock } from './clock.js';
import { resolveConfig, type ServerConfig, type ServerOptions } from './config.js';
import { ClusterNode } from './cluster/cluster-node.js';
import { ControlCenter } from './control-center.js';
import type { Floor } from './floor.js';
import type { EndpointDeps } from './connection.js';
import { metaValue, openDatabase } from './database.js';
import { httpHandler, type HttpDeps } from './http.js';
import { nodeMetrics } from './metrics.js';
import type { JanusAdmin } from './janus-admin.js';
import { createJanusPool, type JanusPool } from './janus-pool.js';
import { Guard } from './limits.js';
import { acceptProxyProtocol, clientAddress, TrustedProxies } from './client-address.js';
import { admitConnection, FORBIDDEN_ORIGIN, originAllowed } from './origin.js';
import { Records } from './records.js';
import { recover, SnapshottingJournal, type Recovered } from './recovery.js';
import { MediaKeys, mediaPresenter } from './media-tokens.js';
import { IceServers } from './ice-servers.js';
import { Rooms } from './rooms.js';
import { SqliteJournal } from './sqlite-journal.js';

export interface StartOptions extends ServerOptions {
  clock?: Clock;
  log?: (message: string) => void;
  /** How long to wait for Janus at start before going on without it (it is retried). */
  janusStartWaitMs?: number;
  /** Test hook: cap the database file at this many pages, as a full disk would. */
  dbMaxPages?: number;
}

export interface CloseOptions {
  /** End every live call with `server-shutdown` (default: the `endCallsOnStop` setting). */
  endCalls?: boolean;
}

export interface RunningServer {
  /** `http://host:port` */
  url: string;
  port: number;
  config: ServerConfig;
  /** The single node's control center (in cluster mode, see `cluster`; this is then unset). */
  cc: ControlCenter;
  /** What the endpoints speak to: `cc`, or this node of a cluster. */
  floor: Floor;
  /** This node of the cluster (`--redis`), or null. */
  cluster: ClusterNode | null;
  rooms: Rooms;
  /** The first Janus of the pool (the only one without a pool). */
  janus: JanusAdmin | null;
  /** Every Janus (server/janus-pool.ts); null without media. */
  pool: JanusPool | null;
  /** What the start found in the journal. */
  recovered: Recovered | null;
  /**
   * A planned stop. By default live calls are kept (journal flushed and snapshotted, rooms left
   * in Janus, connections closed with 1012 so clients come back to them); with `endCalls` every
   * call ends with `server-shutdown` and its room is destroyed.
   */
  close(options?: CloseOptions): Promise<void>;
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const config = resolveConfig(options);
  const clock = options.clock ?? systemClock;
  const log = options.log ?? ((m: string) => console.error(`[multi-seat] ${m}`));
  const clustered = config.redis !== null || config.redisSentinels !== null;
  // A cluster keeps its journal and records in Redis; a single node in its SQLite file.
  const db = clustered ? null : openDatabase(config.db, options.dbMaxPages ? { maxPages: options.dbMaxPages } : {});
  const records = db ? new Records(db) : null;
  // Demo tokens must outlive a restart of the demo server, or no one could come back to a call.
  if (!config.secret && db) config.secret = metaValue(db, 'demo-secret', () => randomBytes(32).toString('base64url'));
  if (!config.secret) throw new Error('a cluster needs --secret: every node must check the same tokens');
  const journal = db && records && config.journal ? new SnapshottingJournal(new SqliteJournal(db, records), { everyEvents: config.snapshotEvery }, log) : null;
  const engineOptions = { config: config.engine };
  const recovered = journal ? recover(journal.journal, engineOptions, log) : null;
  const engine = recovered?.engine ?? new Engine(engineOptions);
  if (journal) journal.engine = engine;
  if (recovered?.resumed) log(`resumed from the journal in ${recovered.ms} ms (snapshot at ${recovered.fromSnapshot ?? 'none'}, ${recovered.replayed} events replayed)`);
  // Janus lockdown (server/media-tokens.ts): join tokens and room secrets derived from the secret.
  const mediaKeys = new MediaKeys(config.secret);
  // The Janus servers (server/janus-pool.ts): one, or a pool; null without media.
  const pool = createJanusPool(config, mediaKeys, log);
  const janus = pool?.members[0]?.admin ?? null;
  // The engine needs the room announcer and the rooms need the engine: bind late.
  let floor: Floor | null = null;
  const rooms = new Rooms(pool, config.janusPublicUrl ?? '', (key, media) => floor?.apply({ type: 'room-ready', key, media, now: clock.now() }), log, mediaKeys);
  // Random, so ids are never reused across restarts or nodes and cannot be guessed.
  const newCallId = () => `c-${randomBytes(12).toString('base64url')}`;
  const cluster = clustered
    ? await ClusterNode.join({
        redis: config.redisSentinels ? { sentinels: config.redisSentinels, name: config.redisMasterName } : config.redis!,
        node: config.node ?? `${config.host}:${config.port || randomBytes(4).toString('hex')}`,
        engine: engineOptions,
        clock,
        rooms,
        present: mediaPresenter(mediaKeys),
        newCallId,
        queueThrottleMs: config.queueThrottleMs,
        leaseMs: config.leaseMs,
        heartbeatMs: config.heartbeatMs,
        snapshotEvery: config.snapshotEvery,
        waitReplicas: config.redisWaitReplicas,
        log,
      })
    : null;
  const cc = cluster
    ? (null as unknown as ControlCenter)
    : new ControlCenter({ engine, clock, records: records!, rooms, journal, queueThrottleMs: config.queueThrottleMs, present: mediaPresenter(mediaKeys), newCallId, log });
  floor = cluster ?? cc;
  if (recovered?.resumed) {
    // Everyone counts as lost from now (R15, R16); timers run with the time they had left.
    cc.apply({ type: 'restart', now: clock.now() });
    cc.host.rearm();
  }
  const auth = new Auth(config.secret, { secrets: config.access.secrets, maxTokenAgeMs: config.limits.maxTokenAgeMs, recordsToken: config.access.recordsToken });

  pool?.start();
  if (pool && !(await pool.waitUp(options.janusStartWaitMs ?? 2000)))
    for (const m of pool.members) if (!m.up) log(`Janus at ${m.admin.url} is not answering; ${pool.size > 1 ? 'rooms go to the others' : 'calls wait for rooms'} until it does`);
  if (recovered?.resumed) rooms.restore(liveRooms(engine));

  // Per-address and per-identity limits shared by every connection (limits.ts).
  const guard = new Guard(config.limits);
  // STUN/TURN servers for the clients, TURN credentials minted per party (ice-servers.ts).
  const ice = new IceServers(config.iceServers, { secret: config.turnSecret, ttlS: config.turnTtlS });
  const deps: EndpointDeps = { cc: floor, auth, rateLimit: config.rateLimit, log, guard, ice };
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  // The node id is host:port, known once listening.
  const httpDeps: HttpDeps = { cc: floor, auth, rooms, demo: config.demo, staticRoot: config.staticRoot, log, node: '', guard, metricsToken: config.access.metricsToken };
  // A cluster member adds the lease and how far it trails the journal.
  if (cluster) httpDeps.metrics = async () => ({ ...nodeMetrics({ node: cluster.node, cc: cluster, rooms, guard }), cluster: await cluster.clusterFigures() });
  const http = createServer(httpHandler(httpDeps));
  // Behind a load balancer (--trusted-proxies): the client's address from its PROXY header or X-Forwarded-For.
  const trustedProxies = new TrustedProxies(config.access.trustedProxies);
  acceptProxyProtocol(http, trustedProxies);
  let closing = false;

  http.on('upgrade', (req, socket: Duplex, head) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const Kind = path === '/v1/agent' ? AgentConnection : path === '/v1/caller' ? CallerConnection : null;
    if (!Kind || closing) {
      socket.end(`HTTP/1.1 ${closing ? '503 Service Unavailable' : '404 Not Found'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    // A browser page from a site not allowed: refused before the upgrade (origin.ts).
    if (!originAllowed(req, { allowedOrigins: config.access.allowedOrigins, demo: config.demo, host: config.host })) {
      socket.end(FORBIDDEN_ORIGIN);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      // A socket refused below may still get a bad frame (invalid UTF-8) before it is gone: an
      // 'error' without a listener would throw and take the whole control center with it.
      ws.on('error', (e) => log(`socket error: ${e.message}`));
      // Over the per-address connection limit: closed at once with 4005.
      if (!admitConnection(guard, req, ws, clientAddress(req, trustedProxies), Kind === AgentConnection ? 'agent' : 'caller')) return;
      new Kind(ws, deps);
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  httpDeps.node = cluster?.node ?? `${host}:${port}`;

  let closed: Promise<void> | null = null;
  const close = (closeOptions: CloseOptions = {}) =>
    (closed ??= (async () => {
      closing = true;
      // A cluster node's calls belong to the floor: its clients reconnect to another node.
      const endCalls = !cluster && (closeOptions.endCalls ?? config.endCallsOnStop);
      if (cluster) {
        await cluster.stop();
        await rooms.drain();
      } else if (endCalls) {
        cc.shutdown();
        await rooms.drain();
      } else {
        // Calls stay: the journal has them, Janus keeps their rooms, clients come back (1012).
        cc.suspend();
        await rooms.drain();
        try {
          journal?.snapshotNow();
        } catch (e) {
          log(`snapshot at stop failed: ${(e as Error).message}`);
        }
      }
      const [code, reason] = endCalls ? [1001, 'server shutting down'] : [CloseCode.serviceRestart, 'service restart'];
      // Let the last snapshots leave before the sockets go.
      await Promise.all(
        [...sockets].map(
          (ws) =>
            new Promise<void>((resolve) => {
              if (ws.readyState === ws.CLOSED) return resolve();
              ws.once('close', () => resolve());
              ws.close(code, reason);
              setTimeout(() => {
                ws.terminate();
                resolve();
              }, 1000).unref();
            }),
        ),
      );
      wss.close();
      const httpClosed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await httpClosed;
      await pool?.stop();
      if (db?.open) db.close();
    })());

  return { url: `http://${host}:${port}`, port, config, cc, floor, cluster, rooms, janus, pool, recovered, close };
}

/** The rooms the replayed calls hold or need, for Janus to be reconciled with. */
function liveRooms(engine: Engine): Array<{ key: string; media: MediaInfo | null; parties: string[] }> {
  return [...engine.liveCalls()].map((call) => ({ key: call.callId, media: call.media, parties: call.parties }));
}
