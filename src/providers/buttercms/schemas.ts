import { z } from 'zod';

// Unicode slug: letters, digits, "-" and "_" only, so a slug can never carry "/", "?", "#" or "..".
const SLUG = /^[\p{L}\p{N}_-]{1,100}$/u;

export const butterSlug = z
  .string()
  .regex(SLUG, { error: 'must be a ButterCMS slug: letters, digits, "-" or "_", at most 100 characters' })
  .describe('post slug (≤100; letters, digits, -, _)');

const names = (what: string) =>
  z.array(z.string()).describe(`${what} names; created if new; replaces the list`);

export const butterListInput = z.strictObject({
  page: z.number().int().min(1).max(100000).optional().describe('page number, default 1'),
  page_size: z.number().int().min(1).max(100).optional().describe('1-100, default 10'),
  preview: z
    .boolean()
    .optional()
    .describe('true: include drafts and scheduled posts (default: published only)'),
  query: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('full-text search (published posts only, by relevance)'),
  author_slug: z.string().max(100).optional().describe('only posts by this author slug'),
  category_slug: z.string().max(100).optional().describe('only posts in this category slug'),
  tag_slug: z.string().max(100).optional().describe('only posts with this tag slug'),
  cursor: z
    .string()
    .max(2000)
    .optional()
    .describe('next_cursor of the previous page; other filters are then ignored'),
});
export type ButterListArgs = z.output<typeof butterListInput>;

export const butterUpdateInput = z.strictObject({
  title: z
    .string()
    .max(200)
    .refine((v) => v.trim() !== '', { error: 'must not be blank ("You must specify a page title.")' })
    .optional()
    .describe('≤200 chars'),
  slug: z
    .string()
    .max(100)
    .refine((v) => butterSlugify(v) !== '', {
      error:
        'slugifies to nothing: ButterCMS keeps only letters, digits, "_", "-" and spaces, e.g. "spring-lineup"',
    })
    .optional()
    .describe('≤100; ButterCMS slugifies it ("My Post" → "my-post"), the new id'),
  status: z
    .enum(['draft', 'published', 'scheduled'])
    .optional()
    .describe('draft|published ("scheduled" only as already set: the API ignores it)'),
  // "any" in the docs; an object (a string could not be told from a double-encoded object, tool.ts).
  author: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('an object; an existing author is found by {slug} or {email}'),
  categories: names('category').optional(),
  tags: names('tag').optional(),
  featured_image: z
    .string()
    .nullable()
    .optional()
    .describe('image URL, copied to the media library; null or "" removes it'),
  featured_image_alt: z.string().max(250).optional().describe('≤250 chars'),
  body: z.string().optional().describe('HTML'),
  summary: z.string().max(2000).optional().describe('plain text, ≤2000 chars'),
  seo_title: z.string().max(100).optional().describe('≤100 chars'),
  meta_description: z.string().optional().describe('SEO meta description'),
  upload_images_to_media_library: z
    .boolean()
    .optional()
    .describe("true: copy the body's image URLs to the media library (alone: the current body)"),
});
export type ButterUpdateArgs = z.output<typeof butterUpdateInput>;

/** ButterCMS's post object as the Read API returns it (only what we use is checked). */
export const butterPostSchema = z.looseObject({
  slug: z.string(),
  title: z.string().nullish(),
  body: z.string().nullish(),
  summary: z.string().nullish(),
  status: z.string().nullish(),
  url: z.string().nullish(),
  created: z.string().nullish(),
  updated: z.string().nullish(),
  published: z.string().nullish(),
  scheduled: z.string().nullish(),
  author: z.looseObject({ slug: z.string().nullish(), email: z.string().nullish() }).nullish(),
  categories: z.array(z.looseObject({ name: z.string() })).nullish(),
  tags: z.array(z.looseObject({ name: z.string() })).nullish(),
  featured_image: z.string().nullish(),
  featured_image_alt: z.string().nullish(),
  seo_title: z.string().nullish(),
  meta_description: z.string().nullish(),
});
export type ButterPost = z.output<typeof butterPostSchema>;

/** get_post's `fields`: ButterCMS's own names (body and tags are body and tags above). */
export const butterFieldsOutput = z.object({
  title: z.string().nullable(),
  slug: z.string(),
  status: z.string().nullable(),
  author: z.record(z.string(), z.unknown()).nullable(),
  categories: z.array(z.string()),
  featured_image: z.string().nullable(),
  featured_image_alt: z.string().nullable(),
  summary: z.string().nullable(),
  seo_title: z.string().nullable(),
  meta_description: z.string().nullable(),
});

/**
 * The slug ButterCMS makes of an input ("unicode slugification", api-docs), as Django's
 * slugify(allow_unicode=True) does it: NFKC, drop what is not a word character, space or "-",
 * lower case, runs of spaces and "-" to one "-", "-" and "_" trimmed from the ends.
 */
export function butterSlugify(value: string): string {
  return value
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_\s-]/gu, '')
    .trim()
    .replace(/[-\s]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '');
}
