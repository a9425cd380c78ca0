import { createHash, timingSafeEqual } from 'node:crypto';
import { RateLimiter } from './rate-limit.js';

export type AuthVerdict =
  { ok: true } | { ok: false; status: 401 } | { ok: false; status: 429; retryAfterS: number };

/**
 * The bearer-token check with a per-client budget of failed attempts. The budget is checked before the
 * token is compared, so a client that spent it gets 429 even with the right token until it refills:
 * guessing costs time, not just a 401.
 */
export class BearerAuth {
  private readonly digest: Buffer;
  private readonly failures: RateLimiter;

  constructor(token: string, failuresPerMinute: number) {
    this.digest = sha256(token);
    this.failures = new RateLimiter(failuresPerMinute);
  }

  /** Checks an Authorization header for the client `key` (see clientKey in http.ts). */
  check(header: string | undefined, key: string): AuthVerdict {
    const wait = this.failures.wait(key);
    if (wait > 0) return { ok: false, status: 429, retryAfterS: Math.ceil(wait / 1000) };
    if (bearerMatches(header, this.digest)) return { ok: true };
    this.failures.take(key);
    return { ok: false, status: 401 };
  }
}

function bearerMatches(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  // Digests of equal length, so the comparison time says nothing about the token's length.
  return match?.[1] !== undefined && timingSafeEqual(sha256(match[1].trim()), expected);
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
