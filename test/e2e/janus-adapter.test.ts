// JanusMediaAdapter against a real Janus (started by web-test-runner.e2e.config.mjs) in real
// Chromium with a fake camera and microphone: real WebRTC both ways.
import { expect } from '@open-wc/testing';
import { JanusMediaAdapter, type JanusLeg } from '../../components/media/janus-adapter.js';
import { destroyRoom, janusInfo, newRoom, provePlaying, remoteVideo, roomInfo, waitFor, waitStatus } from './janus-helpers.js';

const adapters: JanusMediaAdapter[] = [];
const videos: HTMLVideoElement[] = [];
function adapter(options: ConstructorParameters<typeof JanusMediaAdapter>[0] = {}): JanusMediaAdapter {
  const a = new JanusMediaAdapter(options);
  adapters.push(a);
  return a;
}
async function playing(stream: MediaStream | null): Promise<HTMLVideoElement> {
  expect(stream, 'a remote stream').to.be.instanceOf(MediaStream);
  const v = await provePlaying(stream!);
  videos.push(v);
  return v;
}

afterEach(async () => {
  videos.splice(0).forEach((v) => ((v.srcObject = null), v.remove()));
  await Promise.all(adapters.splice(0).map((a) => a.dispose()));
});

describe('JanusMediaAdapter with a real Janus', () => {
  it('two legs in one room see each other: remote video decodes frames both ways', async () => {
    const room = await newRoom();
    const customer = adapter().join(room, { display: 'customer', publish: true, focused: true });
    const agent = adapter().join(room, { display: 'agent', publish: true, focused: true });
    await waitStatus(customer, 'live');
    await waitStatus(agent, 'live');
    const agentSees = await remoteVideo(agent);
    const customerSees = await remoteVideo(customer);
    const v1 = await playing(agentSees);
    const v2 = await playing(customerSees);
    expect(v1.videoWidth).to.be.greaterThan(0);
    expect(v2.videoWidth).to.be.greaterThan(0);
    expect(agent.getState().local?.getVideoTracks()).to.have.length(1);
    expect(agent.getState().remote?.getAudioTracks().length, 'remote audio').to.equal(1);
    const info = await roomInfo(room.room);
    expect(info.participants.map((p) => p.display).sort()).to.deep.equal(['agent', 'customer']);
    expect(info.participants.every((p) => p.publisher)).to.equal(true);
  });

  it('setFocused moves the microphone and the remote audio (R10), video keeps flowing', async () => {
    const room = await newRoom();
    const customer = adapter().join(room, { display: 'customer', publish: true, focused: true });
    const agent = adapter().join(room, { display: 'agent', publish: true, focused: false });
    await waitStatus(customer, 'live');
    await waitStatus(agent, 'live');
    const mic = () => agent.getState().local!.getAudioTracks()[0];
    const remoteAudio = () => agent.getState().remote?.getAudioTracks()[0];
    await waitFor(() => remoteAudio(), 'remote audio track');
    expect(mic().enabled, 'unfocused: mic off').to.equal(false);
    expect(remoteAudio()!.enabled, 'unfocused: remote audio off').to.equal(false);
    expect(agent.getState().focused).to.equal(false);

    agent.setFocused(true);
    expect(mic().enabled).to.equal(true);
    expect(remoteAudio()!.enabled).to.equal(true);
    expect(agent.getState().focused).to.equal(true);

    agent.setFocused(false);
    expect(mic().enabled).to.equal(false);
    expect(remoteAudio()!.enabled).to.equal(false);
    expect(agent.getState().local!.getVideoTracks()[0].enabled, 'video stays on').to.equal(true);
    await playing(agent.getState().remote);
  });

  it('focus is per leg: two legs on one adapter share the camera but not the mute', async () => {
    let opened = 0;
    const a = adapter({
      localStream: () => (opened++, navigator.mediaDevices.getUserMedia({ audio: true, video: true })),
    });
    const [r1, r2] = await Promise.all([newRoom(), newRoom()]);
    const l1 = a.join(r1, { display: 'agent', publish: true, focused: true });
    const l2 = a.join(r2, { display: 'agent', publish: true, focused: false });
    await waitStatus(l1, 'live');
    await waitStatus(l2, 'live');
    expect(opened, 'camera opened once').to.equal(1);
    expect(l1.getState().local!.getAudioTracks()[0].enabled).to.equal(true);
    expect(l2.getState().local!.getAudioTracks()[0].enabled).to.equal(false);
    l1.setFocused(false);
    l2.setFocused(true);
    expect(l1.getState().local!.getAudioTracks()[0].enabled).to.equal(false);
    expect(l2.getState().local!.getAudioTracks()[0].enabled).to.equal(true);
  });

  it('subscribes when the other side publishes later', async () => {
    const room = await newRoom();
    const agent = adapter().join(room, { display: 'agent', publish: true, focused: true });
    await waitStatus(agent, 'live');
    expect(agent.getState().remote).to.equal(null);
    const customer = adapter().join(room, { display: 'customer', publish: true, focused: true });
    await waitStatus(customer, 'live');
    await playing(await remoteVideo(agent));
  });

  it('a preview leg (publish: false) plays the other side without publishing', async () => {
    const room = await newRoom();
    const customer = adapter().join(room, { display: 'customer', publish: true, focused: true });
    await waitStatus(customer, 'live');
    const preview = adapter().join(room, { display: 'agent-preview', publish: false, focused: false });
    await waitStatus(preview, 'live');
    expect(preview.getState().local).to.equal(null);
    await playing(await remoteVideo(preview));
    const info = await roomInfo(room.room);
    const p = info.participants.find((x) => x.display === 'agent-preview');
    expect(p?.publisher, 'preview does not publish').to.equal(false);
    expect(customer.getState().remote, 'the customer gets nothing from a preview').to.equal(null);
  });

  it('publish() turns a preview leg into the answered leg without touching the remote video', async () => {
    const room = await newRoom();
    const customer = adapter().join(room, { display: 'customer', publish: true, focused: true });
    await waitStatus(customer, 'live');
    const leg = adapter().join(room, { display: 'agent', publish: false, focused: false }) as JanusLeg;
    await waitStatus(leg, 'live');
    const before = await remoteVideo(leg);
    await playing(before);
    await leg.publish();
    leg.setFocused(true);
    expect(leg.getState().remote, 'same remote stream: no blink').to.equal(before);
    expect(leg.getState().local?.getTracks().map((t) => t.kind).sort()).to.deep.equal(['audio', 'video']);
    expect(leg.getState().local!.getAudioTracks()[0].enabled).to.equal(true);
    await waitFor(async () => (await roomInfo(room.room)).participants.find((p) => p.display === 'agent')?.publisher, 'agent publishing');
    await playing(await remoteVideo(customer));
  });

  it('close() detaches: the participant leaves the room, and the other side drops its media', async () => {
    const room = await newRoom();
    const customer = adapter().join(room, { display: 'customer', publish: true, focused: true });
    const agent = adapter().join(room, { display: 'agent', publish: true, focused: true });
    await waitStatus(customer, 'live');
    await waitStatus(agent, 'live');
    await waitFor(() => customer.getState().remote, 'customer remote');
    expect((await roomInfo(room.room)).participants).to.have.length(2);
    await agent.close();
    expect(agent.getState().status).to.equal('closed');
    const left = await waitFor(async () => {
      const p = (await roomInfo(room.room)).participants;
      return p.length === 1 ? p : null;
    }, 'agent gone from listparticipants');
    expect(left[0].display).to.equal('customer');
    await waitFor(() => customer.getState().remote === null, 'customer drops the agent media');
    expect(customer.getState().status, 'the other side leaving is not a failure').to.equal('live');
    // Someone else takes the call (a transfer): the customer sees the new agent.
    const next = adapter().join(room, { display: 'agent-2', publish: true, focused: true });
    await waitStatus(next, 'live');
    await playing(await remoteVideo(customer));
    expect(customer.getState().status).to.equal('live');
  });

  it('a wrong pin fails with a readable error, and retry() cannot fix a wrong pin', async () => {
    const room = await newRoom();
    const leg = adapter().join({ ...room, pin: 'wrong' }, { display: 'agent', publish: true, focused: true });
    const s = await waitStatus(leg, 'failed');
    expect(s.error).to.match(/wrong pin/i);
    expect((await roomInfo(room.room)).participants).to.have.length(0);
    await leg.retry();
    expect(leg.getState().status).to.equal('failed');
    expect(leg.getState().error).to.match(/wrong pin/i);
  });

  it('retry() after a failure brings the leg back (the room appeared late)', async () => {
    const { wsUrl } = await janusInfo();
    const chosen = { room: Math.floor(Math.random() * 2 ** 40) + 1, pin: 'late-room-pin' };
    const agent = adapter().join({ server: wsUrl, ...chosen }, { display: 'agent', publish: true, focused: true });
    const failed = await waitStatus(agent, 'failed');
    expect(failed.error).to.match(/does not exist/);
    const room = await newRoom(chosen);
    const customer = adapter().join(room, { display: 'customer', publish: true, focused: true });
    await waitStatus(customer, 'live');
    const states: string[] = [];
    agent.subscribe((st) => states.push(st.status));
    await (agent as JanusLeg).retry();
    expect(agent.getState().status, agent.getState().error ?? '').to.equal('live');
    expect(states[0]).to.equal('connecting');
    await playing(await remoteVideo(agent));
  });

  it('a room destroyed under a live leg closes it without an error (its call ended); an unreachable server fails with a readable error', async () => {
    const room = await newRoom();
    const leg = adapter().join(room, { display: 'agent', publish: true, focused: true });
    await waitStatus(leg, 'live');
    const states: string[] = [];
    leg.subscribe((st) => states.push(st.status));
    await destroyRoom(room);
    const closed = await waitStatus(leg, 'closed');
    expect([closed.ended, closed.error, closed.remote]).to.deep.equal(['room-closed', null, null]);
    expect(states, 'never failed on the way').to.not.include('failed');

    const off = adapter().join({ server: 'ws://127.0.0.1:9', room: 1, pin: 'x' }, { display: 'a', publish: false, focused: false });
    expect((await waitStatus(off, 'failed')).error).to.match(/cannot reach the media server/);
  });

  it('one Janus session per adapter, shared by its legs', async () => {
    const a = adapter();
    const [r1, r2] = await Promise.all([newRoom(), newRoom()]);
    const l1 = a.join(r1, { display: 'agent', publish: false, focused: false });
    const l2 = a.join(r2, { display: 'agent', publish: false, focused: false });
    await waitStatus(l1, 'live');
    await waitStatus(l2, 'live');
    expect(a.session(r1.server)).to.equal(a.session(r2.server));
    await l1.close();
    await waitStatus(l2, 'live');
    expect(l2.getState().status).to.equal('live');
  });
});

