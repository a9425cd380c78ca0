import { z } from 'zod';

// The seed says "a valid UUID v4" yet its own example id is `post_a8f3k29d1`: accept both forms, and
// nothing that could leave the path segment ("/", "%", "?", "#", "..") (ADR 0032).
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
// ISO 8601 date-time, with a zone (Z or ±hh:mm) or without one: the seed says only "ISO 8601 timestamp" (ADR 0033).
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))?$/;

export const FLOW_STATUSES = ['draft', 'published', 'archived'] as const;

export const flowId = z
  .string()
  .regex(ID, {
    error:
      'must be a FlowCMS post id: a UUID or a post_… id (letters, digits, "_" or "-", at most 128 characters)',
  })
  .describe('post id (UUID or post_…)');

/** True for a real ISO 8601 calendar date-time, zoned or not (Date.parse would roll 30 February over to March). */
export function isIsoDateTime(value: string): boolean {
  const m = ISO_DATE_TIME.exec(value);
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

/** True when an ISO date-time carries Z or an offset. */
export function hasZone(value: string): boolean {
  return /(Z|[+-]\d{2}:\d{2})$/.test(value);
}

/** Any timestamp to `YYYY-MM-DDTHH:MM:SS[.sss]Z` (UTC), or null; a zoneless one is read as UTC, not server-local. */
export function toUtcZ(value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const naive = typeof value === 'string' && ISO_DATE_TIME.test(value) && !hasZone(value);
  const ms = typeof value === 'number' ? value * 1000 : Date.parse(naive ? `${value}Z` : value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().replace('.000Z', 'Z');
}

const publishedAt = z
  .string()
  .refine(isIsoDateTime, {
    error: 'must be an ISO 8601 date-time, e.g. 2025-01-15T10:30:00Z or 2025-01-15T12:30:00+02:00',
  })
  // A zoned time is sent as UTC; a zoneless one is sent as given (FlowCMS decides its zone, we warn).
  .transform((v) => (hasZone(v) ? (toUtcZ(v) ?? v) : v))
  .nullable()
  .describe('ISO 8601 (Z/offset advised); future + published schedules; null clears');

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
  title: z
    .string()
    .max(255)
    .refine((v) => v.trim() !== '', { error: 'must not be blank' })
    .optional()
    .describe('≤255 chars'),
  slug: z.string().min(1).optional().describe('URL-friendly identifier'),
  content: z.string().optional().describe('Markdown or HTML; replaces the whole body'),
  status: z.enum(FLOW_STATUSES).optional().describe('draft|published|archived'),
  tags: z.array(z.string()).max(20).optional().describe('≤20 tags; replaces the list'),
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

/** get_post's `fields`: FlowCMS's own names (content and tags are body and tags above). */
export const flowFieldsOutput = z.object({
  title: z.string().nullable(),
  slug: z.string().nullable(),
  status: z.string().nullable(),
  published_at: z.string().nullable(),
  author_id: z.string().nullable().describe('read-only'),
  created_at: z.string().nullable().describe('read-only'),
});
