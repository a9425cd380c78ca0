import { ToolError, invalidInput } from '../../core/errors.js';
import { canonicalJson } from '../../core/post.js';
import { diffFields, type FieldChange } from '../../core/safety.js';
import {
  ProviderClient,
  readCursor,
  encodeCursor,
  expectObject,
  parsePost,
  summarizeRows,
} from '../../pipeline/client.js';
import type { CallContext, LoadedPost, PostApi, ProviderDeps, WritePlan } from '../../pipeline/types.js';
import { partooErrorMessage } from './errors.js';
import {
  editablePartooFields,
  isDraft,
  normalizePartooPost,
  platformsOf,
  summarizePartooPost,
} from './normalize.js';
import {
  partooListInput,
  partooPostSchema,
  type PartooListArgs,
  type PartooPost,
  type PartooUpdateArgs,
} from './schemas.js';
import { SCHEDULE_LEAD_MS, earliestScheduleTime, parseUtc } from './time.js';

export interface PartooSettings {
  baseUrl: string;
  apiKey: string;
}

// Summary limits per platform (Partoo post-management guide, providers.md 1.5).
const SUMMARY_LIMITS: Record<string, number> = { google_my_business: 1500, instagram: 2200, facebook: 10000 };
// The list filter's vocabulary differs from Post.post_type (providers.md 1.2).
const LIST_TYPE: Record<string, string> = {
  news: 'standard',
  covid: 'alert',
  standard: 'standard',
  alert: 'alert',
  event: 'event',
  offer: 'offer',
};
const DATED_TYPES = new Set(['event', 'offer']);
const DEFAULT_PER_PAGE = 30;

