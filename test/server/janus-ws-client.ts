// A minimal Janus API client over the WebSocket transport (protocol `janus-protocol`),
// for tests that talk to Janus directly.
import WebSocket from 'ws';

export type JanusMessage = { janus: string; transaction?: string; [key: string]: unknown };

/** A minimal Janus API client over the WebSocket transport. */
export class JanusWs {
  #next = 0;
  #pending = new Map<string, { resolve: (m: JanusMessage) => void; reject: (e: Error) => void }>();
  /** Messages that answer no request of ours (plugin events such as a kick), in arrival order. */
  readonly events: JanusMessage[] = [];

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as JanusMessage;
      // "ack" only says a plugin request was received; wait for the real answer.
      if (msg.janus === 'ack') return;
      const p = msg.transaction ? this.#pending.get(msg.transaction) : undefined;
      if (!p) {
        this.events.push(msg);
        return;
      }
      this.#pending.delete(msg.transaction!);
      p.resolve(msg);
    });
    ws.on('close', () => {
      for (const p of this.#pending.values()) p.reject(new Error('websocket closed'));
      this.#pending.clear();
    });
  }

  static open(url: string): Promise<JanusWs> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, 'janus-protocol');
      ws.once('open', () => resolve(new JanusWs(ws)));
      ws.once('error', reject);
    });
  }

  get protocol(): string {
    return this.ws.protocol;
  }

  request(body: Record<string, unknown>, timeoutMs = 5000): Promise<JanusMessage> {
    const transaction = `t${++this.#next}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(transaction);
        reject(new Error(`no answer to ${JSON.stringify(body)} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(transaction, {
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.ws.send(JSON.stringify({ ...body, transaction }));
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}
