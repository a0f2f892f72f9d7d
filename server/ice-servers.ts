/**
 * The STUN/TURN servers the control center hands its clients (`--ice-servers`), with short-lived
 * TURN credentials in the TURN REST style (draft-uberti-behave-turn-rest; coturn's
 * `--use-auth-secret --static-auth-secret`): for a `turn:`/`turns:` entry given without its own
 * credentials, each party gets
 *
 *   username   = "<expiry, unix seconds>:<party>"      e.g. "1764146400:agent:seat-1"
 *   credential = base64(HMAC-SHA1(secret, username))
 *
 * coturn recomputes the credential from the username with the same secret and refuses it once
 * the expiry has passed, so nothing is stored or shared but the secret, and a credential leaked
 * from one browser is worth one party for one TTL. The party in the username shows in coturn's
 * logs who used the relay.
 *
 * Clients get the servers in every `media` of a call (PROTOCOL.md, "Media"): minted per
 * connection at its first snapshot after `hello` (so fresh on every reconnect) and again when
 * half the TTL has gone, so a long-lived connection never hands out credentials about to expire.
 */
import { createHmac } from 'node:crypto';
import type { IceServer, MediaInfo, ServerMessage } from '../core/protocol.js';

/** Default lifetime of a minted TURN credential: a day (longer than any call). */
export const DEFAULT_TURN_TTL_S = 86_400;
/** Shortest `--turn-ttl`: coturn checks the expiry on every refresh, so a relay lives at most this long. */
export const MIN_TURN_TTL_S = 60;

const SCHEMES = /^(stun|stuns|turn|turns):[^\s]+$/i;
const TURN = /^turns?:/i;
const KEYS = new Set(['urls', 'username', 'credential', 'credentialType']);

/** A bad `--ice-servers` value; `field` names the part, e.g. `--ice-servers[1].urls[0]`. */
export class IceServersError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/**
 * Reads and checks `--ice-servers`: a JSON array of `{urls, username?, credential?}`
 * (RTCIceServer's shape). Throws IceServersError naming the field. `turnSecret` says whether
 * TURN entries without credentials can have them minted.
 */
export function parseIceServers(json: string, turnSecret: boolean, flag = '--ice-servers'): IceServer[] {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch (e) {
    throw new IceServersError(flag, `is not JSON (${(e as Error).message})`);
  }
  return checkIceServers(v, turnSecret, flag);
}

