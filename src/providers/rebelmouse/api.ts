import { ToolError, invalidInput } from '../../core/errors.js';
import { diffFields } from '../../core/safety.js';
import { ProviderClient, readCursor, encodeCursor, summarizeRows } from '../../pipeline/client.js';
import type { LoadedPost, PostApi, ProviderDeps, WritePlan } from '../../pipeline/types.js';
import { editableRebelmouseFields, normalizeRebelmousePost, summarizeRebelmousePost } from './normalize.js';
import { videoWarnings } from './rules.js';
import {
  DERIVED_FIELDS,
  EDITABLE_FIELDS,
  rebelmouseListInput,
  rebelmousePostSchema,
  type RebelmouseListArgs,
  type RebelmouseUpdateArgs,
} from './schemas.js';

export interface RebelmouseSettings {
  baseUrl: string;
  apiKey: string;
}

const DEFAULT_LIMIT = 10;
const cursorSchema = rebelmouseListInput.omit({ cursor: true });

/** RebelMouse Posts API 1.3 on the site's own domain: GET, and a full-replace PUT. */
export function createRebelmouseApi(
  settings: RebelmouseSettings,
  deps: ProviderDeps,
): PostApi<RebelmouseListArgs, RebelmouseUpdateArgs> {
  const client = new ProviderClient({
    baseUrl: settings.baseUrl,
    http: deps.http,
    redactor: deps.redactor,
    // The docs also allow ?api_key=, which would put the key in every log line (ADR 0041).
    authHeaders: () => ({ 'x-rmauth': settings.apiKey }),
    errorMessage: rebelmouseErrorMessage,
  });
  const postPath = (id: string) => `/posts/${encodeURIComponent(id)}`;

  const api: PostApi<RebelmouseListArgs, RebelmouseUpdateArgs> = {
    async get(id, ctx) {
      const res = await mapAuthErrors(client.read(postPath(id), {}, ctx));
      return load(unwrap(res.body), 'get_post');
    },

    async list(args, ctx) {
      const a: Omit<RebelmouseListArgs, 'cursor'> = args.cursor
        ? readCursor(cursorSchema, args.cursor, 'RebelMouse')
        : args;
      if (a.tag !== undefined && a.phrase !== undefined) {
        throw invalidInput(
          'phrase',
          'give tag or phrase, not both (RebelMouse lists by one of them)',
          '{"tag":"weather"}',
        );
      }
      const offset = a.offset ?? 0;
      const limit = a.limit ?? DEFAULT_LIMIT;
      const path = a.tag !== undefined ? '/posts/tag' : a.phrase !== undefined ? '/posts/search' : '/posts';
      const res = await mapAuthErrors(
        client.read(
          path,
          {
            offset,
            limit,
            ...(a.tag !== undefined && { tag: a.tag }),
            ...(a.phrase !== undefined && { phrase: a.phrase }),
          },
          ctx,
        ),
      );
      const rows = listRows(res.body);
      const posts = summarizeRows(rows, rebelmousePostSchema, summarizeRebelmousePost);
      // A bare array: no total and no cursor, so a full page means "maybe more" (ADR 0043).
      const next = rows.length === limit ? encodeCursor({ ...a, offset: offset + limit, limit }) : null;
      return { posts, next_cursor: next };
    },

    planUpdate(current, changes) {
      if (current.post.status === 'unpublished') {
        throw new ToolError(
          'not_editable',
          'The post is unpublished (it is a draft now, see its draft_url); the Posts API edits published posts only. Edit it in the RebelMouse editor.',
        );
      }
      const given: Record<string, unknown> = { ...changes };
      // Merge custom fields key by key: other keys a site defines are kept; a null value removes a key (ADR 0046).
      if (changes.roar_specific_data) {
        const merged = { ...asObject(current.editable.roar_specific_data), ...changes.roar_specific_data };
        given.roar_specific_data = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== null));
      }
      const diff = diffFields(current.editable, given);
      const body = fullSet(current.editable, given);
      return writePlan(putRequest(current, body), diff, updateWarnings(current.editable, given, diff, body));
    },

    planRemoval(current) {
      if (current.post.status === 'unpublished') return writePlan(putRequest(current, {}), {}, []);
      // "In addition to the specification from updating posts": headline is still required, and the
      // current fields are re-sent so the unpublish cannot clear them (ADR 0040, 0045).
      const body = { ...fullSet(current.editable, {}), action: 'unpublish' };
      const diff = { status: { before: current.post.status, after: 'unpublished' } };
      return writePlan(putRequest(current, body), diff, [
        'The post becomes a draft; re-publish it in the RebelMouse editor (this server has no publish tool).',
      ]);
    },

    send: (request, ctx) => mapAuthErrors(client.send(request, ctx)),
    urlOf: (request) => client.urlOf(request),
  };
  return api;

  function putRequest(current: LoadedPost, body: Record<string, unknown>): WritePlan['request'] {
    return { method: 'PUT', path: postPath(current.post.id), body };
  }
}

