/**
 * A WebSocket client made by hand on a TCP socket, for what the `ws` client will not do: send
 * several frames (even broken ones) in one write, send invalid UTF-8, and never read.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

export interface RawSocket {
  socket: Socket;
  /** Frames the server sent so far (text as strings; close frames as {close: code}). */
  frames: Array<string | { close: number }>;
  /** Resolves when the socket is closed, for whatever reason. */
  closed: Promise<void>;
  isClosed(): boolean;
}

/** Opens a raw WebSocket; `read: false` stops reading as soon as the upgrade is done. */
export function rawConnect(port: number, path: string, options: { read?: boolean; headers?: Record<string, string> } = {}): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let closed = false;
    const closedP = new Promise<void>((r) => socket.once('close', () => ((closed = true), r())));
    socket.on('error', () => {});
    let buf: Buffer = Buffer.alloc(0);
    let upgraded = false;
    const raw: RawSocket = { socket, frames: [], closed: closedP, isClosed: () => closed };
    socket.once('connect', () => {
      const extra = Object.entries(options.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`,
      );
    });
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (!upgraded) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.subarray(0, end).toString();
        buf = buf.subarray(end + 4);
        if (!head.startsWith('HTTP/1.1 101')) {
          reject(new Error(head.split('\r\n')[0]));
          socket.destroy();
          return;
        }
        upgraded = true;
        if (options.read === false) {
          socket.removeAllListeners('data');
          socket.pause();
        }
        resolve(raw);
      }
      buf = parseFrames(buf, raw.frames);
    });
    socket.once('close', () => {
      if (!upgraded) reject(new Error('closed before the upgrade'));
    });
  });
}

/** A masked client frame (opcode 1 text, 2 binary). */
export function frame(payload: string | Buffer, opcode = 1): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const mask = randomBytes(4);
  let head: Buffer;
  if (data.length < 126) head = Buffer.from([0x80 | opcode, 0x80 | data.length]);
  else if (data.length < 65536) {
    head = Buffer.alloc(4);
    head[0] = 0x80 | opcode;
    head[1] = 0x80 | 126;
    head.writeUInt16BE(data.length, 2);
  } else {
    head = Buffer.alloc(10);
    head[0] = 0x80 | opcode;
    head[1] = 0x80 | 127;
    head.writeBigUInt64BE(BigInt(data.length), 2);
  }
  const masked = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i++) masked[i] = data[i]! ^ mask[i & 3]!;
  return Buffer.concat([head, mask, masked]);
}

/** Server frames (unmasked) → `out`; returns what is left of an incomplete frame. */
function parseFrames(buf: Buffer, out: RawSocket['frames']): Buffer {
  for (;;) {
    if (buf.length < 2) return buf;
    const opcode = buf[0]! & 0x0f;
    let len = buf[1]! & 0x7f;
    let off = 2;
    if (len === 126) {
      if (buf.length < 4) return buf;
      len = buf.readUInt16BE(2);
      off = 4;
    } else if (len === 127) {
      if (buf.length < 10) return buf;
      len = Number(buf.readBigUInt64BE(2));
      off = 10;
    }
    if (buf.length < off + len) return buf;
    const payload = buf.subarray(off, off + len);
    if (opcode === 1) out.push(payload.toString('utf8'));
    else if (opcode === 8) out.push({ close: payload.length >= 2 ? payload.readUInt16BE(0) : 1005 });
    buf = buf.subarray(off + len);
  }
}
