/**
 * Everything the control center can be told, with its defaults. The CLI fills this from flags
 * and environment; tests fill it directly (port 0, `:memory:`, short timeouts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfig, type EngineConfig } from '../core/model.js';
import type { IceServer } from '../core/protocol.js';
import { checkIceServers, DEFAULT_TURN_TTL_S, MIN_TURN_TTL_S, needsMinting } from './ice-servers.js';
import { defaultAccess, defaultLimits, type Access, type Limits } from './limits.js';

export interface ServerConfig {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** HS256 key for every token. Required outside demo mode. */
  secret: string;
  /** Serves `POST /v1/dev-token` and the demo pages. */
  demo: boolean;
  /** The Janus WebSocket API the control center talks to; null runs without media. */
  janusUrl: string | null;
  /** What browsers are told to connect to (defaults to `janusUrl`). */
  janusPublicUrl: string | null;
  janusApiSecret: string | null;
  /** The VideoRoom plugin's `admin_key`, needed to create rooms when Janus sets one. */
  janusAdminKey: string | null;
  /**
   * Janus's admin API (`http://127.0.0.1:7088/admin`) and its `admin_secret`: needed when Janus
   * sets `token_auth` (the control center adds its own token and each party's through it).
   */
  janusAdminUrl: string | null;
  janusAdminSecret: string | null;
  /**
   * The pool of Janus servers (each call's room on the least-loaded one up). Filled from the
   * single `janus*` fields above when not given; empty without media. The first server's
   * settings are also in the single fields.
   */
  janusServers: JanusServerConfig[];
  /** A Janus down this long is lost: its calls' rooms are made again on the others. */
  janusGraceMs: number;
  /**
   * STUN/TURN servers told to clients in every call's `media` (ice-servers.ts); empty: none (the
   * clients' own, by default Janus's host candidates only).
   */
  iceServers: IceServer[];
  /**
   * The secret shared with coturn (`--use-auth-secret --static-auth-secret`): TURN entries of
   * `iceServers` without credentials get short-lived ones minted per party with it.
   */
  turnSecret: string | null;
  /** How long a minted TURN credential is good for (s). */
  turnTtlS: number;
  /** How often each Janus is asked for its rooms and participants (0: never; local counts only). */
  janusLoadEveryMs: number;
  engine: EngineConfig;
  /** SQLite file for call records and the journal, or `:memory:`. */
  db: string;
  /** Keep a journal of every accepted event, so a restart resumes every live call. */
  journal: boolean;
  /** A snapshot of the engine after this many journaled events bounds the replay (0: only at stop). */
  snapshotEvery: number;
  /** A planned stop ends every call with `server-shutdown` (else calls are kept for the restart). */
  endCallsOnStop: boolean;
  /** Cluster mode: the Redis holding the journal, the lease and the messages between nodes. */
  redis: string | null;
  /** Cluster mode through Sentinel: `host:port` of each Sentinel, and the master's name. */
  redisSentinels: Array<{ host: string; port: number }> | null;
  redisMasterName: string;
  /** Hold each journal entry's messages until this many Redis replicas confirm it (WAIT). */
  redisWaitReplicas: number;
  /** This node's id in the cluster (default host:port). */
  node: string | null;
  /** The dispatcher lease expires this long after its last renewal (renewed every third). */
  leaseMs: number;
  /** A node whose heartbeat is older than this is gone, with its connections (R15/R16). */
  heartbeatMs: number;
  /** Per-connection token bucket: `burst` messages at once, refilled at `perSecond`. */
  rateLimit: { perSecond: number; burst: number };
  /** Agents hear the waiting count, and queued customers their place, at most this often. */
  queueThrottleMs: number;
  /** Janus session keepalive and reconnect pacing. */
  janusKeepaliveMs: number;
  janusReconnectMinMs: number;
  janusReconnectMaxMs: number;
  /** Folder holding `demo/` and `dist/`, served in demo mode. */
  staticRoot: string;
  /** Hostile and dead clients: buffers, liveness, per-address and per-identity limits (limits.ts). */
  limits: Limits;
  /** Key rotation, browser origins, the records token (limits.ts). */
  access: Access;
}

export const DEFAULT_JANUS_URL = 'ws://127.0.0.1:8188';

/** One Janus of the pool. */
export interface JanusServerConfig {
  /** The WebSocket API the control center talks to. */
  url: string;
  /** What browsers are told (MediaInfo.server); unique in the pool. */
  publicUrl: string;
  apiSecret: string | null;
  adminKey: string | null;
  adminUrl: string | null;
  adminSecret: string | null;
}