/**
 * Every PUT carries the whole editable set: headline is required and it is unknown whether omitted
 * fields are cleared (api-docs: "headline … Required"; ADR 0040). Absent (null) fields stay absent; a field
 * the agent clears is sent as null, except basename and type, which are left out so RebelMouse derives them.
 */
function fullSet(current: Record<string, unknown>, given: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of EDITABLE_FIELDS) {
    const cleared = Object.hasOwn(given, field) && given[field] === null;
    const value = Object.hasOwn(given, field) ? given[field] : current[field];
    if (value !== null && value !== undefined) body[field] = value;
    else if (cleared && !DERIVED_FIELDS.has(field) && current[field] !== null) body[field] = null;
  }
  if (typeof body.headline !== 'string' || body.headline.trim() === '') {
    throw invalidInput(
      'headline',
      'RebelMouse requires a headline on every update and this post has none; give one',
      '"Storm closes harbor"',
    );
  }
  return body;
}

/** The type RebelMouse gives a post that does not name one (api-docs: "Defaults to"). */
function defaultType(fields: Record<string, unknown>): string {
  if (fields.image_id || fields.image_external) return 'image';
  return fields.video ? 'video' : 'page';
}

function updateWarnings(
  current: Record<string, unknown>,
  given: Record<string, unknown>,
  diff: WritePlan['diff'],
  body: Record<string, unknown>,
): string[] {
  const warnings: string[] = [];
  const listicle = body.listicle;
  if ((diff.listicle || diff.body) && Array.isArray(listicle) && listicle.length > 0) {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the value is a primitive from JSON here; typed properly when issue 13 item 3 reshapes this folder (not now: it is being edited concurrently)
    if (!String(body.body ?? '').includes('<listicle')) {
      warnings.push(
        'listicle is set but body has no <listicle> tag, so RebelMouse has nowhere to render the items.',
      );
    }
  }
  // Defaults RebelMouse would derive if these were not re-sent: say so, and how to let it (never diverge silently).
  if (diff.headline && !Object.hasOwn(given, 'basename') && body.basename !== undefined) {
    warnings.push(
      `basename stays ${JSON.stringify(body.basename)} (re-sent); RebelMouse derives it from the headline when none is sent: pass basename:null for that (the URL changes).`,
    );
  }
  const media = ['image_id', 'image_external', 'video'].some((f) => diff[f]);
  if (media && !Object.hasOwn(given, 'type') && body.type !== undefined) {
    const derived = defaultType(body);
    if (derived !== body.type)
      warnings.push(
        `type stays ${JSON.stringify(body.type)} (re-sent); RebelMouse's default for this post is now "${derived}": pass type:null to let it derive that, or set type.`,
      );
  }
  if (Object.hasOwn(given, 'type') && given.type === null && current.type !== null)
    warnings.push(`type is not sent: RebelMouse derives it ("${defaultType(body)}" by its documented rule).`);
  if (Object.hasOwn(given, 'basename') && given.basename === null && current.basename !== null)
    warnings.push('basename is not sent: RebelMouse derives it from the headline; the post URL may change.');
  if (diff.basename && typeof body.basename === 'string') {
    warnings.push('basename changed: the post URL changes and old links may break.');
    if (!/^[\p{L}\p{N}_-]+$/u.test(body.basename))
      warnings.push(
        'basename has characters other than letters, digits, "-" and "_": RebelMouse may rewrite them.',
      );
  }
  if (diff.video && typeof body.video === 'string') warnings.push(...videoWarnings(body.video));
  if (diff.roar_author_ids && Array.isArray(body.roar_author_ids) && body.roar_author_ids.length === 0)
    warnings.push(
      "roar_author_ids is empty: RebelMouse fills in the API key's user (its documented default).",
    );
  if (diff.created_ts && typeof body.created_ts === 'number' && body.created_ts * 1000 > Date.now()) {
    warnings.push(
      'created_ts is in the future; how RebelMouse shows a published post dated ahead is undocumented.',
    );
  }
  return warnings;
}

