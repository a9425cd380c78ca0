import {
  cleanText,
  hashVersion,
  toIsoUtc,
  type Post,
  type PostStatus,
  type PostSummary,
} from '../../core/post.js';
import { EDITABLE_FIELDS, type RebelmousePost } from './schemas.js';

/**
 * The posts API has no status field: it serves published posts, and returns draft_url "only if the
 * post was unpublished" (api-docs), so a draft_url marks an unpublished post (ADR 0045).
 */
export function rebelmouseStatus(raw: RebelmousePost): PostStatus {
  return raw.draft_url ? 'unpublished' : 'published';
}

/** RebelMouse post → the normalized post. */
export function normalizeRebelmousePost(raw: RebelmousePost): Post {
  const status = rebelmouseStatus(raw);
  return {
    provider: 'rebelmouse',
    id: String(raw.id),
    title: cleanText(raw.headline),
    body: cleanText(raw.body),
    body_format: 'html',
    status,
    provider_status: typeof raw.status === 'string' ? raw.status : null,
    url: raw.post_url ?? null,
    tags: (raw.tags ?? []).map((t) => cleanText(t) ?? ''),
    scheduled_at: null,
    published_at: toIsoUtc(raw.created_ts),
    updated_at: null,
    version: hashVersion(raw),
    fields: providerFields(raw),
  };
}

/** get_post's `fields`: the editable set without body and tags (shown as body and tags already). */
function providerFields(raw: RebelmousePost): Record<string, unknown> {
  const { body: _body, tags: _tags, ...fields } = editableRebelmouseFields(raw);
  return fields;
}

/** A list row. */
export function summarizeRebelmousePost(raw: RebelmousePost): PostSummary {
  return {
    id: String(raw.id),
    title: cleanText(raw.headline),
    status: rebelmouseStatus(raw),
    url: raw.post_url ?? null,
    scheduled_at: null,
    published_at: toIsoUtc(raw.created_ts),
    updated_at: null,
  };
}

/** Current values under the update tool's field names: the response uses the request's names (api-docs). */
export function editableRebelmouseFields(raw: RebelmousePost): Record<string, unknown> {
  const source = raw as Record<string, unknown>;
  return Object.fromEntries(EDITABLE_FIELDS.map((field) => [field, source[field] ?? null]));
}
