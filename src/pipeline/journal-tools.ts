import { z } from 'zod';
import { ToolError, invalidInput } from '../core/errors.js';
import { canonicalJson } from '../core/post.js';
import { defineTool, type DefinedTool } from '../core/tool.js';
import type { ProviderRuntime } from './define.js';
import { controlFields, versionVariant } from './tools.js';
import type { JournalEntry } from '../store/types.js';
import type { LoadedPost, WritePlan } from './types.js';
import { runWrite, writeResultSchema, type WriteDeps } from './write.js';

const entrySchema = z.object({
  journal_id: z.string(),
  at: z.string(),
  provider: z.string(),
  post_id: z.string(),
  tool: z.string(),
  version_before: z.string(),
  title_before: z.string().nullable(),
  before: z.record(z.string(), z.unknown()),
  after: z.record(z.string(), z.unknown()),
  outcome: z.string().nullable(),
  outcome_detail: z.string().nullable(),
  reverts: z.string().nullable(),
  reverted_by: z.string().nullable(),
  actor: z
    .object({
      client_name: z.string().nullable(),
      client_version: z.string().nullable(),
      transport: z.string(),
      principal: z.string().nullable(),
    })
    .nullable(),
});

const JOURNAL_ID = z
  .string()
  .regex(/^j_[a-z0-9]{1,12}_[a-f0-9]{10}$/, {
    error: 'must be a journal_id from a write result or post_history',
  })
  .describe('journal_id from a write result or post_history');

/** post_history (read) and revert_post (write), shared by every provider. */
export function buildJournalTools(
  runtimes: ProviderRuntime[],
  deps: WriteDeps,
  options: { readOnly: boolean },
): DefinedTool[] {
  const byId = new Map(runtimes.map((r) => [r.id, r]));
  const providerIds = runtimes.map((r) => r.id) as [string, ...string[]];
  const tools: DefinedTool[] = [
    defineTool({
      name: 'post_history',
      title: 'Journal of writes',
      description:
        'Writes made through this server, newest first: the fields each changed, before and after (texts over 500 characters shortened here; the journal keeps them whole). Use a journal_id with revert_post.',
      input: z.strictObject({
        provider: z.enum(providerIds).optional().describe('only this provider'),
        post_id: z.string().max(200).optional().describe('only this post id'),
        cursor: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,64}$/)
          .optional()
          .describe('next_cursor from the previous page'),
        limit: z.number().int().min(1).max(50).optional().describe('entries per page, default 10'),
      }),
      output: z.object({ entries: z.array(entrySchema), next_cursor: z.string().nullable() }),
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      // Its provider enum lists the enabled providers.
      listingVariant: providerIds.join(','),
      example: { provider: providerIds[0], limit: 10 },
      async handler({ provider, post_id, cursor, limit = 10 }) {
        const page = await deps.store.query({ provider, post_id, cursor, limit });
        return {
          entries: page.entries.map((e) => ({
            journal_id: e.journal_id,
            at: e.at,
            provider: e.provider,
            post_id: e.post_id,
            tool: e.tool,
            version_before: e.version_before,
            title_before: e.title_before,
            before: clipStrings(e.before),
            after: clipStrings(e.after),
            outcome: e.outcome,
            outcome_detail: e.outcome_detail,
            reverts: e.reverts,
            reverted_by: e.reverted_by,
            actor: e.actor,
          })),
          next_cursor: page.next_cursor,
        };
      },
    }),
  ];
  if (options.readOnly) return tools;

  tools.push(
    defineTool({
      name: 'revert_post',
      title: 'Revert a journaled write',
      description:
        "Re-applies a journal entry's previous field values through the provider's update (version-checked, dry-runnable, journaled). Refused with conflict if a field changed since that write, unless force:true (then confirm_token). Fields that can no longer be set are listed in details.not_restored.",
      input: z.strictObject({
        journal_id: JOURNAL_ID,
        ...controlFields(deps.policy.requireVersion),
        force: z.boolean().optional().describe('revert even over later changes (needs confirm_token)'),
        confirm_token: z
          .string()
          .max(200)
          .optional()
          .describe('token from the confirmation_required answer of a forced revert'),
      }),
      output: writeResultSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
      listingVariant: versionVariant(deps.policy.requireVersion),
      example: { journal_id: 'j_mbx2k1a0_3f9a1c2b7d', expected_version: 'k3J9xQ2mW8aB1cD4', dry_run: true },
      async handler({ journal_id, expected_version, dry_run, force, confirm_token }, ctx) {
        const entry = await deps.store.find(journal_id);
        if (!entry)
          throw new ToolError('not_found', `journal_id: no journal entry ${journal_id}`, {
            field: 'journal_id',
          });
        const runtime = byId.get(entry.provider);
        if (!runtime) {
          throw invalidInput(
            'journal_id',
            `the entry is for ${entry.provider}, which is not enabled on this server`,
          );
        }
        if (entry.tool.endsWith('_delete_post')) {
          throw new ToolError(
            'not_editable',
            `The post was deleted; ${runtime.label} cannot restore it through the API. Its previous content is in this entry's before fields (post_history).`,
          );
        }
        if (entry.outcome === 'failed') {
          throw new ToolError(
            'not_editable',
            `${journal_id} records a write that failed (${entry.outcome_detail ?? 'no detail'}): the provider did not apply it, so there is nothing to revert.`,
            { field: 'journal_id', hint: 'Call get_post to see the current content.' },
          );
        }
        const { changes, notRestored } = restorableFields(runtime, entry.before);
        if (Object.keys(changes).length === 0) {
          throw new ToolError(
            'not_editable',
            `Nothing in ${journal_id} can be restored: ${describe(notRestored)}`,
          );
        }
        const result = await runWrite(
          runtime.api,
          {
            provider: runtime.id,
            tool: `${runtime.id}_update_post`,
            op: 'update',
            id: currentId(runtime, entry),
            changes,
            expected_version,
            dry_run,
            reverts: journal_id,
            confirm: force === true,
            confirm_token,
          },
          deps,
          ctx,
          (current) => {
            if (!force) refuseOverLaterChanges(journal_id, entry.after, current, Object.keys(changes));
            return planDroppingRefused(runtime, current, changes, notRestored);
          },
        );
        return Object.keys(notRestored).length
          ? {
              ...result,
              warnings: [...result.warnings, `Not restored: ${describe(notRestored)}`],
              details: { ...result.details, not_restored: notRestored },
            }
          : result;
      },
    }),
  );
  return tools;
}

