import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ToolError } from '../core/errors.js';
import { recordStoreError } from '../core/metrics.js';
import {
  decodeCursor,
  encodeCursor,
  fromRow,
  newJournalId,
  notStored,
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

/** Versioned migrations, applied in order at start-up under an advisory lock (replicas may start together). */
const MIGRATIONS: string[] = [
  `CREATE TABLE pe_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE pe_journal (
     seq BIGSERIAL PRIMARY KEY,
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
   CREATE INDEX pe_journal_post ON pe_journal (provider, post_id, seq);
   CREATE INDEX pe_journal_at ON pe_journal (at);
   CREATE INDEX pe_journal_reverts ON pe_journal (reverts);`,
];

const MIGRATION_LOCK = 7_303_115_001; // arbitrary, constant: serializes migrations across replicas

const SELECT = `SELECT j.*, (SELECT r.journal_id FROM pe_journal r WHERE r.reverts = j.journal_id
  AND r.outcome <> 'failed' ORDER BY r.seq DESC LIMIT 1) AS reverted_by FROM pe_journal j`;

const COLUMNS = [
  'journal_id',
  'at',
  'provider',
  'post_id',
  'tool',
  'version_before',
  'before',
  'after',
  'request',
  'title_before',
  'url_before',
  'outcome',
  'outcome_detail',
  'completed_at',
  'reverts',
  'actor_client_name',
  'actor_client_version',
  'actor_transport',
  'actor_principal',
] as const;

type Row = Omit<EntryRow, 'seq' | 'reverted_by'>;

export interface PostgresOptions {
  url: string;
  redact: (text: string) => string;
  /** Called with connection errors of idle clients (a restarted server): logged, never fatal. */
  onError?: (err: Error) => void;
}

/** The shared store for several instances: one PostgreSQL database, locks as advisory locks. */
export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  /** Lock holders get their own pool: a write holding a lock still needs a connection to journal. */
  private readonly lockPool: pg.Pool;

  private constructor(private readonly options: PostgresOptions) {
    const base = { connectionString: options.url, connectionTimeoutMillis: 10_000 };
    this.pool = new pg.Pool({ ...base, max: 8 });
    this.lockPool = new pg.Pool({ ...base, max: 16 });
    const onError = (err: Error) => options.onError?.(err);
    this.pool.on('error', onError);
    this.lockPool.on('error', onError);
  }

  /** Connects and applies pending migrations; throws with the reason when the database is unusable. */
  static async open(options: PostgresOptions): Promise<PostgresStore> {
    const store = new PostgresStore(options);
    try {
      await store.migrate();
    } catch (err) {
      await store.close();
      throw err;
    }
    return store;
  }

  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await client.query(
        'CREATE TABLE IF NOT EXISTS pe_schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
      );
      const { rows } = await client.query<{ v: number | null }>(
        'SELECT max(version) AS v FROM pe_schema_migrations',
      );
      for (const [step, migration] of MIGRATIONS.entries()) {
        if (step < (rows[0]?.v ?? 0)) continue;
        await client.query(migration);
        await client.query('INSERT INTO pe_schema_migrations (version) VALUES ($1)', [step + 1]);
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async append(entry: NewJournalEntry): Promise<string> {
    const journal_id = newJournalId();
    try {
      await this.insert([
        {
          ...toColumns(entry, this.options.redact),
          journal_id,
          at: new Date().toISOString(),
          outcome: 'pending',
          outcome_detail: null,
          completed_at: null,
        },
      ]);
    } catch (err) {
      throw notStored(
        'the PostgreSQL journal',
        describe(err),
        'Check POST_EDITOR_DATABASE_URL and the database server, then try again.',
      );
    }
    return journal_id;
  }

  /** Inserts entries as they are (legacy import, benchmarks); existing journal_ids are skipped. */
  async importEntries(entries: JournalEntry[]): Promise<number> {
    let added = 0;
    for (let i = 0; i < entries.length; i += 500) {
      added += await this.insert(
        entries.slice(i, i + 500).map((e) => ({
          ...toColumns(e, this.options.redact),
          journal_id: e.journal_id,
          at: e.at,
          outcome: e.outcome,
          outcome_detail: e.outcome_detail,
          completed_at: e.completed_at,
        })),
        true,
      );
    }
    return added;
  }

  private async insert(rows: Row[], ignore = false): Promise<number> {
    const params: unknown[] = [];
    const tuples = rows.map((row) => {
      const start = params.length;
      for (const c of COLUMNS) params.push(row[c]);
      return `(${COLUMNS.map((_, i) => `$${start + i + 1}`).join(', ')})`;
    });
    const result = await this.pool.query(
      `INSERT INTO pe_journal (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}${ignore ? ' ON CONFLICT (journal_id) DO NOTHING' : ''}`,
      params,
    );
    return result.rowCount ?? 0;
  }

  async complete(journal_id: string, outcome: Exclude<Outcome, 'pending'>, detail?: string): Promise<void> {
    await this.pool
      .query(
        'UPDATE pe_journal SET outcome = $1, outcome_detail = $2, completed_at = $3 WHERE journal_id = $4',
        [
          outcome,
          detail === undefined ? null : this.options.redact(detail),
          new Date().toISOString(),
          journal_id,
        ],
      )
      // Best effort: the entry stays `pending` ("may have been sent").
      .catch(() => recordStoreError('complete'));
  }

  async find(journal_id: string): Promise<JournalEntry | undefined> {
    const { rows } = await this.read<EntryRow>(`${SELECT} WHERE j.journal_id = $1`, [journal_id]);
    return rows[0] && fromRow(rows[0]);
  }

  async query(q: JournalQuery): Promise<JournalPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const filter = (column: string, value: unknown, op = '=') => {
      params.push(value);
      where.push(`${column} ${op} $${params.length}`);
    };
    if (q.provider !== undefined) filter('j.provider', q.provider);
    if (q.post_id !== undefined) filter('j.post_id', q.post_id);
    if (q.principal !== undefined) filter('j.actor_principal', q.principal);
    if (q.client_name !== undefined) filter('j.actor_client_name', q.client_name);
    if (q.outcome !== undefined) filter('j.outcome', q.outcome);
    if (q.cursor !== undefined) filter('j.seq', decodeCursor(q.cursor), '<');
    params.push(q.limit + 1);
    const { rows } = await this.read<EntryRow>(
      `${SELECT} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY j.seq DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return {
      entries: page.map(fromRow),
      next_cursor: rows.length > q.limit && last ? encodeCursor(last.seq) : null,
    };
  }

  async prune(olderThan: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const { rowCount } = await this.pool.query(
        'DELETE FROM pe_journal WHERE seq IN (SELECT seq FROM pe_journal WHERE at < $1 LIMIT 5000)',
        [olderThan.toISOString()],
      );
      total += rowCount ?? 0;
      if ((rowCount ?? 0) < 5000) return total;
    }
  }

  async confirmSecret(): Promise<Buffer> {
    await this.pool.query(
      "INSERT INTO pe_meta (key, value) VALUES ('confirm_secret', $1) ON CONFLICT (key) DO NOTHING",
      [randomBytes(32).toString('base64')],
    );
    const { rows } = await this.pool.query<{ value: string }>(
      "SELECT value FROM pe_meta WHERE key = 'confirm_secret'",
    );
    const secret = rows[0]?.value;
    if (!secret) throw new Error('the confirm secret could not be stored');
    return Buffer.from(secret, 'base64');
  }

  async withPostLock<T>(key: string, ttlMs: number, fn: (lock: HeldLock) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.lockPool.connect();
    } catch (err) {
      throw lockFailure(err);
    }
    let broken = false;
    const onError = () => (broken = true);
    client.on('error', onError);
    try {
      try {
        await client.query('BEGIN');
        // The server ends a session idle in its transaction longer than this: a frozen holder loses the
        // lock; a crashed one loses it at once (its connection closes). Waiters give up after 2×ttl.
        await client.query(`SET LOCAL idle_in_transaction_session_timeout = ${Math.ceil(ttlMs)}`);
        await client.query(`SET LOCAL lock_timeout = ${Math.ceil(2 * ttlMs)}`);
        await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
      } catch (err) {
        broken = true;
        if ((err as { code?: string }).code === '55P03') {
          throw new ToolError(
            'timeout',
            `Another write to this post has held its lock for over ${Math.round((2 * ttlMs) / 1000)} s; nothing was sent.`,
            { retryable: true, hint: 'Try again in a moment.' },
          );
        }
        throw lockFailure(err);
      }
      // Keeps the session from looking idle while the provider takes its time.
      const keepAlive = setInterval(
        () => void client.query('SELECT 1').catch(() => (broken = true)),
        Math.max(50, Math.floor(ttlMs / 3)),
      );
      keepAlive.unref();
      // The advisory lock lives as long as this transaction: a query that still runs in it proves both.
      const lock: HeldLock = {
        confirm: () =>
          broken
            ? Promise.resolve(false)
            : client.query('SELECT 1').then(
                () => !broken,
                () => {
                  broken = true;
                  return false;
                },
              ),
      };
      try {
        return await fn(lock);
      } finally {
        clearInterval(keepAlive);
        await client.query('COMMIT').catch(() => (broken = true));
      }
    } finally {
      client.off('error', onError);
      client.release(broken ? true : undefined);
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.end().catch(() => undefined), this.lockPool.end().catch(() => undefined)]);
  }

  private async read<R extends pg.QueryResultRow>(
    sql: string,
    params: unknown[],
  ): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(sql, params);
    } catch (err) {
      throw new ToolError('provider_error', `The journal could not be read (${describe(err)}).`, {
        retryable: true,
        hint: 'Check POST_EDITOR_DATABASE_URL and the database server.',
      });
    }
  }
}

function describe(err: unknown): string {
  const code = (err as { code?: string }).code;
  const message = err instanceof Error ? err.message : String(err);
  return code ? `${code}: ${message}` : message;
}

function lockFailure(err: unknown): ToolError {
  recordStoreError('lock');
  return new ToolError(
    'provider_error',
    `The write lock could not be taken in the PostgreSQL journal (${describe(err)}); nothing was sent to the provider.`,
    { retryable: true, hint: 'Check POST_EDITOR_DATABASE_URL and the database server, then try again.' },
  );
}
