import { z } from 'zod';
import { earliestScheduleTime, naiveLocal, naiveUtc, parseUtc } from './time.js';

// Post ids are integers (Post.id, api-docs/partoo-update-post.md); digits only, so an id can never leave /posts/.
export const partooId = z
  .string()
  .regex(/^[1-9]\d{0,17}$/, { error: 'must be a Partoo post id: digits only, e.g. "34"' })
  .describe('numeric post id as a string, e.g. "34"');

const BUSINESS_ID = /^[A-Za-z0-9_-]{1,64}$/;
const LIST_STATES = [
  'live',
  'to_configure',
  'pending',
  'scheduled',
  'error',
  'expired',
  'to_validate',
] as const;
// The list filter speaks standard|event|offer|alert, Post.post_type news|event|offer|covid: both are accepted.
const TYPES = ['news', 'event', 'offer', 'covid', 'standard', 'alert'] as const;
const NAIVE_EXAMPLE = '2050-01-01T09:00:00';

const naiveFilter = z.string().refine((v) => naiveLocal(v) !== undefined, {
  error: `must be a naive time YYYY-MM-DDTHH:MM:SS, e.g. ${NAIVE_EXAMPLE}`,
});

export const partooListInput = z.strictObject({
  page: z.number().int().min(1).max(100000).optional().describe('page number from 1'),
  per_page: z.number().int().min(1).max(100).optional().describe('1-100, default 30'),
  business__in: z
    .array(z.string().regex(BUSINESS_ID, { error: 'must be a business id, e.g. "5409c35a97bbc544d8e26737"' }))
    .min(1)
    .max(50)
    .optional()
    .describe('business ids'),
  state__in: z.array(z.enum(LIST_STATES)).min(1).optional().describe(LIST_STATES.join('|')),
  type: z
    .array(z.enum(TYPES))
    .min(1)
    .optional()
    .describe('post types: news|event|offer|covid (standard=news, alert=covid)'),
  start_datetime: naiveFilter.optional().describe('naive time; events/offers: available from; news: created'),
  end_datetime: naiveFilter.optional().describe('naive time; events/offers: expiry; news: created + 1 week'),
  summary: z.string().min(1).max(200).optional().describe('text search in the summary'),
  cursor: z
    .string()
    .max(2000)
    .optional()
    .describe('next_cursor of the previous page; other filters are then ignored'),
});
export type PartooListArgs = z.output<typeof partooListInput>;

const imageUrl = z.url({ protocol: /^https?$/ }).max(2000);

// Format only: the 2-hour rule is checked when the write is planned, so a past value read from get_post
// can be written back unchanged (it is then no change at all).
const scheduleTime = z
  .string()
  .max(40)
  .transform((value, ctx) => {
    const ms = parseUtc(value);
    if (ms === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `must be a UTC time YYYY-MM-DDTHH:MM:SS (a Z or an offset is converted to UTC), e.g. ${earliestScheduleTime(Date.now())}`,
      });
      return z.NEVER;
    }
    return naiveUtc(ms);
  });

const localTime = (field: string) =>
  z
    .string()
    .max(40)
    .transform((value, ctx) => {
      const naive = naiveLocal(value);
      if (naive === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a naive local time YYYY-MM-DDTHH:MM:SS in the business's timezone, without Z or offset (Partoo reads ${field} in the business's timezone), e.g. ${NAIVE_EXAMPLE}`,
        });
        return z.NEVER;
      }
      return naive;
    });

export const CTA_TYPES = ['book', 'order', 'shop', 'learn_more', 'sign_up', 'call', 'no_cta'] as const;

// Text fields are typed string: null, the agent's other way to say "clear", is sent as "".
const clearable = z
  .string()
  .nullable()
  .transform((v) => v ?? '');

// Only the documented rules (api-docs/partoo-update-post.md, ADR 0090): no lengths, "" clears a text field.
export const partooUpdateInput = z.strictObject({
  title: clearable.optional().describe('not returned by Partoo, so unverifiable'),
  summary: clearable.optional().describe('main text; max Google 1500, Instagram 2200, Facebook 10000'),
  image_url: z
    .union([imageUrl, z.array(imageUrl)], { error: 'must be an image URL or a list of image URLs' })
    .nullable()
    .transform((v) => (v === null ? [] : Array.isArray(v) ? v : [v]))
    .optional()
    .describe('URL or list, replaces the images; [] or null removes them; Facebook/Instagram ≤10'),
  cta_type: z.enum(CTA_TYPES).optional().describe(CTA_TYPES.join('|')),
  link: z
    .strictObject({ use_business_url: z.boolean().optional(), custom_url: z.string().optional() })
    .refine((l) => l.use_business_url === undefined || l.custom_url === undefined, {
      error:
        'can only have one of use_business_url or custom_url, e.g. {"custom_url":"https://example.com/offer"}',
    })
    .optional()
    .describe('button link: {custom_url} or {use_business_url}, not both'),
  schedule_time: scheduleTime
    .optional()
    .describe('UTC, ≥2 h ahead; YYYY-MM-DDTHH:MM:SS, a Z/offset is converted'),
  start_at: localTime('start_at')
    .optional()
    .describe("event/offer only; naive local time of the business's timezone"),
  end_at: localTime('end_at').optional().describe('event/offer only; naive local time'),
  coupon_code: clearable.optional().describe('offer code'),
  offer_terms: clearable.optional().describe('offer terms'),
  publish: z
    .literal(true, { error: 'true only: Partoo cannot turn a published post back into a draft' })
    .optional()
    .describe('validate and publish this draft (BM/GM key), with or without changes; confirm-gated'),
});
export type PartooUpdateArgs = z.output<typeof partooUpdateInput>;

const media = z.looseObject({ media_url: z.union([z.string(), z.array(z.string())]).nullish() });
const platformState = z.looseObject({
  name: z.string(),
  state: z.string().nullish(),
  link: z.string().nullish(),
});

const text = z.string().nullable();

/** get_post's fields: update_post's fields as read (title/start_at/end_at only when Partoo returns them). */
export const partooFieldsOutput = z.object({
  title: text.optional(),
  image_url: z.array(z.string()).nullable(),
  cta_type: text,
  link: z.object({ custom_url: z.string() }).nullable(),
  schedule_time: text,
  start_at: text.optional(),
  end_at: text.optional(),
  coupon_code: text,
  offer_terms: text,
  post_type: text,
  business_id: text,
  expiration_time: text,
  validation_time: text,
});

/** Partoo's Post as returned (only what we use is checked; the rest is kept in raw). */
export const partooPostSchema = z.looseObject({
  id: z.union([z.number().int(), z.string().regex(/^\d+$/)]),
  business_id: z.string().nullish(),
  post_type: z.string().nullish(),
  title: z.string().nullish(),
  summary: z.string().nullish(),
  schedule_time: z.string().nullish(),
  expiration_time: z.string().nullish(),
  validation_time: z.string().nullish(),
  start_at: z.string().nullish(),
  end_at: z.string().nullish(),
  post_medias: z.array(media).nullish(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
  post_status: z.array(platformState).nullish(),
  offer_terms: z.string().nullish(),
  offer_code: z.string().nullish(),
  cta_link: z.string().nullish(),
  cta_type: z.string().nullish(),
});
export type PartooPost = z.output<typeof partooPostSchema>;
