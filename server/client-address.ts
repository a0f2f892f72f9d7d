/**
 * The client's address behind a load balancer. Without `--trusted-proxies` it is the socket's
 * peer. With it, a peer in the list may say who it forwards for, in two ways:
 *
 * - the PROXY protocol (v1 text or v2 binary header at the start of the TCP connection, HAProxy's
 *   `send-proxy` / `send-proxy-v2`): read and stripped before the HTTP server sees the bytes;
 * - `X-Forwarded-For` (HAProxy's `option forwardfor`), walked from the right: every hop that is
 *   itself a trusted proxy passes on to the one before it, and the first hop that is not is the
 *   client. Entries a client wrote itself are to the left of that and are never read, so a
 *   forged header from an untrusted peer, or behind a trusted one, changes nothing.
 *
 * A header from a peer not in the list is ignored (X-Forwarded-For) or not recognised at all
 * (a PROXY header then reaches the HTTP parser and the request fails with 400).
 */
import type { IncomingMessage, Server } from 'node:http';
import { isIP, isIPv4, type Socket } from 'node:net';

/** `::ffff:10.0.0.1` → `10.0.0.1`; IPv6 lower-cased; anything else as it is. */
export function normalizeAddress(address: string): string {
  const a = address.trim();
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  if (m && isIPv4(m[1]!)) return m[1]!;
  return a.includes(':') ? a.toLowerCase() : a;
}

