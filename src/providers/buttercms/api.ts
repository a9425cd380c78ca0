import { invalidInput } from '../../core/errors.js';
import { canonicalJson } from '../../core/post.js';
import { diffFields } from '../../core/safety.js';
import {
  ProviderClient,
  readCursor,
  encodeCursor,
  expectObject,
  parsePost,
  summarizeRows,
} from '../../pipeline/client.js';
import type { LoadedPost, PostApi, ProviderDeps, WritePlan } from '../../pipeline/types.js';
import { parseButterError } from './errors.js';
import { editableButterFields, normalizeButterPost, summarizeButterPost } from './normalize.js';
import {
  butterListInput,
  butterPostSchema,
  butterSlugify,
  type ButterListArgs,
  type ButterUpdateArgs,
} from './schemas.js';
import { isRecord } from '../../core/record.js';

export interface ButterSettings {
  baseUrl: string;
  readToken: string | undefined;
  writeToken: string | undefined;
}

// Flags that steer the write but are not post fields: sent, never diffed.
const WRITE_FLAGS = new Set(['upload_images_to_media_library']);
// Fields ButterCMS rewrites when applying (images are copied to its media library).
const REWRITTEN = new Set(['featured_image', 'body']);

/** ButterCMS Read API (GET) + Write API (PATCH, 202 then applied in the background). */
export function createButterApi(
  settings: ButterSettings,
  deps: ProviderDeps,
): PostApi<ButterListArgs, ButterUpdateArgs> {
  const client = new ProviderClient({
    baseUrl: settings.baseUrl,
    http: deps.http,
    redactor: deps.redactor,
    authHeaders: (kind): Record<string, string> => {
      const token = kind === 'write' ? settings.writeToken : (settings.readToken ?? settings.writeToken);
      return token ? { authorization: `Token ${token}` } : {};
    },
    parseError: parseButterError,
  });
  // The trailing slash is mandatory: without it ButterCMS redirects, and a redirected PATCH can lose its body.
  const postPath = (slug: string) => `/posts/${encodeURIComponent(slug)}/`;
  // The remote image URLs an upload_images_to_media_library write should replace, per plan.
  const uploads = new WeakMap<WritePlan, string[]>();

  const api: PostApi<ButterListArgs, ButterUpdateArgs> = {
    async get(id, ctx) {
      const res = await client.read(postPath(id), {}, ctx);
      return load(parsePost(butterPostSchema, expectObject(res.body, 'get_post').data, 'ButterCMS'));
    },

    async list(args, ctx) {
      const a = args.cursor
        ? readCursor(butterListInput.omit({ cursor: true }), args.cursor, 'ButterCMS')
        : args;
      const page = a.page ?? 1;
      const page_size = a.page_size ?? 10;
      const res = await client.read(
        a.query ? '/posts/search/' : '/posts/',
        {
          page,
          page_size,
          exclude_body: 'true',
          ...(a.query && { query: a.query }),
          ...(a.preview && !a.query && { preview: 1 }),
          ...(a.author_slug && { author_slug: a.author_slug }),
          ...(a.category_slug && { category_slug: a.category_slug }),
          ...(a.tag_slug && { tag_slug: a.tag_slug }),
        },
        ctx,
      );
      const body = expectObject(res.body, 'list_posts');
      const posts = summarizeRows(body.data, butterPostSchema, summarizeButterPost);
      const meta = (body.meta ?? {}) as { next_page?: number | null };
      const { cursor: _cursor, ...rest } = a as ButterListArgs;
      return {
        posts,
        next_cursor: meta.next_page ? encodeCursor({ ...rest, page: meta.next_page, page_size }) : null,
      };
    },

    planUpdate(current, changes) {
      const given = changes as Record<string, unknown>;
      const fields = Object.fromEntries(Object.entries(given).filter(([k]) => !WRITE_FLAGS.has(k)));
      // The slug ButterCMS will store (it slugifies the input): the diff, the new id and the wait compare that.
      const slug = changes.slug === undefined ? undefined : butterSlugify(changes.slug);
      if (slug !== undefined) fields.slug = slug;
      const diff = diffFields(current.editable, fields);
      // "scheduled" status will be ignored (api-docs): accepted only as the value already held (a write-back).
      if (diff.status?.after === 'scheduled') {
        throw invalidInput(
          'status',
          'ButterCMS ignores status "scheduled" on update, so it cannot be set here; schedule in the ButterCMS dashboard',
          '"draft"',
        );
      }
      if (diff.author && sameAuthor(current.editable.author, changes.author)) delete diff.author;
      const body: Record<string, unknown> = {};
      for (const field of Object.keys(diff)) body[field] = given[field];
      const warnings: string[] = [];
      const onlyUpload = Object.keys(diff).length === 0 && changes.upload_images_to_media_library === true;
      if (onlyUpload) {
        // "any image URLs in the body property will be uploaded": re-send the current body with the flag.
        body.body = current.editable.body ?? '';
        diff.upload_images_to_media_library = { before: null, after: true };
        if (remoteImages(String(body.body)).length === 0)
          warnings.push('The body has no remote image URLs: ButterCMS has nothing to copy.');
      }
      if (Object.keys(diff).length && changes.upload_images_to_media_library !== undefined) {
        body.upload_images_to_media_library = changes.upload_images_to_media_library;
      }
      if (diff.slug) {
        const note = slug !== changes.slug ? ` (ButterCMS slugifies "${String(changes.slug)}")` : '';
        warnings.push(`The slug becomes "${slug}"${note}: use it as id from now on; old links may break.`);
      }
      if (diff.featured_image && changes.featured_image)
        warnings.push('ButterCMS copies featured_image to its media library; the stored URL will differ.');
      if (diff.author && !hasAuthorKey(changes.author))
        warnings.push(
          'author has no slug or email: ButterCMS documents finding an existing author by those; another shape may be ignored or refused.',
        );
      const plan = writePlan(
        current,
        { method: 'PATCH', path: postPath(current.post.id), body },
        diff,
        warnings,
        slug,
      );
      if (body.upload_images_to_media_library === true)
        uploads.set(plan, remoteImages(typeof body.body === 'string' ? body.body : ''));
      return plan;
    },

    planRemoval(current) {
      const diff = diffFields(current.editable, { status: 'draft' });
      return writePlan(
        current,
        { method: 'PATCH', path: postPath(current.post.id), body: { status: 'draft' } },
        diff,
        [],
      );
    },

    send: (request, ctx) => client.send(request, ctx),
    urlOf: (request) => client.urlOf(request),

    isApplied(fresh, plan) {
      // A media-library copy shows as the body's remote image URLs replaced by library ones.
      const copied = uploads.get(plan);
      if (
        copied &&
        copied.some((url) =>
          (typeof fresh.editable.body === 'string' ? fresh.editable.body : '').includes(url),
        )
      )
        return false;
      return Object.entries(plan.diff).every(
        ([field, change]) =>
          REWRITTEN.has(field) ||
          WRITE_FLAGS.has(field) ||
          (field === 'author'
            ? sameAuthor(fresh.editable.author, identity(change.after))
            : canonicalJson(emptyAsNull(fresh.editable[field])) === canonicalJson(emptyAsNull(change.after))),
      );
    },
  };
  return api;
}

