/**
 * `multi-seat-server`: flags, with a MULTI_SEAT_* environment variable for each (a flag wins),
 * then the server, until SIGINT/SIGTERM ends it gracefully.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseQueueConfig, type QueueConfig } from '../core/queue-config.js';
import { RETURN_POLICY_STRATEGY, strategyNames } from '../core/strategies.js';
import { DEFAULT_JANUS_URL, type ServerOptions } from './config.js';
import { DEFAULT_TURN_TTL_S, IceServersError, MIN_TURN_TTL_S, needsMinting, parseIceServers } from './ice-servers.js';
import { LIMIT_FLAGS, limitsFromFlags } from './limits.js';
import { startServer } from './server.js';

type Kind = 'string' | 'int' | 'flag';

interface Flag {
  name: string;
  kind: Kind;
  help: string;
  /** May be given several times (its variable: a comma list): one per Janus of the pool. */
  multi?: boolean;
}

const FLAGS: Flag[] = [
  { name: 'host', kind: 'string', help: 'address to listen on (default 127.0.0.1)' },
  { name: 'port', kind: 'int', help: 'port to listen on (default 8787; 0 picks one)' },
  { name: 'secret', kind: 'string', help: 'HS256 secret for tokens (required outside demo mode)' },
  { name: 'demo', kind: 'flag', help: 'serve POST /v1/dev-token and the demo pages' },
  { name: 'janus-url', kind: 'string', multi: true, help: `Janus WebSocket API (default ${DEFAULT_JANUS_URL}); "none" runs without media; repeat it (or a comma list in the variable) for a pool` },
  { name: 'janus-public-url', kind: 'string', multi: true, help: 'Janus URL told to browsers (default: --janus-url); one, or one per --janus-url' },
  { name: 'janus-api-secret', kind: 'string', multi: true, help: "Janus' api_secret, if it sets one; one, or one per --janus-url" },
  { name: 'janus-admin-key', kind: 'string', multi: true, help: "the VideoRoom plugin's admin_key, if it sets one; one, or one per --janus-url" },
  { name: 'janus-admin-url', kind: 'string', multi: true, help: "Janus' admin API (e.g. http://127.0.0.1:7088/admin), needed when Janus sets token_auth; one per --janus-url" },
  { name: 'janus-admin-secret', kind: 'string', multi: true, help: "Janus' admin_secret, for --janus-admin-url; one, or one per --janus-url" },
  { name: 'janus-grace-ms', kind: 'int', help: 'a Janus down this long is lost: its calls get rooms on the others (default 3000)' },
  { name: 'janus-load-every-ms', kind: 'int', help: 'how often each Janus is asked for its rooms and participants (default 5000; 0: never)' },
  // Real networks (ice-servers.ts): what clients are told to gather candidates with.
  { name: 'ice-servers', kind: 'string', help: 'STUN/TURN servers told to clients with each call: a JSON array of {"urls","username"?,"credential"?} (RTCIceServer); checked at start' },
  { name: 'turn-secret', kind: 'string', help: "the secret coturn runs with (--use-auth-secret --static-auth-secret): turn:/turns: entries without credentials get short-lived ones per party (TURN REST)" },
  { name: 'turn-ttl', kind: 'int', help: `seconds a minted TURN credential is good for (default ${DEFAULT_TURN_TTL_S}; at least ${MIN_TURN_TTL_S}; longer than your longest call)` },
  { name: 'ring-timeout-ms', kind: 'int', help: 'R7: how long an offer rings (default 20000)' },
  { name: 'reject-delay-ms', kind: 'int', help: 'R8: how long a rejected call avoids that seat (default 10000)' },
  { name: 'wrapup-ms', kind: 'int', help: 'R11: wrap-up after a call (default 0)' },
  { name: 'reconnect-grace-ms', kind: 'int', help: 'R15: how long an agent may be gone (default 15000)' },
  { name: 'caller-grace-ms', kind: 'int', help: 'R16: how long a customer may be gone (default 15000)' },
  { name: 'strategy', kind: 'string', help: `R5: dispatch strategy (${strategyNames().join(', ')}; default least-busy, or ${RETURN_POLICY_STRATEGY} when a --queues queue turns the return policy on)` },
  { name: 'queues', kind: 'string', help: 'R19–R23: the queue configuration, a JSON file (skills, priority, overflow, callback, wrap-up codes, return policy); checked at start. Without it: any queue name, no skills' },
  // Security and reliability limits (limits.ts)
  ...LIMIT_FLAGS,
  { name: 'db', kind: 'string', help: 'SQLite file for call records and the journal (default ./data/calls.db; :memory: keeps none)' },
  { name: 'no-journal', kind: 'flag', help: 'keep no journal: a restart or crash ends every live call (benchmarks)' },
  { name: 'snapshot-every', kind: 'int', help: 'snapshot the engine after this many journaled events (default 20000; 0: only at stop)' },
  { name: 'messages-per-second', kind: 'int', help: 'messages one connection may send per second (default 20; over it: rate-limited)' },
  { name: 'message-burst', kind: 'int', help: 'messages one connection may send at once (default 40)' },
  { name: 'redis', kind: 'string', help: 'cluster mode: redis://host:port holding the journal, the lease and the node-to-node messages' },
  { name: 'redis-sentinel', kind: 'string', help: 'cluster mode through Redis Sentinel: host:port of each Sentinel, comma-separated' },
  { name: 'redis-master-name', kind: 'string', help: 'the master the Sentinels watch (default mymaster)' },
  { name: 'redis-wait-replicas', kind: 'int', help: 'hold each journal entry\'s answers until this many Redis replicas have it (WAIT; default 0)' },
  { name: 'node', kind: 'string', help: "this node's id in the cluster (default host:port)" },
  { name: 'lease-ms', kind: 'int', help: 'the dispatcher lease expires this long after its last renewal (default 2000)' },
  { name: 'heartbeat-ms', kind: 'int', help: 'a node silent this long is gone, with its connections (default 3000)' },
  { name: 'end-calls-on-stop', kind: 'flag', help: 'SIGTERM/SIGINT end every call with server-shutdown (default: calls are kept for the restart)' },
];

