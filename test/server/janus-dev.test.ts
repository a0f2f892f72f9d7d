// Proves the development Janus (scripts/janus.mjs) works for the server: it starts
// on free ports, speaks the Janus API over WebSocket, runs the videoroom plugin,
// and stops cleanly.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { startJanus } from '../../scripts/janus.mjs';
// A sibling .ts imported by its .js name, as every source file here does.
import { JanusWs, type JanusMessage } from './janus-ws-client.js';

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('development Janus (scripts/janus.mjs)', () => {
  let janus: Awaited<ReturnType<typeof startJanus>>;
  let client: JanusWs;

  before(async () => {
    janus = await startJanus({ wsPort: 0, httpPort: 0, adminPort: 0 });
  });

  after(async () => {
    await client?.close();
    await janus?.stop();
  });

  it('answers /info with only the videoroom plugin and the HTTP and WebSocket transports', async () => {
    const info = (await (await fetch(`${janus.httpUrl}/info`)).json()) as {
      janus: string;
      plugins: Record<string, unknown>;
      transports: Record<string, unknown>;
    };
    assert.equal(info.janus, 'server_info');
    assert.deepEqual(Object.keys(info.plugins), ['janus.plugin.videoroom']);
    assert.deepEqual(Object.keys(info.transports).sort(), ['janus.transport.http', 'janus.transport.websockets']);
  });

  it('answers the admin API on 127.0.0.1 with the generated admin secret', async () => {
    assert.ok(janus.adminUrl && janus.adminSecret);
    const ask = async (secret: string) =>
      (await (
        await fetch(janus.adminUrl!, {
          method: 'POST',
          body: JSON.stringify({ janus: 'list_sessions', transaction: 'x', admin_secret: secret }),
        })
      ).json()) as JanusMessage;
    assert.equal((await ask(janus.adminSecret!)).janus, 'success');
    assert.equal((await ask('wrong')).janus, 'error');
  });

  it('creates, lists and destroys a pinned videoroom over WebSocket', async () => {
    client = await JanusWs.open(janus.wsUrl);
    assert.equal(client.protocol, 'janus-protocol');

    const created = await client.request({ janus: 'create' });
    assert.equal(created.janus, 'success', JSON.stringify(created));
    const session_id = (created.data as { id: number }).id;

    const attached = await client.request({ janus: 'attach', session_id, plugin: 'janus.plugin.videoroom' });
    assert.equal(attached.janus, 'success', JSON.stringify(attached));
    const handle_id = (attached.data as { id: number }).id;

    const videoroom = async (body: Record<string, unknown>) => {
      const res = await client.request({ janus: 'message', session_id, handle_id, body });
      assert.equal(res.janus, 'success', JSON.stringify(res));
      const data = (res.plugindata as { plugin: string; data: Record<string, unknown> }).data;
      assert.notEqual(data.videoroom, 'event', `videoroom error: ${JSON.stringify(data)}`);
      return data;
    };
    const listIds = async () =>
      ((await videoroom({ request: 'list' })).list as Array<{ room: number; pin_required: boolean }>);

    const room = 900_000 + Math.floor(Math.random() * 99_999);
    const createdRoom = await videoroom({
      request: 'create',
      room,
      description: 'multi-seat janus-dev test',
      pin: 'seat-pin',
      publishers: 2,
      is_private: false,
    });
    assert.equal(createdRoom.videoroom, 'created');
    assert.equal(createdRoom.room, room);

    const listed = (await listIds()).find((r) => r.room === room);
    assert.ok(listed, 'the new room is listed');
    assert.equal(listed.pin_required, true);

    const destroyed = await videoroom({ request: 'destroy', room });
    assert.equal(destroyed.videoroom, 'destroyed');
    assert.equal(
      (await listIds()).some((r) => r.room === room),
      false,
      'the destroyed room is no longer listed',
    );

    const detached = await client.request({ janus: 'detach', session_id, handle_id });
    assert.equal(detached.janus, 'success');
    const gone = await client.request({ janus: 'destroy', session_id });
    assert.equal(gone.janus, 'success');
  });

  it('stops: the process is gone and its folder removed', async () => {
    await client?.close();
    const { pid, dir } = janus;
    assert.ok(pidAlive(pid), 'janus runs before stop()');
    await janus.stop();
    assert.equal(pidAlive(pid), false, `janus pid ${pid} still alive after stop()`);
    assert.equal(existsSync(dir), false, `${dir} still exists after stop()`);
  });
});
