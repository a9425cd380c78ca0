import { ToolError } from '../../core/errors.js';
import { canonicalJson } from '../../core/post.js';
import { diffFields } from '../../core/safety.js';
import {
  ProviderClient,
  readCursor,
  encodeCursor,
  expectObject,
  summarizeRows,
} from '../../pipeline/client.js';
import type { CallContext, LoadedPost, PostApi, ProviderDeps, WritePlan } from '../../pipeline/types.js';
import { flowErrorMessage } from './errors.js';
import {
  editableFlowFields,
  normalizeFlowPost,
  summarizeFlowPost,
  unwrapFlowPost,
  viewOf,
} from './normalize.js';
import {
  flowListInput,
  flowPostSchema,
  hasZone,
  toUtcZ,
  type FlowListArgs,
  type FlowPost,
  type FlowUpdateArgs,
} from './schemas.js';

export interface FlowSettings {
  baseUrl: string;
  apiKey: string;
}

const DEFAULT_LIMIT = 20;

/** FlowCMS content API: the seed's PUT plus the low-confidence GET one and list (ADR 0030). */
export function createFlowApi(
  settings: FlowSettings,
  deps: ProviderDeps,
): PostApi<FlowListArgs, FlowUpdateArgs> {
  const client = new ProviderClient({
    baseUrl: settings.baseUrl,
    http: deps.http,
    redactor: deps.redactor,
    authHeaders: () => ({ authorization: `Bearer ${settings.apiKey}` }),
    errorMessage: flowErrorMessage,
  });
  const postPath = (id: string) => `/content/posts/${encodeURIComponent(id)}`;

  const load = (raw: Record<string, unknown>, post: FlowPost, warnings?: string[]): LoadedPost => {
    const view = viewOf(post);
    const normalized = normalizeFlowPost(view);
    return {
      post: warnings ? { ...normalized, warnings } : normalized,
      raw,
      editable: editableFlowFields(view),
    };
  };

  /** GET one; where that inferred endpoint is missing (404/405/501) the list endpoint finds the post (ADR 0030). */
  const read = async (id: string, ctx: CallContext): Promise<LoadedPost> => {
    let status: number | undefined;
    try {
      const res = await client.read(postPath(id), {}, ctx);
      const found = unwrapFlowPost(res.body);
      if (!found)
        throw new ToolError('provider_error', 'FlowCMS returned a post without the expected fields.');
      return load(found.raw, found.post);
    } catch (err) {
      status = err instanceof ToolError ? err.details.provider_status : undefined;
      if (status !== 404 && status !== 405 && status !== 501) throw err;
      const row = await findInList(client, id, ctx);
      if (row) {
        return load(row.raw, row.post, [
          `Read through the list endpoint: GET /content/posts/{id} answered HTTP ${status} for a post the list shows.`,
        ]);
      }
      if (status === 404) throw err;
      throw new ToolError(
        'not_found',
        `FlowCMS has no GET /content/posts/{id} (HTTP ${status}) and post ${id} is not in GET /content/posts either.`,
        { provider_status: status, retryable: false, hint: 'Use flowcms_list_posts to find the post id.' },
      );
    }
  };

  const api: PostApi<FlowListArgs, FlowUpdateArgs> = {
    get: read,

    async list(args, ctx) {
      const { cursor: _cursor, ...a }: FlowListArgs = args.cursor
        ? readCursor(flowListInput.omit({ cursor: true }), args.cursor, 'FlowCMS')
        : args;
      const page = a.page ?? 1;
      const limit = a.limit ?? DEFAULT_LIMIT;
      const res = await client.read('/content/posts', { ...a, page, limit }, ctx);
      const { rows, meta } = listRows(res.body);
      const posts = summarizeRows(rows, flowPostSchema, (post) => summarizeFlowPost(viewOf(post)));
      // meta {current_page,total_pages} decides; without it a full page means "maybe more" (ADR 0035).
      const more =
        typeof meta.total_pages === 'number'
          ? page < meta.total_pages
          : rows.length === limit && rows.length > 0;
      return { posts, next_cursor: more ? encodeCursor({ ...a, page: page + 1, limit }) : null };
    },

    planUpdate(current, changes) {
      const diff = diffFields(current.editable, changes);
      // The seed's PUT is partial ("omitted fields retain their current values"): send only what changes.
      const body = Object.fromEntries(
        Object.keys(diff).map((f) => [f, (changes as Record<string, unknown>)[f]]),
      );
      const warnings: string[] = [...(current.post.warnings ?? [])];
      if (diff.slug) warnings.push('The slug changes: links to the old URL may break.');
      if (typeof changes.slug === 'string' && diff.slug && !URL_FRIENDLY.test(changes.slug))
        warnings.push(
          `slug "${changes.slug}" is not lowercase words joined by "-" (the seed's example form); FlowCMS may rewrite or refuse it.`,
        );
      if (typeof changes.published_at === 'string' && diff.published_at && !hasZone(changes.published_at))
        warnings.push(
          'published_at has no Z or offset: it is sent as given and FlowCMS decides its time zone (read back as UTC here).',
        );
      if (diff.tags && changes.tags?.some((t) => t.trim() === ''))
        warnings.push(
          'tags holds an empty tag; FlowCMS documents none as invalid, but it shows as a blank tag.',
        );
      if (diff.status?.after === 'archived')
        warnings.push('Archived posts leave the site; set status "published" to restore.');
      return writePlan(current, { method: 'PUT', path: postPath(current.post.id), body }, diff, warnings);
    },

    planRemoval(current) {
      // Only a published post has anything to take down; draft and archived are already off the site (ADR 0034).
      const diff =
        current.editable.status === 'published' ? diffFields(current.editable, { status: 'draft' }) : {};
      return writePlan(
        current,
        { method: 'PUT', path: postPath(current.post.id), body: { status: 'draft' } },
        diff,
        [],
      );
    },

    async send(request, ctx) {
      const res = await client.send(request, ctx);
      // The seed's 200 answer has no published_at (the server may set one on publish): re-read so the result
      // carries what FlowCMS really holds, and its version matches the next get_post (ADR 0031).
      const answered = unwrapFlowPost(res.body);
      if (answered && viewOf(answered.post).has_published_at) return res;
      const id = decodeURIComponent(request.path.slice('/content/posts/'.length));
      const fresh = await read(id, ctx).catch(() => undefined);
      return fresh
        ? { ...res, body: { success: true, data: fresh.raw, reread_warnings: fresh.post.warnings ?? [] } }
        : res;
    },
    urlOf: (request) => client.urlOf(request),
  };
  return api;
}

