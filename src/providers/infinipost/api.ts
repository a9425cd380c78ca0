import { ToolError, invalidInput } from '../../core/errors.js';
import type { HttpResponse } from '../../core/http.js';
import { diffFields, type FieldChange } from '../../core/safety.js';
import {
  ProviderClient,
  readCursor,
  encodeCursor,
  expectObject,
  parsePost,
  summarizeRows,
} from '../../pipeline/client.js';
import type {
  CallContext,
  LoadedPost,
  PlannedRequest,
  PostApi,
  ProviderDeps,
  WritePlan,
} from '../../pipeline/types.js';
import { editableInfinipostFields, normalizeInfinipostPost, summarizeInfinipostPost } from './normalize.js';
import {
  checkInfinipostRules,
  infinipostDeleteSchema,
  infinipostListInput,
  infinipostPostSchema,
  scheduleWarnings,
  type InfinipostListArgs,
  type InfinipostPost,
  type InfinipostUpdateArgs,
} from './schemas.js';

export interface InfinipostSettings {
  baseUrl: string;
  apiKey: string;
}

// "Only posts with a status of generated or pending_render can be edited" (edit page), same for delete.
const EDITABLE = new Set(['generated', 'pending_render']);
// ADR 0022: `scheduled` is undocumented for edit/delete; the API decides, its cannot_edit becomes not_editable.
const API_DECIDES = 'scheduled';
// Our errorMessage puts the provider's code first, so the code survives core's status-based mapping.
const CANNOT_EDIT = /\bHTTP \d{3}: cannot_edit:/;
const DEFAULT_LIMIT = 20;

/** Infinipost v1: GET/PATCH /posts/{postId}, GET /posts (cursor), DELETE /posts with {"postIds": [...]}. */
export function createInfinipostApi(
  settings: InfinipostSettings,
  deps: ProviderDeps,
): PostApi<InfinipostListArgs, InfinipostUpdateArgs> {
  const client = new ProviderClient({
    baseUrl: settings.baseUrl,
    http: deps.http,
    redactor: deps.redactor,
    authHeaders: () => ({ authorization: `Bearer ${settings.apiKey}` }),
    errorMessage: infinipostErrorMessage,
  });
  const postPath = (id: string) => `/posts/${encodeURIComponent(id)}`;

  return {
    async get(id, ctx) {
      const res = await client.read(postPath(id), {}, ctx);
      return load(parsePost(infinipostPostSchema, expectObject(res.body, 'get_post'), 'Infinipost'));
    },

    async list(args, ctx) {
      const { after, ...filters } = args.cursor
        ? readCursor(listState, args.cursor, 'Infinipost')
        : { ...withoutCursor(args), after: undefined };
      const limit = filters.limit ?? DEFAULT_LIMIT;
      const res = await client.read('/posts', { ...filters, limit, cursor: after }, ctx);
      const body = expectObject(res.body, 'list_posts');
      const posts = summarizeRows(body.data, infinipostPostSchema, summarizeInfinipostPost);
      const next = body.hasMore === true && typeof body.nextCursor === 'string' ? body.nextCursor : null;
      // ADR 0023: their cursor travels inside ours with the filters, so page 2 keeps page 1's filters.
      return { posts, next_cursor: next ? encodeCursor({ ...filters, limit, after: next }) : null };
    },

    planUpdate(current, changes) {
      const warnings = editableOrThrow(current, 'edited');
      const fields: Record<string, unknown> = { ...changes };
      // "" is how an agent clears a text field; for the sound that is the documented removal (leave it out).
      if (fields.soundId === '') fields.soundId = null;
      if (fields.caption === '' && current.editable.caption === null) delete fields.caption;
      // The tool's schema demands the other half where the docs require it; a revert may bring one half only.
      if (fields.scheduledTime !== undefined && fields.timezone === undefined)
        fields.timezone = current.editable.timezone;
      for (const [a, b] of [['contentType', 'contentUrl'] as const, ['contentUrl', 'contentType'] as const]) {
        if (fields[a] !== undefined && fields[b] === undefined) fields[b] = current.editable[b];
      }
      const broken = checkInfinipostRules(fields);
      if (broken) throw invalidInput(broken.field, broken.rule, broken.example);
      warnings.push(...scheduleWarnings(fields, Date.now()));
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- platform is a JSON primitive from the provider
      const platform = String(current.raw.platform ?? 'unknown');
      if (typeof fields.soundId === 'string' && platform !== 'tiktok') {
        warnings.push(`soundId is "only applicable for TikTok posts"; this post is on ${platform}.`);
      }

      const diff = diffFields(current.editable, fields);
      const body: Record<string, unknown> = {};
      for (const field of Object.keys(diff)) if (field !== 'soundId') body[field] = fields[field];
      // Edit page: timezone is "Required if scheduledTime is provided"; contentType "Must be provided alongside contentUrl".
      if ('scheduledTime' in body) body.timezone = fields.timezone;
      if ('contentType' in body || 'contentUrl' in body)
        Object.assign(body, { contentType: fields.contentType, contentUrl: fields.contentUrl });
      // ADR 0020 — edit page on soundId: "If omitted the post will have no TikTok sound attached".
      // So the current sound is re-sent unless the agent gave another or null (null = send none, the documented removal).
      const currentSound = typeof current.editable.soundId === 'string' ? current.editable.soundId : null;
      const sound = fields.soundId === undefined ? currentSound : (fields.soundId as string | null);
      if (sound !== null) body.soundId = sound;
      if (fields.soundId === undefined && currentSound !== null) {
        warnings.push(
          `soundId "${currentSound}" is re-sent so the post keeps its sound (Infinipost drops it when omitted).`,
        );
      }
      if (diff.soundId && sound === null) {
        warnings.push(
          'The sound is removed: the request leaves soundId out, which is how Infinipost removes it.',
        );
      }
      return {
        request: { method: 'PATCH', path: postPath(current.post.id), body },
        diff,
        warnings,
        interpret: (res) => interpretUpdate(res, platform === 'tiktok' ? sound : null),
      };
    },

    planRemoval(current) {
      const warnings = editableOrThrow(current, 'deleted');
      // The whole post goes: the journal keeps every field as it was (the diff's before values).
      const diff: Record<string, FieldChange> = {};
      for (const [field, before] of Object.entries(current.editable)) {
        if (before !== null) diff[field] = { before, after: null };
      }
      const id = current.post.id;
      return {
        // Batch delete: DELETE /posts with the ids in a JSON body, no id in the path (delete page).
        request: { method: 'DELETE', path: '/posts', body: { postIds: [id] } },
        diff,
        warnings,
        interpret: (res) => interpretDelete(res, id),
      };
    },

    send: (request: PlannedRequest, ctx: CallContext) => mapCannotEdit(client.send(request, ctx)),
    urlOf: (request) => client.urlOf(request),
  };
}