function load(raw: ReturnType<typeof butterPostSchema.parse>): LoadedPost {
  return { post: normalizeButterPost(raw), raw, editable: editableButterFields(raw) };
}

function writePlan(
  current: LoadedPost,
  request: WritePlan['request'],
  diff: WritePlan['diff'],
  warnings: string[],
  newSlug?: string,
): WritePlan {
  return {
    request,
    diff,
    warnings,
    interpret(res) {
      const body =
        typeof res.body === 'object' && res.body !== null ? (res.body as Record<string, unknown>) : {};
      // ButterCMS passes ignored fields back as "warning: <field>" keys of the 202 body.
      const providerWarnings = Object.entries(body)
        .filter(([k, v]) => k.startsWith('warning') && typeof v === 'string')
        .map(([, v]) => `ButterCMS: ${String(v)}`);
      const renamed = newSlug !== undefined && newSlug !== current.post.id;
      if (res.status === 202 || body.status === 'pending') {
        return {
          post: null,
          applied: 'async',
          warnings: providerWarnings,
          pendingWarnings: [
            'ButterCMS accepted the change (202) and applies it in the background, usually within seconds.',
          ],
          ...(renamed && { newId: newSlug, extra: { new_id: newSlug } }),
        };
      }
      const data = butterPostSchema.safeParse(body.data);
      return {
        post: data.success ? normalizeButterPost(data.data) : null,
        applied: data.success ? 'sync' : 'async',
        warnings: providerWarnings,
        ...(renamed && { newId: newSlug, extra: { new_id: newSlug } }),
      };
    },
  };
}

/** True when a given author names the same one as the current author object (every given key matches). */
function sameAuthor(current: unknown, given: unknown): boolean {
  if (given === undefined) return true;
  if (!isRecord(current) || !isRecord(given) || Object.keys(given).length === 0) return false;
  return Object.entries(given).every(([k, v]) => canonicalJson(current[k] ?? null) === canonicalJson(v));
}

/** "" and null both mean "no value" (featured_image "" is stored as null). */
function emptyAsNull(value: unknown): unknown {
  return value === '' || value === undefined ? null : value;
}

/** The keys ButterCMS finds an author by (slug, email); other given keys cannot be checked after the apply. */
function identity(author: unknown): Record<string, unknown> | undefined {
  if (!isRecord(author)) return undefined;
  const keys = Object.fromEntries(Object.entries(author).filter(([k]) => k === 'slug' || k === 'email'));
  return Object.keys(keys).length ? keys : undefined;
}

function hasAuthorKey(author: unknown): boolean {
  return isRecord(author) && (typeof author.slug === 'string' || typeof author.email === 'string');
}

const IMG_SRC = /<img\b[^>]*?\ssrc=["'](https?:\/\/[^"']+)["']/gi;

/** Image URLs in an HTML body that are not in ButterCMS's media library yet. */
export function remoteImages(html: string): string[] {
  return [...html.matchAll(IMG_SRC)]
    .map((m) => m[1] ?? '')
    .filter((url) => url && !/^https:\/\/cdn\.buttercms\.com\//.test(url));
}
