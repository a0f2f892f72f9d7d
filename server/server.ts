/**
 * Wires the control center together: HTTP, both WebSocket endpoints, Janus, records. Tests and
 * the CLI both start it through `startServer`; `close()` is the graceful shutdown.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_FRAME_BYTES } from '../core/protocol.js';
import { AgentConnection } from './agent-endpoint.js';
import { Auth } from './auth.js';
import { CallerConnection } from './caller-endpoint.js';
import { systemClock, type Clock } from './clock.js';
import { resolveConfig, type ServerConfig, type ServerOptions } from './config.js';
import { ControlCenter } from './control-center.js';
import type { EndpointDeps } from './connection.js';
import { httpHandler } from './http.js';
import { JanusAdmin } from './janus-admin.js';
import { Records } from './records.js';
import { Rooms } from './rooms.js';

export interface StartOptions extends ServerOptions {
  clock?: Clock;
  log?: (message: string) => void;
  /** How long to wait for Janus at start before going on without it (it is retried). */
  janusStartWaitMs?: number;
}

export interface RunningServer {
  /** `http://host:port` */
  url: string;
  port: number;
  config: ServerConfig;
  cc: ControlCenter;
  rooms: Rooms;
  janus: JanusAdmin | null;
  /** Graceful: ends every call with `server-shutdown`, destroys rooms, closes records. */
  close(): Promise<void>;
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const config = resolveConfig(options);
  const clock = options.clock ?? systemClock;
  const log = options.log ?? ((m: string) => console.error(`[multi-seat] ${m}`));
  const records = new Records(config.db);
  const janus = config.janusUrl
    ? new JanusAdmin({
        url: config.janusUrl,
        apiSecret: config.janusApiSecret,
        adminKey: config.janusAdminKey,
        keepaliveMs: config.janusKeepaliveMs,
        reconnectMinMs: config.janusReconnectMinMs,
        reconnectMaxMs: config.janusReconnectMaxMs,
      })
    : null;
  // The engine needs the room announcer and the rooms need the engine: bind late.
  let cc: ControlCenter | null = null;
  const rooms = new Rooms(janus, config.janusPublicUrl ?? '', (key, media) => cc?.apply({ type: 'room-ready', key, media, now: clock.now() }), log);
  cc = new ControlCenter({ engine: config.engine, clock, records, rooms, queueThrottleMs: config.queueThrottleMs, log });
  const auth = new Auth(config.secret);

  janus?.start();
  if (janus) await janus.waitUp(options.janusStartWaitMs ?? 2000).catch(() => log(`Janus at ${config.janusUrl} is not answering; calls wait for rooms until it does`));

  const deps: EndpointDeps = { cc, auth, rateLimit: config.rateLimit, log };
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const http = createServer(httpHandler({ cc, auth, rooms, demo: config.demo, staticRoot: config.staticRoot, log }));
  let closing = false;

  http.on('upgrade', (req, socket: Duplex, head) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const Kind = path === '/v1/agent' ? AgentConnection : path === '/v1/caller' ? CallerConnection : null;
    if (!Kind || closing) {
      socket.end(`HTTP/1.1 ${closing ? '503 Service Unavailable' : '404 Not Found'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
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

  let closed: Promise<void> | null = null;
  const close = () =>
    (closed ??= (async () => {
      closing = true;
      cc.shutdown();
      await rooms.drain();
      // Let the last snapshots leave before the sockets go.
      await Promise.all(
        [...sockets].map(
          (ws) =>
            new Promise<void>((resolve) => {
              if (ws.readyState === ws.CLOSED) return resolve();
              ws.once('close', () => resolve());
              ws.close(1001, 'server shutting down');
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
      await janus?.stop();
      records.close();
    })());

  return { url: `http://${host}:${port}`, port, config, cc, rooms, janus, close };
}