/** As parseIceServers, for a value already parsed (StartOptions in code). */
export function checkIceServers(v: unknown, turnSecret: boolean, flag = '--ice-servers'): IceServer[] {
  if (!Array.isArray(v)) throw new IceServersError(flag, 'must be a JSON array of {"urls", "username"?, "credential"?}');
  return v.map((entry, i) => {
    const at = `${flag}[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new IceServersError(at, 'must be an object {"urls", "username"?, "credential"?}');
    const o = entry as Record<string, unknown>;
    for (const k of Object.keys(o))
      if (!KEYS.has(k)) throw new IceServersError(`${at}.${k}`, k === 'url' ? 'is the old name: use "urls"' : 'is not a field of an ICE server (urls, username, credential)');
    const urls = o['urls'];
    const list = typeof urls === 'string' ? [urls] : Array.isArray(urls) ? urls : null;
    if (!list || list.length === 0) throw new IceServersError(`${at}.urls`, 'must be a URL or a non-empty array of URLs');
    list.forEach((u, j) => {
      const f = typeof urls === 'string' ? `${at}.urls` : `${at}.urls[${j}]`;
      if (typeof u !== 'string' || !SCHEMES.test(u)) throw new IceServersError(f, `must be a stun:, stuns:, turn: or turns: URL, not ${JSON.stringify(u)}`);
    });
    for (const k of ['username', 'credential'] as const)
      if (o[k] !== undefined && (typeof o[k] !== 'string' || o[k] === '')) throw new IceServersError(`${at}.${k}`, 'must be a non-empty string');
    if (o['credentialType'] !== undefined && o['credentialType'] !== 'password') throw new IceServersError(`${at}.credentialType`, 'must be "password" (or left out)');
    if ((o['username'] === undefined) !== (o['credential'] === undefined)) throw new IceServersError(at, 'gives one of username and credential: give both, or neither');
    const turn = (list as string[]).some((u) => TURN.test(u));
    if (turn && o['username'] === undefined && !turnSecret)
      throw new IceServersError(at, 'is a TURN server without username and credential: give them, or --turn-secret to mint short-lived ones');
    const out: IceServer = { urls: typeof urls === 'string' ? urls : [...(list as string[])] };
    if (typeof o['username'] === 'string') out.username = o['username'];
    if (typeof o['credential'] === 'string') out.credential = o['credential'];
    return out;
  });
}

/** Whether an entry gets minted credentials: it names a TURN URL and has none of its own. */
export function needsMinting(server: IceServer): boolean {
  const urls = typeof server.urls === 'string' ? [server.urls] : server.urls;
  return server.username === undefined && urls.some((u) => TURN.test(u));
}

/** The TURN REST credential for `username`: base64(HMAC-SHA1(secret, username)), as coturn computes it. */
export function turnCredential(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}

/** One party's servers and when their minted credentials expire (ms since epoch; Infinity: none minted). */
export interface PartyIceServers {
  servers: IceServer[];
  expiresAt: number;
}

/** The configured servers, and credentials minted for a party on demand. */
export class IceServers {
  constructor(
    private readonly servers: IceServer[],
    private readonly turn: { secret: string | null; ttlS: number },
  ) {}

  get empty(): boolean {
    return this.servers.length === 0;
  }

  /** The servers for `party` at `nowMs`, TURN entries without credentials given fresh ones. */
  forParty(party: string, nowMs: number): PartyIceServers {
    const expiry = Math.floor(nowMs / 1000) + this.turn.ttlS;
    let minted = false;
    const servers = this.servers.map((s) => {
      const urls = typeof s.urls === 'string' ? s.urls : [...s.urls];
      if (!needsMinting(s) || !this.turn.secret) return { ...s, urls };
      minted = true;
      const username = `${expiry}:${party}`;
      return { urls, username, credential: turnCredential(this.turn.secret, username) };
    });
    return { servers, expiresAt: minted ? expiry * 1000 : Infinity };
  }

  /**
   * One connection's view: minted on first use, again once half the TTL has passed. `decorate`
   * adds them to every `media` of a `seat` or `call` message (a copy; the message is shared).
   */
  forConnection(party: () => string | null, now: () => number): (m: ServerMessage) => ServerMessage {
    let held: (PartyIceServers & { party: string; mintedAt: number }) | null = null;
    const current = (): IceServer[] | null => {
      const p = party();
      if (p === null) return null;
      const t = now();
      if (!held || held.party !== p || (held.expiresAt !== Infinity && t - held.mintedAt >= (held.expiresAt - held.mintedAt) / 2))
        held = { ...this.forParty(p, t), party: p, mintedAt: t };
      return held.servers;
    };
    return (m) => {
      if (this.empty || (m.type !== 'seat' && m.type !== 'call')) return m;
      const add = <T extends MediaInfo | null>(media: T): T => {
        if (!media) return media;
        const servers = current();
        return servers ? { ...media, iceServers: servers } : media;
      };
      if (m.type === 'call') return m.call.media ? { ...m, call: { ...m.call, media: add(m.call.media) } } : m;
      let changed = false;
      const splits = m.seat.splits.map((split) => {
        const call = split.call;
        if (!call || (!call.media && !call.consult?.media)) return split;
        changed = true;
        return { ...split, call: { ...call, media: add(call.media), ...(call.consult ? { consult: { ...call.consult, media: add(call.consult.media) } } : {}) } };
      });
      return changed ? { ...m, seat: { ...m.seat, splits } } : m;
    };
  }
}
