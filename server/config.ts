/**
 * Everything the control center can be told, with its defaults. The CLI fills this from flags
 * and environment; tests fill it directly (port 0, `:memory:`, short timeouts).
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { defaultConfig, type EngineConfig } from '../core/model.js';

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
  engine: EngineConfig;
  /** SQLite file for call records, or `:memory:`. */
  db: string;
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
}

export const DEFAULT_JANUS_URL = 'ws://127.0.0.1:8188';

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
    engine: { ...defaultConfig },
    db: './data/calls.db',
    rateLimit: { perSecond: 20, burst: 40 },
    queueThrottleMs: 500,
    janusKeepaliveMs: 25_000,
    janusReconnectMinMs: 500,
    janusReconnectMaxMs: 10_000,
    staticRoot: fileURLToPath(new URL('..', import.meta.url)),
  };
}

export type ServerOptions = Partial<Omit<ServerConfig, 'engine' | 'rateLimit'>> & {
  engine?: Partial<EngineConfig>;
  rateLimit?: Partial<ServerConfig['rateLimit']>;
};

/** Fills in defaults and checks what must hold before anything starts. */
export function resolveConfig(options: ServerOptions = {}): ServerConfig {
  const base = defaultServerConfig();
  const config: ServerConfig = {
    ...base,
    ...stripUndefined(options),
    engine: { ...base.engine, ...stripUndefined(options.engine ?? {}) },
    rateLimit: { ...base.rateLimit, ...stripUndefined(options.rateLimit ?? {}) },
  };
  if (!config.secret) {
    if (!config.demo) throw new Error('a secret is required outside demo mode (--secret or MULTI_SEAT_SECRET)');
    // Demo tokens come from /v1/dev-token, so a fresh secret per run is enough.
    config.secret = randomBytes(32).toString('base64url');
  }
  if (config.janusUrl === 'none') config.janusUrl = null;
  config.janusPublicUrl ??= config.janusUrl;
  return config;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
