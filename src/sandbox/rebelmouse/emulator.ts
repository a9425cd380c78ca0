import { Emulator, headerValue, queryInt, type EmulatorRequest, type EmulatorResponse } from '../emulator.js';
import { KEY_USER_ID, SITE, seedRebelmousePosts, slugOf, type RebelmousePost } from './seed.js';
import { isRecord } from '../../core/record.js';

/** A 64-character key, as RebelMouse issues them. */
export const REBELMOUSE_API_KEY = 'sandboxrebelmousekey'.padEnd(64, '0123456789abcdef');

const TYPES = ['page', 'image', 'video', 'product', 'event', 'place', 'recipe'];
const STRINGS = [
  'headline',
  'body',
  'basename',
  'subheadline',
  'type',
  'primary_tag',
  'primary_section',
  'og_title',
  'og_description',
  'photo_credit',
  'photo_caption',
  'teaser_photo_credit',
  'teaser_photo_caption',
  'social_teaser_photo_credit',
  'social_teaser_photo_caption',
  'media',
  'video',
  'image_external',
];
const INTEGERS = ['image_id', 'teaser_image_id', 'social_teaser_image_id', 'created_ts'];
const OBJECTS = [
  'manual_image_crops',
  'teaser_manual_image_crops',
  'social_teaser_manual_image_crops',
  'roar_specific_data',
];
const LISTS = ['tags', 'sections'];
/** Every field PUT /posts/{id} takes (api-docs/rebelmouse-posts-api.md); anything else is ignored. */
const EDITABLE = [...STRINGS, ...INTEGERS, ...OBJECTS, ...LISTS, 'listicle', 'roar_author_ids'];

/** The {status, data} envelope RebelMouse wraps errors in (authorization docs). */
function failure(status: number, ...messages: string[]): EmulatorResponse {
  return { status, body: { status: { code: null, messages }, data: null } };
}

/**
 * RebelMouse Posts API 1.3 emulator. Pessimistic where the docs are unsure: a PUT replaces the
 * whole post (omitted optional fields are cleared, documented defaults re-applied), and lists
 * leave unpublished posts out.
 */
export function createRebelmouseEmulator(): Emulator {
  let posts = new Map<number, RebelmousePost>();
  const emulator = new Emulator('rebelmouse', () => {
    posts = new Map(seedRebelmousePosts().map((p) => [p.id, p]));
  });
  emulator.reset();

  // The query string wins over the header when both are sent (authorization docs).
  const denied = (req: EmulatorRequest): EmulatorResponse | undefined => {
    const key = req.query.get('api_key') ?? headerValue(req, 'x-rmauth');
    return key === REBELMOUSE_API_KEY ? undefined : failure(403, 'API key is not valid');
  };
  const find = (id: string) => (/^\d+$/.test(id) ? posts.get(Number(id)) : undefined);

  emulator
    .route('GET', '/api/1.3/posts', (req) => denied(req) ?? list(req, () => true))
    .route('GET', '/api/1.3/posts/tag', (req) => {
      const tag = req.query.get('tag')?.toLowerCase();
      if (!tag) return denied(req) ?? failure(400, 'tag: This field is required.');
      return denied(req) ?? list(req, (p) => tagsOf(p).some((t) => t.toLowerCase() === tag));
    })
    .route('GET', '/api/1.3/posts/search', (req) => {
      const phrase = req.query.get('phrase')?.toLowerCase();
      if (!phrase) return denied(req) ?? failure(400, 'phrase: This field is required.');
      return (
        denied(req) ??
        list(req, (p) =>
          // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the value is a primitive from JSON here; typed properly when issue 13 item 3 reshapes this folder (not now: it is being edited concurrently)
          `${p.headline} ${String(p.subheadline ?? '')} ${String(p.body ?? '')}`
            .toLowerCase()
            .includes(phrase),
        )
      );
    })
    .route('GET', '/api/1.3/posts/:id', (req, { id = '' }) => {
      const no = denied(req);
      if (no) return no;
      const post = find(id);
      return post ? { status: 200, body: post } : failure(404, 'Post not found');
    })
    .route('PUT', '/api/1.3/posts/:id', (req, { id = '' }) => denied(req) ?? put(find(id), req.body))
    .otherwise(() => failure(404, 'Not found'));

  function list(req: EmulatorRequest, match: (p: RebelmousePost) => boolean): EmulatorResponse {
    const offset = queryInt(req, 'offset', 0);
    const limit = queryInt(req, 'limit', 10);
    if (!(offset >= 0)) return failure(400, 'offset: A valid integer is required.');
    if (!(limit >= 1 && limit <= 30)) return failure(400, 'limit: Ensure this value is between 1 and 30.');
    // Unknown whether lists include unpublished posts: assume not, so nothing relies on it.
    const rows = [...posts.values()]
      .filter((p) => !p.draft_url && match(p))
      .sort((a, b) => b.created_ts - a.created_ts);
    return { status: 200, body: rows.slice(offset, offset + limit) };
  }

  function put(post: RebelmousePost | undefined, body: unknown): EmulatorResponse {
    if (!post) return failure(404, 'Post not found');
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return failure(400, 'Invalid JSON body');
    const input = body as Record<string, unknown>;
    const errors = validate(input);
    if (errors.length) return failure(400, ...errors);
    if (post.draft_url) return failure(400, 'Post is not published');
    const next = replace(post, input);
    if (input.action === 'unpublish') next.draft_url = `${SITE}/core/editor/${post.id}`;
    posts.set(post.id, next);
    return { status: 200, body: next };
  }

  return emulator;
}

