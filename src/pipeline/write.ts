import { z } from 'zod';
import { ToolError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { canonicalJson } from '../core/post.js';
import type { ConfirmTokens } from '../core/safety.js';
import type { ToolContext } from '../core/tool.js';
import {
  checkConfirmation,
  confirmationSchema,
  dryRunConfirmation,
  withConfirmation,
  type ConfirmVia,
} from './confirm.js';
import type { HeldLock, Store } from '../store/types.js';
import type { LoadedPost, PostApi, WritePlan } from './types.js';

/** What every write tool returns (DESIGN.md "Output"), dry run or not. */
export const writeResultSchema = z.object({
  dry_run: z.boolean(),
  // Described, not spelled out: it is get_post's shape, and repeating that schema in every write tool's
  // listing cost ~200 tokens a tool.
  post: z
    .looseObject({})
    .nullable()
    .describe('the post after the write, as get_post returns it; null until the provider shows it'),
  changed_fields: z.array(z.string()),
  // Values described, not typed: a field's value can be any JSON, and an untyped schema is not portable.
  diff: z.record(z.string(), z.looseObject({})).describe('field → {before, after}'),
  applied: z.enum(['sync', 'async']).nullable(),
  warnings: z.array(z.string()),
  journal_id: z.string().nullable(),
  request: z.object({ method: z.string(), url: z.string(), body: z.looseObject({}).nullable() }).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  confirmation: confirmationSchema.optional(),
});
export type WriteResult = z.infer<typeof writeResultSchema>;

export interface WritePolicy {
  requireVersion: boolean;
  confirm: 'destructive' | 'never';
  confirmVia: ConfirmVia;
  /** Upper bound for wait_for_apply polling. */
  applyTimeoutMs: number;
  /** How long a post's write lock lasts without its holder renewing it (POST_EDITOR_TIMEOUT_MS). */
  lockTtlMs: number;
}

export interface WriteDeps {
  store: Store;
  confirmTokens: ConfirmTokens;
  policy: WritePolicy;
  log: Logger;
}

export interface WriteCall {
  provider: string;
  tool: string;
  op: 'update' | 'unpublish' | 'delete';
  id: string;
  changes: Record<string, unknown>;
  expected_version?: string;
  dry_run?: boolean;
  confirm_token?: string;
  wait_for_apply?: boolean;
  /** Journal id this write reverts, if it is a revert. */
  reverts?: string;
  /** Ask for confirmation even for an update (a forced revert over later changes). */
  confirm?: boolean;
  /** The state of the person's accepted confirmation (set by withConfirmation, never from arguments). */
  person_token?: string;
}

/** Every write of every provider goes through here: version check, plan, dry run, confirm, journal, send. */
export function runWrite<L, U>(
  api: PostApi<L, U>,
  call: WriteCall,
  deps: WriteDeps,
  ctx: ToolContext,
  plan: (current: LoadedPost) => WritePlan,
): Promise<WriteResult> {
  // Asking the person happens outside the write itself, which then runs again with their answer.
  return withConfirmation(call, deps, ctx, (confirmed) => writeOnce(api, confirmed, deps, ctx, plan));
}

async function writeOnce<L, U>(
  api: PostApi<L, U>,
  call: WriteCall,
  deps: WriteDeps,
  ctx: ToolContext,
  plan: (current: LoadedPost) => WritePlan,
): Promise<WriteResult> {
  // Dry runs take no lock: they send nothing, and a preview must not wait behind a slow write.
  if (call.dry_run) return writeLocked(api, call, deps, ctx, plan, undefined);
  const key = `${call.provider}:${call.id}`;
  return inProcessQueue(key, () =>
    deps.store.withPostLock(key, deps.policy.lockTtlMs, (lock) =>
      writeLocked(api, call, deps, ctx, plan, lock),
    ),
  );
}

const queues = new Map<string, Promise<unknown>>();

/**
 * Runs writes to one post one after another within this process, so they wait here instead of polling
 * the store's lock; the store lock then serializes them against every other process (ADR 0070).
 */
function inProcessQueue<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const tail = run.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}

