/**
 * Tokens of PROTOCOL.md: JWT, HS256 only, claims `sub`, `role`, `exp`, and (additions) `iat`,
 * caller claims `name` and `priority`, and a header `kid` choosing one of several keys so keys
 * rotate. A token that fails any check is refused with one reason; the caller turns that into
 * `unauthorized`.
 *
 * Checking is synchronous (node:crypto HMAC), so a connection handles its frames one after
 * another in the order they came, and every frame before a close gets its reply.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Role } from '../core/protocol.js';
import { validateSkills, type Skills } from '../core/queue-config.js';

/** Roles a token may carry: the two endpoints', and `supervisor` (reads every call record). */
export type TokenRole = Role | 'supervisor';

export interface Identity {
  sub: string;
  role: Role;
  /** Caller tokens: the signed display name, or null. */
  name?: string | null;
  /** Caller tokens: the highest priority this customer may call with (0–9; 0 when absent). */
  priority?: number;
  /** Agent tokens: R19 skills and levels (`{"claims":5,"zh":3}`; `{}` when the claim is absent). */
  skills?: Skills;
}

export type Verified = { ok: true; identity: Identity } | { ok: false; reason: string };
export type VerifiedAny = { ok: true; sub: string; role: TokenRole } | { ok: false; reason: string };

export interface AuthOptions {
  /** More keys by `kid` (a token with a `kid` header is checked with that key only). */
  secrets?: { kid: string; secret: string }[];
  /** A token older than this from its `iat` is refused; one without `iat` needs `exp` closer than this. */
  maxTokenAgeMs?: number;
  /** A static bearer token for the records (`GET /v1/calls`), compared in constant time. */
  recordsToken?: string | null;
  now?: () => number;
}

const MAX_SUB_LENGTH = 128;
const MAX_NAME_LENGTH = 100;
const MAX_TOKEN_LENGTH = 4096;
/** Clocks of the minter and of the control center may differ this much. */
const CLOCK_SKEW_S = 60;
const DEFAULT_MAX_AGE_MS = 12 * 3600 * 1000;
const ROLES: ReadonlySet<string> = new Set(['agent', 'caller', 'supervisor']);

export class Auth {
  /** The `--secret` key: checks tokens without `kid`, and signs. Null when only `--secrets` are set. */
  private readonly key: Buffer | null;
  private readonly keys = new Map<string, Buffer>();
  private readonly maxAgeMs: number;
  private readonly recordsToken: Buffer | null;
  private readonly now: () => number;

  constructor(secret: string, options: AuthOptions = {}) {
    this.key = secret ? Buffer.from(secret, 'utf8') : null;
    for (const { kid, secret: s } of options.secrets ?? []) this.keys.set(kid, Buffer.from(s, 'utf8'));
    this.maxAgeMs = options.maxTokenAgeMs ?? DEFAULT_MAX_AGE_MS;
    this.recordsToken = options.recordsToken ? Buffer.from(options.recordsToken, 'utf8') : null;
    this.now = options.now ?? Date.now;
    if (!this.key && this.keys.size === 0) throw new Error('Auth needs a secret or at least one kid:secret');
  }

  /** Checks a token for an endpoint's role. */
  check(token: unknown, role: Role): Verified {
    const v = this.checkToken(token);
    if (!v.ok) return v;
    if (v.role !== role) return { ok: false, reason: `the token is not for the ${role} role` };
    const identity: Identity = { sub: v.sub, role };
    if (role === 'caller') {
      const claims = v.claims;
      const name = claims['name'];
      if (name !== undefined && name !== null && (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH))
        return { ok: false, reason: `the token's name claim must be a string of 1–${MAX_NAME_LENGTH} characters` };
      const priority = claims['priority'];
      if (priority !== undefined && (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 0 || priority > 9))
        return { ok: false, reason: "the token's priority claim must be a whole number from 0 to 9" };
      identity.name = typeof name === 'string' ? name : null;
      identity.priority = typeof priority === 'number' ? priority : 0;
    }
    if (role === 'agent') {
      const skills = v.claims['skills'];
      try {
        identity.skills = skills === undefined || skills === null ? {} : validateSkills(skills, 'skills');
      } catch (e) {
        return { ok: false, reason: `the token's skills claim is not usable: ${(e as Error).message}` };
      }
    }
    return { ok: true, identity };
  }

  /** Kept for callers that awaited the old jose check. */
  async verify(token: string, role: Role): Promise<Verified> {
    return this.check(token, role);
  }