export class UsageError extends Error {}

export function envName(flag: string): string {
  return `MULTI_SEAT_${flag.toUpperCase().replaceAll('-', '_')}`;
}

export function usage(): string {
  const width = Math.max(...FLAGS.map((f) => f.name.length + (f.kind === 'flag' ? 0 : 8)));
  const lines = FLAGS.map((f) => {
    const left = f.kind === 'flag' ? `--${f.name}` : `--${f.name} <${f.kind === 'int' ? 'n' : 'value'}>`;
    return `  ${left.padEnd(width + 4)} ${f.help}\n  ${''.padEnd(width + 4)} env ${envName(f.name)}`;
  });
  return `Usage: multi-seat-server [options]\n\nThe multi-seat control center (PROTOCOL.md v1 over WebSocket, rooms on Janus).\n\nOptions:\n${lines.join('\n')}\n  ${'--help'.padEnd(width + 4)} show this help\n`;
}

/** Flags and environment → server options; throws UsageError on anything it cannot use. */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv): ServerOptions | 'help' {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        ...Object.fromEntries(FLAGS.map((f) => [f.name, { type: f.kind === 'flag' ? ('boolean' as const) : ('string' as const), multiple: f.multi === true }])),
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values['help']) return 'help';

  const raw = (f: Flag): string | boolean | string[] | undefined => values[f.name] ?? env[envName(f.name)];
  const get = new Map<string, string | number | boolean | undefined>();
  // Per-Janus flags, given once per server (the variable: a comma list).
  const lists = new Map<string, string[]>();
  for (const f of FLAGS) {
    let v = raw(f);
    if (f.multi && v !== undefined) {
      const list = (Array.isArray(v) ? v : String(v).split(',')).map((x) => x.trim());
      if (list.some((x) => x === '')) throw new UsageError(`--${f.name} needs a value`);
      lists.set(f.name, list);
      v = list[0];
    }
    if (v === undefined) continue;
    if (f.kind === 'flag') get.set(f.name, typeof v === 'boolean' ? v : flagValue(f.name, String(v)));
    else if (f.kind === 'int') get.set(f.name, intValue(f.name, String(v)));
    else {
      if (v === '' || typeof v !== 'string') throw new UsageError(`--${f.name} needs a value`);
      get.set(f.name, v);
    }
  }
  const s = (k: string) => get.get(k) as string | undefined;
  const n = (k: string) => get.get(k) as number | undefined;

  const port = n('port');
  if (port !== undefined && port > 65535) throw new UsageError('--port must be from 0 to 65535');
  const strategy = s('strategy');
  if (strategy !== undefined && !strategyNames().includes(strategy))
    throw new UsageError(`--strategy must be one of: ${strategyNames().join(', ')}`);
  const queuesFile = s('queues');
  const queues = queuesFile === undefined ? undefined : loadQueues(queuesFile);
  // R23: the return policy needs agents who are free right now; threshold keeps them so (README).
  const returnPolicy = queues !== undefined && Object.values(queues.queues).some((q) => q.returnPoolAfterMs !== null);
  const janusUrl = s('janus-url');
  const janusUrls = lists.get('janus-url') ?? [];
  for (const u of janusUrls)
    if (!(u === 'none' && janusUrls.length === 1) && !/^wss?:\/\//.test(u)) throw new UsageError('--janus-url must be a ws:// or wss:// URL, or "none"');
  const janusServers = janusUrls.length > 1 ? janusPool(janusUrls, lists) : undefined;
  for (const f of ['messages-per-second', 'message-burst']) if (n(f) === 0) throw new UsageError(`--${f} must be above 0`);
  const { iceServers, turnSecret, turnTtlS } = iceFlags(s('ice-servers'), s('turn-secret'), n('turn-ttl'));
  const redis = s('redis');
  if (redis !== undefined && !/^rediss?:\/\//.test(redis)) throw new UsageError('--redis must be a redis:// or rediss:// URL');
  const sentinel = s('redis-sentinel');
  const redisSentinels = sentinel?.split(',').map((hp) => {
    const m = /^([^:\s]+):(\d+)$/.exec(hp.trim());
    if (!m) throw new UsageError(`--redis-sentinel wants host:port,host:port, not "${hp}"`);
    return { host: m[1]!, port: Number(m[2]) };
  });
  if (redis !== undefined && redisSentinels) throw new UsageError('give --redis or --redis-sentinel, not both');
  const demo = (get.get('demo') as boolean | undefined) ?? false;
  const secret = s('secret');
  if (!demo && !secret && s('secrets') === undefined) throw new UsageError(`--secret (or ${envName('secret')}) is required outside --demo`);

  let guarded: ReturnType<typeof limitsFromFlags>;
  try {
    guarded = limitsFromFlags((k) => get.get(k));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }

  return {
    host: s('host'),
    port,
    secret,
    demo,
    janusUrl: janusUrl === 'none' ? null : janusUrl,
    janusPublicUrl: s('janus-public-url'),
    janusApiSecret: s('janus-api-secret'),
    janusAdminKey: s('janus-admin-key'),
    janusAdminUrl: s('janus-admin-url'),
    janusAdminSecret: s('janus-admin-secret'),
    janusServers,
    janusGraceMs: n('janus-grace-ms'),
    janusLoadEveryMs: n('janus-load-every-ms'),
    iceServers,
    turnSecret,
    turnTtlS,
    db: s('db'),
    limits: guarded.limits,
    access: guarded.access,
    rateLimit: { perSecond: n('messages-per-second'), burst: n('message-burst') },
    journal: get.get('no-journal') === true ? false : undefined,
    snapshotEvery: n('snapshot-every'),
    endCallsOnStop: get.get('end-calls-on-stop') as boolean | undefined,
    redis,
    redisSentinels,
    redisMasterName: s('redis-master-name'),
    redisWaitReplicas: n('redis-wait-replicas'),
    node: s('node'),
    leaseMs: n('lease-ms'),
    heartbeatMs: n('heartbeat-ms'),
    engine: {
      ringTimeoutMs: n('ring-timeout-ms'),
      rejectDelayMs: n('reject-delay-ms'),
      wrapupMs: n('wrapup-ms'),
      reconnectGraceMs: n('reconnect-grace-ms'),
      callerGraceMs: n('caller-grace-ms'),
      strategy: strategy ?? (returnPolicy ? RETURN_POLICY_STRATEGY : undefined),
      queues,
    } as ServerOptions['engine'],
  };
}

/** Several --janus-url: each per-server flag is given once (for every server) or once per server, in order. */
function janusPool(urls: string[], lists: Map<string, string[]>): NonNullable<ServerOptions['janusServers']> {
  const per = (name: string): (string | undefined)[] => {
    const l = lists.get(name);
    if (!l) return urls.map(() => undefined);
    if (l.length === 1) return urls.map(() => l[0]);
    if (l.length === urls.length) return l;
    throw new UsageError(`--${name} is given ${l.length} times for ${urls.length} --janus-url: give it once, or once per --janus-url`);
  };
  const publicUrl = per('janus-public-url');
  if (lists.get('janus-public-url')?.length === 1) throw new UsageError('--janus-public-url must be given once per --janus-url (each Janus is told to browsers by its own URL)');
  const adminUrl = per('janus-admin-url');
  if (lists.get('janus-admin-url')?.length === 1) throw new UsageError('--janus-admin-url must be given once per --janus-url (each Janus has its own admin API)');
  const apiSecret = per('janus-api-secret');
  const adminKey = per('janus-admin-key');
  const adminSecret = per('janus-admin-secret');
  return urls.map((url, i) => {
    const j: NonNullable<ServerOptions['janusServers']>[number] = { url };
    if (publicUrl[i] !== undefined) j.publicUrl = publicUrl[i]!;
    if (apiSecret[i] !== undefined) j.apiSecret = apiSecret[i]!;
    if (adminKey[i] !== undefined) j.adminKey = adminKey[i]!;
    if (adminUrl[i] !== undefined) j.adminUrl = adminUrl[i]!;
    if (adminSecret[i] !== undefined) j.adminSecret = adminSecret[i]!;
    return j;
  });
}

/** `--ice-servers`, `--turn-secret`, `--turn-ttl`: checked together, each mistake named. */
function iceFlags(json: string | undefined, turnSecret: string | undefined, turnTtlS: number | undefined) {
  let iceServers;
  try {
    iceServers = json === undefined ? undefined : parseIceServers(json, turnSecret !== undefined);
  } catch (e) {
    if (e instanceof IceServersError) throw new UsageError(e.message);
    throw e;
  }
  if (turnSecret !== undefined && !(iceServers ?? []).some(needsMinting))
    throw new UsageError('--turn-secret is given but no --ice-servers entry is a turn: or turns: server without username and credential: there is nothing to mint credentials for');
  if (turnTtlS !== undefined && turnSecret === undefined) throw new UsageError('--turn-ttl is the lifetime of minted TURN credentials: it needs --turn-secret');
  if (turnTtlS !== undefined && turnTtlS < MIN_TURN_TTL_S) throw new UsageError(`--turn-ttl must be at least ${MIN_TURN_TTL_S} (seconds)`);
  return { iceServers, turnSecret, turnTtlS };
}

/** `--queues`: the file read and checked now, so a bad one stops the start with the field named. */
function loadQueues(path: string): QueueConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`--queues ${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    return parseQueueConfig(text);
  } catch (e) {
    throw new UsageError(`--queues ${path}: ${(e as Error).message}`);
  }
}

function intValue(name: string, v: string): number {
  if (!/^\d+$/.test(v.trim())) throw new UsageError(`--${name} must be a whole number, not "${v}"`);
  return Number(v.trim());
}

function flagValue(name: string, v: string): boolean {
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off|)$/i.test(v)) return false;
  throw new UsageError(`${envName(name)} must be true or false, not "${v}"`);
}

export async function main(argv = process.argv.slice(2), env = process.env): Promise<void> {
  let options: ServerOptions | 'help';
  try {
    options = parseCli(argv, env);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`multi-seat-server: ${e.message}\nTry --help.\n`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(usage());
    return;
  }
  let server;
  try {
    server = await startServer(options);
  } catch (e) {
    process.stderr.write(`multi-seat-server: ${(e as Error).message}\n`);
    process.exit(1);
  }
  const c = server.config;
  console.log(`multi-seat control center on ${server.url}${c.demo ? ' (demo: open it in a browser)' : ''}; janus ${c.janusServers.map((j) => j.url).join(', ') || 'none (no media)'}; ${server.cluster ? `cluster node ${server.cluster.node} on ${c.redis ?? `the Sentinels' ${c.redisMasterName}`}` : `journal and records ${c.db}`}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: ${c.endCallsOnStop ? 'ending calls and shutting down' : 'stopping; live calls are kept for the restart'}`);
    server.close().then(
      () => process.exit(0),
      (e: Error) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