/** Partoo REST API v2: x-APIKey header, numeric ids, updates applied asynchronously. */
export function createPartooApi(
  settings: PartooSettings,
  deps: ProviderDeps,
): PostApi<PartooListArgs, PartooUpdateArgs> {
  const client = new ProviderClient({
    baseUrl: settings.baseUrl,
    http: deps.http,
    redactor: deps.redactor,
    authHeaders: () => ({ 'x-APIKey': settings.apiKey }),
    errorMessage: partooErrorMessage,
  });
  const postPath = (id: string) => `/posts/${encodeURIComponent(id)}`;

  return {
    async get(id, ctx) {
      let status: number;
      try {
        const res = await client.read(postPath(id), {}, ctx);
        return load(parsePost(partooPostSchema, expectObject(res.body, 'get_post'), 'Partoo'));
      } catch (err) {
        // GET /posts/{id} is inferred (ADR 0010): a 404/405 may mean the route is missing, so the list decides.
        const code = err instanceof ToolError ? err.details.provider_status : undefined;
        if (code !== 404 && code !== 405) throw err;
        status = code;
      }
      const found = await findInList(client, id, ctx);
      if (!found.post) {
        throw new ToolError(
          'not_found',
          `Partoo post ${id} not found: GET /posts/${id} answered HTTP ${status} and the list (${found.scanned} posts read) does not show it.`,
          { provider_status: status, retryable: false, hint: 'Check the id with partoo_list_posts.' },
        );
      }
      const loaded = load(found.post);
      loaded.post.warnings = [
        `Partoo's GET /posts/${id} answered HTTP ${status}; this post was read through the list (GET /posts) instead.`,
      ];
      return loaded;
    },

    async list(args, ctx) {
      const a = args.cursor
        ? readCursor(partooListInput.omit({ cursor: true }), args.cursor, 'Partoo')
        : args;
      const page = a.page ?? 1;
      // Partoo's docs disagree on the default page size (30 vs 1-100): always send it.
      const per_page = a.per_page ?? DEFAULT_PER_PAGE;
      const types = a.type && [...new Set(a.type.map((t) => LIST_TYPE[t] ?? t))];
      // Array filters go comma-separated under their legacy names (ADR 0012).
      const res = await client.read(
        '/posts',
        {
          page,
          per_page,
          ...(a.business__in && { business__in: a.business__in.join(',') }),
          ...(a.state__in && { state__in: a.state__in.join(',') }),
          ...(types && { topic_type__in: types.join(',') }),
          ...(a.start_datetime && { start_datetime: a.start_datetime }),
          ...(a.end_datetime && { end_datetime: a.end_datetime }),
          ...(a.summary && { summary: a.summary }),
        },
        ctx,
      );
      const body = expectObject(res.body, 'list_posts');
      const rows = Array.isArray(body.posts) ? body.posts : [];
      const posts = summarizeRows(rows, partooPostSchema, summarizePartooPost);
      const maxPage = typeof body.max_page === 'number' ? body.max_page : page;
      const { cursor: _cursor, ...rest } = a as PartooListArgs;
      return {
        posts,
        next_cursor:
          page < maxPage && rows.length > 0 ? encodeCursor({ ...rest, page: page + 1, per_page }) : null,
      };
    },

    planUpdate(current, changes) {
      const raw = current.raw as PartooPost;
      const { publish, ...fields } = changes;
      // Clearing a field that is already empty is no change ("" is sent, null is what Partoo returns).
      for (const key of ['title', 'summary', 'coupon_code', 'offer_terms'] as const) {
        if (fields[key] === '' && current.editable[key] === null) delete fields[key];
      }
      if (fields.image_url?.length === 0 && current.editable.image_url === null) delete fields.image_url;
      const warnings = [...(current.post.warnings ?? [])];
      checkDatedFields(raw, fields, current.editable, warnings);
      checkSummary(raw, fields.summary, warnings);
      checkImages(raw, fields.image_url, warnings);
      const diff = diffFields(current.editable, fields);
      if (diff.schedule_time) checkScheduleTime(fields.schedule_time);
      const body: Record<string, unknown> = {};
      for (const field of Object.keys(diff)) body[field] = (fields as Record<string, unknown>)[field];
      const draft = isDraft(raw);
      if (publish) {
        if (!draft) {
          throw invalidInput(
            'publish',
            `only a draft awaiting validation can be published; this post is ${current.post.status}`,
          );
        }
        diff.publish = { before: false, after: true };
      }
      if (diff.title)
        warnings.push('Partoo does not return title, so the new title cannot be checked after the update.');
      if (platformsOf(raw).includes('instagram')) {
        warnings.push(
          'This post is on Instagram: Partoo updates have no effect on Instagram posts (Instagram API limitation).',
        );
      }
      if (draft && raw.expiration_time && Date.parse(raw.expiration_time) < Date.now()) {
        warnings.push(
          `This draft expired at ${raw.expiration_time}: Partoo no longer lets a BM/GM user validate and publish it.`,
        );
      }
      const planned = plan(
        { method: 'PUT', path: postPath(current.post.id), body },
        diff,
        warnings,
        'update',
      );
      // "this endpoint also serves to validate and publish a draft post" (api-docs): with a BM/GM key any
      // PUT on a draft publishes it, so such a write is confirmed like a delete (ADR 0091).
      if (draft) {
        planned.confirm = publish
          ? 'Publish this draft: Partoo validates it and puts it live'
          : 'Publish this draft: with a BM or GM key this update validates it and puts it live';
      }
      return planned;
    },

    planRemoval(current) {
      // Every field that has a value before → null, so the journal keeps the pre-image of a post that will be gone.
      const diff: Record<string, FieldChange> = {};
      for (const [field, before] of Object.entries(current.editable)) {
        if (before !== null) diff[field] = { before, after: null };
      }
      const warnings = [
        ...(current.post.warnings ?? []),
        'Deletion is irreversible; Partoo applies it asynchronously (the post may still be listed for a few minutes).',
      ];
      if (platformsOf(current.raw as PartooPost).includes('instagram')) {
        warnings.push(
          'Partoo changes have no effect on Instagram posts: the Instagram copy may stay online; remove it on Instagram.',
        );
      }
      return plan({ method: 'DELETE', path: postPath(current.post.id) }, diff, warnings, 'delete');
    },

    send: (request, ctx) =>
      client.send(request, ctx).catch((err: unknown) => explainRefusal(err, request.path)),
    urlOf: (request) => client.urlOf(request),

    isApplied(fresh, planned) {
      return Object.entries(planned.diff).every(([field, change]) => {
        // Not returned by Partoo (title always, start_at/end_at in the documented Post): cannot be checked.
        if (
          field === 'title' ||
          ((field === 'start_at' || field === 'end_at') && fresh.raw[field] === undefined)
        )
          return true;
        if (field === 'publish') return !isDraft(fresh.raw as PartooPost);
        const after = change.after as Record<string, unknown> | null;
        // use_business_url: Partoo fills cta_link with the business's URL, which we do not know in advance.
        if (field === 'link' && after?.use_business_url) return fresh.editable.link !== null;
        // A link with neither a business URL nor a custom one removes the link.
        if (field === 'link' && !after?.custom_url) return fresh.editable.link === null;
        // "" clears a field, which Partoo may then return as null.
        return (
          canonicalJson(emptyAsNull(fresh.editable[field] ?? null)) ===
          canonicalJson(emptyAsNull(change.after))
        );
      });
    },
  };
}

