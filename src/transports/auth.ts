import { createHash, timingSafeEqual } from 'node:crypto';
import { RateLimiter } from './rate-limit.js';

export type AuthVerdict =
  { ok: true; label: string } | { ok: false; status: 401 } | { ok: false; status: 429; retryAfterS: number };

/** A bearer token and the label that names who holds it (MCP_HTTP_TOKENS=label:token; "default" for MCP_HTTP_TOKEN). */
export interface LabelledToken {
  label: string;
  token: string;
}

/**
 * The bearer-token check with a per-client budget of failed attempts. The budget is checked before the
 * token is compared, so a client that spent it gets 429 even with the right token until it refills:
 * guessing costs time, not just a 401. A match names the token's label: who asked, for the journal.
 */
export class BearerAuth {
  private readonly principals: { label: string; digest: Buffer }[];
  private readonly failures: RateLimiter;

  constructor(tokens: LabelledToken[], failuresPerMinute: number) {
    this.principals = tokens.map((t) => ({ label: t.label, digest: sha256(t.token) }));
    this.failures = new RateLimiter(failuresPerMinute);
  }

  /** Checks an Authorization header for the client `key` (see clientKey in http.ts). */
  check(header: string | undefined, key: string): AuthVerdict {
    const wait = this.failures.wait(key);
    if (wait > 0) return { ok: false, status: 429, retryAfterS: Math.ceil(wait / 1000) };
    const label = this.labelOf(header);
    if (label !== undefined) return { ok: true, label };
    this.failures.take(key);
    return { ok: false, status: 401 };
  }

  private labelOf(header: string | undefined): string | undefined {
    const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
    if (match?.[1] === undefined) return undefined;
    // Digests of equal length, every token compared: the time says nothing about which or how long.
    const given = sha256(match[1].trim());
    let found: string | undefined;
    for (const p of this.principals) if (timingSafeEqual(given, p.digest)) found ??= p.label;
    return found;
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
