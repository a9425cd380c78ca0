import { randomBytes } from 'node:crypto';
import { ToolError } from '../core/errors.js';
import { recordStoreError } from '../core/metrics.js';
import type { Actor, JournalEntry, NewJournalEntry, Outcome } from './types.js';

/** A new journal id (`j_<time base36>_<10 hex>`): sortable by time, unguessable, the format post_history checks. */
export function newJournalId(now = Date.now()): string {
  return `j_${now.toString(36)}_${randomBytes(5).toString('hex')}`;
}

/** The refusal every store throws when a pre-image could not be stored durably; counted in the metrics. */
export function notStored(where: string, reason: string, fix: string): ToolError {
  recordStoreError('append');
  return new ToolError(
    'provider_error',
    `The journal entry could not be stored in ${where} (${reason}); nothing was sent to the provider.`,
    { retryable: false, hint: fix },
  );
}

/** Opaque keyset cursor over the store's sequence number (newest first). */
export function encodeCursor(seq: number | string): string {
  return Buffer.from(`s:${seq}`, 'utf8').toString('base64url');
}

/** The sequence number a cursor holds; invalid_input naming `cursor` when it is not one of ours. */
export function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^s:(\d{1,18})$/.exec(text);
  if (!match?.[1]) {
    throw new ToolError('invalid_input', 'cursor: must be the next_cursor of a previous post_history page', {
      field: 'cursor',
    });
  }
  return match[1];
}

/** The flat columns both stores keep per entry (JSON text for the structured fields). */
export interface EntryRow {
  seq: number | string;
  journal_id: string;
  at: string;
  provider: string;
  post_id: string;
  tool: string;
  version_before: string;
  before: string;
  after: string;
  request: string;
  title_before: string | null;
  url_before: string | null;
  outcome: string;
  outcome_detail: string | null;
  completed_at: string | null;
  reverts: string | null;
  reverted_by: string | null;
  actor_client_name: string | null;
  actor_client_version: string | null;
  actor_transport: string | null;
  actor_principal: string | null;
}

/** Column values of a new entry; `redact` runs on the serialized JSON (credentials never stored). */
export function toColumns(
  entry: NewJournalEntry,
  redact: (text: string) => string,
): Omit<
  EntryRow,
  'seq' | 'journal_id' | 'at' | 'outcome' | 'outcome_detail' | 'completed_at' | 'reverted_by'
> {
  const json = (value: unknown) => redact(JSON.stringify(value ?? null));
  return {
    provider: entry.provider,
    post_id: entry.post_id,
    tool: entry.tool,
    version_before: entry.version_before,
    before: json(entry.before),
    after: json(entry.after),
    request: json(entry.request),
    title_before: entry.title_before === null ? null : redact(entry.title_before),
    url_before: entry.url_before === null ? null : redact(entry.url_before),
    reverts: entry.reverts,
    actor_client_name: entry.actor?.client_name ?? null,
    actor_client_version: entry.actor?.client_version ?? null,
    actor_transport: entry.actor?.transport ?? null,
    actor_principal: entry.actor?.principal ?? null,
  };
}

/** A stored row back as the interface's entry. */
export function fromRow(row: EntryRow): JournalEntry {
  const actor: Actor | null = row.actor_transport
    ? {
        client_name: row.actor_client_name,
        client_version: row.actor_client_version,
        transport: row.actor_transport as Actor['transport'],
        principal: row.actor_principal,
      }
    : null;
  return {
    journal_id: row.journal_id,
    at: row.at,
    provider: row.provider,
    post_id: row.post_id,
    tool: row.tool,
    version_before: row.version_before,
    before: JSON.parse(row.before) as Record<string, unknown>,
    after: JSON.parse(row.after) as Record<string, unknown>,
    request: JSON.parse(row.request) as JournalEntry['request'],
    title_before: row.title_before,
    url_before: row.url_before,
    outcome: row.outcome as Outcome,
    outcome_detail: row.outcome_detail,
    completed_at: row.completed_at,
    reverts: row.reverts,
    reverted_by: row.reverted_by,
    actor,
  };
}

/** Waits ms (lock polling). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