function load(raw: PartooPost): LoadedPost {
  return { post: normalizePartooPost(raw), raw, editable: editablePartooFields(raw) };
}

const emptyAsNull = (value: unknown): unknown =>
  value === '' || (Array.isArray(value) && value.length === 0) ? null : value;

// Bounds the fallback scan of a Partoo without GET /posts/{id}: 10 pages of 100 posts.
const LIST_SCAN_PAGES = 10;

/** Pages through GET /posts for one id (the list has no id filter, providers.md 1.2). */
async function findInList(
  client: ProviderClient,
  id: string,
  ctx: CallContext,
): Promise<{ post?: PartooPost; scanned: number }> {
  let scanned = 0;
  for (let page = 1; page <= LIST_SCAN_PAGES; page++) {
    const res = await client.read('/posts', { page, per_page: 100 }, ctx);
    const body = expectObject(res.body, 'list_posts');
    const rows = Array.isArray(body.posts) ? body.posts : [];
    scanned += rows.length;
    for (const row of rows) {
      const parsed = partooPostSchema.safeParse(row);
      if (parsed.success && String(parsed.data.id) === id) return { post: parsed.data, scanned };
    }
    const maxPage = typeof body.max_page === 'number' ? body.max_page : page;
    if (page >= maxPage || rows.length === 0) break;
  }
  return { scanned };
}

/** Partoo's 404 on a write and its 400 on schedule_time, in words the agent can act on. */
function explainRefusal(err: unknown, path: string): never {
  if (err instanceof ToolError && err.code === 'not_found') {
    throw new ToolError('not_found', `Partoo post ${path.split('/').pop() ?? ''} not found (HTTP 404).`, {
      ...err.details,
      hint: 'It may have been deleted since it was read: check with partoo_list_posts.',
    });
  }
  // Partoo's own 400 on schedule_time means its clock disagrees with ours about the 2-hour rule.
  if (err instanceof ToolError && err.code === 'invalid_input' && /schedule_time/.test(err.message)) {
    throw new ToolError('invalid_input', `Partoo refused schedule_time. ${err.message}`, {
      ...err.details,
      field: 'schedule_time',
      hint: `Partoo's clock put it under 2 hours ahead of the request; send a later time (at least ${earliestScheduleTime(Date.now() + 60_000)} UTC).`,
    });
  }
  throw err;
}

