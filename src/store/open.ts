import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/env.js';
import type { Logger } from '../core/log.js';
import type { JournalEntry, Store } from './types.js';

export interface StoreSettings {
  dataDir: string;
  /** postgres://… when several instances share one journal; undefined for the embedded SQLite file. */
  databaseUrl: string | undefined;
  /** Entries older than this are pruned in the background; 0 keeps everything. */
  retentionDays: number;
}

/** A store that can also take entries as they are (legacy import, benchmarks). */
export interface ImportingStore extends Store {
  importEntries(entries: JournalEntry[]): Promise<number>;
  /** Set by a journal created on first use: its confirm secret, read (and the journal created) when called. */
  readonly secretOnFirstUse?: () => Buffer;
}

/** Opens the configured store, imports a 0.1 journal.jsonl once; a store that cannot open is a ConfigError. */
export async function openStore(
  settings: StoreSettings,
  redact: (text: string) => string,
  log: Logger,
): Promise<ImportingStore> {
  let store: ImportingStore;
  if (settings.databaseUrl) {
    try {
      const { PostgresStore } = await import('./postgres.js');
      store = await PostgresStore.open({
        url: settings.databaseUrl,
        redact,
        onError: (err) => log.warn('journal database connection lost', { error: err.message }),
      });
    } catch (err) {
      throw new ConfigError(
        'POST_EDITOR_DATABASE_URL',
        `the journal database cannot be opened (${oneLine(err)})`,
      );
    }
  } else {
    try {
      store = await openSqlite({ dir: settings.dataDir, redact });
    } catch (err) {
      throw new ConfigError(
        'POST_EDITOR_DATA_DIR',
        `the journal cannot be opened in ${settings.dataDir} (${oneLine(err)})`,
      );
    }
  }
  try {
    await importLegacyJournal(store, settings.dataDir, log);
  } catch (err) {
    await store.close();
    throw new ConfigError(
      'POST_EDITOR_DATA_DIR',
      `the old journal.jsonl could not be imported (${oneLine(err)})`,
    );
  }
  return store;
}

/**
 * A journal that exists (or a 0.1 journal.jsonl to import) opens now; a new one is only checked now
 * and created on first use (ADR 0161).
 */
async function openSqlite(options: {
  dir: string;
  redact: (text: string) => string;
}): Promise<ImportingStore> {
  if (existsSync(join(options.dir, 'journal.db')) || existsSync(join(options.dir, 'journal.jsonl'))) {
    const { SqliteStore } = await import('./sqlite.js');
    return new SqliteStore(options);
  }
  const { LazySqliteStore } = await import('./sqlite-lazy.js');
  return LazySqliteStore.checked(options);
}

/** Prunes now and then every 6 hours (timer unref'd: it never keeps the process alive); returns a stop function. */
export function startRetention(store: Store, days: number, log: Logger): () => void {
  if (days <= 0) return () => undefined;
  const run = () => {
    store
      .prune(new Date(Date.now() - days * 86_400_000))
      .then((n) => n > 0 && log.info('journal pruned', { entries: n, older_than_days: days }))
      .catch((err: unknown) => log.warn('journal prune failed', { error: oneLine(err) }));
  };
  const first = setTimeout(run, 1000);
  const timer = setInterval(run, 6 * 3_600_000);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}

/**
 * Imports the JSON-lines journal of 0.1 (entries, then outcome records folded in; a torn line skipped),
 * then renames it aside so it is imported once. Re-importing after a crash is harmless: ids are unique.
 */
async function importLegacyJournal(store: ImportingStore, dataDir: string, log: Logger): Promise<void> {
  const file = join(dataDir, 'journal.jsonl');
  if (!existsSync(file)) return;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // another process imported it first
    throw err;
  }
  const byId = new Map<string, JournalEntry>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    const id = record.journal_id;
    if (typeof id !== 'string') continue;
    const existing = byId.get(id);
    if (existing) {
      if (typeof record.outcome === 'string') existing.outcome = record.outcome as JournalEntry['outcome'];
      if (typeof record.outcome_detail === 'string') existing.outcome_detail = record.outcome_detail;
      continue;
    }
    if (typeof record.provider !== 'string') continue;
    byId.set(id, {
      journal_id: id,
      at: typeof record.at === 'string' ? record.at : new Date(0).toISOString(),
      provider: record.provider,
      post_id: String(record.post_id),
      tool: String(record.tool),
      version_before: typeof record.version_before === 'string' ? record.version_before : '',
      before: (record.before ?? {}) as Record<string, unknown>,
      after: (record.after ?? {}) as Record<string, unknown>,
      request: (record.request ?? { method: '', path: '' }) as JournalEntry['request'],
      title_before: typeof record.title_before === 'string' ? record.title_before : null,
      url_before: null,
      // 0.1 wrote no outcome when it crashed mid-write: the request may have been sent.
      outcome: 'pending',
      outcome_detail: null,
      completed_at: null,
      reverts: typeof record.reverts === 'string' ? record.reverts : null,
      reverted_by: null,
      actor: null,
    });
  }
  const added = await store.importEntries([...byId.values()]);
  const aside = `${file}.imported-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  try {
    renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  log.info('imported the old journal.jsonl into the journal store', { entries: added, renamed_to: aside });
}

function oneLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}
