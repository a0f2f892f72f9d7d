/**
 * bench:load --flood: LOAD_FLOOD_CONNECTIONS raw WebSockets that write tiny bad frames as fast
 * as they can and never read. The server closes each (4004, once 1 MiB is unsent); this opens a
 * new one in its place, until the parent stops it.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';

const url = new URL(process.env['LOAD_URL']!);
const connections = Number(process.env['LOAD_FLOOD_CONNECTIONS'] ?? 4);

function frame(text: string): Buffer {
  const data = Buffer.from(text);
  const mask = randomBytes(4);
  const out = Buffer.alloc(6 + data.length);
  out[0] = 0x81;
  out[1] = 0x80 | data.length;
  mask.copy(out, 2);
  for (let i = 0; i < data.length; i++) out[6 + i] = data[i]! ^ mask[i & 3]!;
  return out;
}

const batch = Buffer.concat(Array.from({ length: 2000 }, () => frame('x')));

function flood(): void {
  const socket = connect(Number(url.port), url.hostname);
  socket.on('error', () => {});
  socket.once('close', () => setTimeout(flood, 100));
  socket.once('connect', () => {
    socket.write(`GET /v1/caller HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    // Never read: the answers to every frame pile up on the server's side.
    socket.pause();
    const pump = () => {
      while (!socket.destroyed && socket.write(batch));
      if (!socket.destroyed) socket.once('drain', pump);
    };
    pump();
  });
}

for (let i = 0; i < connections; i++) flood();
