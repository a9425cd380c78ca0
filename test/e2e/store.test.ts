import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createLogger } from '../../src/core/log.js';
import { Redactor } from '../../src/core/redact.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { openStore } from '../../src/store/open.js';
import {
  baseEnv,
  callOk,
  connectStdio,
  eventually,
  SERVER_ENTRY,
  startHttpServer,
  startTestSandbox,
  tempDataDir,
  toolError,
} from '../helpers/harness.js';
import { admin, createTestStore, loseLocks, storeKinds, type TestStore } from '../helpers/stores.js';

// Issue 11: the journal store shared by several processes, proven against SQLite and PostgreSQL.
// FlowCMS applies writes synchronously, so a write's new version is visible to the next reader at once.

const ID = 'post_k2m9q7x4p';
const TITLE = 'Five Metrics Every SaaS Team Should Track';

const call = (client: Client, name: string, args: Record<string, unknown>) =>
  client.callTool({ name, arguments: args }) as Promise<CallToolResult>;

/** `post-editor-mcp call` in its own process (as the Inspector CLI or a one-shot client would run it). */
async function cliCall(env: Record<string, string>, tool: string, args: object, uid?: number) {
  // Asynchronous: the emulators answer from this very process.
  const child = spawn(process.execPath, [SERVER_ENTRY, 'call', tool, JSON.stringify(args)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(uid !== undefined && { uid, gid: uid }),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const status = await new Promise<number | null>((resolve) => child.once('close', resolve));
  const last = stdout.trim().split('\n').at(-1) || '{}';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- CLI output, read field by field
  return { status, stderr, json: JSON.parse(last) as Record<string, any> };
}

describe.each(storeKinds())('%s journal store shared by several processes', (kind) => {
  let sandbox: Sandbox;
  let backing: TestStore;
  const flow = () => sandbox.emulator('flowcms');
  const env = (extra: Record<string, string> = {}) => baseEnv({ ...sandbox.env, ...backing.env, ...extra });

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    backing = await createTestStore(kind);
  });
  afterAll(async () => {
    await sandbox?.close();
    await backing?.drop();
  });
  beforeEach(() => sandbox.emulators.forEach((e) => e.reset()));

  it('20 concurrent updates with one expected_version through two server processes: 1 PUT upstream, 19 conflict', async () => {
    const [a, b] = await Promise.all([startHttpServer(env()), startHttpServer(env())]);
    try {
      const [ca, cb] = await Promise.all([a.connect(), b.connect()]);
      const version = (await callOk(ca, 'flowcms_get_post', { id: ID })).version;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          call(i % 2 ? ca : cb, 'flowcms_update_post', {
            id: ID,
            title: `Race ${i}`,
            expected_version: version,
          }),
        ),
      );
      const won = results.filter((r) => !r.isError);
      const lost = results.filter((r) => r.isError).map(toolError);
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(19);
      expect(flow().seen('PUT')).toHaveLength(1);
      const now = (await callOk(cb, 'flowcms_get_post', { id: ID })).version;
      for (const err of lost) {
        expect(err.code).toBe('conflict');
        expect(err.current_version).toBe(now);
      }
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('a lock whose holder is killed mid-write expires, and the next write from another process proceeds', async () => {
    const slow = await startTestSandbox();
    const envSlow = () => baseEnv({ ...slow.env, ...backing.env, POST_EDITOR_TIMEOUT_MS: '2000' });
    const [a, b] = await Promise.all([startHttpServer(envSlow()), startHttpServer(envSlow())]);
    try {
      const ca = await a.connect();
      const version = (await callOk(ca, 'flowcms_get_post', { id: ID })).version;
      slow.emulator('flowcms').inject({ method: 'PUT', path: ID, delayMs: 60_000 });
      void call(ca, 'flowcms_update_post', {
        id: ID,
        title: 'Never answered',
        expected_version: version,
      }).catch(() => undefined);
      await eventually(() => slow.emulator('flowcms').seen('PUT').length === 1);
      expect(await locksHeld(backing)).toBe(1); // the holder has the post's lock while its PUT hangs
      a.child.kill('SIGKILL');
      const cb = await b.connect();
      const fresh = (await callOk(cb, 'flowcms_get_post', { id: ID })).version;
      const after = await callOk(cb, 'flowcms_update_post', {
        id: ID,
        title: 'Written after the crash',
        expected_version: fresh,
      });
      expect((after.post as { title: string }).title).toBe('Written after the crash');
      expect(slow.emulator('flowcms').seen('PUT')).toHaveLength(2);
      expect(await locksHeld(backing)).toBe(0);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await slow.close();
    }
  });

  it('a write whose lock was lost while it read the post sends nothing, and says so (ADR 0171)', async () => {
    const server = await startHttpServer(env());
    try {
      const client = await server.connect();
      const version = (await callOk(client, 'flowcms_get_post', { id: ID })).version;
      const gets = flow().seen('GET').length;
      // The write's own read of the post hangs while its lock is lost: a lease taken over (SQLite),
      // the lock session cut off (PostgreSQL).
      flow().inject({ method: 'GET', path: ID, delayMs: 800 });
      const pending = call(client, 'flowcms_update_post', {
        id: ID,
        title: 'Lost lock',
        expected_version: version,
      });
      await eventually(() => flow().seen('GET').length > gets);
      await eventually(async () => (await locksHeld(backing)) === 1);
      const giveBack = await loseLocks(backing);
      const err = toolError(await pending);
      giveBack();
      expect(err.code).toBe('timeout');
      expect(err.message).toMatch(/write lock was lost before sending.*nothing was sent/);
      expect(flow().seen('PUT')).toHaveLength(0);
      const history = await callOk(client, 'post_history', { post_id: ID, limit: 1 });
      expect((history.entries as { outcome: string }[])[0]?.outcome).toBe('failed');
    } finally {
      await server.close();
    }
  });

  it('a confirm token issued by one process is accepted by another sharing the store, refused by another store', async () => {
    const version = (await cliCall(env(), 'flowcms_get_post', { id: ID })).json.version as string;
    const args = { id: ID, expected_version: version };
    const asked = await cliCall(env(), 'flowcms_unpublish_post', args);
    expect(asked.json.error.code).toBe('confirmation_required');
    const token = asked.json.error.confirm_token as string;

    // A process on another store has another secret, and says so.
    const stranger = await cliCall(baseEnv(sandbox.env), 'flowcms_unpublish_post', {
      ...args,
      confirm_token: token,
    });
    expect(stranger.json.error.code).toBe('confirmation_required');
    expect(stranger.json.error.message).toMatch(/issued by a server with another confirm secret/);
    expect(stranger.json.error.refused_because).toBe('other_secret');
    expect(flow().seen('PUT')).toHaveLength(0);

    // Another post, same token: named as such.
    const otherPost = await cliCall(env(), 'flowcms_unpublish_post', {
      id: 'post_a8f3k29d1',
      expected_version: (await cliCall(env(), 'flowcms_get_post', { id: 'post_a8f3k29d1' })).json.version,
      confirm_token: token,
    });
    expect(otherPost.json.error.message).toMatch(/issued for another post/);

    const done = await cliCall(env(), 'flowcms_unpublish_post', { ...args, confirm_token: token });
    expect(done.status, done.stderr).toBe(0);
    expect(done.json.changed_fields).toEqual(['status']);
    expect(flow().seen('PUT')).toHaveLength(1);
  });

  it('revert refuses to overwrite a later change, names the field and both values; force needs a confirm token; a revert of a revert works', async () => {
    const server = await connectStdio(env());
    try {
      const c = server.client;
      const v0 = (await callOk(c, 'flowcms_get_post', { id: ID })).version;
      const a = await callOk(c, 'flowcms_update_post', {
        id: ID,
        title: 'Title by agent A',
        expected_version: v0,
      });
      const b = await callOk(c, 'flowcms_update_post', {
        id: ID,
        title: 'Title by agent B',
        expected_version: (a.post as { version: string }).version,
      });
      const vB = (b.post as { version: string }).version;
      const refused = toolError(
        await call(c, 'revert_post', { journal_id: a.journal_id, expected_version: vB }),
      );
      expect(refused.code).toBe('conflict');
      expect(refused.message).toContain('title');
      expect(refused.message).toContain('Title by agent A');
      expect(refused.message).toContain('Title by agent B');
      expect(refused.changed_since).toEqual({
        title: { written: 'Title by agent A', now: 'Title by agent B' },
      });
      expect(flow().seen('PUT')).toHaveLength(2);

      const asked = toolError(
        await call(c, 'revert_post', { journal_id: a.journal_id, expected_version: vB, force: true }),
      );
      expect(asked.code).toBe('confirmation_required');
      const forced = await callOk(c, 'revert_post', {
        journal_id: a.journal_id,
        expected_version: vB,
        force: true,
        confirm_token: asked.confirm_token,
      });
      expect((forced.post as { title: string }).title).toBe(TITLE);

      // Reverting that revert puts B's title back (nothing changed since the revert).
      const again = await callOk(c, 'revert_post', {
        journal_id: forced.journal_id,
        expected_version: (forced.post as { version: string }).version,
      });
      expect((again.post as { title: string }).title).toBe('Title by agent B');
      const history = await callOk(c, 'post_history', { post_id: ID, limit: 2 });
      const [newest, second] = history.entries as Record<string, unknown>[];
      expect(newest).toMatchObject({
        reverts: forced.journal_id,
        actor: { client_name: 'e2e-test', transport: 'stdio', principal: null },
        outcome: 'applied',
      });
      expect(second).toMatchObject({ journal_id: forced.journal_id, reverted_by: newest?.journal_id });

      // The keyset cursor walks to older entries, one page at a time.
      const older = await callOk(c, 'post_history', { post_id: ID, limit: 2, cursor: history.next_cursor });
      expect((older.entries as { journal_id: string }[]).map((e) => e.journal_id)).toEqual([
        b.journal_id,
        a.journal_id,
      ]);
    } finally {
      await server.close();
    }
  });

  it('reverting an entry whose write failed says the write failed', async () => {
    const server = await connectStdio(env());
    try {
      const c = server.client;
      const version = (await callOk(c, 'flowcms_get_post', { id: ID })).version;
      flow().inject({ method: 'PUT', path: ID, status: 422, body: { success: false, error: 'rejected' } });
      expect(
        toolError(
          await call(c, 'flowcms_update_post', { id: ID, title: 'Refused', expected_version: version }),
        ).code,
      ).not.toBe('conflict');
      const [failed] = (await callOk(c, 'post_history', { post_id: ID, limit: 1 })).entries as Record<
        string,
        unknown
      >[];
      expect(failed?.outcome).toBe('failed');
      const err = toolError(
        await call(c, 'revert_post', { journal_id: failed?.journal_id, expected_version: version }),
      );
      expect(err.message).toMatch(/records a write that failed/);
      expect(flow().seen('PUT')).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('imports a 0.1 journal.jsonl on first start, lists it in post_history and renames the file aside', async () => {
    const dataDir = tempDataDir();
    const legacy = {
      journal_id: 'j_mbx2k1a0_3f9a1c2b7d',
      at: '2026-11-30T10:00:00.000Z',
      provider: 'flowcms',
      post_id: 'post_legacy',
      tool: 'flowcms_update_post',
      version_before: 'v-old',
      before: { title: 'From 0.1' },
      after: { title: 'Edited in 0.1' },
      request: { method: 'PUT', path: '/v1/content/posts/post_legacy' },
      title_before: 'From 0.1',
    };
    writeFileSync(
      join(dataDir, 'journal.jsonl'),
      `${JSON.stringify(legacy)}\n${JSON.stringify({ journal_id: legacy.journal_id, outcome: 'applied' })}\n`,
    );
    const run = await cliCall(env({ POST_EDITOR_DATA_DIR: dataDir }), 'post_history', {
      post_id: 'post_legacy',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.json.entries).toEqual([
      expect.objectContaining({ journal_id: legacy.journal_id, before: legacy.before, outcome: 'applied' }),
    ]);
    expect(readdirSync(dataDir).filter((f) => f.startsWith('journal.jsonl'))).toEqual([
      expect.stringMatching(/^journal\.jsonl\.imported-/),
    ]);
  });

  it.runIf(kind === 'postgres')(
    'sends nothing when the database connection drops before the pre-image is stored',
    async () => {
      const server = await connectStdio(env());
      const name = new URL(backing.url!).pathname.slice(1);
      try {
        const c = server.client;
        const version = (await callOk(c, 'flowcms_get_post', { id: ID })).version;
        const gets = flow().seen('GET').length;
        // The write's own read of the post hangs a second: the database goes away meanwhile.
        flow().inject({ method: 'GET', path: ID, delayMs: 1000 });
        const pending = call(c, 'flowcms_update_post', {
          id: ID,
          title: 'Never sent',
          expected_version: version,
        });
        await eventually(() => flow().seen('GET').length > gets);
        await admin(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
        await admin('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
        const err = toolError(await pending);
        expect(err.code).toBe('provider_error');
        expect(err.message).toMatch(
          /journal entry could not be stored in the PostgreSQL journal.*nothing was sent/,
        );
        expect(flow().seen('PUT')).toHaveLength(0);
        await admin(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`);
        const ok = await callOk(c, 'flowcms_update_post', {
          id: ID,
          title: 'Sent after reconnecting',
          expected_version: version,
        });
        expect(ok.journal_id).toEqual(expect.any(String));
        expect(flow().seen('PUT')).toHaveLength(1);
      } finally {
        await admin(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`);
        await server.close();
      }
    },
  );

  it.runIf(kind === 'postgres')('sends nothing when the database turns read-only', async () => {
    const name = new URL(backing.url!).pathname.slice(1);
    const server = await connectStdio(env());
    try {
      const c = server.client;
      const version = (await callOk(c, 'flowcms_get_post', { id: ID })).version;
      // New sessions start read-only; the server's current ones are cut so it must open new ones.
      await admin(`ALTER DATABASE ${name} SET default_transaction_read_only = on`);
      await admin('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
      const err = toolError(
        await call(c, 'flowcms_update_post', { id: ID, title: 'Never sent', expected_version: version }),
      );
      expect(err.code).toBe('provider_error');
      expect(err.message).toMatch(/could not be stored.*read-only transaction.*nothing was sent/);
      expect(flow().seen('PUT')).toHaveLength(0);
    } finally {
      await admin(`ALTER DATABASE ${name} RESET default_transaction_read_only`);
      await server.close();
    }
  });

  it('a store that cannot be opened stops start-up with one line naming the variable, no secret in it', async () => {
    const bad: Record<string, string> =
      kind === 'postgres'
        ? { POST_EDITOR_DATABASE_URL: 'postgres://editor:hunter2-db-secret@127.0.0.1:1/none' }
        : { POST_EDITOR_DATA_DIR: '/dev/null/journal' };
    const run = await cliCall(baseEnv({ ...sandbox.env, ...bad }), 'post_history', {});
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    const variable = kind === 'postgres' ? 'POST_EDITOR_DATABASE_URL' : 'POST_EDITOR_DATA_DIR';
    expect(lines[0]).toMatch(new RegExp(`^Configuration error: ${variable}: the journal .*cannot be opened`));
    expect(run.stderr).not.toContain('hunter2-db-secret');
  });

  it.runIf(kind === 'sqlite' && process.getuid?.() === 0)(
    'with a read-only journal file, reads work and every write is refused before anything is sent',
    async () => {
      // Root ignores file modes, so the server runs as nobody (uid 65534) against a root-owned 0444 file.
      const dir = mkdtempSync(join(tmpdir(), 'pe-readonly-'));
      chmodSync(dir, 0o777);
      const store = await openStore(
        { dataDir: dir, databaseUrl: undefined, retentionDays: 90 },
        (t) => t,
        createLogger('silent', new Redactor()),
      );
      await store.confirmSecret();
      await store.close();
      chmodSync(join(dir, 'journal.db'), 0o444);
      const roEnv = baseEnv({ ...sandbox.env, POST_EDITOR_DATA_DIR: dir, HOME: dir });
      const got = await cliCall(roEnv, 'flowcms_get_post', { id: ID }, 65534);
      expect(got.status, got.stderr).toBe(0);
      const write = await cliCall(
        roEnv,
        'flowcms_update_post',
        { id: ID, title: 'Never sent', expected_version: got.json.version },
        65534,
      );
      expect(write.json.error.code).toBe('provider_error');
      expect(write.json.error.message).toMatch(
        /journal entry could not be stored.*read-only.*nothing was sent/,
      );
      expect(flow().seen('PUT')).toHaveLength(0);
      expect((await cliCall(roEnv, 'post_history', {}, 65534)).json.entries).toEqual([]);
    },
  );
});

/** Post locks held right now in the store (SQLite: live lease rows; PostgreSQL: granted advisory locks). */
async function locksHeld(backing: TestStore): Promise<number> {
  if (backing.kind === 'sqlite') {
    const db = new Database(join(backing.env.POST_EDITOR_DATA_DIR!, 'journal.db'), { readonly: true });
    try {
      return (
        db.prepare('SELECT count(*) AS n FROM locks WHERE expires_at > ?').get(Date.now()) as { n: number }
      ).n;
    } finally {
      db.close();
    }
  }
  const name = new URL(backing.url!).pathname.slice(1);
  const { rows } = await admin(
    `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database
     WHERE l.locktype = 'advisory' AND l.granted AND d.datname = $1`,
    [name],
  );
  return (rows[0] as { n: number }).n;
}
