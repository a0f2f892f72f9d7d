/**
 * Who may enter a call's Janus room, derived rather than stored: every secret here is an HMAC of
 * the control center's own secret, so a restarted control center knows them again without any
 * storage.
 *
 * - A party is `agent:<seatId>`, `customer:<customerId>` (later `supervisor:<id>`).
 * - A party's token for a room, `token(room, party)`, is its entry in the room's VideoRoom
 *   `allowed` list and, at the same time, its Janus session token (`token_auth`): the control
 *   center adds it to Janus while the party has a right to the room and removes it after.
 * - A room's `secret` (edit, kick, destroy) never leaves the control center.
 *
 * `mediaPresenter` fills each party's own `media.token` (and `media.party`) into the views the
 * control center sends: the engine's views carry the room, never a token.
 */
import { createHmac } from 'node:crypto';
import type { CustomerCallView, MediaInfo, SeatView } from '../core/protocol.js';

/** Bytes of HMAC kept in a join token: 128 bits, 22 base64url characters. */
const TOKEN_BYTES = 16;

export const agentParty = (seatId: string): string => `agent:${seatId}`;
export const customerParty = (customerId: string): string => `customer:${customerId}`;

export class MediaKeys {
  private readonly key: Buffer;

  /** `secret`: the control center's own secret (its token-signing key will do: a sub-key is derived). */
  constructor(secret: string | Buffer) {
    this.key = createHmac('sha256', secret).update('multi-seat/janus-media/v1').digest();
  }

  private mac(text: string): Buffer {
    return createHmac('sha256', this.key).update(text).digest();
  }

  /** A party's join token (VideoRoom `allowed`) and Janus session token (`token_auth`) for one room. */
  token(room: number, party: string): string {
    return this.mac(`token:${room}:${party}`).subarray(0, TOKEN_BYTES).toString('base64url');
  }

  /** The room's `secret`: needed to edit, kick in and destroy the room. Never sent to a browser. */
  roomSecret(room: number): string {
    return this.mac(`secret:${room}`).toString('base64url');
  }

  /** The control center's own Janus session token (token_auth), added through the admin API at start. */
  ownToken(): string {
    return this.mac('control-center').subarray(0, TOKEN_BYTES).toString('base64url');
  }
}

export interface MediaPresenter {
  seat(view: SeatView, seatId: string): SeatView;
  call(view: CustomerCallView, customerId: string): CustomerCallView;
}

/** Returns copies of the views with each party's own `media.token` and `media.party`. */
export function mediaPresenter(keys: MediaKeys): MediaPresenter {
  const withToken = (media: MediaInfo | null, party: string): MediaInfo | null =>
    media ? { ...media, token: keys.token(media.room, party), party } : media;
  return {
    seat(view, seatId) {
      const party = agentParty(seatId);
      let changed = false;
      const splits = view.splits.map((split) => {
        const call = split.call;
        if (!call || (!call.media && !call.consult?.media)) return split;
        changed = true;
        return {
          ...split,
          call: {
            ...call,
            media: withToken(call.media, party),
            ...(call.consult ? { consult: { ...call.consult, media: withToken(call.consult.media, party) } } : {}),
          },
        };
      });
      return changed ? { ...view, splits } : view;
    },
    call(view, customerId) {
      return view.media ? { ...view, media: withToken(view.media, customerParty(customerId)) } : view;
    },
  };
}