/** Where the post of a journal entry lives now: a write that changed its id (a renamed slug) moved it. */
function currentId(
  runtime: Pick<ProviderRuntime, 'idField'> | undefined,
  entry: Pick<JournalEntry, 'post_id' | 'after'>,
): string {
  const moved = runtime?.idField === undefined ? undefined : entry.after[runtime.idField];
  return typeof moved === 'string' && moved !== '' ? moved : entry.post_id;
}

/** The id a journal entry's post has now, for any enabled provider (the review page reads it there). */
export function postLocator(
  runtimes: ProviderRuntime[],
): (entry: Pick<JournalEntry, 'provider' | 'post_id' | 'after'>) => string {
  const byId = new Map(runtimes.map((r) => [r.id, r]));
  return (entry) => currentId(byId.get(entry.provider), entry);
}

const CLIP = 500;

/**
 * A history page shows at most CLIP characters of each text: a page of ten full bodies would cost an
 * agent ~100 KB of context and the server ~200 KB of JSON per call (ADR 0073); revert_post still uses
 * the whole pre-image from the store.
 */
function clipStrings<T>(value: T): T {
  if (typeof value === 'string') {
    return (
      value.length > CLIP ? `${value.slice(0, CLIP)}… [${value.length - CLIP} more characters]` : value
    ) as T;
  }
  if (Array.isArray(value)) return value.map(clipStrings) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clipStrings(v)])) as T;
  }
  return value;
}

/**
 * A revert puts back the entry's `before`; if a field no longer holds the entry's `after`, someone changed
 * it since, and reverting would silently overwrite that: refused, naming each field and both values.
 */
function refuseOverLaterChanges(
  journal_id: string,
  after: Record<string, unknown>,
  current: LoadedPost,
  fields: string[],
): void {
  const changed: Record<string, { written: unknown; now: unknown }> = {};
  for (const field of fields) {
    const now = current.editable[field] ?? null;
    const written = after[field] ?? null;
    if (canonicalJson(now) !== canonicalJson(written)) changed[field] = { written, now };
  }
  const names = Object.keys(changed);
  if (names.length === 0) return;
  const shown = Object.entries(changed)
    .map(([f, { written, now }]) => `${f} (written by ${journal_id}: ${brief(written)}; now: ${brief(now)})`)
    .join('; ');
  throw new ToolError(
    'conflict',
    `Changed since ${journal_id}: ${shown}. Reverting would overwrite those later changes; nothing was written.`,
    {
      field: 'journal_id',
      hint: 'Check the current post with the user; to revert anyway, repeat with force:true (a confirm_token is then required).',
      data: { changed_since: changed, current_version: current.post.version },
    },
  );
}

function brief(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Keeps the pre-image fields the update schema still accepts; the rest are reported with the reason. */
function restorableFields(
  runtime: ProviderRuntime,
  before: Record<string, unknown>,
): { changes: Record<string, unknown>; notRestored: Record<string, string> } {
  const changes: Record<string, unknown> = {};
  const notRestored: Record<string, string> = {};
  const shape = runtime.updateInput.shape as Record<string, z.ZodType>;
  for (const [field, value] of Object.entries(before)) {
    const schema = shape[field];
    if (!schema) {
      notRestored[field] = 'not settable through the update tool';
      continue;
    }
    // null restores an empty field where the update tool can clear it (the field takes null).
    const clearable = value === null && schema.safeParse(null).success;
    const parsed = schema.safeParse(value === null && !clearable ? undefined : value);
    if (!parsed.success || (parsed.data === undefined && !clearable)) {
      notRestored[field] =
        value === null
          ? 'it was empty and the API cannot clear it'
          : (parsed.error?.issues[0]?.message ?? 'invalid now');
      continue;
    }
    changes[field] = parsed.data;
  }
  return { changes, notRestored };
}

/** Plans the revert; a field the provider's rules now refuse (a time already past…) is dropped and reported. */
function planDroppingRefused(
  runtime: ProviderRuntime,
  current: LoadedPost,
  changes: Record<string, unknown>,
  notRestored: Record<string, string>,
): WritePlan {
  const remaining = { ...changes };
  for (;;) {
    try {
      return runtime.api.planUpdate(current, remaining);
    } catch (err) {
      const field = err instanceof ToolError ? err.details.field : undefined;
      if (!field || !(field in remaining) || Object.keys(remaining).length === 1) throw err;
      notRestored[field] = (err as ToolError).message;
      delete remaining[field];
    }
  }
}

function describe(notRestored: Record<string, string>): string {
  return Object.entries(notRestored)
    .map(([f, why]) => `${f} (${why})`)
    .join('; ');
}
