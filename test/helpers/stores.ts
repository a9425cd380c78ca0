import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { tempDataDir } from './harness.js';

/** A store the server (or a test) can be pointed at: its env and a way to drop it afterwards. */
export interface TestStore {
  kind: 'sqlite' | 'postgres';
  /** Env for every process that must share this store (always with its own data dir too). */
  env: Record<string, string>;
  /** For PostgreSQL: the database URL; undefined for SQLite. */
  url?: string;
  drop(): Promise<void>;
}

const PG_URL = process.env.POST_EDITOR_TEST_DATABASE_URL?.trim() || undefined;

/**
 * The store kinds a parameterised suite runs against. PostgreSQL is skipped only on a developer machine
 * without POST_EDITOR_TEST_DATABASE_URL; in CI (CI=true) its absence fails the run loudly.
 */
export function storeKinds(): ('sqlite' | 'postgres')[] {
  if (PG_URL) return ['sqlite', 'postgres'];
  if (process.env.CI === 'true') {
    throw new Error(
      'CI=true but POST_EDITOR_TEST_DATABASE_URL is unset: the PostgreSQL store tests must run in CI (see .ci/postgres.sh)',
    );
  }
  process.stderr.write(
    'PostgreSQL store tests skipped: set POST_EDITOR_TEST_DATABASE_URL (see README, .ci/postgres.sh)\n',
  );
  return ['sqlite'];
}

/** A fresh, empty store of that kind (a new database on the test server for PostgreSQL). */
export async function createTestStore(kind: 'sqlite' | 'postgres'): Promise<TestStore> {
  const dataDir = tempDataDir();
  if (kind === 'sqlite') {
    return { kind, env: { POST_EDITOR_DATA_DIR: dataDir }, drop: () => Promise.resolve() };
  }
  if (!PG_URL) throw new Error('POST_EDITOR_TEST_DATABASE_URL is unset');
  const name = `pe_test_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    kind,
    url: url.toString(),
    env: { POST_EDITOR_DATA_DIR: dataDir, POST_EDITOR_DATABASE_URL: url.toString() },
    drop: async () => void (await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

/** Runs one statement on the test server's maintenance database. */
export async function admin(sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

/** What a store failing mid-write does to a post lock: its lease taken over by another process, or its session cut off. */
export async function loseLocks(backing: TestStore): Promise<() => void> {
  if (backing.kind === 'sqlite') {
    const file = join(backing.env.POST_EDITOR_DATA_DIR!, 'journal.db');
    const run = (sql: string) => {
      const db = new Database(file);
      try {
        db.prepare(sql).run();
      } finally {
        db.close();
      }
    };
    run("UPDATE locks SET holder = 'another process'");
    // The other process is done with it: the next test's writes must not wait for the lease to expire.
    return () => run("DELETE FROM locks WHERE holder = 'another process'");
  }
  const name = new URL(backing.url!).pathname.slice(1);
  await admin(
    `SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
     WHERE l.locktype = 'advisory' AND l.granted AND d.datname = $1`,
    [name],
  );
  return () => undefined;
}
