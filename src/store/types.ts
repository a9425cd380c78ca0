/**
 * The one store behind everything that must outlive a request: the journal of writes (pre-images,
 * outcomes, who asked), the confirm-token secret and the per-post write locks. Two implementations
 * (SQLite embedded, PostgreSQL shared) pass the same test suite.
 */

/** Who asked for a write: recorded with every journal entry, shown in post_history and the review page. */
export interface Actor {
  /** The MCP client's name and version from initialize / the request's _meta (null when unknown). */
  client_name: string | null;
  client_version: string | null;
  transport: 'stdio' | 'http' | 'cli' | 'review';
  /** Over HTTP: the label of the bearer token that authenticated the request (MCP_HTTP_TOKENS). */
  principal: string | null;
}

/**
 * How a journaled write ended. `pending`: the pre-image is stored and the request may have been
 * sent (a crash leaves it so); `applied`: the provider answered and shows it; `accepted`: the
 * provider queued it (async); `failed`: the provider refused it or it could not be sent.
 */
export type Outcome = 'pending' | 'applied' | 'accepted' | 'failed';

/** One journaled write, in the provider's own field names. */
export interface JournalEntry {
  journal_id: string;
  /** ISO 8601 UTC time the pre-image was stored. */
  at: string;
  provider: string;
  post_id: string;
  tool: string;
  version_before: string;
  /** The fields the write changes, as they were before (the pre-image). */
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  /** The exact request sent (credentials never included). */
  request: { method: string; path: string; body?: unknown };
  title_before: string | null;
  url_before: string | null;
  outcome: Outcome;
  outcome_detail: string | null;
  completed_at: string | null;
  /** The journal_id this write reverted, if it was a revert. */
  reverts: string | null;
  /** The journal_id of a later write that reverted this one (derived). */
  reverted_by: string | null;
  actor: Actor | null;
}

export type NewJournalEntry = Omit<
  JournalEntry,
  'journal_id' | 'at' | 'outcome' | 'outcome_detail' | 'completed_at' | 'reverted_by'
>;

/** Filters for a page of entries, newest first; `cursor` is the opaque next_cursor of the previous page. */
export interface JournalQuery {
  provider?: string;
  post_id?: string;
  principal?: string;
  client_name?: string;
  outcome?: Outcome;
  cursor?: string;
  limit: number;
}

export interface JournalPage {
  entries: JournalEntry[];
  /** Keyset cursor for the next (older) page, or null at the end. */
  next_cursor: string | null;
}

/** The store interface every caller depends on; never a concrete implementation. */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Stores the pre-image durably or throws ToolError('provider_error', … nothing was sent …). */
  append(entry: NewJournalEntry): Promise<string>;
  /** Records how a journaled write ended (best effort: the pre-image is what matters). */
  complete(journal_id: string, outcome: Exclude<Outcome, 'pending'>, detail?: string): Promise<void>;
  find(journal_id: string): Promise<JournalEntry | undefined>;
  /** One page; never loads more than `limit` + 1 rows. */
  query(q: JournalQuery): Promise<JournalPage>;
  /** Deletes entries older than the date; returns how many. */
  prune(olderThan: Date): Promise<number>;
  /** The confirm-token HMAC secret: generated once and kept, so every process sharing the store agrees. */
  confirmSecret(): Promise<Buffer>;
  /**
   * Runs fn while holding the write lock of one post (key = provider + post id) across every process
   * sharing the store; a lock older than ttlMs is taken over (its holder crashed). fn gets the held lock
   * to confirm it right before it sends (ADR 0171).
   */
  withPostLock<T>(key: string, ttlMs: number, fn: (lock: HeldLock) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A post's write lock while it is held. */
export interface HeldLock {
  /** Whether the lock is still this holder's (renewing its lease when it is): false if it was lost. */
  confirm(): Promise<boolean>;
}
