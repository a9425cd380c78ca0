import { z } from 'zod';
import { localToUtc } from './time.js';

// "post_" plus a bounded run of safe characters: an id can never carry "/", "?", "#" or "..".
export const infinipostPostId = z
  .string()
  .regex(/^post_[A-Za-z0-9_-]{1,64}$/, {
    error: 'must be an Infinipost post id: "post_" then letters, digits, "_" or "-"',
  })
  .describe('post id (post_…)');

/** The 11 zones the edit endpoint accepts for `scheduledTime` (api-docs/infinipost-edit-post.md). */
export const INFINIPOST_TIMEZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
  'Europe/London',
  'Europe/Paris',
  'Asia/Tokyo',
  'Asia/Singapore',
  'Australia/Sydney',
] as const;

const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const URL_FIELD = z.url({ protocol: /^https?$/ }).max(2000);

export const infinipostListInput = z.strictObject({
  status: z.enum(['generated', 'pending_render', 'posted', 'failed']).optional().describe('only this status'),
  platform: z.enum(['tiktok', 'instagram']).optional().describe('only this platform'),
  contentType: z.enum(['video', 'slides']).optional().describe('only this content type'),
  // Any id the API may use (no documented format); it travels URL-encoded in the query.
  accountId: z.string().min(1).max(200).optional().describe('only this account (acc_…)'),
  limit: z.number().int().min(1).max(100).optional().describe('1-100, default 20'),
  cursor: z
    .string()
    .max(2000)
    .optional()
    .describe('next_cursor of the previous page; other filters are then ignored'),
});
export type InfinipostListArgs = z.output<typeof infinipostListInput>;

export type UpdateRuleBreak = { field: string; rule: string; example: string };

/**
 * The edit page's documented cross-field rules (ADR 0092): checked by the tool's schema (so nothing is sent)
 * and again when a write is planned (reverts bypass the tool's schema). Past times and a lone timezone are
 * not documented as invalid, so they are warnings (see scheduleWarnings), not refusals.
 */
export function checkInfinipostRules(fields: Record<string, unknown>): UpdateRuleBreak | undefined {
  const { scheduledTime, timezone, contentType, contentUrl } = fields;
  if (scheduledTime !== undefined && timezone === undefined) {
    return {
      field: 'timezone',
      rule: 'is required with scheduledTime (one of the 11 supported zones)',
      example: '"America/New_York"',
    };
  }
  if (typeof scheduledTime === 'string' && typeof timezone === 'string') {
    if (localToUtc(scheduledTime, timezone) === undefined) {
      return {
        field: 'scheduledTime',
        rule: `${scheduledTime} does not exist in ${timezone} (no such date, or skipped by a daylight-saving change)`,
        example: '"2026-04-22T14:00"',
      };
    }
  }
  if (contentType !== undefined && contentUrl === undefined) {
    return {
      field: 'contentUrl',
      rule: 'is required with contentType',
      example: '"https://cdn.example.com/clip.mp4"',
    };
  }
  if (contentUrl !== undefined && contentType === undefined) {
    return {
      field: 'contentType',
      rule: 'is required with contentUrl ("video" or "slides")',
      example: '"video"',
    };
  }
  if (contentType === 'video' && typeof contentUrl !== 'string') {
    return {
      field: 'contentUrl',
      rule: 'must be one URL string when contentType is "video"',
      example: '"https://cdn.example.com/clip.mp4"',
    };
  }
  if (contentType === 'slides' && !Array.isArray(contentUrl)) {
    return {
      field: 'contentUrl',
      rule: 'must be an array of image URLs when contentType is "slides"',
      example: '["https://cdn.example.com/1.jpg","https://cdn.example.com/2.jpg"]',
    };
  }
  return undefined;
}

/** Warnings for schedule changes the docs do not forbid but that may not do what the agent expects. */
export function scheduleWarnings(fields: Record<string, unknown>, nowMs: number): string[] {
  const { scheduledTime, timezone } = fields;
  if (typeof scheduledTime === 'string' && typeof timezone === 'string') {
    const at = localToUtc(scheduledTime, timezone);
    if (at !== undefined && at <= nowMs) {
      return [
        `scheduledTime ${scheduledTime} in ${timezone} (${new Date(at).toISOString().slice(0, 16)}Z) is in the past: Infinipost may post at once or refuse.`,
      ];
    }
  }
  if (timezone !== undefined && scheduledTime === undefined) {
    return [
      'timezone is sent without scheduledTime: the docs only say it is how scheduledTime is read; the scheduled instant is expected to stay.',
    ];
  }
  return [];
}

export const infinipostUpdateInput = z
  .strictObject({
    caption: z
      .string()
      .nullable()
      .transform((v) => v ?? '')
      .optional()
      .describe('plain text; "" or null clears it'),
    scheduledTime: z
      .string()
      .regex(LOCAL_TIME, { error: 'must be local time YYYY-MM-DDTHH:MM (no seconds, no offset, no Z)' })
      .optional()
      .describe('local time YYYY-MM-DDTHH:MM in timezone; needs timezone'),
    timezone: z.enum(INFINIPOST_TIMEZONES).optional().describe('zone of scheduledTime; required with it'),
    contentType: z.enum(['video', 'slides']).optional().describe('video|slides; send with contentUrl'),
    contentUrl: z
      .union([URL_FIELD, z.array(URL_FIELD).min(1)], {
        error: 'must be one http(s) URL (video) or a non-empty array of http(s) image URLs (slides)',
      })
      .optional()
      .describe('video: one URL; slides: array of image URLs'),
    soundId: z
      .string()
      .nullable()
      .optional()
      .describe('TikTok only. Omitted: the current sound is kept; null or "": remove the sound'),
  })
  .superRefine((fields, ctx) => {
    const broken = checkInfinipostRules(fields);
    if (broken)
      ctx.addIssue({
        code: 'custom',
        path: [broken.field],
        message: `${broken.rule}. Example: ${broken.example}`,
      });
  });
export type InfinipostUpdateArgs = z.output<typeof infinipostUpdateInput>;

const text = z.string().nullable();

/** get_post's fields: update_post's fields as read (caption is `body`), plus the post's facts. */
export const infinipostFieldsOutput = z.object({
  scheduledTime: text,
  timezone: text,
  contentType: text,
  contentUrl: z.union([z.string(), z.array(z.string())]).nullable(),
  soundId: text,
  platform: text,
  accountId: text,
  thumbnailUrl: text,
  createdAt: text,
});

/** Infinipost's post object (GET, list rows, PATCH answer); only what we use is checked. */
export const infinipostPostSchema = z.looseObject({
  postId: z.string(),
  accountId: z.string().nullish(),
  platform: z.string().nullish(),
  contentType: z.string().nullish(),
  contentUrl: z.union([z.string(), z.array(z.string())]).nullish(),
  thumbnailUrl: z.string().nullish(),
  caption: z.string().nullish(),
  soundId: z.string().nullish(),
  timezone: z.string().nullish(),
  scheduledTime: z.string().nullish(),
  status: z.string(),
  postedAt: z.string().nullish(),
  createdAt: z.string().nullish(),
});
export type InfinipostPost = z.output<typeof infinipostPostSchema>;

/** The batch delete's answer: `{deleted, failed: [{postId?, reason}], deletedAt}`. */
export const infinipostDeleteSchema = z.looseObject({
  deleted: z.array(z.string()).nullish(),
  failed: z.array(z.looseObject({ postId: z.string().nullish(), reason: z.string().nullish() })).nullish(),
  deletedAt: z.string().nullish(),
});