// The seed's example slug form; other slugs are sent (the seed says only "URL-friendly") with a warning.
const URL_FRIENDLY = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// Bounds the list walk of the fallback read: 20 pages of 100.
const MAX_SCAN_PAGES = 20;

/** The post with this id among the list's rows, page by page (the fallback for a missing GET one). */
async function findInList(
  client: ProviderClient,
  id: string,
  ctx: CallContext,
): Promise<{ raw: Record<string, unknown>; post: FlowPost } | undefined> {
  for (let page = 1; page <= MAX_SCAN_PAGES; page++) {
    const res = await client.read('/content/posts', { page, limit: 100 }, ctx);
    const { rows, meta } = listRows(res.body);
    for (const row of rows) {
      const parsed = flowPostSchema.safeParse(row);
      if (parsed.success && String(parsed.data.id) === id)
        return { raw: row as Record<string, unknown>, post: parsed.data };
    }
    const last = typeof meta.total_pages === 'number' ? page >= meta.total_pages : rows.length < 100;
    if (last) return undefined;
  }
  return undefined;
}

/** Warnings of the re-read that send() attached to the answer (e.g. read through the list). */
function readWarnings(body: unknown): string[] {
  const w = (body as { reread_warnings?: unknown } | null)?.reread_warnings;
  return Array.isArray(w) ? w.filter((x): x is string => typeof x === 'string') : [];
}

/** The rows and meta of a list answer: `{data, meta}` (docs), `{success, data}`, `{entries}` or a bare array. */
function listRows(body: unknown): { rows: unknown[]; meta: Record<string, unknown> } {
  if (Array.isArray(body)) return { rows: body, meta: {} };
  const b = expectObject(body, 'list_posts');
  const rows = Array.isArray(b.data) ? b.data : Array.isArray(b.entries) ? b.entries : [];
  const meta = typeof b.meta === 'object' && b.meta !== null ? (b.meta as Record<string, unknown>) : {};
  return { rows, meta };
}

function writePlan(
  current: LoadedPost,
  request: WritePlan['request'],
  diff: WritePlan['diff'],
  warnings: string[],
): WritePlan {
  return {
    request,
    diff,
    warnings,
    interpret(res) {
      const found = unwrapFlowPost(res.body);
      if (!found) {
        return {
          post: null,
          applied: 'sync',
          warnings: ['FlowCMS accepted the change but returned no post; call flowcms_get_post to see it.'],
        };
      }
      const view = viewOf(found.post);
      const out = readWarnings(res.body).filter((w) => !warnings.includes(w));
      // Only when the re-read after the PUT failed: keep what we sent or knew rather than report null (ADR 0031).
      if (!view.has_published_at) {
        const sent = diff.published_at?.after;
        view.published_at =
          typeof sent === 'string'
            ? toUtcZ(sent)
            : diff.status
              ? null
              : (current.editable.published_at as string | null);
        out.push(
          'FlowCMS did not return published_at and the post could not be re-read: call flowcms_get_post for its version.',
        );
      }
      const returned = editableFlowFields(view);
      const same = (f: string, a: unknown, b: unknown) =>
        f === 'published_at' ? toUtcZ(a) === toUtcZ(b) : canonicalJson(a) === canonicalJson(b);
      const ignored = Object.keys(diff).filter(
        (f) => (f !== 'published_at' || view.has_published_at) && !same(f, returned[f], diff[f]?.after),
      );
      if (ignored.length) out.push(`FlowCMS holds different values than sent for: ${ignored.join(', ')}.`);
      return { post: normalizeFlowPost(view), applied: 'sync', warnings: out };
    },
  };
}
