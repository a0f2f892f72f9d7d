// A tiny Node client for Janus's plain HTTP API, for tests and benchmarks: make, list and destroy
// VideoRoom rooms from outside the browser, as the control center would. One short-lived Janus
// session per call (no keepalive to manage). Plain ESM, no dependencies.
import { randomBytes, randomInt } from 'node:crypto';

/** @param {string} url @param {Record<string, unknown>} body */
async function post(url, body) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ transaction: randomBytes(6).toString('hex'), ...body }),
    signal: AbortSignal.timeout(5000),
  });
  const json = await res.json();
  if (json.janus === 'error') throw new Error(`janus ${json.error?.code}: ${json.error?.reason}`);
  return json;
}

/**
 * Sends one synchronous VideoRoom request and returns the plugin's answer.
 * @param {string} httpUrl e.g. http://127.0.0.1:8088/janus
 * @param {Record<string, unknown>} request
 */
export async function videoroom(httpUrl, request) {
  const session = (await post(httpUrl, { janus: 'create' })).data.id;
  try {
    const handle = (await post(`${httpUrl}/${session}`, { janus: 'attach', plugin: 'janus.plugin.videoroom' })).data.id;
    const answer = await post(`${httpUrl}/${session}/${handle}`, { janus: 'message', body: request });
    const data = answer.plugindata?.data;
    if (!data) throw new Error(`janus: no plugin data in ${JSON.stringify(answer)}`);
    if (data.error) throw new Error(`videoroom ${data.error_code}: ${data.error}`);
    return data;
  } finally {
    await post(`${httpUrl}/${session}`, { janus: 'destroy' }).catch(() => {});
  }
}

/**
 * Makes a private room like the control center does (random id and pin), for two participants.
 * @param {string} httpUrl
 * @param {{publishers?: number, room?: number, pin?: string}} [options]
 * @returns {Promise<{room: number, pin: string, secret: string}>}
 */
export async function createRoom(httpUrl, { publishers = 3, room = randomInt(1, 2 ** 47), pin = randomBytes(9).toString('base64url') } = {}) {
  const secret = randomBytes(12).toString('base64url');
  await videoroom(httpUrl, {
    request: 'create',
    room,
    pin,
    secret,
    is_private: true,
    publishers,
    description: 'multi-seat test',
    videocodec: 'vp8',
    audiocodec: 'opus',
    permanent: false,
  });
  return { room, pin, secret };
}

/** @param {string} httpUrl @param {number} room */
export async function listParticipants(httpUrl, room) {
  const data = await videoroom(httpUrl, { request: 'listparticipants', room });
  return /** @type {{id: number, display?: string, publisher: boolean}[]} */ (data.participants ?? []);
}

/** @param {string} httpUrl @param {number} room */
export async function roomExists(httpUrl, room) {
  const data = await videoroom(httpUrl, { request: 'exists', room });
  return Boolean(data.exists);
}

/** @param {string} httpUrl @param {number} room @param {string} secret */
export async function destroyRoom(httpUrl, room, secret) {
  await videoroom(httpUrl, { request: 'destroy', room, secret });
}
