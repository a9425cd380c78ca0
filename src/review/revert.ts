import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { canonicalJson, type Post } from '../core/post.js';
import type { ToolContext, ToolRegistry } from '../core/tool.js';
import type { JournalEntry } from '../store/types.js';
import { diffField, type FieldDiff } from './field-diff.js';
import type { RevertState } from './entry-view.js';
import { isRecord } from '../core/record.js';

/** What the revert form posted. */
export interface RevertRequest {
  version: string | null;
  force: boolean;
  confirm_token: string | null;
}

/** A tool's error JSON: code, message, hint, and the error's data fields spread beside them. */
interface ToolErrorJson extends Record<string, unknown> {
  code: string;
  message: string;
  hint?: string;
}

/**
 * Reverts through the registered revert_post tool (the same validation, version check, confirm
 * tokens and journal as an agent's call), and turns its answer into what the page shows.
 */
export async function revertThroughTool(
  registry: ToolRegistry,
  entry: JournalEntry,
  form: RevertRequest,
  ctx: ToolContext,
  current: Post | null,
  confirmPolicy: 'destructive' | 'never',
): Promise<RevertState> {
  const args: Record<string, unknown> = { journal_id: entry.journal_id };
  if (form.version) args.expected_version = form.version;
  if (form.force) args.force = true;
  if (form.confirm_token) args.confirm_token = form.confirm_token;
  const result = await registry.call('revert_post', args, ctx);
  if (!result.isError) return done(result);
  const error = errorOf(result);
  const data: Record<string, unknown> = error;
  const version =
    typeof data.current_version === 'string' ? data.current_version : (current?.version ?? null);
  if (error.code === 'conflict' && isRecord(data.changed_since)) {
    // Later changes would be overwritten: the person decides. Under the confirm policy a forced revert
    // answers confirmation_required before anything is sent, so its token is fetched now and the one
    // "Revert anyway" click confirms exactly the version shown.
    const token = confirmPolicy === 'destructive' ? await confirmToken(registry, entry, version, ctx) : null;
    return conflict(error.message, changesSince(entry, data, current), version, token, true);
  }
  if (error.code === 'confirmation_required') {
    const token = typeof data.confirm_token === 'string' ? data.confirm_token : null;
    return conflict(error.message, changesSince(entry, {}, current), version, token, true);
  }
  if (error.code === 'conflict') {
    // expected_version no longer matches: the post changed while the page was open.
    return conflict(error.message, changesSince(entry, {}, current), version, null, false);
  }
  return { kind: 'error', message: error.message, hint: error.hint ?? null, version };
}

function done(result: CallToolResult): RevertState {
  const out = (result.structuredContent ?? {}) as {
    journal_id?: string | null;
    changed_fields?: string[];
    applied?: string | null;
    warnings?: string[];
  };
  return {
    kind: 'done',
    journal_id: out.journal_id ?? null,
    changed_fields: out.changed_fields ?? [],
    applied: out.applied ?? null,
    warnings: out.warnings ?? [],
  };
}

function conflict(
  message: string,
  changes: FieldDiff[],
  version: string | null,
  confirm_token: string | null,
  force: boolean,
): RevertState {
  return { kind: 'conflict', message, changes, version, confirm_token, force };
}

/** The confirm token a forced revert asks for (nothing is written: the confirm check comes before the send). */
async function confirmToken(
  registry: ToolRegistry,
  entry: JournalEntry,
  version: string | null,
  ctx: ToolContext,
): Promise<string | null> {
  const args: Record<string, unknown> = { journal_id: entry.journal_id, force: true };
  if (version) args.expected_version = version;
  const answer = await registry.call('revert_post', args, ctx);
  if (!answer.isError) return null;
  const error = errorOf(answer);
  return error.code === 'confirmation_required' && typeof error.confirm_token === 'string'
    ? error.confirm_token
    : null;
}

function errorOf(result: CallToolResult): ToolErrorJson {
  const first = result.content[0];
  try {
    const parsed = JSON.parse(first?.type === 'text' ? first.text : '{}') as { error?: ToolErrorJson };
    if (parsed.error?.code) return parsed.error;
  } catch {
    // fall through
  }
  return { code: 'provider_error', message: 'The revert failed without an explanation.' };
}

/**
 * What changed since the write, field by field (value it wrote → value now): from the tool's answer
 * when it lists them, else by comparing the entry's written values with the post as read now.
 */
export function changesSince(
  entry: JournalEntry,
  data: Record<string, unknown>,
  current: Post | null,
): FieldDiff[] {
  const listed = data.changed_since ?? data.changes ?? data.fields;
  if (isRecord(listed)) {
    return Object.entries(listed).map(([field, change]) =>
      isRecord(change) && ('current' in change || 'now' in change)
        ? diffField(
            field,
            change.written ?? change.after ?? entry.after[field] ?? null,
            change.current ?? change.now,
          )
        : diffField(field, entry.after[field] ?? null, change),
    );
  }
  const names = Array.isArray(listed)
    ? listed.filter((f): f is string => typeof f === 'string')
    : Object.keys(entry.after);
  if (!current) return [];
  const now: Record<string, unknown> = { ...(current.raw ?? {}), ...current };
  const diffs: FieldDiff[] = [];
  for (const field of names) {
    if (!(field in now)) continue;
    const written = entry.after[field] ?? null;
    if (canonicalJson(written) !== canonicalJson(now[field] ?? null))
      diffs.push(diffField(field, written, now[field] ?? null));
  }
  return diffs;
}
