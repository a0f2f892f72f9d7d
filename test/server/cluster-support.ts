/**
 * A cluster on this machine for tests: a private Redis and control-center nodes as child
 * processes (so `kill -9` and SIGSTOP are real), each on its own port, all on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startRedis } from '../../scripts/redis.mjs';
import { Auth } from '../../server/auth.js';
import { Client, eventually, SECRET } from './helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const auth = new Auth(SECRET);

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

export class NodeProcess {
  child!: ChildProcess;
  out = '';
  private exited!: Promise<void>;
  constructor(
    readonly name: string,
    readonly port: number,
    private readonly args: string[],
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  ws(path: string): string {
    return `ws://127.0.0.1:${this.port}${path}`;
  }

  async start(): Promise<void> {
    this.out = '';
    this.child = spawn(process.execPath, ['bin/multi-seat-server.js', '--port', String(this.port), '--node', this.name, ...this.args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdout!.on('data', (d: Buffer) => (this.out += d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => (this.out += d.toString()));
    await eventually(() => assert.match(this.out, /control center on/), `node ${this.name} to start (${this.out})`, 20_000);
  }

  get running(): boolean {
    return this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.running) return;
    this.child.kill(signal);
    await this.exited;
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  async health(): Promise<{ role: string; node: string }> {
    return (await (await fetch(`${this.url}/healthz`)).json()) as { role: string; node: string };
  }
}

export interface Cluster {
  redis: Awaited<ReturnType<typeof startRedis>>;
  nodes: NodeProcess[];
  leader(): Promise<NodeProcess>;
  stop(): Promise<void>;
}

export async function startCluster(n: number, extra: string[] = []): Promise<Cluster> {
  const redis = await startRedis();
  const media = extra.some((a) => a.startsWith('--janus-url')) ? [] : ['--janus-url', 'none'];
  const args = ['--secret', SECRET, ...media, '--redis', redis.url, '--lease-ms', '1000', '--heartbeat-ms', '1500', ...extra];
  const nodes: NodeProcess[] = [];
  for (let i = 0; i < n; i++) nodes.push(new NodeProcess(`n${i + 1}`, await freePort(), args));
  await Promise.all(nodes.map((x) => x.start()));
  return {
    redis,
    nodes,
    async leader() {
      return eventually(async () => {
        const live = nodes.filter((x) => x.running);
        const roles = await Promise.all(live.map((x) => x.health().then((h) => h.role).catch(() => 'down')));
        const leaders = live.filter((_, i) => roles[i] === 'leader');
        assert.equal(leaders.length, 1, `leaders: ${roles.join(', ')}`);
        return leaders[0]!;
      }, 'one leader', 10_000);
    },
    async stop() {
      await Promise.all(nodes.map((x) => x.kill()));
      await redis.stop();
    },
  };
}

export async function agentOn(node: NodeProcess, seatId: string, splits = 2): Promise<Client> {
  const c = await Client.open(node.ws('/v1/agent'));
  await c.ok({ type: 'hello', token: await auth.sign({ role: 'agent', sub: seatId }), splits });
  await c.next('seat');
  return c;
}

export async function callerOn(node: NodeProcess, customerId: string): Promise<Client> {
  const c = await Client.open(node.ws('/v1/caller'));
  await c.ok({ type: 'hello', token: await auth.sign({ role: 'caller', sub: customerId }) });
  return c;
}