function withoutCursor(args: InfinipostListArgs): Omit<InfinipostListArgs, 'cursor'> {
  const { cursor: _cursor, ...rest } = args;
  return rest;
}

const listState = infinipostListInput
  .omit({ cursor: true })
  .extend({ after: infinipostListInput.shape.cursor });

function load(raw: InfinipostPost): LoadedPost {
  return { post: normalizeInfinipostPost(raw), raw, editable: editableInfinipostFields(raw) };
}

/** Refuses a post Infinipost documents as not editable/deletable, naming its status; returns warnings. */
function editableOrThrow(current: LoadedPost, verb: 'edited' | 'deleted'): string[] {
  const status = String(current.raw.status);
  if (EDITABLE.has(status)) return [];
  if (status === API_DECIDES) {
    return [
      `The post is "scheduled": Infinipost's docs do not say whether it can still be ${verb}; the API decides.`,
    ];
  }
  const live =
    status === 'posted'
      ? ' It is already live: nothing in the Infinipost API can take it down; remove it on the platform itself.'
      : '';
  throw new ToolError(
    'not_editable',
    `This Infinipost post has status "${status}": only posts in "generated" or "pending_render" can be ${verb}.${live}`,
    { retryable: false, data: { post_status: status } },
  );
}

function interpretUpdate(res: HttpResponse, sentSound: string | null): ReturnType<WritePlan['interpret']> {
  const parsed = infinipostPostSchema.safeParse(res.body);
  if (!parsed.success) {
    return {
      post: null,
      applied: 'sync',
      warnings: [
        'Infinipost accepted the edit but its answer was not a post; call infinipost_get_post to check.',
      ],
    };
  }
  const warnings =
    sentSound !== null && parsed.data.soundId !== sentSound
      ? [
          `Infinipost answered with soundId ${JSON.stringify(parsed.data.soundId ?? null)}, not "${sentSound}"; check the post's sound.`,
        ]
      : [];
  return { post: normalizeInfinipostPost(parsed.data), applied: 'sync', warnings };
}

function interpretDelete(res: HttpResponse, id: string): ReturnType<WritePlan['interpret']> {
  const parsed = infinipostDeleteSchema.safeParse(res.body);
  const answer = parsed.success ? parsed.data : {};
  const failure = answer.failed?.find((f) => f.postId === id || f.postId == null);
  if (failure) {
    // ADR 0025: a delete can "succeed" (200) and still list our id under failed; that is an error, with the reason.
    const reason = failure.reason ?? 'no reason given';
    const code = /not.?found/i.test(reason) ? 'not_found' : 'not_editable';
    throw new ToolError(code, `Infinipost did not delete ${id}: ${reason}`, { retryable: false });
  }
  if (!answer.deleted?.includes(id)) {
    throw new ToolError(
      'provider_error',
      `Infinipost's answer does not list ${id} as deleted; call infinipost_get_post to check.`,
      {
        retryable: false,
      },
    );
  }
  return {
    post: null,
    applied: 'sync',
    warnings: [],
    extra: { deleted: id, deleted_at: answer.deletedAt ?? null },
  };
}

/** The API's cannot_edit is not_editable whatever HTTP status carries it (the docs give none). */
async function mapCannotEdit(pending: Promise<HttpResponse>): Promise<HttpResponse> {
  try {
    return await pending;
  } catch (err) {
    if (err instanceof ToolError && CANNOT_EDIT.test(err.message)) {
      throw new ToolError(
        'not_editable',
        `Infinipost refused: ${err.message.replace(/^.*?cannot_edit: /, '')}`,
        {
          provider_status: err.details.provider_status,
          retryable: false,
          hint: "Call infinipost_get_post to see the post's status; a post already posted cannot be changed.",
        },
      );
    }
    throw err;
  }
}

/** Infinipost errors are `{"error": {"code", "message"}}`; the code leads so it can be told apart. */
export function infinipostErrorMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const error = (body as Record<string, unknown>).error;
  if (typeof error === 'string') return error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as Record<string, unknown>;
  const text = typeof message === 'string' ? message : undefined;
  if (typeof code === 'string') return text ? `${code}: ${text}` : code;
  return text;
}
