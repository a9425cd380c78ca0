import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToolError } from '../../src/core/errors.js';
import { createLogger } from '../../src/core/log.js';
import { Redactor } from '../../src/core/redact.js';
import { openStore, type ImportingStore } from '../../src/store/open.js';
import type { JournalEntry, NewJournalEntry } from '../../src/store/types.js';
import { createTestStore, loseLocks, storeKinds, type TestStore } from '../helpers/stores.js';

// The one contract both stores keep (src/store/types.ts), run against a real SQLite file and a real
// PostgreSQL database.

const log = createLogger('silent', new Redactor());
const redact = (text: string) => text.split('s3cret-token').join('[REDACTED]');

function entry(post_id: string, extra: Partial<NewJournalEntry> = {}): NewJournalEntry {
  return {
    provider: 'buttercms',
    post_id,
    tool: 'buttercms_update_post',
    version_before: 'v1',
    before: { title: 'Old' },
    after: { title: 'New' },
    request: { method: 'PATCH', path: `/posts/${post_id}/`, body: { title: 'New', note: 's3cret-token' } },
    title_before: 'Old',
    url_before: `https://example.test/${post_id}`,
    reverts: null,
    actor: null,
    ...extra,
  };
}

describe.each(storeKinds())('%s store', (kind) => {
  let backing: TestStore;
  let store: ImportingStore;
  const open = () =>
    openStore(
      { dataDir: backing.env.POST_EDITOR_DATA_DIR!, databaseUrl: backing.url, retentionDays: 90 },
      redact,
      log,
    );

  beforeAll(async () => {
    backing = await createTestStore(kind);
    store = await open();
  });
  afterAll(async () => {
    await store?.close();
    await backing?.drop();
  });

  it('stores a pre-image as pending, records the outcome, and never stores a secret', async () => {
    const actor = {
      client_name: 'claude-code',
      client_version: '1.2',
      transport: 'http' as const,
      principal: 'ci',
    };
    const id = await store.append(entry('p-1', { actor }));
    expect(id).toMatch(/^j_[a-z0-9]{1,12}_[a-f0-9]{10}$/);
    const pending = await store.find(id);
    expect(pending).toMatchObject({
      outcome: 'pending',
      completed_at: null,
      actor,
      url_before: 'https://example.test/p-1',
    });
    expect(pending?.request.body).toEqual({ title: 'New', note: '[REDACTED]' });
    await store.complete(id, 'failed', 'HTTP 500');
    const done = await store.find(id);
    expect(done).toMatchObject({ outcome: 'failed', outcome_detail: 'HTTP 500' });
    expect(done?.completed_at).toEqual(expect.any(String));
    expect(await store.find('j_nothere_0000000000')).toBeUndefined();
  });

  it('pages newest first with an opaque keyset cursor, never repeating or skipping an entry', async () => {
    const written: string[] = [];
    for (let i = 0; i < 23; i++) written.push(await store.append(entry(i % 2 ? 'page-odd' : 'page-even')));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await store.query({ provider: 'buttercms', post_id: 'page-even', cursor, limit: 5 });
      expect(page.entries.length).toBeLessThanOrEqual(5);
      seen.push(...page.entries.map((e) => e.journal_id));
      cursor = page.next_cursor ?? undefined;
      if (cursor) expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      pages++;
    } while (cursor);
    const even = written.filter((_, i) => i % 2 === 0).reverse();
    expect(seen).toEqual(even);
    expect(pages).toBe(3);
    await expect(store.query({ cursor: 'bm90LWEtY3Vyc29y', limit: 5 })).rejects.toMatchObject({
      code: 'invalid_input',
      details: { field: 'cursor' },
    });
  });

  it('filters by outcome, principal and client name', async () => {
    const actor = {
      client_name: 'inspector',
      client_version: null,
      transport: 'stdio' as const,
      principal: 'alice',
    };
    const id = await store.append(entry('filters', { actor }));
    await store.complete(id, 'applied');
    const byPrincipal = await store.query({ principal: 'alice', limit: 10 });
    expect(byPrincipal.entries.map((e) => e.journal_id)).toEqual([id]);
    const byClient = await store.query({ client_name: 'inspector', outcome: 'applied', limit: 10 });
    expect(byClient.entries.map((e) => e.journal_id)).toEqual([id]);
  });

  it('derives reverted_by from a later successful revert', async () => {
    const first = await store.append(entry('revert-me'));
    await store.complete(first, 'applied');
    const failed = await store.append(entry('revert-me', { reverts: first }));
    await store.complete(failed, 'failed', 'HTTP 409');
    expect((await store.find(first))?.reverted_by).toBeNull();
    const revert = await store.append(entry('revert-me', { reverts: first }));
    await store.complete(revert, 'applied');
    expect((await store.find(first))?.reverted_by).toBe(revert);
  });

  it('prunes only entries older than the cut-off', async () => {
    const old: JournalEntry = {
      ...entry('ancient'),
      journal_id: 'j_old_0123456789',
      at: '2020-01-01T00:00:00.000Z',
      outcome: 'applied',
      outcome_detail: null,
      completed_at: '2020-01-01T00:00:01.000Z',
      reverted_by: null,
    };
    expect(await store.importEntries([old])).toBe(1);
    const recent = await store.append(entry('recent'));
    expect(await store.prune(new Date('2021-01-01T00:00:00Z'))).toBe(1);
    expect(await store.find(old.journal_id)).toBeUndefined();
    expect(await store.find(recent)).toBeDefined();
  });

  it('keeps one confirm secret for every process sharing it', async () => {
    const other = await open();
    try {
      const secret = await store.confirmSecret();
      expect(secret.length).toBe(32);
      expect((await other.confirmSecret()).equals(secret)).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('lets one holder at a time hold a post lock, across two connections', async () => {
    const other = await open();
    try {
      const events: string[] = [];
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const first = store.withPostLock('buttercms:locked', 5000, async () => {
        events.push('first in');
        await held;
        events.push('first out');
      });
      await new Promise((r) => setTimeout(r, 100));
      const second = other.withPostLock('buttercms:locked', 5000, () => {
        events.push('second in');
        return Promise.resolve();
      });
      // Another post is not blocked by it.
      await other.withPostLock('buttercms:elsewhere', 5000, () => Promise.resolve(events.push('elsewhere')));
      await new Promise((r) => setTimeout(r, 200));
      expect(events).toEqual(['first in', 'elsewhere']);
      release();
      await Promise.all([first, second]);
      expect(events).toEqual(['first in', 'elsewhere', 'first out', 'second in']);
    } finally {
      await other.close();
    }
  });

  it('confirms a held lock before a send, and answers false once the lock was lost', async () => {
    const seen: boolean[] = [];
    let giveBack: () => void = () => undefined;
    await store.withPostLock('buttercms:lost', 5000, async (lock) => {
      seen.push(await lock.confirm());
      giveBack = await loseLocks(backing);
      seen.push(await lock.confirm());
    });
    expect(seen).toEqual([true, false]);
    giveBack();
    // Once the other holder let go, the next writer gets the lock at once.
    await store.withPostLock('buttercms:lost', 5000, async (lock) => void seen.push(await lock.confirm()));
    expect(seen).toEqual([true, false, true]);
  });

  it('gives up waiting behind a live holder after twice the lock ttl, with a retryable timeout', async () => {
    const other = await open();
    try {
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const first = store.withPostLock('buttercms:busy', 300, () => held);
      await new Promise((r) => setTimeout(r, 50));
      const err = await other
        .withPostLock('buttercms:busy', 300, () => Promise.resolve())
        .catch((e: unknown) => e);
      release();
      await first;
      expect(err).toBeInstanceOf(ToolError);
      expect(err).toMatchObject({ code: 'timeout' });
    } finally {
      await other.close();
    }
  });

  it('imports a 0.1 journal.jsonl once, outcomes folded in and a torn line skipped, then renames it aside', async () => {
    const fresh = await createTestStore(kind);
    const dir = fresh.env.POST_EDITOR_DATA_DIR!;
    const legacy = {
      journal_id: 'j_legacy1_abcdef0123',
      at: new Date().toISOString(),
      provider: 'partoo',
      post_id: '3401',
      tool: 'partoo_update_post',
      version_before: 'v0',
      before: { text: 'Before' },
      after: { text: 'After' },
      request: { method: 'PUT', path: '/posts/3401' },
      title_before: 'Before',
    };
    writeFileSync(
      join(dir, 'journal.jsonl'),
      [
        JSON.stringify(legacy),
        JSON.stringify({ journal_id: legacy.journal_id, outcome: 'accepted' }),
        '{"journal_id":"j_torn_',
      ].join('\n'),
    );
    const opened = await openStore({ dataDir: dir, databaseUrl: fresh.url, retentionDays: 90 }, redact, log);
    try {
      expect(await opened.find(legacy.journal_id)).toMatchObject({
        provider: 'partoo',
        before: { text: 'Before' },
        outcome: 'accepted',
        actor: null,
      });
      expect(existsSync(join(dir, 'journal.jsonl'))).toBe(false);
      expect(readdirSync(dir).filter((f) => f.startsWith('journal.jsonl.imported-'))).toHaveLength(1);
    } finally {
      await opened.close();
    }
    const again = await openStore({ dataDir: dir, databaseUrl: fresh.url, retentionDays: 90 }, redact, log);
    try {
      expect((await again.query({ limit: 10 })).entries).toHaveLength(1);
    } finally {
      await again.close();
      await fresh.drop();
    }
  });
});
