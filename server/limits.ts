/**
 * Every limit that protects the control center from hostile or dead clients, in one place:
 * the defaults, the flags (each with its MULTI_SEAT_* variable, see cli.ts) and the small
 * counters that enforce the per-address and per-identity ones. README "Security and
 * reliability" lists them.
 */
import { parseTrustedProxies } from './client-address.js';
import { RateLimit } from './rate-limit.js';

export interface Limits {
  /** Unsent data (ws `bufferedAmount`) past this closes the connection with 4004: it is lost. */
  maxBufferedBytes: number;
  /** A connection that has not completed `hello` by then is closed with 4003. */
  helloTimeoutMs: number;
  /** WebSocket pings this often; two missed pongs terminate the connection (lost: R15/R16). */
  pingIntervalMs: number;
  /** Open WebSocket connections from one address; the next one is closed with 4005. */
  connectionsPerAddress: number;
  /** `hello`s per second from one address (refill), and how many may come at once (burst). */
  hellosPerSecondPerAddress: number;
  helloBurstPerAddress: number;
  /** `call` messages a customer (token `sub`) may send per minute, over all its connections. */
  callsPerMinutePerCustomer: number;
  /** A token older than this from its `iat` is refused (ms). */
  maxTokenAgeMs: number;
}

/**
 * Defaults for an office of 500 agents behind one NAT address: each with its seat and a spare
 * tab or a reconnect overlapping the old connection, and all of them reconnecting within a few
 * seconds after a restart (the burst), then a steady trickle.
 */
export function defaultLimits(): Limits {
  return {
    maxBufferedBytes: 1024 * 1024,
    helloTimeoutMs: 10_000,
    pingIntervalMs: 10_000,
    connectionsPerAddress: 1000,
    hellosPerSecondPerAddress: 100,
    helloBurstPerAddress: 500,
    callsPerMinutePerCustomer: 6,
    maxTokenAgeMs: 12 * 3600 * 1000,
  };
}

/** Flags of the limits (kind as in cli.ts); the env variable is MULTI_SEAT_ + the name in capitals. */
export const LIMIT_FLAGS = [
  { name: 'max-buffered-bytes', kind: 'int', help: 'unsent bytes to one client before it is closed with 4004 (default 1048576)' },
  { name: 'hello-timeout-ms', kind: 'int', help: 'hello must come within this or the connection is closed with 4003 (default 10000)' },
  { name: 'ping-interval-ms', kind: 'int', help: 'WebSocket ping interval; two missed pongs = lost (default 10000)' },
  { name: 'connections-per-address', kind: 'int', help: 'open WebSocket connections from one IP address (default 1000)' },
  { name: 'hellos-per-second-per-address', kind: 'int', help: 'hellos per second from one IP address (default 100, bursts of --hello-burst-per-address)' },
  { name: 'hello-burst-per-address', kind: 'int', help: 'hellos one IP address may send at once (default 500)' },
  { name: 'calls-per-minute-per-customer', kind: 'int', help: 'call messages per minute per customer token sub (default 6)' },
  { name: 'max-token-age', kind: 'string', help: 'oldest token accepted, from its iat: seconds, or a number with s, m, h or d (default 12h)' },
  { name: 'secrets', kind: 'string', help: 'more HS256 keys, kid1:secret1,kid2:secret2; a token whose header has a kid is checked with that key only' },
  { name: 'allowed-origins', kind: 'string', help: 'comma list of browser origins allowed to open WebSockets (default: any); no Origin header is always allowed' },
  { name: 'records-token', kind: 'string', help: 'a bearer token that may read every call record (GET /v1/calls), besides supervisor tokens' },
  { name: 'trusted-proxies', kind: 'string', help: 'comma list of proxy addresses/CIDRs whose PROXY header or X-Forwarded-For names the client (default: none, the socket address counts)' },
  { name: 'metrics-token', kind: 'string', help: 'a bearer token GET /metrics requires (default: /metrics is open to whoever reaches the port)' },
] as const;

