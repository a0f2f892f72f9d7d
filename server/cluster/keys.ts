/**
 * What a cluster keeps in Redis, and the scripts that change it. Every write that decides
 * something (a journal entry and the messages it sends, a snapshot) runs as one Lua script that
 * first checks the writer still holds the dispatcher lease: a stale dispatcher (paused, cut off)
 * can neither append nor send, so two dispatchers never both decide.
 */

/** The shape of journal entries; a node refuses to follow entries of a newer format. */
export const CLUSTER_FORMAT = 1;

export function clusterKeys(prefix = 'multi-seat') {
  return {
    /** `<node>|<epoch>`: who dispatches; set NX with a short expiry, renewed well inside it. */
    lease: `${prefix}:lease`,
    /** Grows by one at every lease taken: the fencing token. */
    epoch: `${prefix}:epoch`,
    /** The journal: a stream whose entry ids are `<seq>-1`, seq growing by one. */
    journal: `${prefix}:journal`,
    /** `{seq, cursor, state, registry}` of the newest snapshot. */
    snapshot: `${prefix}:snapshot`,
    /** Commands from every node to the dispatcher. */
    commands: `${prefix}:commands`,
    /** What the dispatcher sends to the clients of one node. */
    out: (node: string) => `${prefix}:out:${node}`,
    /** A node's heartbeat: expires when the node stops renewing it. */
    alive: (node: string) => `${prefix}:node:${node}`,
    /** Every node that ever joined (its heartbeat says whether it lives). */
    nodes: `${prefix}:nodes`,
    /** Call records: by call id (written once), and ids in order, all and per seat. */
    records: `${prefix}:records`,
    recordOrder: `${prefix}:records:order`,
    recordSeat: (seat: string) => `${prefix}:records:seat:${seat}`,
    /** Lease changes, for /metrics. */
    leaseChanges: `${prefix}:lease-changes`,
  };
}

export type ClusterKeys = ReturnType<typeof clusterKeys>;

/**
 * KEYS: lease, journal, records, record order. ARGV: lease value, entry id ('' for no event),
 * entry, record count, then per record: call id, seat ('' for none), record; then per message:
 * stream, payload.
 */
export const APPEND = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return redis.error_reply('FENCED the dispatcher lease is held by another node') end
if ARGV[2] ~= '' then redis.call('XADD', KEYS[2], ARGV[2], 'x', ARGV[3]) end
local n = tonumber(ARGV[4])
local i = 5
for k = 1, n do
  if redis.call('HSETNX', KEYS[3], ARGV[i], ARGV[i + 2]) == 1 then
    redis.call('RPUSH', KEYS[4], ARGV[i])
    redis.call('LTRIM', KEYS[4], -100000, -1)
    if ARGV[i + 1] ~= '' then
      local seatKey = (KEYS[4]:gsub(':order$', ':seat:')) .. ARGV[i + 1]
      redis.call('RPUSH', seatKey, ARGV[i])
      redis.call('LTRIM', seatKey, -10000, -1)
    end
  end
  i = i + 3
end
while i <= #ARGV do
  redis.call('XADD', ARGV[i], 'MAXLEN', '~', '10000', '*', 'm', ARGV[i + 1])
  i = i + 2
end
return 1
`;

/** KEYS: lease, snapshot, journal, commands. ARGV: lease value, snapshot, trim-journal-below id, trim-commands-below id. */
export const SNAPSHOT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return redis.error_reply('FENCED the dispatcher lease is held by another node') end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('XTRIM', KEYS[3], 'MINID', ARGV[3])
redis.call('XTRIM', KEYS[4], 'MINID', ARGV[4])
return 1
`;

/** KEYS: lease. ARGV: lease value, ms. */
export const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

/** KEYS: lease. ARGV: lease value. */
export const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