/** From the read of the current version to the provider's answer: called with the post's lock held. */
async function writeLocked<L, U>(
  api: PostApi<L, U>,
  call: WriteCall,
  deps: WriteDeps,
  ctx: ToolContext,
  plan: (current: LoadedPost) => WritePlan,
  lock: HeldLock | undefined,
): Promise<WriteResult> {
  const current = await api.get(call.id, ctx);
  const version = current.post.version;
  if (call.expected_version !== undefined && call.expected_version !== version) {
    throw new ToolError(
      'conflict',
      `The post changed since version ${call.expected_version}: its current version is ${version}. Nothing was written.`,
      {
        field: 'expected_version',
        hint: 'Call get_post again, check the current content, then retry with the new version.',
        data: { current_version: version },
      },
    );
  }
  const planned = plan(current);
  const changed_fields = Object.keys(planned.diff);
  const preview = {
    method: planned.request.method,
    url: api.urlOf(planned.request),
    body: planned.request.body ?? null,
  };
  if (changed_fields.length === 0) {
    return {
      dry_run: Boolean(call.dry_run),
      post: current.post,
      changed_fields,
      diff: {},
      applied: null,
      warnings: [
        call.op === 'update'
          ? 'Nothing to change: every given field already has that value. No request was sent.'
          : `Nothing to do: the post is already ${current.post.status}. No request was sent.`,
      ],
      journal_id: null,
    };
  }
  if (call.dry_run) {
    const { confirmation, warning } = dryRunConfirmation(call, current.post, planned, deps, ctx);
    return {
      dry_run: true,
      post: null,
      changed_fields,
      diff: planned.diff,
      applied: null,
      warnings: [...planned.warnings, ...(planned.pendingWarnings ?? []), ...(warning ? [warning] : [])],
      journal_id: null,
      request: preview,
      ...(confirmation && { confirmation }),
    };
  }
  const confirmedBy = checkConfirmation(
    call,
    { post: current.post, diff: planned.diff, warnings: planned.warnings, request: preview },
    planned,
    deps,
  );
  const journal_id = await deps.store.append({
    provider: call.provider,
    post_id: call.id,
    tool: call.tool,
    version_before: version,
    before: Object.fromEntries(changed_fields.map((f) => [f, planned.diff[f]?.before ?? null])),
    after: Object.fromEntries(changed_fields.map((f) => [f, planned.diff[f]?.after ?? null])),
    request: {
      method: planned.request.method,
      path: planned.request.path,
      ...(planned.request.body !== undefined && { body: planned.request.body }),
    },
    title_before: current.post.title,
    url_before: current.post.url,
    reverts: call.reverts ?? null,
    actor: ctx.actor ?? null,
  });
  let outcome;
  try {
    // Right before sending, the lock must still be ours (ADR 0171): if the store lost it while the
    // provider was read (its renewals failed for a whole ttl), another process may be writing.
    if (lock && !(await lock.confirm())) throw lockLost();
    const res = await api.send(planned.request, ctx);
    outcome = planned.interpret(res, current);
  } catch (err) {
    await deps.store.complete(journal_id, 'failed', err instanceof Error ? err.message : String(err));
    throw err;
  }
  await deps.store.complete(journal_id, outcome.applied === 'sync' ? 'applied' : 'accepted');
  const warnings = [...planned.warnings, ...outcome.warnings];
  // "Applies in the background" holds until a poll sees the change; then it would contradict applied "sync".
  const pending = [...(planned.pendingWarnings ?? []), ...(outcome.pendingWarnings ?? [])];
  let post = outcome.post;
  let applied = outcome.applied;
  if (outcome.applied === 'async' && call.wait_for_apply) {
    const waited = await waitForApply(api, outcome.newId ?? call.id, planned, deps, ctx);
    if (waited) {
      post = waited.post;
      applied = 'sync';
    } else {
      warnings.push(
        ...pending,
        `The change was accepted but was not visible within ${Math.round(deps.policy.applyTimeoutMs / 1000)} s; call get_post later to check.`,
      );
    }
  } else warnings.push(...pending);
  return {
    dry_run: false,
    post,
    changed_fields,
    diff: planned.diff,
    applied,
    warnings,
    journal_id,
    ...(outcome.extra && { details: outcome.extra }),
    ...(confirmedBy && { confirmation: { status: 'confirmed' as const, by: confirmedBy } }),
  };
}

function lockLost(): ToolError {
  return new ToolError(
    'timeout',
    "This post's write lock was lost before sending (the journal store did not answer for a whole lease); nothing was sent.",
    { retryable: true, hint: 'Try again: the write is checked against the current version once more.' },
  );
}

async function waitForApply<L, U>(
  api: PostApi<L, U>,
  id: string,
  planned: WritePlan,
  deps: WriteDeps,
  ctx: ToolContext,
): Promise<LoadedPost | undefined> {
  const deadline = Date.now() + deps.policy.applyTimeoutMs;
  let delay = 250;
  for (let attempt = 1; Date.now() + delay <= deadline; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, delay));
    if (ctx.signal.aborted) return undefined;
    await ctx.progress(attempt, undefined, 'waiting for the provider to apply the change');
    const fresh = await api.get(id, ctx).catch(() => undefined);
    if (fresh && (api.isApplied ? api.isApplied(fresh, planned) : editableMatches(fresh, planned)))
      return fresh;
    delay = Math.min(delay * 2, 2000);
  }
  return undefined;
}

function editableMatches(fresh: LoadedPost, planned: WritePlan): boolean {
  return Object.entries(planned.diff).every(
    ([field, change]) => canonicalJson(fresh.editable[field] ?? null) === canonicalJson(change.after),
  );
}
