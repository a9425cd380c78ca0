import { ToolError } from '../../core/errors.js';
import type { HttpResponse } from '../../core/http.js';
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
import { flowListInput, flowPostSchema, type FlowListArgs, type FlowUpdateArgs } from './schemas.js';

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

  const api: PostApi<FlowListArgs, FlowUpdateArgs> = {
    async get(id, ctx) {
      const res = await readOne(client, postPath(id), ctx);
      const found = unwrapFlowPost(res.body);
      if (!found)
        throw new ToolError('provider_error', 'FlowCMS returned a post without the expected fields.');
      const view = viewOf(found.post);
      return { post: normalizeFlowPost(view), raw: found.raw, editable: editableFlowFields(view) };
    },

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
      const warnings: string[] = [];
      if (diff.slug) warnings.push('The slug changes: links to the old URL may break.');
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

    send: (request, ctx) => client.send(request, ctx),
    urlOf: (request) => client.urlOf(request),
  };
  return api;
}

/** A GET of one post; a 405/501 means this FlowCMS has no such endpoint (it is inferred, not in the seed). */
async function readOne(client: ProviderClient, path: string, ctx: CallContext): Promise<HttpResponse> {
  try {
    return await client.read(path, {}, ctx);
  } catch (err) {
    const status = err instanceof ToolError ? err.details.provider_status : undefined;
    if (status === 405 || status === 501) {
      throw new ToolError(
        'provider_error',
        `This FlowCMS API does not support GET /content/posts/{id} (HTTP ${status}); reads and writes need it. Use flowcms_list_posts to browse.`,
        { provider_status: status, retryable: false },
      );
    }
    throw err;
  }
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
      // The seed's 200 example has no published_at: keep what we sent or knew rather than report null (ADR 0031).
      if (!view.has_published_at) {
        const sent = diff.published_at?.after;
        view.published_at =
          typeof sent === 'string'
            ? sent
            : diff.status
              ? null
              : (current.editable.published_at as string | null);
      }
      const returned = editableFlowFields(view);
      const ignored = Object.keys(diff).filter(
        (f) =>
          (f !== 'published_at' || view.has_published_at) &&
          canonicalJson(returned[f]) !== canonicalJson(diff[f]?.after),
      );
      return {
        post: normalizeFlowPost(view),
        applied: 'sync',
        warnings: ignored.length
          ? [`FlowCMS returned different values for: ${ignored.join(', ')}. Call flowcms_get_post to check.`]
          : [],
      };
    },
  };
}
