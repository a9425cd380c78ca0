import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ToolError } from './errors.js';
import type { Redactor } from './redact.js';

export interface JournalEntry {
  journal_id: string;
  at: string;
  provider: string;
  post_id: string;
  tool: string;
  version_before: string;
  /** The fields the write changes, as they were before (the pre-image), in the provider's field names. */
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  request: { method: string; path: string };
  title_before: string | null;
  /** Filled in by the outcome record once the provider answered. */
  outcome?: 'applied' | 'accepted' | 'failed';
  outcome_detail?: string;
  reverts?: string;
}

type OutcomeRecord = { journal_id: string; outcome: JournalEntry['outcome']; outcome_detail?: string };

export interface JournalQuery {
  provider?: string;
  post_id?: string;
  offset: number;
  limit: number;
}

/** Append-only JSON-lines journal: the pre-image of every write, on disk before the write is sent. */
export class Journal {
  private readonly file: string;
  private ready: Promise<void> | undefined;

  constructor(
    private readonly dir: string,
    private readonly redactor: Redactor,
  ) {
    this.file = join(dir, 'journal.jsonl');
  }

  /** Appends an entry and fsyncs it; throws (so nothing is sent) when it cannot be stored. */
  async append(entry: Omit<JournalEntry, 'journal_id' | 'at'>): Promise<string> {
    const journal_id = `j_${Date.now().toString(36)}_${randomBytes(5).toString('hex')}`;
    await this.write({ journal_id, at: new Date().toISOString(), ...entry }, true);
    return journal_id;
  }

  /** Records how a journaled write ended; best effort (the pre-image is what matters). */
  async complete(
    journal_id: string,
    outcome: JournalEntry['outcome'],
    outcome_detail?: string,
  ): Promise<void> {
    const record: OutcomeRecord = { journal_id, outcome, ...(outcome_detail && { outcome_detail }) };
    await this.write(record, false).catch(() => undefined);
  }

  /** Entries newest first, outcome folded in, filtered and paginated. */
  async query(q: JournalQuery): Promise<{ entries: JournalEntry[]; total: number }> {
    const all = await this.readAll();
    const filtered = all.filter(
      (e) => (!q.provider || e.provider === q.provider) && (!q.post_id || e.post_id === q.post_id),
    );
    filtered.reverse();
    return { entries: filtered.slice(q.offset, q.offset + q.limit), total: filtered.length };
  }

  /** One entry by id, or undefined. */
  async find(journal_id: string): Promise<JournalEntry | undefined> {
    return (await this.readAll()).find((e) => e.journal_id === journal_id);
  }

  private async readAll(): Promise<JournalEntry[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new ToolError('provider_error', `The journal could not be read (${(err as Error).message}).`);
    }
    const entries = new Map<string, JournalEntry>();
    for (const line of text.split('\n')) {
      if (!line) continue;
      let record: JournalEntry | OutcomeRecord;
      try {
        record = JSON.parse(line) as JournalEntry | OutcomeRecord;
      } catch {
        continue; // a torn last line after a crash must not hide the rest
      }
      const existing = entries.get(record.journal_id);
      if (existing) Object.assign(existing, record);
      else if ('provider' in record) entries.set(record.journal_id, record);
    }
    return [...entries.values()];
  }

  private async write(record: object, sync: boolean): Promise<void> {
    try {
      this.ready ??= mkdir(this.dir, { recursive: true, mode: 0o700 }).then(() => undefined);
      await this.ready;
      const handle = await open(this.file, 'a', 0o600);
      try {
        await handle.write(this.redactor.redact(JSON.stringify(record)) + '\n');
        if (sync) await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (err) {
      this.ready = undefined;
      throw new ToolError(
        'provider_error',
        `The journal entry could not be stored in ${this.dir} (${(err as NodeJS.ErrnoException).code ?? 'error'}); nothing was sent to the provider.`,
        { retryable: false, hint: 'Fix POST_EDITOR_DATA_DIR (it must be writable), then try again.' },
      );
    }
  }
}