/** "at least 2 hours after the time of the request" (api-docs): exactly that, no margin of our own. */
function checkScheduleTime(value: string | undefined): void {
  if (value === undefined) return;
  const now = Date.now();
  if ((parseUtc(value) ?? 0) < now + SCHEDULE_LEAD_MS) {
    throw invalidInput(
      'schedule_time',
      `must be at least 2 hours after the request (Partoo's rule): the earliest allowed now is ${earliestScheduleTime(now)} UTC`,
    );
  }
}

function checkDatedFields(
  raw: PartooPost,
  changes: Omit<PartooUpdateArgs, 'publish'>,
  editable: Record<string, unknown>,
  warnings: string[],
): void {
  const type = raw.post_type ?? 'unknown';
  for (const field of ['start_at', 'end_at'] as const) {
    // "For either event or offer post type" (api-docs).
    if (changes[field] !== undefined && !DATED_TYPES.has(type)) {
      throw invalidInput(field, `only event and offer posts have ${field}; this post is a ${type} post`);
    }
  }
  const start = changes.start_at ?? (editable.start_at as string | null);
  const end = changes.end_at ?? (editable.end_at as string | null);
  // Not a documented rule, so a warning: Partoo decides.
  if ((changes.start_at || changes.end_at) && start && end && end <= start) {
    warnings.push(
      `end_at (${end}) is not after start_at (${start}); Partoo may refuse it or show it as given.`,
    );
  }
}

/** Documented per-platform summary limits (post-management guide, providers.md 1.5). */
function checkSummary(raw: PartooPost, summary: string | undefined, warnings: string[]): void {
  if (summary === undefined) return;
  const limits = platformsOf(raw)
    .filter((p) => SUMMARY_LIMITS[p] !== undefined)
    .map((p) => [p, SUMMARY_LIMITS[p] ?? Infinity] as const)
    .sort((a, b) => a[1] - b[1]);
  const [platform, limit] = limits[0] ?? [];
  if (platform && limit !== undefined && summary.length > limit) {
    throw invalidInput(
      'summary',
      `at most ${limit} characters on ${platform} (this post is on ${limits.map(([p]) => p).join(', ')}); it has ${summary.length}`,
    );
  }
  if (summary.trim() === '') warnings.push('The summary is empty: the post will have no text.');
}

/** "Add up to 10 images for multi-image post on Facebook and IG" (api-docs); Google shows the first only. */
function checkImages(raw: PartooPost, images: string[] | undefined, warnings: string[]): void {
  if (images === undefined) return;
  const platforms = platformsOf(raw);
  const capped = platforms.filter((p) => p === 'facebook' || p === 'instagram');
  if (images.length > 10 && capped.length) {
    throw invalidInput(
      'image_url',
      `at most 10 images on ${capped.join(' and ')}; this list has ${images.length}`,
    );
  }
  if (images.length === 0 && raw.post_type === 'news' && platforms.includes('instagram')) {
    warnings.push('Instagram news posts need at least 1 image (Partoo guide): this removes every image.');
  }
}

function plan(
  request: WritePlan['request'],
  diff: WritePlan['diff'],
  warnings: string[],
  op: 'update' | 'delete',
): WritePlan {
  return {
    request,
    diff,
    warnings,
    // Dropped once wait_for_apply has seen the change land.
    ...(op === 'update' && {
      pendingWarnings: [
        'Partoo applies updates asynchronously: the change can take a few minutes to show on the platforms.',
      ],
    }),
    interpret(res) {
      // The 200 body is not trusted as the new state: the change lands minutes later (ADR 0011).
      const body =
        typeof res.body === 'object' && res.body !== null ? (res.body as Record<string, unknown>) : {};
      const odd = op === 'delete' && typeof body.status === 'string' && body.status !== 'success';
      return {
        post: null,
        applied: 'async',
        warnings: odd ? [`Partoo answered status "${String(body.status)}".`] : [],
      };
    },
  };
}
