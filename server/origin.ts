/**
 * Who may open a WebSocket at all. A browser always sends `Origin` with a WebSocket upgrade, so a
 * page on another site cannot use a customer's or agent's browser against the control center
 * unless that site is in `--allowed-origins`. A connection without `Origin` is not a browser
 * (bots, integrators' servers, which the protocol serves) and is not refused for it. In demo
 * mode the demo's own pages (this server's port on the loopback names and `--host`) are allowed.
 */
import type { IncomingMessage } from 'node:http';
import type WebSocket from 'ws';
import { CloseCode } from '../core/protocol.js';
import type { Guard } from './limits.js';
import { normalizeOrigin } from './limits.js';

export interface OriginPolicy {
  /** null: every origin may connect. */
  allowedOrigins: string[] | null;
  demo: boolean;
  host: string;
}

export function originAllowed(req: IncomingMessage, policy: OriginPolicy): boolean {
  const header = req.headers.origin;
  if (header === undefined) return true;
  if (policy.allowedOrigins === null) return true;
  const origin = normalizeOrigin(header);
  if (origin === null) return false;
  if (policy.allowedOrigins.includes(origin)) return true;
  if (policy.demo) {
    const port = req.socket.localPort;
    const hosts = new Set(['127.0.0.1', 'localhost', '[::1]', policy.host.includes(':') ? `[${policy.host}]` : policy.host]);
    for (const h of hosts) if (origin === `http://${h}:${port}`) return true;
  }
  return false;
}

/** The HTTP answer that refuses an upgrade before it happens. */
export const FORBIDDEN_ORIGIN = 'HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 19\r\n\r\norigin not allowed\n';

/**
 * Counts an upgraded connection against its address; over the per-address limit it is closed
 * at once with 4005 (a browser's script sees that code, not an HTTP status) and false returned.
 */
export function admitConnection(
  guard: Guard,
  req: IncomingMessage,
  ws: WebSocket,
  /** The client's address (client-address.ts); default the socket's peer. */
  address: string = req.socket.remoteAddress ?? 'unknown',
  role?: 'agent' | 'caller',
): boolean {
  if (!guard.connect(ws, address, role)) {
    ws.close(CloseCode.rateLimited, 'too many connections from this address');
    setTimeout(() => ws.terminate(), 2000).unref();
    return false;
  }
  ws.once('close', () => guard.disconnect(ws));
  return true;
}