const INT_FLAG_KEYS: Record<string, keyof Limits> = {
  'max-buffered-bytes': 'maxBufferedBytes',
  'hello-timeout-ms': 'helloTimeoutMs',
  'ping-interval-ms': 'pingIntervalMs',
  'connections-per-address': 'connectionsPerAddress',
  'hellos-per-second-per-address': 'hellosPerSecondPerAddress',
  'hello-burst-per-address': 'helloBurstPerAddress',
  'calls-per-minute-per-customer': 'callsPerMinutePerCustomer',
};

/** Who may connect and which keys sign tokens. */
export interface Access {
  /** Extra HS256 keys by `kid`, for rotation (the `--secret` key checks tokens without `kid`). */
  secrets: { kid: string; secret: string }[];
  /** Browser origins allowed to open WebSockets; null allows any. */
  allowedOrigins: string[] | null;
  /** A static bearer token that may read every call record. */
  recordsToken: string | null;
  /**
   * Load balancers (addresses, CIDRs) whose PROXY protocol header or X-Forwarded-For says who
   * the client is (client-address.ts); empty: the socket's peer is the client.
   */
  trustedProxies: string[];
  /** A bearer token `GET /metrics` requires; null: open to whoever reaches the port. */
  metricsToken: string | null;
}

export function defaultAccess(): Access {
  return { secrets: [], allowedOrigins: null, recordsToken: null, trustedProxies: [], metricsToken: null };
}

/** `12h`, `30m`, `45s`, `2d` or plain seconds → ms; throws on anything else. */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!m) throw new Error(`"${text}" is not a duration (seconds, or a number with ms, s, m, h or d)`);
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  const unit = units[m[2] ?? 's']!;
  const ms = Math.round(Number(m[1]) * unit);
  if (ms <= 0) throw new Error('a duration must be above 0');
  return ms;
}

/** `kid1:secret1,kid2:secret2` → pairs; throws on a part without kid or secret, or a kid twice. */
export function parseSecrets(text: string): Access['secrets'] {
  const out: Access['secrets'] = [];
  const seen = new Set<string>();
  for (const part of text.split(',')) {
    const at = part.indexOf(':');
    const kid = at > 0 ? part.slice(0, at).trim() : '';
    const secret = at > 0 ? part.slice(at + 1) : '';
    if (!kid || !secret) throw new Error('--secrets takes kid:secret pairs separated by commas');
    if (seen.has(kid)) throw new Error(`--secrets names kid "${kid}" twice`);
    seen.add(kid);
    out.push({ kid, secret });
  }
  return out;
}

/** A browser origin as browsers send it: scheme://host[:port], lower case, default port dropped. */
export function normalizeOrigin(text: string): string | null {
  try {
    const u = new URL(text.trim());
    if (u.origin === 'null') return null;
    return u.origin.toLowerCase();
  } catch {
    return null;
  }
}

export function parseOrigins(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(',')) {
    if (!part.trim()) continue;
    const o = normalizeOrigin(part);
    if (!o) throw new Error(`--allowed-origins: "${part.trim()}" is not an origin like https://crm.example.com`);
    out.push(o);
  }
  return out;
}

/**
 * The CLI's parsed values (flag or env) for these flags → options. `get` holds ints for `int`
 * flags and strings for `string` ones; errors are thrown as plain Errors for the CLI to report.
 */
export function limitsFromFlags(get: (name: string) => string | number | boolean | undefined): {
  limits: Partial<Limits>;
  access: Partial<Access>;
} {
  const limits: Partial<Limits> = {};
  for (const [flag, key] of Object.entries(INT_FLAG_KEYS)) {
    const v = get(flag);
    if (typeof v === 'number') {
      if (v <= 0) throw new Error(`--${flag} must be above 0`);
      limits[key] = v;
    }
  }
  const age = get('max-token-age');
  if (typeof age === 'string') limits.maxTokenAgeMs = parseDuration(age);
  const access: Partial<Access> = {};
  const secrets = get('secrets');
  if (typeof secrets === 'string') access.secrets = parseSecrets(secrets);
  const origins = get('allowed-origins');
  if (typeof origins === 'string') access.allowedOrigins = parseOrigins(origins);
  const records = get('records-token');
  if (typeof records === 'string') {
    if (records.length < 16) throw new Error('--records-token must be at least 16 characters');
    access.recordsToken = records;
  }
  const proxies = get('trusted-proxies');
  if (typeof proxies === 'string') access.trustedProxies = parseTrustedProxies(proxies);
  const metrics = get('metrics-token');
  if (typeof metrics === 'string') {
    if (metrics.length < 16) throw new Error('--metrics-token must be at least 16 characters');
    access.metricsToken = metrics;
  }
  return { limits, access };
}

