import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from './post.js';

/** One field's change, in the provider's own field names (a type, so it fits the result's JSON record). */
export type FieldChange = {
  before: unknown;
  after: unknown;
};

/** Keeps only the fields whose value would really change. */
export function diffFields(
  current: Record<string, unknown>,
  changes: Record<string, unknown>,
): Record<string, FieldChange> {
  const diff: Record<string, FieldChange> = {};
  for (const [field, after] of Object.entries(changes)) {
    const before = current[field] ?? null;
    if (canonicalJson(before) !== canonicalJson(after)) diff[field] = { before, after };
  }
  return diff;
}

export const CONFIRM_TTL_MS = 10 * 60 * 1000;

export interface ConfirmBinding {
  tool: string;
  id: string;
  version: string;
  args: Record<string, unknown>;
}

/** Stateless confirm tokens: an HMAC over (tool, id, version, arguments, expiry), so any instance can check them. */
export class ConfirmTokens {
  private readonly key: Buffer;

  constructor(
    secret: string | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.key = secret ? Buffer.from(secret, 'utf8') : randomBytes(32);
  }

  /** Issues a token valid for CONFIRM_TTL_MS. */
  issue(binding: ConfirmBinding): string {
    const expires = Math.floor((this.now() + CONFIRM_TTL_MS) / 1000);
    return `${expires}.${this.sign(binding, expires)}`;
  }

  /** Checks a token: 'ok', or why it was refused. */
  check(token: string, binding: ConfirmBinding): 'ok' | 'expired' | 'mismatch' {
    const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match) return 'mismatch';
    const expires = Number(match[1]);
    const given = Buffer.from(match[2] ?? '', 'base64url');
    const expected = Buffer.from(this.sign(binding, expires), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'mismatch';
    return expires * 1000 < this.now() ? 'expired' : 'ok';
  }

  private sign(binding: ConfirmBinding, expires: number): string {
    const payload = canonicalJson([binding.tool, binding.id, binding.version, binding.args, expires]);
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}
