import { ToolError } from '../../core/errors.js';
import {
  cleanText,
  hashVersion,
  toIsoUtc,
  type Post,
  type PostStatus,
  type PostSummary,
} from '../../core/post.js';
import { flowPostSchema, toUtcZ, type FlowPost } from './schemas.js';

/** One FlowCMS post with the snake_case / camelCase spellings resolved (ADR 0031). */
export interface FlowView {
  id: string;
  title: string | null;
  slug: string | null;
  content: string | null;
  status: string | null;
  tags: string[];
  url: string | null;
  format: string | null;
  author_id: string | null;
  created_at: string | null;
  updated_at: string | null;
  published_at: string | null;
  /** False when the answer carried neither published_at nor publishedAt (the seed's PUT example has none). */
  has_published_at: boolean;
}

/**
 * The post inside a FlowCMS answer: the `{success, data}` envelope (seed PUT) or the bare object (GET page).
 * Returns undefined when neither shape holds a post.
 */
export function unwrapFlowPost(body: unknown): { raw: Record<string, unknown>; post: FlowPost } | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const b = body as Record<string, unknown>;
  if (b.success === false) {
    throw new ToolError('provider_error', 'FlowCMS answered success:false without an error status.', {
      retryable: false,
    });
  }
  const inner = b.id === undefined && typeof b.data === 'object' && b.data !== null ? b.data : b;
  const parsed = flowPostSchema.safeParse(inner);
  return parsed.success ? { raw: inner as Record<string, unknown>, post: parsed.data } : undefined;
}

/** Resolves both spellings of every field into one view. */
export function viewOf(p: FlowPost): FlowView {
  const has = (k: string) => Object.hasOwn(p, k);
  return {
    id: String(p.id),
    title: p.title ?? null,
    slug: p.slug ?? null,
    content: p.content ?? null,
    status: p.status ?? null,
    tags: (p.tags ?? []).map((t) => (typeof t === 'string' ? t : t.name)),
    url: p.url ?? null,
    format: p.content_format ?? p.contentFormat ?? p.format ?? null,
    author_id: idOrNull(p.author_id ?? p.authorId),
    created_at: toUtcZ(p.created_at ?? p.createdAt),
    updated_at: toUtcZ(p.updated_at ?? p.updatedAt),
    published_at: toUtcZ(p.published_at ?? p.publishedAt),
    has_published_at: has('published_at') || has('publishedAt'),
  };
}

// A body that opens with a tag is HTML; anything else (Markdown may embed a little HTML) is Markdown (ADR 0033).
const OPENS_WITH_TAG = /^\s*<(!doctype|[a-z][a-z0-9-]*)[\s/>]/i;

/** html or markdown: an explicit format field wins, else the body's first character decides. */
export function bodyFormatOf(view: FlowView): 'html' | 'markdown' | null {
  const declared = view.format?.toLowerCase();
  if (declared === 'html' || declared === 'markdown') return declared;
  if (view.content === null) return null;
  return OPENS_WITH_TAG.test(view.content) ? 'html' : 'markdown';
}

/** FlowCMS status (+ published_at) → the normalized status: published with a future date is scheduled. */
function statusOf(view: FlowView, now = Date.now()): PostStatus {
  if (view.status === 'published') {
    const at = view.published_at ? Date.parse(view.published_at) : Number.NaN;
    return at > now ? 'scheduled' : 'published';
  }
  if (view.status === 'draft' || view.status === 'archived') return view.status;
  return 'unknown';
}

/** FlowCMS post → the normalized post; the version hashes the resolved fields, so both shapes agree. */
export function normalizeFlowPost(view: FlowView): Post {
  const status = statusOf(view);
  return {
    provider: 'flowcms',
    id: view.id,
    title: cleanText(view.title),
    body: cleanText(view.content),
    body_format: bodyFormatOf(view),
    status,
    provider_status: view.status,
    url: view.url,
    tags: view.tags.map((t) => cleanText(t) ?? ''),
    scheduled_at: status === 'scheduled' ? toIsoUtc(view.published_at) : null,
    published_at: status === 'scheduled' ? null : toIsoUtc(view.published_at),
    updated_at: toIsoUtc(view.updated_at),
    version: versionOf(view),
    fields: {
      title: view.title,
      slug: view.slug,
      status: view.status,
      published_at: view.published_at,
      author_id: view.author_id,
      created_at: view.created_at,
    },
  };
}

function idOrNull(value: string | number | null | undefined): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** A list row. */
export function summarizeFlowPost(view: FlowView): PostSummary {
  const { id, title, status, url, scheduled_at, published_at, updated_at } = normalizeFlowPost(view);
  return { id, title, status, url, scheduled_at, published_at, updated_at };
}

/** Current values under the update tool's field names (the pre-image for diffs and reverts). */
export function editableFlowFields(view: FlowView): Record<string, unknown> {
  return {
    title: view.title,
    slug: view.slug,
    content: view.content,
    status: view.status,
    tags: view.tags,
    published_at: view.published_at,
  };
}

function versionOf(view: FlowView): string {
  const { id, title, slug, content, status, tags, published_at, updated_at } = view;
  return hashVersion({ id, title, slug, content, status, tags, published_at, updated_at });
}
