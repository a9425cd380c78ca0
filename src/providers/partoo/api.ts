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
import type { LoadedPost, PostApi, ProviderDeps, WritePlan } from '../../pipeline/types.js';
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
      const res = await client.read(postPath(id), {}, ctx).catch((err: unknown) => {
        throw unsupportedGet(err);
      });
      return load(parsePost(partooPostSchema, expectObject(res.body, 'get_post'), 'Partoo'));
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
      checkDatedFields(raw, current.editable, changes);
      checkSummary(raw, changes.summary);
      const diff = diffFields(current.editable, changes);
      const body: Record<string, unknown> = {};
      for (const field of Object.keys(diff)) body[field] = (changes as Record<string, unknown>)[field];
      const warnings = [
        'Partoo applies updates asynchronously: the change can take a few minutes to show on the platforms.',
      ];
      if (diff.title)
        warnings.push('Partoo does not return title, so the new title cannot be checked after the update.');
      if (platformsOf(raw).includes('instagram')) {
        warnings.push(
          'This post is on Instagram: Partoo updates have no effect on Instagram posts (Instagram API limitation).',
        );
      }
      if (isDraft(raw)) {
        warnings.push(
          'This post is a draft awaiting validation: with a BM or GM key, this update also validates and publishes it.',
        );
      }
      const planned = plan(
        { method: 'PUT', path: postPath(current.post.id), body },
        diff,
        warnings,
        'update',
      );
      // Publishing a draft puts it live on the platforms: confirmed like a removal (api-docs: PUT /posts/{id}).
      return isDraft(raw)
        ? {
            ...planned,
            confirm: 'Publish this draft: with a BM or GM key this update validates it and puts it live',
          }
        : planned;
    },

    planRemoval(current) {
      // Every editable field before → null, so the journal keeps the whole pre-image of a post that will be gone.
      const diff: Record<string, FieldChange> = {};
      for (const [field, before] of Object.entries(current.editable)) diff[field] = { before, after: null };
      const warnings = [
        'Deletion is irreversible; Partoo applies it asynchronously (the post may still be listed for a few minutes).',
      ];
      if (platformsOf(current.raw as PartooPost).includes('instagram')) {
        warnings.push(
          'Partoo changes have no effect on Instagram posts: the Instagram copy may stay online; remove it on Instagram.',
        );
      }
      return plan({ method: 'DELETE', path: postPath(current.post.id) }, diff, warnings, 'delete');
    },

    send: (request, ctx) => client.send(request, ctx),
    urlOf: (request) => client.urlOf(request),

    isApplied(fresh, planned) {
      return Object.entries(planned.diff).every(([field, change]) => {
        // Not returned by Partoo (title always, start_at/end_at in the documented Post): cannot be checked.
        if (
          field === 'title' ||
          ((field === 'start_at' || field === 'end_at') && fresh.raw[field] === undefined)
        )
          return true;
        const after = change.after as Record<string, unknown> | null;
        // use_business_url: Partoo fills cta_link with the business's URL, which we do not know in advance.
        if (field === 'link' && after?.use_business_url) return fresh.editable.link !== null;
        return canonicalJson(fresh.editable[field] ?? null) === canonicalJson(change.after);
      });
    },
  };
}

function load(raw: PartooPost): LoadedPost {
  return { post: normalizePartooPost(raw), raw, editable: editablePartooFields(raw) };
}

/** GET /posts/{id} is inferred (providers.md 1.3): a 405 means this API has no such route (ADR 0010). */
function unsupportedGet(err: unknown): unknown {
  if (!(err instanceof ToolError)) return err;
  if (err.details.provider_status === 405) {
    return new ToolError(
      'provider_error',
      'Reading one post (GET /posts/{id}) is not supported by this Partoo API (HTTP 405): use partoo_list_posts to find the post. Updates and deletes need it too.',
      { provider_status: 405, retryable: false },
    );
  }
  if (err.code === 'not_found') {
    return new ToolError(err.code, err.message, {
      ...err.details,
      hint: 'Check the id with partoo_list_posts. If every id is not_found, this Partoo API may lack GET /posts/{id}.',
    });
  }
  return err;
}

function checkDatedFields(
  raw: PartooPost,
  editable: Record<string, unknown>,
  changes: PartooUpdateArgs,
): void {
  const type = raw.post_type ?? 'unknown';
  for (const field of ['start_at', 'end_at'] as const) {
    if (changes[field] !== undefined && !DATED_TYPES.has(type)) {
      throw invalidInput(field, `only event and offer posts have ${field}; this post is a ${type} post`);
    }
  }
  const start = changes.start_at ?? (editable.start_at as string | null);
  const end = changes.end_at ?? (editable.end_at as string | null);
  if ((changes.start_at || changes.end_at) && start && end && end <= start) {
    const field = changes.end_at ? 'end_at' : 'start_at';
    throw invalidInput(
      field,
      `end_at (${end}) must be after start_at (${start})`,
      '{"start_at":"2050-01-01T09:00:00","end_at":"2050-01-02T18:00:00"}',
    );
  }
}

function checkSummary(raw: PartooPost, summary: string | undefined): void {
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
