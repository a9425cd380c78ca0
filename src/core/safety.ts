import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
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

/** Why a token was refused: each names the one binding that failed, so the agent knows what to do. */
export type ConfirmVerdict =
  | 'ok'
  | 'malformed'
  | 'other_secret'
  | 'expired'
  | 'other_tool'
  | 'other_post'
  | 'post_changed'
  | 'other_arguments';

/** What a refusal tells the agent (the new token comes with it). */
export const CONFIRM_REFUSALS: Record<Exclude<ConfirmVerdict, 'ok'>, string> = {
  malformed: 'The confirm_token is not one this server issued (it is incomplete or was altered).',
  other_secret:
    'The confirm_token was issued by a server with another confirm secret (another deployment, or POST_EDITOR_CONFIRM_SECRET changed).',
  expired: 'The confirm_token has expired (tokens last 10 minutes).',
  other_tool: 'The confirm_token was issued for another tool.',
  other_post: 'The confirm_token was issued for another post.',
  post_changed: 'The post changed since the confirm_token was issued: check the new preview.',
  other_arguments: 'The confirm_token was issued for other arguments.',
};

const PART = 11; // base64url characters of a 64-bit digest

/**
 * Stateless confirm tokens: `2.<key id>.<expiry>.<tool>.<post>.<version>.<args>.<mac>`, each binding a short
 * hash and the whole an HMAC, so any process holding the secret checks them, and a refusal can say which
 * binding failed without any server-side state (ADR 0071).
 */
export class ConfirmTokens {
  private keyMaterial: { key: Buffer; keyId: string } | undefined;

  /**
   * `secret` may be a function, called once on the first token issued or checked: a journal created
   * on first use (ADR 0161) is not opened at start just for its secret. It may throw (a ToolError).
   */
  constructor(
    private readonly secret: string | Buffer | undefined | (() => Buffer),
    private readonly now: () => number = Date.now,
  ) {}

  private get material(): { key: Buffer; keyId: string } {
    if (this.keyMaterial) return this.keyMaterial;
    const secret = typeof this.secret === 'function' ? this.secret() : this.secret;
    const key =
      secret === undefined ? randomBytes(32) : Buffer.isBuffer(secret) ? secret : Buffer.from(secret, 'utf8');
    const keyId = digest(Buffer.concat([Buffer.from('key-id:'), key])).slice(0, 6);
    return (this.keyMaterial = { key, keyId });
  }

  /** Issues a token valid for CONFIRM_TTL_MS. */
  issue(binding: ConfirmBinding): string {
    const expires = Math.floor((this.now() + CONFIRM_TTL_MS) / 1000);
    const body = ['2', this.material.keyId, String(expires), ...bindingParts(binding)].join('.');
    return `${body}.${this.mac(body)}`;
  }

  /** Checks a token: 'ok', or the first binding it fails. */
  check(token: string, binding: ConfirmBinding): ConfirmVerdict {
    const parts = token.split('.');
    if (parts.length !== 8 || parts[0] !== '2' || !/^\d{1,12}$/.test(parts[2] ?? '')) return 'malformed';
    if (parts[1] !== this.material.keyId) return 'other_secret';
    const body = parts.slice(0, 7).join('.');
    const given = Buffer.from(parts[7] ?? '', 'base64url');
    const expected = Buffer.from(this.mac(body), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'malformed';
    if (Number(parts[2]) * 1000 < this.now()) return 'expired';
    const [tool, id, version, args] = bindingParts(binding);
    if (parts[3] !== tool) return 'other_tool';
    if (parts[4] !== id) return 'other_post';
    if (parts[5] !== version) return 'post_changed';
    if (parts[6] !== args) return 'other_arguments';
    return 'ok';
  }

  private mac(body: string): string {
    return createHmac('sha256', this.material.key).update(body).digest('base64url');
  }
}

function bindingParts(binding: ConfirmBinding): [string, string, string, string] {
  return [
    digest(Buffer.from(binding.tool)).slice(0, PART),
    digest(Buffer.from(binding.id)).slice(0, PART),
    digest(Buffer.from(binding.version)).slice(0, PART),
    digest(Buffer.from(canonicalJson(binding.args))).slice(0, PART),
  ];
}

function digest(data: Buffer): string {
  return createHash('sha256').update(data).digest('base64url');
}
