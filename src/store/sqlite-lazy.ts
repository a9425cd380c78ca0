import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ToolError } from '../core/errors.js';
import type { ImportingStore } from './open.js';
import { SQLITE_FIX, SqliteStore, sqliteNotStored, sqliteReason, type SqliteOptions } from './sqlite.js';
import type { HeldLock, JournalEntry, JournalPage, JournalQuery, NewJournalEntry, Outcome } from './types.js';

/**
 * A journal that does not exist yet, created on its first use instead of at start (ADR 0161):
 * creating one (WAL switch, schema, confirm secret, each synced to disk) was ~20 ms of every cold
 * start in a new data directory (containers without a volume start so every time). What can be
 * checked without creating it is checked at start, by `checked`: the directory, its write
 * permission, the native module.
 */
export class LazySqliteStore implements ImportingStore {
  readonly kind = 'sqlite' as const;
  readonly file: string;
  private store: SqliteStore | undefined;

  private constructor(private readonly options: SqliteOptions) {
    this.file = join(options.dir, 'journal.db');
  }

  /** The directory made and writable, the native module loaded; throws with the reason when not. */
  static checked(options: SqliteOptions): LazySqliteStore {
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    accessSync(options.dir, constants.W_OK);
    // Loads better-sqlite3's addon: a module built for another Node version fails here, at start.
    new Database(':memory:').close();
    return new LazySqliteStore(options);
  }

  /** The journal, created on first call; throws SQLite's error when it cannot be. */
  private open(): SqliteStore {
    return (this.store ??= new SqliteStore(this.options));
  }

  /** Opened for a write: a failure refuses the write before anything is sent, as a full disk does. */
  private openForWrite(): SqliteStore {
    try {
      return this.open();
    } catch (err) {
      throw sqliteNotStored(this.file, err);
    }
  }

  /** Opened for a read: a failure says the journal cannot be read. */
  private openForRead(): SqliteStore {
    try {
      return this.open();
    } catch (err) {
      throw new ToolError(
        'provider_error',
        `The journal cannot be opened in ${this.file} (${sqliteReason(err)}).`,
        { retryable: false, hint: SQLITE_FIX },
      );
    }
  }

  append(entry: NewJournalEntry): Promise<string> {
    return run(() => this.openForWrite().append(entry));
  }

  complete(journal_id: string, outcome: Exclude<Outcome, 'pending'>, detail?: string): Promise<void> {
    // Only after an append, so the journal is open.
    return run(() => this.openForWrite().complete(journal_id, outcome, detail));
  }

  find(journal_id: string): Promise<JournalEntry | undefined> {
    return run(() => this.openForRead().find(journal_id));
  }

  query(q: JournalQuery): Promise<JournalPage> {
    return run(() => this.openForRead().query(q));
  }

  prune(olderThan: Date): Promise<number> {
    // Nothing to prune in a journal not created yet.
    return this.store ? this.store.prune(olderThan) : Promise.resolve(0);
  }

  confirmSecret(): Promise<Buffer> {
    return run(() => Promise.resolve(this.confirmSecretSync()));
  }

  /** The confirm secret, synchronously (ConfirmTokens asks on its first token): creates the journal. */
  readonly secretOnFirstUse = (): Buffer => this.confirmSecretSync();

  private confirmSecretSync(): Buffer {
    const store = this.openForWrite();
    try {
      return store.confirmSecretSync();
    } catch (err) {
      throw sqliteNotStored(this.file, err);
    }
  }

  withPostLock<T>(key: string, ttlMs: number, fn: (lock: HeldLock) => Promise<T>): Promise<T> {
    return run(() => this.openForWrite().withPostLock(key, ttlMs, fn));
  }

  importEntries(entries: JournalEntry[]): Promise<number> {
    return run(() => this.openForWrite().importEntries(entries));
  }

  close(): Promise<void> {
    return this.store ? this.store.close() : Promise.resolve();
  }
}

/** fn's promise, or its synchronous throw as a rejection (every Store method answers with a promise). */
function run<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return fn();
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}
