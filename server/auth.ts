/**
 * Tokens of PROTOCOL.md: JWT, HS256 only, claims `sub`, `role`, `exp`. A token that fails any
 * check is refused with one reason; the caller turns that into `unauthorized`.
 */
import { SignJWT, jwtVerify } from 'jose';
import type { Role } from '../core/protocol.js';

export interface Identity {
  sub: string;
  role: Role;
}

export type Verified = { ok: true; identity: Identity } | { ok: false; reason: string };

const MAX_SUB_LENGTH = 128;

export class Auth {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  async verify(token: string, role: Role): Promise<Verified> {
    let payload;
    try {
      // Pinning the algorithm keeps `alg: none` and public-key confusion out.
      ({ payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], requiredClaims: ['sub', 'exp'] }));
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ERR_JWT_EXPIRED') return { ok: false, reason: 'the token has expired' };
      return { ok: false, reason: 'the token is not valid' };
    }
    if (payload.role !== role) return { ok: false, reason: `the token is not for the ${role} role` };
    const sub = payload.sub;
    if (typeof sub !== 'string' || sub.length === 0 || sub.length > MAX_SUB_LENGTH) return { ok: false, reason: 'the token has no usable sub' };
    return { ok: true, identity: { sub, role } };
  }

  /** Signs a token; used by the demo's dev-token endpoint and by tests. */
  async sign(identity: Identity, ttlSeconds = 12 * 3600): Promise<string> {
    return new SignJWT({ role: identity.role })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(identity.sub)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
      .sign(this.key);
  }
}