describe('JanusMediaAdapter when Janus itself goes away', () => {
  it('fails every leg with a readable error, and retry() works once Janus is back', async () => {
    const post = async (path: string, body: unknown = {}) => {
      const res = await fetch(path, { method: 'POST', body: JSON.stringify(body) });
      const json = await res.json();
      if (!res.ok) throw new Error(json.error);
      return json;
    };
    const extra = (await post('/__janus/extra')) as { id: number; wsUrl: string };
    const chosen = { room: Math.floor(Math.random() * 2 ** 40) + 1, pin: 'restart-pin' };
    await post(`/__janus/extra/${extra.id}/stop`);
    await post(`/__janus/extra/${extra.id}/start`, chosen);
    const media = { server: extra.wsUrl, ...chosen };
    const customer = adapter().join(media, { display: 'customer', publish: true, focused: true });
    const agent = adapter().join(media, { display: 'agent', publish: true, focused: true });
    await waitStatus(customer, 'live');
    await waitStatus(agent, 'live');
    await remoteVideo(agent);

    await post(`/__janus/extra/${extra.id}/stop`);
    const failed = await waitStatus(agent, 'failed', 15_000);
    expect(failed.error).to.match(/lost the media server/);
    expect(failed.remote).to.equal(null);
    await waitStatus(customer, 'failed', 15_000);

    await post(`/__janus/extra/${extra.id}/start`, chosen);
    await (customer as JanusLeg).retry();
    await (agent as JanusLeg).retry();
    expect(customer.getState().status, customer.getState().error ?? '').to.equal('live');
    expect(agent.getState().status, agent.getState().error ?? '').to.equal('live');
    await playing(await remoteVideo(agent));
    await post(`/__janus/extra/${extra.id}/stop`);
  });
});
