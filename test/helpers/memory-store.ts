import { randomBytes } from 'node:crypto';
import type {
  HeldLock,
  JournalEntry,
  JournalPage,
  JournalQuery,
  NewJournalEntry,
  Outcome,
  Store,
} from '../../src/store/types.js';

/**
 * A test double of the Store interface for the review page's unit tests (the real SQLite and
 * PostgreSQL stores are exercised by the end-to-end tests): newest first, keyset cursor on (at, id).
 */
export class MemoryStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly entries: JournalEntry[] = [];
  private readonly secret = randomBytes(32);
  private clock = Date.parse('2026-12-01T08:00:00Z');

  async append(entry: NewJournalEntry): Promise<string> {
    const journal_id = `j_${(this.entries.length + 1).toString(36).padStart(4, '0')}_${randomBytes(5).toString('hex')}`;
    this.clock += 7 * 60_000;
    this.entries.push({
      ...entry,
      journal_id,
      at: new Date(this.clock).toISOString(),
      outcome: 'pending',
      outcome_detail: null,
      completed_at: null,
      reverted_by: null,
    });
    if (entry.reverts) {
      const reverted = this.entries.find((e) => e.journal_id === entry.reverts);
      if (reverted) reverted.reverted_by = journal_id;
    }
    return journal_id;
  }

  async complete(journal_id: string, outcome: Exclude<Outcome, 'pending'>, detail?: string): Promise<void> {
    const entry = this.entries.find((e) => e.journal_id === journal_id);
    if (entry) Object.assign(entry, { outcome, outcome_detail: detail ?? null, completed_at: entry.at });
  }

  async find(journal_id: string): Promise<JournalEntry | undefined> {
    return this.entries.find((e) => e.journal_id === journal_id);
  }

  async query(q: JournalQuery): Promise<JournalPage> {
    const after = q.cursor ? Buffer.from(q.cursor, 'base64url').toString('utf8') : undefined;
    if (q.cursor && !after?.includes('|')) throw new Error('bad cursor');
    const rows = [...this.entries]
      .sort((a, b) => keyOf(b).localeCompare(keyOf(a)))
      .filter(
        (e) =>
          (!q.provider || e.provider === q.provider) &&
          (!q.post_id || e.post_id === q.post_id) &&
          (!q.principal || e.actor?.principal === q.principal) &&
          (!q.client_name || e.actor?.client_name === q.client_name) &&
          (!q.outcome || e.outcome === q.outcome) &&
          (!after || keyOf(e) < after),
      )
      .slice(0, q.limit + 1);
    const more = rows.length > q.limit;
    const entries = rows.slice(0, q.limit);
    const last = entries.at(-1);
    return { entries, next_cursor: more && last ? Buffer.from(keyOf(last)).toString('base64url') : null };
  }

  async prune(): Promise<number> {
    return 0;
  }

  async confirmSecret(): Promise<Buffer> {
    return this.secret;
  }

  async withPostLock<T>(_key: string, _ttlMs: number, fn: (lock: HeldLock) => Promise<T>): Promise<T> {
    return fn({ confirm: () => Promise.resolve(true) });
  }

  async close(): Promise<void> {}
}

function keyOf(e: JournalEntry): string {
  return `${e.at}|${e.journal_id}`;
}
