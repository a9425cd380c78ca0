import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { HttpToken } from '../config.js';

/** A logged-in reviewer, read from a valid session cookie. */
export interface ReviewSession {
  principal: string;
  /** Random per login: the CSRF token of this session's forms is derived from it. */
  nonce: string;
  expires: number;
}

export const SESSION_COOKIE = 'pe_review';
export const LOGIN_COOKIE = 'pe_review_login';
const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
const LOGIN_TTL_MS = 30 * 60 * 1000;
const LOCAL_LABEL = 'local';

interface Credential {
  label: string;
  digest: Buffer;
  /** Bound into the cookie: a token removed from the configuration logs its sessions out. */
  binding: string;
  /** Generated one-time login token: replaced by a fresh one after each successful login. */
  oneTime: boolean;
}

/**
 * Logins with a bearer token, signed session cookies and CSRF tokens (ADR 0121). Keys derive from
 * the store's shared secret, so every replica sharing the store accepts the same cookies.
 */
export class ReviewAuth {
  private readonly credentials: Credential[];
  private readonly failures = new Map<string, { count: number; since: number }>();

  private constructor(
    private readonly key: Buffer,
    tokens: HttpToken[],
    private readonly announce: (token: string) => void,
    private readonly now: () => number,
  ) {
    this.credentials = tokens.map((t) => ({
      label: t.label,
      digest: sha256(t.token),
      binding: this.mac('token', t.token).slice(0, 16),
      oneTime: false,
    }));
    if (this.credentials.length === 0) {
      // No configured token (a loopback server): a one-time token printed where only the person who
      // started the server sees it; sessions last as long as this process.
      this.credentials.push({
        label: LOCAL_LABEL,
        digest: Buffer.alloc(32),
        binding: randomBytes(12).toString('base64url'),
        oneTime: true,
      });
      this.rotateLocalToken();
    }
  }

  /** Builds the authenticator; `secret` is the store's confirm secret (the cookie key is derived from it). */
  static create(
    secret: Buffer,
    tokens: HttpToken[],
    announce: (token: string) => void,
    now: () => number = Date.now,
  ): ReviewAuth {
    const key = createHmac('sha256', secret).update('post-editor-mcp review session v1').digest();
    return new ReviewAuth(key, tokens, announce, now);
  }

  /** Whether logins use a generated one-time token (no token configured). */
  get usesLocalToken(): boolean {
    return this.credentials.some((c) => c.oneTime);
  }

  /** Checks a submitted token against every credential in constant time; a session on success. */
  login(
    token: string,
    clientKey: string,
  ): { session: ReviewSession; cookie: string } | 'refused' | 'throttled' {
    if (this.throttled(clientKey)) return 'throttled';
    const given = sha256(token.trim());
    let found: Credential | undefined;
    for (const c of this.credentials) if (timingSafeEqual(given, c.digest)) found ??= c;
    if (!found || token.trim() === '') {
      this.recordFailure(clientKey);
      return 'refused';
    }
    this.failures.delete(clientKey);
    if (found.oneTime) this.rotateLocalToken();
    const session: ReviewSession = {
      principal: found.label,
      nonce: randomBytes(16).toString('base64url'),
      expires: this.now() + SESSION_TTL_MS,
    };
    return { session, cookie: this.sealSession(session, found.binding) };
  }

  /** The session a cookie value proves, or undefined (forged, expired, or its token was removed). */
  readSession(cookie: string | undefined): ReviewSession | undefined {
    if (!cookie) return undefined;
    const [body, mac] = cookie.split('.');
    if (!body || !mac || !equal(mac, this.mac('session', body))) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    const [principal, nonce, expires, binding] = Array.isArray(parsed) ? (parsed as unknown[]) : [];
    if (typeof principal !== 'string' || typeof nonce !== 'string' || typeof expires !== 'number')
      return undefined;
    if (expires < this.now()) return undefined;
    const credential = this.credentials.find((c) => c.label === principal);
    if (!credential || binding !== credential.binding) return undefined;
    return { principal, nonce, expires };
  }

  /** The CSRF token every form of this session carries. */
  csrfFor(session: ReviewSession): string {
    return this.mac('csrf', session.nonce);
  }

  /** Whether a submitted CSRF token belongs to this session. */
  csrfValid(session: ReviewSession, token: string | undefined): boolean {
    return typeof token === 'string' && equal(token, this.csrfFor(session));
  }

  /** A login-form nonce (kept in a short-lived cookie) and the CSRF token bound to it. */
  newLoginNonce(): { nonce: string; csrf: string } {
    const nonce = `${this.now() + LOGIN_TTL_MS}.${randomBytes(16).toString('base64url')}`;
    return { nonce, csrf: this.mac('login', nonce) };
  }

  /** Whether a login form's CSRF token matches the login cookie it was issued with (and is not stale). */
  loginCsrfValid(nonce: string | undefined, token: string | undefined): boolean {
    if (!nonce || typeof token !== 'string') return false;
    const expires = Number(nonce.split('.')[0]);
    return Number.isFinite(expires) && expires >= this.now() && equal(token, this.mac('login', nonce));
  }

  private sealSession(session: ReviewSession, binding: string): string {
    const body = Buffer.from(
      JSON.stringify([session.principal, session.nonce, session.expires, binding]),
    ).toString('base64url');
    return `${body}.${this.mac('session', body)}`;
  }

  private rotateLocalToken(): void {
    const local = this.credentials.find((c) => c.oneTime);
    if (!local) return;
    const token = randomBytes(18).toString('base64url');
    local.digest = sha256(token);
    this.announce(token);
  }

  private throttled(clientKey: string): boolean {
    const entry = this.failures.get(clientKey);
    if (!entry) return false;
    if (this.now() - entry.since > 60_000) {
      this.failures.delete(clientKey);
      return false;
    }
    return entry.count >= 10;
  }

  private recordFailure(clientKey: string): void {
    const entry = this.failures.get(clientKey);
    if (entry && this.now() - entry.since <= 60_000) entry.count++;
    else this.failures.set(clientKey, { count: 1, since: this.now() });
    if (this.failures.size > 10_000) this.failures.clear();
  }

  private mac(purpose: string, value: string): string {
    return createHmac('sha256', this.key).update(`${purpose}\n${value}`).digest('base64url');
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function equal(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}
