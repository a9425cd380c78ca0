import { z } from 'zod';
import { quietNull } from '../../core/tool.js';
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

// No length limits are documented, so none are enforced (ADR 0044). null clears a field (sent as null);
// for basename and type null means "not sent": RebelMouse derives its documented default. Text and list
// fields are cleared by "" and [] as well (values of their documented types), so their null is accepted
// but not advertised (ADR 0165): a client that validates arguments against the schema clears them so.
const text = quietNull(z.string());
const imageId = z.int().positive().nullable();
const object = () => z.record(z.string(), z.unknown(), { error: 'must be a JSON object' });
const crops = object().nullable();
const names = z.array(z.string());

/** The documented editable fields of PUT /posts/{id} (api-docs/rebelmouse-posts-api.md), plus image_external. */
export const rebelmouseUpdateInput = z.strictObject({
  headline: z
    .string()
    .refine((v) => v.trim() !== '', { error: 'must not be blank (RebelMouse requires a headline)' })
    .optional()
    .describe('required by RebelMouse'),
  subheadline: text.optional(),
  body: text.optional().describe('HTML'),
  basename: z.string().nullable().optional().describe('URL slug; null: derived from headline'),
  type: z
    .enum(['page', 'image', 'video', 'product', 'event', 'place', 'recipe'])
    .nullable()
    .optional()
    .describe('per site; null: derived (image, video or page)'),
  tags: names.optional(),
  primary_tag: text.optional().describe('one of tags'),
  sections: quietNull(names).optional().describe('section titles ("Home" = homepage)'),
  primary_section: text.optional().describe('section title'),
  og_title: text.optional(),
  og_description: text.optional(),
  image_id: imageId.optional(),
  image_external: text.optional().describe('external lead image URL'),
  photo_credit: text.optional(),
  photo_caption: text.optional(),
  manual_image_crops: crops.optional(),
  teaser_image_id: imageId.optional(),
  teaser_photo_credit: text.optional(),
  teaser_photo_caption: text.optional(),
  teaser_manual_image_crops: crops.optional(),
  social_teaser_image_id: imageId.optional(),
  social_teaser_photo_credit: text.optional(),
  social_teaser_photo_caption: text.optional(),
  social_teaser_manual_image_crops: crops.optional(),
  media: text.optional().describe('lead media HTML'),
  video: text.check(checkVideoUrl).optional().describe('embeddable URL (iframe src)'),
  listicle: quietNull(z.array(object())).optional().describe('body needs a <listicle> tag'),
  roar_author_ids: quietNull(z.array(z.int().positive())).optional(),
  // Any site-specific key; the two documented ones keep their documented types.
  roar_specific_data: z
    .looseObject({
      keep_reading_button_text: z.string().nullish(),
      keep_reading_hide_word_count: z.boolean().nullish(),
    })
    .nullable()
    .optional()
    .describe('custom fields, merged by key (null removes one)'),
  created_ts: z
    .union([z.number(), z.string()])
    .transform(checkCreatedTs)
    .optional()
    .describe('publish date: Unix s or ISO 8601 with zone'),
});
export type RebelmouseUpdateArgs = z.output<typeof rebelmouseUpdateInput>;

/** Fields RebelMouse derives when they are not sent (api-docs: "automatically generated", "Defaults to"). */
export const DERIVED_FIELDS = new Set(['basename', 'type']);

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

const S = z.string().nullable();
const N = z.number().nullable();
const O = z.record(z.string(), z.unknown()).nullable();

/** get_post's `fields`: every writable field in RebelMouse's names (body and tags are body and tags above). */
export const rebelmouseFieldsOutput = z.object({
  headline: S,
  subheadline: S,
  basename: S,
  type: S,
  primary_tag: S,
  sections: z.array(z.string()).nullable(),
  primary_section: S,
  og_title: S,
  og_description: S,
  image_id: N,
  image_external: S,
  photo_credit: S,
  photo_caption: S,
  manual_image_crops: O,
  teaser_image_id: N,
  teaser_photo_credit: S,
  teaser_photo_caption: S,
  teaser_manual_image_crops: O,
  social_teaser_image_id: N,
  social_teaser_photo_credit: S,
  social_teaser_photo_caption: S,
  social_teaser_manual_image_crops: O,
  media: S,
  video: S,
  listicle: z.array(z.record(z.string(), z.unknown())).nullable(),
  roar_author_ids: z.array(z.number()).nullable(),
  roar_specific_data: O,
  created_ts: N,
});
