import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/env.js';
import { createLogger } from '../../src/core/log.js';
import { Redactor } from '../../src/core/redact.js';
import { ConfirmTokens } from '../../src/core/safety.js';
import { openStore } from '../../src/store/open.js';

// A new SQLite journal is checked at start and created on first use (ADR 0161).

const log = createLogger('silent', new Redactor());
const dataDir = () => join(mkdtempSync(join(tmpdir(), 'pe-lazy-')), 'data');
const open = (dir: string) =>
  openStore({ dataDir: dir, databaseUrl: undefined, retentionDays: 90 }, (t) => t, log);
const entry = {
  provider: 'partoo',
  post_id: '1',
  tool: 'partoo_update_post',
  version_before: 'v1',
  before: { title: 'Old' },
  after: { title: 'New' },
  request: { method: 'PUT', path: '/posts/1' },
  title_before: 'Old',
  url_before: null,
  reverts: null,
  actor: null,
};

describe('a journal created on first use', () => {
  it('is not created at start, and is on the first write, with the entry in it', async () => {
    const dir = dataDir();
    const store = await open(dir);
    expect(existsSync(dir)).toBe(true);
    expect(existsSync(join(dir, 'journal.db'))).toBe(false);
    expect(await store.prune(new Date())).toBe(0);
    expect(existsSync(join(dir, 'journal.db'))).toBe(false);
    const id = await store.withPostLock('partoo:1', 1000, () => store.append(entry));
    expect(existsSync(join(dir, 'journal.db'))).toBe(true);
    expect((await store.find(id))?.post_id).toBe('1');
    await store.close();
    // Opened again it exists: opened at start, its secret read as before.
    const again = await open(dir);
    expect(again.secretOnFirstUse).toBeUndefined();
    expect((await again.query({ limit: 5 })).entries.map((e) => e.journal_id)).toEqual([id]);
    await again.close();
  });

  it('gives every process sharing the directory the same confirm secret, read with the first token', async () => {
    const dir = dataDir();
    const [a, b] = [await open(dir), await open(dir)];
    let reads = 0;
    const source = a.secretOnFirstUse;
    if (!source || !b.secretOnFirstUse) throw new Error('expected journals created on first use');
    const tokensA = new ConfirmTokens(() => (reads++, source()));
    const tokensB = new ConfirmTokens(b.secretOnFirstUse);
    expect(reads).toBe(0);
    expect(existsSync(join(dir, 'journal.db'))).toBe(false);
    const binding = { tool: 'partoo_delete_post', id: '1', version: 'v1', args: {} };
    const token = tokensA.issue(binding);
    expect(tokensB.check(token, binding)).toBe('ok');
    tokensA.issue(binding);
    expect(reads).toBe(1);
    expect(await a.confirmSecret()).toEqual(await b.confirmSecret());
    await Promise.all([a.close(), b.close()]);
  });

  it('still stops start-up when its directory cannot be made', async () => {
    const blocker = join(mkdtempSync(join(tmpdir(), 'pe-lazy-')), 'a-file');
    writeFileSync(blocker, 'x');
    await expect(open(join(blocker, 'journal'))).rejects.toThrow(ConfigError);
    await expect(open(join(blocker, 'journal'))).rejects.toThrow(
      /^POST_EDITOR_DATA_DIR: the journal cannot be opened in /,
    );
  });
});

describe('confirm tokens over a secret read on first use', () => {
  it('ask again after the secret could not be read, and never before the first token', () => {
    let calls = 0;
    const tokens = new ConfirmTokens(() => {
      if (++calls === 1) throw new Error('not yet');
      return Buffer.from('secret');
    });
    const binding = { tool: 't', id: '1', version: 'v', args: {} };
    expect(calls).toBe(0);
    expect(() => tokens.issue(binding)).toThrow('not yet');
    const token = tokens.issue(binding);
    expect(new ConfirmTokens('secret').check(token, binding)).toBe('ok');
    expect(calls).toBe(2);
  });
});

describe('a new journal another process is creating', () => {
  it('opens once that process lets go: switching a new file to WAL is retried, not refused', async () => {
    // Another process mid-way through creating the file: a write transaction on it, not yet in WAL mode
    // (SQLite answers the switch to WAL with SQLITE_BUSY at once then, busy timeout or not).
    const dir = dataDir();
    mkdirSync(dir, { recursive: true });
    const other = new Database(join(dir, 'journal.db'));
    other.exec('BEGIN IMMEDIATE; CREATE TABLE creating (a)');
    const store = join(import.meta.dirname, '../../dist/store/sqlite.js');
    const child = `import { SqliteStore } from ${JSON.stringify(store)};
      try { await new SqliteStore({ dir: process.argv[1], redact: (t) => t }).confirmSecret(); }
      catch (e) { console.error(e.code, e.message); process.exit(1); }`;
    const proc = spawn(process.execPath, ['--input-type=module', '-e', child, dir], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((done) => proc.once('exit', done));
    await new Promise((r) => setTimeout(r, 300));
    other.exec('COMMIT');
    other.close();
    expect({ code: await exited, stderr }).toEqual({ code: 0, stderr: '' });
  });
});