  /** Checks signature, `exp`, age, `sub` and `role` (any of the three roles). */
  checkAny(token: unknown): VerifiedAny {
    const v = this.checkToken(token);
    return v.ok ? { ok: true, sub: v.sub, role: v.role } : v;
  }

  private checkToken(token: unknown): { ok: true; sub: string; role: TokenRole; claims: Record<string, unknown> } | { ok: false; reason: string } {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'the token is not valid' };
    const parts = token.split('.');
    if (parts.length !== 3) return { ok: false, reason: 'the token is not valid' };
    const [h, p, s] = parts as [string, string, string];
    const header = decodeJson(h);
    // Pinning the algorithm keeps `alg: none` and public-key confusion out.
    if (!header || header['alg'] !== 'HS256' || header['crit'] !== undefined) return { ok: false, reason: 'the token is not valid' };
    const kid = header['kid'];
    let key: Buffer | null | undefined;
    if (kid === undefined) key = this.key;
    else if (typeof kid === 'string') key = this.keys.get(kid);
    if (!key) return { ok: false, reason: kid === undefined ? 'the token needs a kid' : 'the token is not valid' };
    const expected = createHmac('sha256', key).update(`${h}.${p}`).digest();
    const given = base64url(s);
    if (!given || given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'the token is not valid' };
    const payload = decodeJson(p);
    if (!payload) return { ok: false, reason: 'the token is not valid' };
    const nowS = this.now() / 1000;
    const exp = payload['exp'];
    if (typeof exp !== 'number' || !Number.isFinite(exp)) return { ok: false, reason: 'the token is not valid' };
    if (exp <= nowS) return { ok: false, reason: 'the token has expired' };
    const nbf = payload['nbf'];
    if (nbf !== undefined && (typeof nbf !== 'number' || nbf > nowS + CLOCK_SKEW_S)) return { ok: false, reason: 'the token is not valid yet' };
    const iat = payload['iat'];
    const maxAgeS = this.maxAgeMs / 1000;
    if (iat !== undefined) {
      if (typeof iat !== 'number' || !Number.isFinite(iat) || iat > nowS + CLOCK_SKEW_S) return { ok: false, reason: 'the token is not valid' };
      if (nowS - iat > maxAgeS) return { ok: false, reason: 'the token is too old (max token age)' };
    } else if (exp - nowS > maxAgeS) {
      // Existing minters that set no iat keep working while their tokens are short-lived.
      return { ok: false, reason: 'a token without iat must expire within the max token age' };
    }
    const sub = payload['sub'];
    if (typeof sub !== 'string' || sub.length === 0 || sub.length > MAX_SUB_LENGTH) return { ok: false, reason: 'the token has no usable sub' };
    const role = payload['role'];
    if (typeof role !== 'string' || !ROLES.has(role)) return { ok: false, reason: 'the token has no usable role' };
    return { ok: true, sub, role: role as TokenRole, claims: payload };
  }

  /** The `--records-token`, compared in constant time. */
  isRecordsToken(token: string): boolean {
    if (!this.recordsToken) return false;
    const given = Buffer.from(token, 'utf8');
    return given.length === this.recordsToken.length && timingSafeEqual(given, this.recordsToken);
  }

  /** Signs a token; used by the demo's dev-token endpoint and by tests. */
  async sign(
    identity: { sub: string; role: TokenRole },
    ttlSeconds = 12 * 3600,
    extra: { name?: string; priority?: number; iat?: number | null; kid?: string; skills?: unknown } = {},
  ): Promise<string> {
    const claims: Record<string, unknown> = { role: identity.role };
    if (extra.name !== undefined) claims['name'] = extra.name;
    if (extra.priority !== undefined) claims['priority'] = extra.priority;
    if (extra.skills !== undefined) claims['skills'] = extra.skills;
    const kid = extra.kid ?? (this.key ? undefined : this.keys.keys().next().value);
    const key = kid !== undefined ? this.keys.get(kid) : this.key;
    if (!key) throw new Error(`no key for kid ${String(kid)}`);
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...(kid !== undefined ? { kid } : {}) })
      .setSubject(identity.sub)
      .setExpirationTime(Math.floor(this.now() / 1000) + ttlSeconds);
    if (extra.iat !== null) jwt.setIssuedAt(extra.iat ?? Math.floor(this.now() / 1000));
    return jwt.sign(key);
  }
}

function base64url(s: string): Buffer | null {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return null;
  return Buffer.from(s, 'base64url');
}

function decodeJson(part: string): Record<string, unknown> | null {
  const bytes = base64url(part);
  if (!bytes) return null;
  try {
    const v = JSON.parse(bytes.toString('utf8')) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
