import { z } from 'zod';
import { checkCreatedTs, checkVideoUrl } from './rules.js';

/** RebelMouse post ids are integers; as a string of digits so they can never carry a path. */
export const rebelmouseId = z
  .string()
  .regex(/^[0-9]{1,20}$/, { error: 'must be a RebelMouse post id: digits only, e.g. "2668412345"' })
  .describe('numeric post id (digits)');

export const REBELMOUSE_MAX_LIMIT = 30;

export const rebelmouseListInput = z.strictObject({
  offset: z.number().int().min(0).max(1_000_000).optional().describe('rows to skip, default 0'),
  limit: z.number().int().min(1).max(REBELMOUSE_MAX_LIMIT).optional().describe('1-30, default 10'),
  tag: z.string().trim().min(1).max(200).optional().describe('only posts with this tag (not with phrase)'),
  phrase: z.string().trim().min(1).max(200).optional().describe('search phrase (not with tag)'),
  cursor: z
    .string()
    .max(2000)
    .optional()
    .describe('next_cursor of the previous page; other arguments are then ignored'),
});
export type RebelmouseListArgs = z.output<typeof rebelmouseListInput>;

// No length limits are documented; these caps only bound what an agent can send (ADR 0044).
const text = (max: number, what: string) => z.string().max(max).describe(`${what}, ≤${max} chars`);
const html = (what: string) => z.string().max(1_000_000).describe(`${what} (HTML)`);
const imageId = (what: string) =>
  z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).describe(`${what} (integer id from the Image API)`);
const object = () => z.record(z.string(), z.unknown(), { error: 'must be a JSON object' });
const crops = object().describe('manual_image_crops object from the Image API');
const names = (what: string) =>
  z.array(z.string().trim().min(1).max(200)).max(100).describe(`${what}; replaces the list`);

/** The documented editable fields of PUT /posts/{id} (api-docs/rebelmouse-posts-api.md). */
export const rebelmouseUpdateInput = z.strictObject({
  headline: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .optional()
    .describe('required by RebelMouse; non-empty, ≤500 chars'),
  subheadline: text(2000, 'subheadline').optional(),
  body: html('body').optional(),
  basename: z
    .string()
    .regex(/^[\p{L}\p{N}_-]{1,200}$/u, {
      error: 'must be a slug: letters, digits, "-" or "_", at most 200 characters',
    })
    .optional()
    .describe('URL slug: letters, digits, - and _, ≤200; changes the post URL'),
  type: z
    .enum(['page', 'image', 'video', 'product', 'event', 'place', 'recipe'])
    .optional()
    .describe('page|image|video|product|event|place|recipe (per site configuration)'),
  tags: names('tags').optional(),
  primary_tag: text(200, 'primary tag').optional(),
  sections: names('section titles, matched case-insensitively ("Home" = homepage)').optional(),
  primary_section: text(200, 'section title').optional(),
  og_title: text(500, 'social headline').optional(),
  og_description: text(2000, 'social description').optional(),
  image_id: imageId('lead image').optional(),
  photo_credit: text(500, 'lead image credit').optional(),
  photo_caption: text(2000, 'lead image caption').optional(),
  manual_image_crops: crops.optional(),
  teaser_image_id: imageId('teaser image').optional(),
  teaser_photo_credit: text(500, 'teaser image credit').optional(),
  teaser_photo_caption: text(2000, 'teaser image caption').optional(),
  teaser_manual_image_crops: crops.optional(),
  social_teaser_image_id: imageId('social teaser image').optional(),
  social_teaser_photo_credit: text(500, 'social teaser image credit').optional(),
  social_teaser_photo_caption: text(2000, 'social teaser image caption').optional(),
  social_teaser_manual_image_crops: crops.optional(),
  media: html('lead media, usually one shortcode').optional(),
  video: z
    .string()
    .max(2000)
    .check(checkVideoUrl)
    .optional()
    .describe('embeddable https URL (iframe src), e.g. https://www.youtube.com/embed/ID; "" removes it'),
  listicle: z
    .array(object())
    .max(200)
    .optional()
    .describe('listicle item objects; body needs a <listicle> tag to place them'),
  roar_author_ids: z
    .array(z.number().int().min(1).max(Number.MAX_SAFE_INTEGER))
    .min(1)
    .max(50)
    .optional()
    .describe('author user ids (positive integers)'),
  roar_specific_data: z
    .strictObject({
      keep_reading_button_text: text(200, 'Keep Reading button text').optional(),
      keep_reading_hide_word_count: z.boolean().optional().describe('hide the word count'),
    })
    .optional()
    .describe('custom fields; merged into the current ones'),
  created_ts: z
    .union([z.number(), z.string()])
    .transform(checkCreatedTs)
    .optional()
    .describe('publishing date: Unix seconds, or ISO 8601 with Z/offset'),
});
export type RebelmouseUpdateArgs = z.output<typeof rebelmouseUpdateInput>;

/** The fields of the update tool, in the order RebelMouse documents them (what a full PUT re-sends). */
export const EDITABLE_FIELDS = Object.keys(rebelmouseUpdateInput.shape) as (keyof RebelmouseUpdateArgs)[];

/** A RebelMouse post as GET /posts/{id} returns it (only what we use is checked). */
export const rebelmousePostSchema = z.looseObject({
  id: z.union([z.number(), z.string()]),
  headline: z.string().nullish(),
  body: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  post_url: z.string().nullish(),
  slug: z.string().nullish(),
  draft_url: z.string().nullish(),
  created_ts: z.number().nullish(),
});
export type RebelmousePost = z.output<typeof rebelmousePostSchema>;