/** An address as 4 or 16 bytes, or null when it is not an IP address. */
function addressBytes(address: string): Uint8Array | null {
  const a = normalizeAddress(address);
  const kind = isIP(a);
  if (kind === 4) return Uint8Array.from(a.split('.').map(Number));
  if (kind !== 6) return null;
  // Expand `::` and a trailing dotted IPv4 part into 8 groups of 16 bits.
  let text = a.replace(/%.*$/, '');
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const b = v4[1]!.split('.').map(Number);
    text = text.slice(0, -v4[1]!.length) + `${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === null ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8) return null;
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = parseInt(g, 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 0xff;
  });
  return out;
}

interface Net {
  bytes: Uint8Array;
  prefix: number;
}

/** `10.0.0.0/8`, `192.168.1.7`, `fd00::/8`, `::1` → a network; throws on anything else. */
export function parseCidr(text: string): Net {
  const [addr, bits, ...rest] = text.trim().split('/');
  const bytes = addressBytes(addr ?? '');
  if (!bytes || rest.length > 0) throw new Error(`"${text.trim()}" is not an IP address or a CIDR like 10.0.0.0/8`);
  const max = bytes.length * 8;
  const prefix = bits === undefined ? max : /^\d+$/.test(bits) ? Number(bits) : NaN;
  if (!(prefix >= 0 && prefix <= max)) throw new Error(`"${text.trim()}": the prefix must be from 0 to ${max}`);
  return { bytes, prefix };
}

/** `--trusted-proxies`: a comma list of addresses and CIDRs → the list (validated). */
export function parseTrustedProxies(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(',')) {
    if (!part.trim()) continue;
    try {
      parseCidr(part);
    } catch (e) {
      throw new Error(`--trusted-proxies: ${(e as Error).message}`);
    }
    out.push(part.trim());
  }
  return out;
}

/** The proxies whose word on the client's address is taken. */
export class TrustedProxies {
  private readonly nets: Net[];

  constructor(list: readonly string[]) {
    this.nets = list.map(parseCidr);
  }

  get empty(): boolean {
    return this.nets.length === 0;
  }

  has(address: string): boolean {
    const b = addressBytes(address);
    if (!b) return false;
    return this.nets.some((n) => n.bytes.length === b.length && inNet(b, n));
  }
}

function inNet(b: Uint8Array, n: Net): boolean {
  let left = n.prefix;
  for (let i = 0; left > 0; i++, left -= 8) {
    const mask = left >= 8 ? 0xff : (0xff << (8 - left)) & 0xff;
    if ((b[i]! & mask) !== (n.bytes[i]! & mask)) return false;
  }
  return true;
}

/**
 * The client's address from the peer and its `X-Forwarded-For` (one string, or several headers
 * as Node joins them, comma-separated). See the file comment for the walk.
 */
export function forwardedFor(peer: string, header: string | string[] | undefined, trusted: TrustedProxies): string {
  let address = normalizeAddress(peer);
  if (header === undefined || !trusted.has(address)) return address;
  const hops = (Array.isArray(header) ? header.join(',') : header).split(',');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeAddress(stripPort(hops[i]!));
    if (hop === '') continue;
    // Not an address (`unknown`, garbage): the last trusted hop is as far as we can see.
    if (!isIP(hop)) return address;
    address = hop;
    if (!trusted.has(hop)) return hop;
  }
  return address;
}

/** `1.2.3.4:5678` → `1.2.3.4`; `[::1]:80` → `::1`; a bare IPv6 address is left as it is. */
function stripPort(hop: string): string {
  const h = hop.trim();
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(h);
  if (bracket) return bracket[1]!;
  const v4 = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(h);
  return v4 ? v4[1]! : h;
}

/** What a PROXY header said about a connection, by socket. */
const proxied = new WeakMap<object, string>();

/** The address a request comes from: the PROXY header's or the peer's, then X-Forwarded-For. */
export function clientAddress(req: IncomingMessage, trusted: TrustedProxies): string {
  const peer = proxied.get(req.socket) ?? req.socket.remoteAddress ?? 'unknown';
  if (trusted.empty) return normalizeAddress(peer);
  return forwardedFor(peer, req.headers['x-forwarded-for'], trusted);
}

// --- PROXY protocol ---------------------------------------------------------------------------

const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
const V1_PREFIX = Buffer.from('PROXY ');
/** v1 lines are at most 107 bytes with the CRLF; v2 addresses at most 216 bytes plus TLVs. */
const V1_MAX = 107;
const V2_MAX = 16 + 4096;

export type ProxyHeader =
  /** Not a PROXY header: the bytes are the client's own (HTTP). */
  | { kind: 'none' }
  /** More bytes are needed to tell. */
  | { kind: 'partial' }
  | { kind: 'invalid'; reason: string }
  /** `address` null: a LOCAL connection (the proxy's own health check) or an unknown family. */
  | { kind: 'proxy'; version: 1 | 2; address: string | null; length: number };

/** Reads a PROXY protocol v1 or v2 header at the start of `buf` (haproxy.org/download/2.6/doc/proxy-protocol.txt). */
export function parseProxyHeader(buf: Buffer): ProxyHeader {
  const n = Math.min(buf.length, V2_SIGNATURE.length);
  if (n > 0 && buf.subarray(0, n).equals(V2_SIGNATURE.subarray(0, n))) {
    if (buf.length < 16) return { kind: 'partial' };
    const verCmd = buf[12]!;
    if (verCmd >> 4 !== 2) return { kind: 'invalid', reason: 'PROXY v2: bad version' };
    const length = 16 + buf.readUInt16BE(14);
    if (length > V2_MAX) return { kind: 'invalid', reason: 'PROXY v2: header too long' };
    if (buf.length < length) return { kind: 'partial' };
    const cmd = verCmd & 0x0f;
    if (cmd === 0) return { kind: 'proxy', version: 2, address: null, length };
    if (cmd !== 1) return { kind: 'invalid', reason: 'PROXY v2: bad command' };
    const family = buf[13]! >> 4;
    const body = buf.subarray(16, length);
    if (family === 1 && body.length >= 12) return { kind: 'proxy', version: 2, address: [...body.subarray(0, 4)].join('.'), length };
    if (family === 2 && body.length >= 36) {
      const groups: string[] = [];
      for (let i = 0; i < 16; i += 2) groups.push(body.readUInt16BE(i).toString(16));
      return { kind: 'proxy', version: 2, address: normalizeAddress(compressV6(groups)), length };
    }
    // AF_UNSPEC or AF_UNIX: no address to take; the proxy's own is used.
    return { kind: 'proxy', version: 2, address: null, length };
  }
  const m = Math.min(buf.length, V1_PREFIX.length);
  if (m > 0 && buf.subarray(0, m).equals(V1_PREFIX.subarray(0, m))) {
    const end = buf.indexOf('\r\n');
    if (end < 0) return buf.length >= V1_MAX ? { kind: 'invalid', reason: 'PROXY v1: no CRLF' } : { kind: 'partial' };
    if (end + 2 > V1_MAX) return { kind: 'invalid', reason: 'PROXY v1: line too long' };
    const parts = buf.subarray(0, end).toString('latin1').split(' ');
    const length = end + 2;
    if (parts[1] === 'UNKNOWN') return { kind: 'proxy', version: 1, address: null, length };
    if (parts.length !== 6 || (parts[1] !== 'TCP4' && parts[1] !== 'TCP6')) return { kind: 'invalid', reason: 'PROXY v1: bad line' };
    const src = parts[2]!;
    if (isIP(src) !== (parts[1] === 'TCP4' ? 4 : 6)) return { kind: 'invalid', reason: 'PROXY v1: bad source address' };
    return { kind: 'proxy', version: 1, address: normalizeAddress(src), length };
  }
  return { kind: 'none' };
}

function compressV6(groups: string[]): string {
  // Good enough for matching and for logs: normalize via the expanded form, `::` for the longest zero run.
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) [best, bestLen] = [i, j - i];
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

/**
 * Makes `server` read a PROXY header (v1 or v2) at the start of every connection from a trusted
 * proxy before its HTTP parser sees the bytes; the address it names is what `clientAddress`
 * then starts from. A connection from a trusted proxy without a header is served as it is (so
 * `option forwardfor` without `send-proxy` works too); a broken header, or none complete within
 * `timeoutMs`, closes the connection. Peers not trusted are not looked at.
 */
export function acceptProxyProtocol(server: Server, trusted: TrustedProxies, timeoutMs = 5000): void {
  if (trusted.empty) return;
  const listeners = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  const handOver = (socket: Socket) => {
    for (const l of listeners) l.call(server, socket);
  };
  server.on('connection', (socket: Socket) => {
    if (!trusted.has(socket.remoteAddress ?? '')) return handOver(socket);
    let buf: Buffer = Buffer.alloc(0);
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    const done = () => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onClose);
    };
    const onClose = () => done();
    const onData = (chunk: Buffer) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      const h = parseProxyHeader(buf);
      if (h.kind === 'partial') return;
      done();
      socket.pause();
      if (h.kind === 'invalid') return void socket.destroy();
      let rest: Buffer = buf;
      if (h.kind === 'proxy') {
        rest = buf.subarray(h.length);
        if (h.address) proxied.set(socket, h.address);
      }
      if (rest.length) socket.unshift(rest);
      handOver(socket);
      // The HTTP server's parser reads from here on (it resumes the socket itself).
      socket.resume();
    };
    socket.on('data', onData);
    socket.on('close', onClose);
    socket.on('error', onClose);
  });
}
