import { hash } from 'node:crypto';
import { z } from 'zod';
import { MAX_RESPONSE_DEPTH } from './depth.js';
import { remembered } from './memo.js';
import { ToolError } from './errors.js';

export const POST_STATUSES = [
  'draft',
  'scheduled',
  'published',
  'unpublished',
  'archived',
  'pending',
  'failed',
  'unknown',
] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

const isoOrNull = z.string().nullable();

/** The normalized post every provider's get_post returns (DESIGN.md "Output"). */
export const postSchema = z.object({
  provider: z.string(),
  id: z.string(),
  title: z.string().nullable(),
  body: z.string().nullable(),
  body_format: z.enum(['html', 'markdown', 'text']).nullable(),
  status: z.enum(POST_STATUSES),
  provider_status: z.string().nullable(),
  url: z.string().nullable(),
  tags: z.array(z.string()),
  scheduled_at: isoOrNull,
  published_at: isoOrNull,
  updated_at: isoOrNull,
  version: z.string(),
  /** The provider's own writable fields (update_post's names), so what is read can be written back. */
  fields: z.record(z.string(), z.unknown()).optional(),
  /** How this read was made when it matters to the agent (e.g. through the list endpoint). */
  warnings: z.array(z.string()).optional(),
  raw: z.record(z.string(), z.unknown()).optional(),
});
export type Post = z.infer<typeof postSchema>;

/** One row of list_posts: just enough to pick a post, small for the agent's context. */
export const postSummarySchema = postSchema.pick({
  id: true,
  title: true,
  status: true,
  url: true,
  scheduled_at: true,
  published_at: true,
  updated_at: true,
});
export type PostSummary = z.infer<typeof postSummarySchema>;

export const postListSchema = z.object({
  posts: z.array(postSummarySchema),
  next_cursor: z.string().nullable(),
});
export type PostList = z.infer<typeof postListSchema>;

/** A stable short hash of any JSON value (keys sorted), used as a version where a provider has none. */
export function hashVersion(value: unknown): string {
  return hash('sha256', canonicalJson(value), 'base64url').slice(0, 16);
}

/** JSON with object keys sorted, so equal values hash equally; provider_error for a value too deep to serialize. */
export function canonicalJson(value: unknown): string {
  // A sorted copy written natively, not JSON.stringify with a sorting replacer (a callback per value and
  // an entries array per object made it ~2× slower, on every get_post). The output is byte-identical to
  // that former form (integer-like keys still come first, as JavaScript enumerates them), so versions
  // handed out before still match.
  return JSON.stringify(sortedCopy(value, '', 0));
}

/** The value with every object's keys in sorted order (after toJSON, as JSON.stringify sees it). */
function sortedCopy(value: unknown, key: string, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  // The same bound the HTTP client applies to answers: a value from elsewhere must not overflow the stack.
  if (depth >= MAX_RESPONSE_DEPTH)
    throw new ToolError(
      'provider_error',
      `A value nests deeper than ${MAX_RESPONSE_DEPTH} levels and cannot be compared.`,
    );
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === 'function') return sortedCopy(json.call(value, key), key, depth);
  if (Array.isArray(value)) return value.map((item: unknown, i) => sortedCopy(item, String(i), depth + 1));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) {
    const item = sortedCopy((value as Record<string, unknown>)[k], k, depth + 1);
    // A "__proto__" key from JSON is data: define it, never let the assignment set a prototype.
    if (k === '__proto__')
      Object.defineProperty(out, k, { value: item, enumerable: true, writable: true, configurable: true });
    else out[k] = item;
  }
  return out;
}

// Zero-width, bidi override/isolate and other invisible format characters: provider text could
// use them to hide instructions from a human reviewer, so the normalized view drops them.
const INVISIBLE =
  /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\u{E0000}-\u{E007F}]/gu;

/** Strips invisible and bidi control characters from provider text (the raw object is left untouched). */
export function cleanText(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  return text.replace(INVISIBLE, '');
}

/** Normalizes a provider timestamp (any ISO form, or Unix seconds) to ISO 8601 UTC, or null. */
export function toIsoUtc(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value * 1000).toISOString();
  if (typeof value !== 'string') return null;
  return isoOf(value);
}

// The same timestamps come back on every read of a post: their normal forms are remembered.
const isoOf = remembered(parseIsoUtc, 4096);

function parseIsoUtc(value: string): string | null {
  // A naive timestamp (no offset) from an API documented as UTC is read as UTC, not local time.
  const naive = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value);
  const ms = Date.parse(naive ? `${value}Z` : value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