function writePlan(request: WritePlan['request'], diff: WritePlan['diff'], warnings: string[]): WritePlan {
  return {
    request,
    diff,
    warnings,
    interpret(res) {
      const parsed = rebelmousePostSchema.safeParse(unwrap(res.body));
      const draftUrl = parsed.success ? parsed.data.draft_url : undefined;
      const unpublishing = request.body?.action === 'unpublish';
      const out: string[] = [];
      if (!parsed.success)
        out.push('RebelMouse did not return the post; call rebelmouse_get_post to see it.');
      if (unpublishing && !draftUrl)
        out.push('RebelMouse did not return a draft_url; check the post with rebelmouse_get_post.');
      return {
        post: parsed.success ? normalizeRebelmousePost(parsed.data) : null,
        applied: 'sync',
        warnings: out,
        ...(unpublishing && draftUrl && { extra: { draft_url: draftUrl } }),
      };
    },
  };
}

function load(body: unknown, what: string): LoadedPost {
  const parsed = rebelmousePostSchema.safeParse(body);
  if (!parsed.success) {
    throw new ToolError('provider_error', `RebelMouse's answer for ${what} was not a post object.`, {
      retryable: true,
    });
  }
  return {
    post: normalizeRebelmousePost(parsed.data),
    raw: parsed.data,
    editable: editableRebelmouseFields(parsed.data),
  };
}

/** Success bodies are the bare object; tolerate the {status, data} error envelope around one too. */
function unwrap(body: unknown): unknown {
  const b = asObject(body);
  return b.status && typeof b.status === 'object' && b.data && typeof b.data === 'object' ? b.data : body;
}

function listRows(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  const data = asObject(body).data;
  if (Array.isArray(data)) return data;
  throw new ToolError('provider_error', "RebelMouse's list answer was not an array of posts.", {
    retryable: true,
  });
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/**
 * RebelMouse answers a bad key with 403 `{"status":{"code":null,"messages":["API key is not valid"]}}`
 * (authorization docs): that is an authentication failure, not a permission one (ADR 0042).
 */
async function mapAuthErrors<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (err) {
    if (err instanceof ToolError && err.code === 'forbidden' && /API key is not valid/i.test(err.message)) {
      // The hint naming REBELMOUSE_API_KEY is added for every auth_failed by the pipeline (error-hints.ts).
      throw new ToolError('auth_failed', err.message, err.details);
    }
    throw err;
  }
}

/** RebelMouse errors: `{"status": {"code": …, "messages": ["…"]}, "data": null}`. */
export function rebelmouseErrorMessage(body: unknown): string | undefined {
  const status = asObject(asObject(body).status);
  const messages = Array.isArray(status.messages) ? status.messages.filter((m) => typeof m === 'string') : [];
  if (messages.length) return messages.join('; ');
  const detail = asObject(body).detail ?? asObject(body).error;
  return typeof detail === 'string' ? detail : undefined;
}
