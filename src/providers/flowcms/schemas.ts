import { z } from 'zod';

// The seed says "a valid UUID v4" yet its own example id is `post_a8f3k29d1`: accept both forms, and
// nothing that could leave the path segment ("/", "%", "?", "#", "..") (ADR 0032).
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
// "URL-friendly identifier" (seed), as its example `updated-article-title`: lowercase words joined by "-".
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// ISO 8601 date-time with an explicit zone (Z or ±hh:mm): a zoneless time would be read differently by every server.
const ISO_ZONED =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

export const TAG_MAX = 50;
export const FLOW_STATUSES = ['draft', 'published', 'archived'] as const;

export const flowId = z
  .string()
  .regex(ID, {
    error:
      'must be a FlowCMS post id: a UUID or a post_… id (letters, digits, "_" or "-", at most 128 characters)',
  })
  .describe('post id (UUID or post_…)');

/** True for a real calendar date-time with a valid zone (Date.parse would roll 30 February over to March). */
export function isZonedIsoDateTime(value: string): boolean {
  const m = ISO_ZONED.exec(value);
  if (!m) return false;
  const [, y, mo, d, h, mi, s = '0', , oh = '0', om = '0'] = m;
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  return (
    day.getUTCMonth() === Number(mo) - 1 &&
    day.getUTCDate() === Number(d) &&
    Number(h) <= 23 &&
    Number(mi) <= 59 &&
    Number(s) <= 59 &&
    Number(oh) <= 23 &&
    Number(om) <= 59
  );
}

/** Any timestamp to `YYYY-MM-DDTHH:MM:SS[.sss]Z` (UTC), or null. */
export function toUtcZ(value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const ms = typeof value === 'number' ? value * 1000 : Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().replace('.000Z', 'Z');
}

const publishedAt = z
  .string()
  .refine(isZonedIsoDateTime, {
    error:
      'must be an ISO 8601 date-time with Z or an offset, e.g. 2025-01-15T10:30:00Z or 2025-01-15T12:30:00+02:00',
  })
  .transform((v) => toUtcZ(v) ?? v)
  .describe('ISO 8601 with Z or ±hh:mm (sent as UTC); a future time schedules a published post');

export const flowListInput = z.strictObject({
  page: z.number().int().min(1).max(100000).optional().describe('page number, default 1'),
  limit: z.number().int().min(1).max(100).optional().describe('1-100, default 20'),
  status: z.enum(FLOW_STATUSES).optional().describe('draft|published|archived'),
  sort: z
    .enum(['created_at', 'updated_at', 'title'])
    .optional()
    .describe('sort field (low-confidence: may be ignored)'),
  cursor: z
    .string()
    .max(2000)
    .optional()
    .describe('next_cursor of the previous page; other filters are then ignored'),
});
export type FlowListArgs = z.output<typeof flowListInput>;

export const flowUpdateInput = z.strictObject({
  title: z.string().trim().min(1).max(255).optional().describe('≤255 chars'),
  slug: z
    .string()
    .max(255)
    .regex(SLUG, {
      error: 'must be lowercase letters and digits in words joined by single "-", e.g. "my-first-post"',
    })
    .optional()
    .describe('lowercase a-z0-9 words joined by "-", ≤255'),
  content: z.string().min(1).max(1_000_000).optional().describe('Markdown or HTML; replaces the whole body'),
  status: z.enum(FLOW_STATUSES).optional().describe('draft|published|archived'),
  tags: z
    .array(z.string().trim().min(1).max(TAG_MAX))
    .max(20)
    .optional()
    .describe(`≤20 tags, each 1-${TAG_MAX} chars; replaces the list`),
  published_at: publishedAt.optional(),
});
export type FlowUpdateArgs = z.output<typeof flowUpdateInput>;

const text = z.string().nullish();
const idLike = z.union([z.string(), z.number()]);
const time = z.union([z.string(), z.number()]).nullish();

/** A FlowCMS post in either spelling the docs show: snake_case (PUT, seed) or camelCase (GET page). */
export const flowPostSchema = z.looseObject({
  id: idLike,
  title: text,
  slug: text,
  content: text,
  status: text,
  url: text,
  format: text,
  content_format: text,
  contentFormat: text,
  tags: z.array(z.union([z.string(), z.looseObject({ name: z.string() })])).nullish(),
  author_id: idLike.nullish(),
  authorId: idLike.nullish(),
  created_at: time,
  createdAt: time,
  updated_at: time,
  updatedAt: time,
  published_at: time,
  publishedAt: time,
});
export type FlowPost = z.output<typeof flowPostSchema>;
