import type { z } from 'zod';
import type { HttpClient, HttpMethod, HttpResponse } from '../core/http.js';
import type { Post, PostList } from '../core/post.js';
import type { Redactor } from '../core/redact.js';
import type { FieldChange } from '../core/safety.js';
import type { Env } from '../core/env.js';

/** An environment variable a provider reads (for config, docs and packaging). */
export interface EnvVar {
  name: string;
  secret: boolean;
  description: string;
  /** A credential used only for reads (ButterCMS's read token): not named when a write is refused. */
  usedFor?: 'read';
}

export interface CallContext {
  signal: AbortSignal;
  /** Told each upstream HTTP status and latency (seconds), for the call's log line and metrics. */
  onUpstreamStatus?: (status: number, seconds?: number) => void;
}

/** A post as read: normalized view, the provider's object, and its editable fields in update-input names. */
export interface LoadedPost {
  post: Post;
  raw: Record<string, unknown>;
  /** Current values keyed by the update tool's field names (the pre-image for diff and revert). */
  editable: Record<string, unknown>;
}

/** A request relative to the provider's base URL (path already URL-encoded). */
export interface PlannedRequest {
  method: HttpMethod;
  path: string;
  query?: Record<string, string>;
  body?: Record<string, unknown>;
}

export interface WriteOutcome {
  /** The post after the write when the provider returns it; null while an async change is pending. */
  post: Post | null;
  applied: 'sync' | 'async';
  warnings: string[];
  /** Warnings true only while an async change is pending ("applies in the background"): dropped once wait_for_apply sees it. */
  pendingWarnings?: string[];
  /** Provider-specific facts for the agent (e.g. RebelMouse draft_url, a renamed ButterCMS slug). */
  extra?: Record<string, unknown>;
  /** The post's id after the write, when the write renamed it (a ButterCMS slug change). */
  newId?: string;
}

export interface WritePlan {
  request: PlannedRequest;
  /** Field-level change (before → after), in the update tool's field names. */
  diff: Record<string, FieldChange>;
  warnings: string[];
  /** Like WriteOutcome.pendingWarnings, known before sending (shown in the dry run). */
  pendingWarnings?: string[];
  /** Why this update needs confirmation like a removal (e.g. it also publishes a draft), if it does. */
  confirm?: string;
  /** Reads the provider's answer to this request. */
  interpret(res: HttpResponse, current: LoadedPost): WriteOutcome;
}

/** What each provider implements; everything shared (safety, journal, tools) is built on top. */
export interface PostApi<ListArgs, UpdateArgs> {
  get(id: string, ctx: CallContext): Promise<LoadedPost>;
  list(args: ListArgs, ctx: CallContext): Promise<PostList>;
  /** Pure: checks cross-field rules against the current post and builds the request. */
  planUpdate(current: LoadedPost, changes: UpdateArgs): WritePlan;
  /** Unpublish or delete, per the provider's `removal`. */
  planRemoval?(current: LoadedPost): WritePlan;
  /** Sends a planned write once (auth and base URL added); throws a ToolError on a non-2xx answer. */
  send(request: PlannedRequest, ctx: CallContext): Promise<HttpResponse>;
  /** The full URL a planned request goes to (for dry-run previews; no credentials in it). */
  urlOf(request: PlannedRequest): string;
  /** Whether a fresh read shows an async change as applied (defaults to comparing `editable`). */
  isApplied?(fresh: LoadedPost, plan: WritePlan): boolean;
}

export interface ProviderDeps {
  http: HttpClient;
  redactor: Redactor;
}

/** How the provider takes a post off the site, if it can at all. */
export interface Removal {
  kind: 'unpublish' | 'delete';
  title: string;
  description: string;
}

/** A provider: one folder, one of these, one line in providers/index.ts. */
export interface ProviderDefinition<S, L extends z.ZodObject, U extends z.ZodObject> {
  id: string;
  label: string;
  env: EnvVar[];
  /** Settings from the environment; null when the provider is not configured (no credentials). */
  readSettings(env: Env): S | null;
  secrets(settings: S): (string | undefined)[];
  /** False when the credentials allow reads only (no write tools are registered then). */
  writable?(settings: S): boolean;
  /** The `id` argument, described in the provider's terms (slug, numeric id…). */
  idSchema: z.ZodType<string, string>;
  /** The update field that is the post's id, when a write can change it (ButterCMS: slug): revert finds the post there. */
  idField?: string;
  listInput: L;
  updateInput: U;
  /**
   * get_post's `fields`: the writable fields (and a few read-only facts) in the provider's own names,
   * declared so the agent sees each current value before it changes it (DESIGN.md "Read what you can write").
   */
  fieldsOutput?: z.ZodObject;
  removal: Removal | null;
  /** The provider applies writes later (ButterCMS 202, Partoo): offers wait_for_apply. */
  asyncWrites: boolean;
  /** Some updates need confirmation like a removal (e.g. one that publishes a draft): update takes confirm_token. */
  confirmableUpdates?: boolean;
  descriptions: { get: string; list: string; update: string };
  examples: { id: string; list: z.input<L>; update: z.input<U> };
  /** Update fields refused before validation, with the reason the agent needs. */
  refusedUpdateFields?: Record<string, string>;
  createApi(settings: S, deps: ProviderDeps): PostApi<z.output<L>, z.output<U>>;
}