/** Full replace: only what was sent survives; the documented defaults fill the rest. */
function replace(post: RebelmousePost, input: Record<string, unknown>): RebelmousePost {
  // A null clears the field: it is stored absent, as an omitted one (the PUT replaces the whole post).
  const fields = Object.fromEntries(
    EDITABLE.filter((f) => input[f] !== undefined && input[f] !== null).map((f) => [f, input[f]]),
  );
  const basename =
    typeof fields.basename === 'string' && fields.basename
      ? fields.basename
      : slugOf(String(fields.headline));
  const type =
    fields.type ?? (fields.image_id || fields.image_external ? 'image' : fields.video ? 'video' : 'page');
  const authors = fields.roar_author_ids;
  const slug = `${basename}-${post.id}`;
  return {
    ...fields,
    id: post.id,
    headline: String(fields.headline),
    basename,
    type,
    // "By default, roar_author_ids is automatically populated with the ID of the user" of the key.
    roar_author_ids: Array.isArray(authors) && authors.length > 0 ? authors : [KEY_USER_ID],
    created_ts: typeof fields.created_ts === 'number' ? fields.created_ts : Math.floor(Date.now() / 1000),
    post_url: `${SITE}/${slug}`,
    slug,
  };
}

function validate(input: Record<string, unknown>): string[] {
  const errors: string[] = [];
  // Optional fields take null (cleared); headline is checked below.
  const given = (f: string) => input[f] !== undefined && input[f] !== null;
  if (typeof input.headline !== 'string' || input.headline.trim() === '')
    errors.push('headline: This field is required.');
  if (input.action !== undefined && input.action !== 'unpublish')
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the value is a primitive from JSON here; typed properly when issue 13 item 3 reshapes this folder (not now: it is being edited concurrently)
    errors.push(`action: "${String(input.action)}" is not a valid choice.`);
  if (given('type') && !TYPES.includes(String(input.type)))
    errors.push(`type: "${String(input.type)}" is not a valid choice.`);
  for (const f of STRINGS)
    if (given(f) && typeof input[f] !== 'string') errors.push(`${f}: Not a valid string.`);
  for (const f of INTEGERS)
    if (given(f) && !Number.isInteger(input[f])) errors.push(`${f}: A valid integer is required.`);
  for (const f of OBJECTS) if (given(f) && !isRecord(input[f])) errors.push(`${f}: Expected an object.`);
  for (const f of LISTS) {
    const v = input[f];
    if (given(f) && !(Array.isArray(v) && v.every((x) => typeof x === 'string')))
      errors.push(`${f}: Expected a list of strings.`);
  }
  const authors = input.roar_author_ids;
  if (
    given('roar_author_ids') &&
    !(Array.isArray(authors) && authors.every((a) => Number.isInteger(a) && (a as number) > 0))
  ) {
    errors.push('roar_author_ids: Expected a list of integers.');
  }
  if (given('listicle') && !(Array.isArray(input.listicle) && input.listicle.every(isRecord))) {
    errors.push('listicle: Expected a list of objects.');
  }
  return errors;
}

function tagsOf(post: RebelmousePost): string[] {
  return Array.isArray(post.tags) ? (post.tags as string[]) : [];
}