/**
 * Token buckets by key (an address, a customer id), dropped once full again so that every
 * client that ever came does not keep an entry.
 */
export class KeyedBuckets {
  private readonly buckets = new Map<string, RateLimit>();
  private lastSweep: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.lastSweep = now();
  }

  take(key: string): boolean {
    this.sweep();
    let b = this.buckets.get(key);
    if (!b) this.buckets.set(key, (b = new RateLimit(this.perSecond, this.burst, this.now)));
    return b.take();
  }

  get size(): number {
    return this.buckets.size;
  }

  private sweep(): void {
    const t = this.now();
    // A bucket refills completely in burst / perSecond seconds; sweep about that often.
    if (t - this.lastSweep < Math.max(1000, (this.burst / this.perSecond) * 1000)) return;
    this.lastSweep = t;
    for (const [key, b] of this.buckets) if (b.full()) this.buckets.delete(key);
  }
}

/**
 * The per-address and per-identity state every connection of one server shares: open
 * connections and the hello rate by address, the call rate by customer. Addresses are the
 * client's (client-address.ts): the socket's peer, or behind a proxy in `--trusted-proxies` the
 * address its PROXY header or X-Forwarded-For names.
 */
export class Guard {
  private readonly open = new Map<string, number>();
  private readonly hellos: KeyedBuckets;
  private readonly calls: KeyedBuckets;
  private readonly addresses = new WeakMap<object, string>();
  private readonly roles = new WeakMap<object, 'agent' | 'caller'>();
  private readonly byRole = { agent: 0, caller: 0 };

  constructor(
    readonly limits: Limits,
    now: () => number = Date.now,
  ) {
    this.hellos = new KeyedBuckets(limits.hellosPerSecondPerAddress, limits.helloBurstPerAddress, now);
    this.calls = new KeyedBuckets(limits.callsPerMinutePerCustomer / 60, limits.callsPerMinutePerCustomer, now);
  }

  /** One `call` message of this customer; false when it is over its calls per minute. */
  call(customerId: string): boolean {
    return this.calls.take(customerId);
  }

  /** Counts a new connection from `address`; false (nothing counted) when that address is full. */
  connect(socket: object, address: string, role?: 'agent' | 'caller'): boolean {
    const n = this.open.get(address) ?? 0;
    if (n >= this.limits.connectionsPerAddress) return false;
    this.open.set(address, n + 1);
    this.addresses.set(socket, address);
    if (role) {
      this.roles.set(socket, role);
      this.byRole[role]++;
    }
    return true;
  }

  disconnect(socket: object): void {
    const address = this.addresses.get(socket);
    if (address === undefined) return;
    this.addresses.delete(socket);
    const role = this.roles.get(socket);
    if (role) {
      this.roles.delete(socket);
      this.byRole[role]--;
    }
    const n = (this.open.get(address) ?? 1) - 1;
    if (n <= 0) this.open.delete(address);
    else this.open.set(address, n);
  }

  /** One hello from this connection's address; false when the address is over its rate. */
  hello(socket: object): boolean {
    return this.hellos.take(this.addresses.get(socket) ?? 'unknown');
  }

  connections(address: string): number {
    return this.open.get(address) ?? 0;
  }

  /** Open WebSocket connections admitted, by endpoint (`/metrics`). */
  openByRole(): { agent: number; caller: number } {
    return { ...this.byRole };
  }

  /** The address a connection was counted under (its client's). */
  addressOf(socket: object): string | undefined {
    return this.addresses.get(socket);
  }
}
