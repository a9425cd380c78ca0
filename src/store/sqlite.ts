import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ToolError } from '../core/errors.js';
import { recordStoreError } from '../core/metrics.js';
import {
  decodeCursor,
  encodeCursor,
  fromRow,
  newJournalId,
  notStored,
  sleep,
  toColumns,
  type EntryRow,
} from './common.js';
import type {
  HeldLock,
  JournalEntry,
  JournalPage,
  JournalQuery,
  NewJournalEntry,
  Outcome,
  Store,
} from './types.js';

/** Versioned schema: each step runs once, in order, recorded in PRAGMA user_version. */
/** Waited on to sleep synchronously (the constructor is synchronous, as better-sqlite3 is). */
const SLEEPER = new Int32Array(new SharedArrayBuffer(4));

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

const MIGRATIONS: string[] = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE journal (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     journal_id TEXT NOT NULL UNIQUE,
     at TEXT NOT NULL,
     provider TEXT NOT NULL,
     post_id TEXT NOT NULL,
     tool TEXT NOT NULL,
     version_before TEXT NOT NULL,
     before TEXT NOT NULL,
     after TEXT NOT NULL,
     request TEXT NOT NULL,
     title_before TEXT,
     url_before TEXT,
     outcome TEXT NOT NULL,
     outcome_detail TEXT,
     completed_at TEXT,
     reverts TEXT,
     actor_client_name TEXT,
     actor_client_version TEXT,
     actor_transport TEXT,
     actor_principal TEXT
   );
   CREATE INDEX journal_post ON journal (provider, post_id, seq);
   CREATE INDEX journal_at ON journal (at);
   CREATE INDEX journal_reverts ON journal (reverts);
   CREATE TABLE locks (key TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at INTEGER NOT NULL);`,
];

const SELECT = `SELECT j.*, (SELECT r.journal_id FROM journal r WHERE r.reverts = j.journal_id
  AND r.outcome != 'failed' ORDER BY r.seq DESC LIMIT 1) AS reverted_by FROM journal j`;

export interface SqliteOptions {
  dir: string;
  redact: (text: string) => string;
  /** How long a process waits for another's write transaction before giving up. */
  busyTimeoutMs?: number;
}

/** The embedded store: one SQLite file in POST_EDITOR_DATA_DIR, shared safely by local processes (WAL). */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly file: string;
  private readonly db: Database.Database;
  private readonly redact: (text: string) => string;
  /** Prepared once per SQL text: a statement per call would pile up native memory until a GC. */
  private readonly statements = new Map<string, Database.Statement>();

  /** Opens (creating and migrating) the file; throws with the reason when it cannot. */
  constructor(options: SqliteOptions) {
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    this.file = join(options.dir, 'journal.db');
    this.redact = options.redact;
    this.db = new Database(this.file);
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    this.db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    // Two processes creating a new journal at once: switching it to WAL answers SQLITE_BUSY at once
    // (SQLite does not wait on the busy handler there), so the set-up is tried again within the timeout.
    const deadline = Date.now() + busyTimeoutMs;
    for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
      try {
        this.setUp();
        return;
      } catch (err) {
        if (!isBusy(err) || Date.now() + delay > deadline) throw err;
        Atomics.wait(SLEEPER, 0, 0, delay + Math.random() * delay);
      }
    }
  }

  private setUp(): void {
    // WAL lets readers and one writer in several processes work at once; FULL fsyncs the WAL on every
    // commit, so an acknowledged pre-image survives a power cut, not only a process crash.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
  }

  private migrate(): void {
    // Checked before taking the write lock, so a journal that is current opens even when read-only
    // (reads then work and every write is refused before anything is sent).
    if ((this.db.pragma('user_version', { simple: true }) as number) >= MIGRATIONS.length) return;
    this.db
      .transaction(() => {
        const version = this.db.pragma('user_version', { simple: true }) as number;
        for (const migration of MIGRATIONS.slice(version)) this.db.exec(migration);
        if (version < MIGRATIONS.length) this.db.pragma(`user_version = ${MIGRATIONS.length}`);
      })
      .immediate();
  }

  append(entry: NewJournalEntry): Promise<string> {
    const journal_id = newJournalId();
    try {
      this.insert({
        ...toColumns(entry, this.redact),
        journal_id,
        at: new Date().toISOString(),
        outcome: 'pending',
        outcome_detail: null,
        completed_at: null,
      });
    } catch (err) {
      return Promise.reject(this.failure(err));
    }
    return Promise.resolve(journal_id);
  }

  /** Inserts entries as they are (legacy import, benchmarks); existing journal_ids are skipped. */
  importEntries(entries: JournalEntry[]): Promise<number> {
    let added = 0;
    this.db.transaction(() => {
      for (const e of entries) {
        added += this.insert(
          {
            ...toColumns(e, this.redact),
            journal_id: e.journal_id,
            at: e.at,
            outcome: e.outcome,
            outcome_detail: e.outcome_detail,
            completed_at: e.completed_at,
          },
          true,
        );
      }
    })();
    return Promise.resolve(added);
  }

  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  private insert(row: Omit<EntryRow, 'seq' | 'reverted_by'>, ignore = false): number {
    const columns = Object.keys(row);
    return this.sql(
      `INSERT ${ignore ? 'OR IGNORE ' : ''}INTO journal (${columns.join(', ')}) VALUES (${columns.map((c) => '@' + c).join(', ')})`,
    ).run(row).changes;
  }

  complete(journal_id: string, outcome: Exclude<Outcome, 'pending'>, detail?: string): Promise<void> {
    try {
      this.sql(
        'UPDATE journal SET outcome = ?, outcome_detail = ?, completed_at = ? WHERE journal_id = ?',
      ).run(outcome, detail === undefined ? null : this.redact(detail), new Date().toISOString(), journal_id);
    } catch {
      // Best effort: the entry stays `pending`, which post_history shows as "may have been sent".
      recordStoreError('complete');
    }
    return Promise.resolve();
  }

  find(journal_id: string): Promise<JournalEntry | undefined> {
    const row = this.sql(`${SELECT} WHERE j.journal_id = ?`).get(journal_id) as EntryRow | undefined;
    return Promise.resolve(row && fromRow(row));
  }

  query(q: JournalQuery): Promise<JournalPage> {
    try {
      return Promise.resolve(this.page(q));
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private page(q: JournalQuery): JournalPage {
    const where: string[] = [];
    const params: unknown[] = [];
    const filter = (sql: string, value: unknown) => {
      where.push(sql);
      params.push(value);
    };
    if (q.provider !== undefined) filter('j.provider = ?', q.provider);
    if (q.post_id !== undefined) filter('j.post_id = ?', q.post_id);
    if (q.principal !== undefined) filter('j.actor_principal = ?', q.principal);
    if (q.client_name !== undefined) filter('j.actor_client_name = ?', q.client_name);
    if (q.outcome !== undefined) filter('j.outcome = ?', q.outcome);
    if (q.cursor !== undefined) filter('j.seq < ?', Number(decodeCursor(q.cursor)));
    const rows = this.sql(
      `${SELECT} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY j.seq DESC LIMIT ?`,
    ).all(...params, q.limit + 1) as EntryRow[];
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return {
      entries: page.map(fromRow),
      next_cursor: rows.length > q.limit && last ? encodeCursor(last.seq) : null,
    };
  }

  prune(olderThan: Date): Promise<number> {
    // In slices, so a large backlog never holds the write lock long enough to stall other processes.
    let total = 0;
    const del = this.sql(
      'DELETE FROM journal WHERE seq IN (SELECT seq FROM journal WHERE at < ? LIMIT 5000)',
    );
    for (;;) {
      const { changes } = del.run(olderThan.toISOString());
      total += changes;
      if (changes < 5000) return Promise.resolve(total);
    }
  }

  confirmSecret(): Promise<Buffer> {
    try {
      return Promise.resolve(this.confirmSecretSync());
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** confirmSecret, synchronously (SQLite is): for a journal created on first use (sqlite-lazy.ts). */
  confirmSecretSync(): Buffer {
    const read = () =>
      this.sql("SELECT value FROM meta WHERE key = 'confirm_secret'").get() as { value: string } | undefined;
    let row = read();
    if (!row) {
      // OR IGNORE: two processes starting together both try; the first one's secret wins for both.
      this.sql("INSERT OR IGNORE INTO meta (key, value) VALUES ('confirm_secret', ?)").run(
        randomBytes(32).toString('base64'),
      );
      row = read();
    }
    if (!row) throw new Error('the confirm secret could not be stored');
    return Buffer.from(row.value, 'base64');
  }

  async withPostLock<T>(key: string, ttlMs: number, fn: (lock: HeldLock) => Promise<T>): Promise<T> {
    const holder = randomBytes(8).toString('hex');
    const take = this.sql(
      `INSERT INTO locks (key, holder, expires_at) VALUES (@key, @holder, @expires)
       ON CONFLICT (key) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE locks.expires_at < @now`,
    );
    const deadline = Date.now() + 2 * ttlMs;
    for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
      let taken: boolean;
      try {
        const now = Date.now();
        taken = take.run({ key, holder, expires: now + ttlMs, now }).changes === 1;
      } catch (err) {
        throw this.failure(err);
      }
      if (taken) break;
      if (Date.now() > deadline) {
        throw new ToolError(
          'timeout',
          `Another write to this post has held its lock for over ${Math.round((2 * ttlMs) / 1000)} s; nothing was sent.`,
          { retryable: true, hint: 'Try again in a moment.' },
        );
      }
      await sleep(delay + Math.random() * delay);
    }
    // A live holder renews its lease, so only a crashed (or frozen) one ever loses it to a waiter.
    const renew = setInterval(
      () => {
        try {
          this.sql('UPDATE locks SET expires_at = ? WHERE key = ? AND holder = ?').run(
            Date.now() + ttlMs,
            key,
            holder,
          );
        } catch {
          // the next renewal tries again; the lease is long enough to survive one miss
        }
      },
      Math.max(50, Math.floor(ttlMs / 3)),
    );
    renew.unref();
    // Renewed only while unexpired and still ours: a lease a waiter took over (renewals failed for a
    // whole ttl) is not quietly claimed back.
    const confirm = this.sql(
      'UPDATE locks SET expires_at = @expires WHERE key = @key AND holder = @holder AND expires_at >= @now',
    );
    const lock: HeldLock = {
      confirm: () => {
        try {
          const now = Date.now();
          return Promise.resolve(confirm.run({ key, holder, expires: now + ttlMs, now }).changes === 1);
        } catch {
          return Promise.resolve(false);
        }
      },
    };
    try {
      return await fn(lock);
    } finally {
      clearInterval(renew);
      try {
        this.sql('DELETE FROM locks WHERE key = ? AND holder = ?').run(key, holder);
      } catch {
        // the lease expires by itself
      }
    }
  }

  close(): Promise<void> {
    if (this.db.open) this.db.close();
    return Promise.resolve();
  }

  private failure(err: unknown): ToolError {
    return sqliteNotStored(this.file, err);
  }
}

/** The write-refusing ToolError for a SQLite failure, naming the reason an operator can act on. */
export function sqliteNotStored(file: string, err: unknown): ToolError {
  return notStored(file, sqliteReason(err), SQLITE_FIX);
}

/** What to do about a journal that cannot be written. */
export const SQLITE_FIX = 'Fix POST_EDITOR_DATA_DIR (it must be writable, with free space), then try again.';

/** A SQLite error as the reason shown to the agent. */
export function sqliteReason(err: unknown): string {
  const code = (err as { code?: string }).code ?? 'error';
  return code === 'SQLITE_FULL'
    ? 'the disk is full'
    : code.startsWith('SQLITE_READONLY')
      ? 'the journal file is read-only'
      : code === 'SQLITE_BUSY'
        ? 'the journal is locked by another process'
        : `${code}: ${err instanceof Error ? err.message : String(err)}`;
}