export function defaultServerConfig(): ServerConfig {
  return {
    host: '127.0.0.1',
    port: 8787,
    secret: '',
    demo: false,
    janusUrl: DEFAULT_JANUS_URL,
    janusPublicUrl: null,
    janusApiSecret: null,
    janusAdminKey: null,
    janusAdminUrl: null,
    janusAdminSecret: null,
    janusServers: [],
    janusGraceMs: 3000,
    iceServers: [],
    turnSecret: null,
    turnTtlS: DEFAULT_TURN_TTL_S,
    janusLoadEveryMs: 5000,
    engine: { ...defaultConfig },
    db: './data/calls.db',
    journal: true,
    snapshotEvery: 20_000,
    endCallsOnStop: false,
    redis: null,
    redisSentinels: null,
    redisMasterName: 'mymaster',
    redisWaitReplicas: 0,
    node: null,
    leaseMs: 2000,
    heartbeatMs: 3000,
    rateLimit: { perSecond: 20, burst: 40 },
    queueThrottleMs: 500,
    janusKeepaliveMs: 25_000,
    janusReconnectMinMs: 500,
    janusReconnectMaxMs: 10_000,
    staticRoot: fileURLToPath(new URL('..', import.meta.url)),
    limits: defaultLimits(),
    access: defaultAccess(),
  };
}

export type ServerOptions = Partial<Omit<ServerConfig, 'engine' | 'rateLimit' | 'limits' | 'access' | 'janusServers'>> & {
  /** Several Janus servers; settings left out are taken from the single `janus*` options. */
  janusServers?: Array<Partial<JanusServerConfig> & { url: string }>;
  engine?: Partial<EngineConfig>;
  rateLimit?: Partial<ServerConfig['rateLimit']>;
  limits?: Partial<Limits>;
  access?: Partial<Access>;
};

/** Fills in defaults and checks what must hold before anything starts. */
export function resolveConfig(options: ServerOptions = {}): ServerConfig {
  const base = defaultServerConfig();
  const config: ServerConfig = {
    ...base,
    ...stripUndefined(options),
    engine: { ...base.engine, ...stripUndefined(options.engine ?? {}) },
    rateLimit: { ...base.rateLimit, ...stripUndefined(options.rateLimit ?? {}) },
    limits: { ...base.limits, ...stripUndefined(options.limits ?? {}) },
    access: { ...base.access, ...stripUndefined(options.access ?? {}) },
    janusServers: [],
  };
  // In demo mode without a secret, the server keeps one in its database (see server.ts).
  if (!config.secret && !config.demo && config.access.secrets.length === 0) throw new Error('a secret is required outside demo mode (--secret or MULTI_SEAT_SECRET)');
  // The published @multi-seat/server is a bundle without the demo pages: say so at start
  // rather than answer every page with 404.
  if (config.demo && !existsSync(join(config.staticRoot, 'demo'))) throw new Error(`--demo serves the demo pages of a repository checkout; there are none at ${config.staticRoot}`);
  config.iceServers = checkIceServers(config.iceServers, !!config.turnSecret, 'iceServers');
  if (config.turnSecret && !config.iceServers.some(needsMinting)) throw new Error('turnSecret is given but no iceServers entry is a TURN server without credentials to mint them for');
  if (!Number.isInteger(config.turnTtlS) || config.turnTtlS < MIN_TURN_TTL_S) throw new Error(`turnTtlS must be a whole number of seconds, at least ${MIN_TURN_TTL_S}`);
  if (config.janusUrl === 'none') config.janusUrl = null;
  config.janusPublicUrl ??= config.janusUrl;
  config.janusServers = resolveJanusServers(config, options.janusServers);
  const first = config.janusServers[0];
  if (first) {
    config.janusUrl = first.url;
    config.janusPublicUrl = first.publicUrl;
    config.janusApiSecret = first.apiSecret;
    config.janusAdminKey = first.adminKey;
    config.janusAdminUrl = first.adminUrl;
    config.janusAdminSecret = first.adminSecret;
  }
  return config;
}

function resolveJanusServers(config: ServerConfig, given: ServerOptions['janusServers']): JanusServerConfig[] {
  const list = given?.length ? given : config.janusUrl ? [{ url: config.janusUrl, publicUrl: config.janusPublicUrl ?? config.janusUrl }] : [];
  const servers = list.map((j) => ({
    url: j.url,
    publicUrl: j.publicUrl ?? j.url,
    apiSecret: j.apiSecret !== undefined ? j.apiSecret : config.janusApiSecret,
    adminKey: j.adminKey !== undefined ? j.adminKey : config.janusAdminKey,
    adminUrl: j.adminUrl !== undefined ? j.adminUrl : config.janusAdminUrl,
    adminSecret: j.adminSecret !== undefined ? j.adminSecret : config.janusAdminSecret,
  }));
  const seen = new Set<string>();
  for (const j of servers) {
    if (seen.has(j.publicUrl)) throw new Error(`two Janus servers are told to browsers as ${j.publicUrl}: each needs its own public URL`);
    seen.add(j.publicUrl);
  }
  return servers;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
