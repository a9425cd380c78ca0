import {
  cleanText,
  hashVersion,
  toIsoUtc,
  type Post,
  type PostStatus,
  type PostSummary,
} from '../../core/post.js';
import type { InfinipostPost } from './schemas.js';
import { utcToLocal } from './time.js';

// ADR 0021: generated = content ready, waiting for its time; pending_render = still being rendered;
// scheduled appears in the create/slideshow docs for a rendered post waiting for its time.
const STATUS: Record<string, PostStatus> = {
  generated: 'scheduled',
  pending_render: 'pending',
  scheduled: 'scheduled',
  posted: 'published',
  failed: 'failed',
};

const statusOf = (raw: InfinipostPost): PostStatus => STATUS[raw.status] ?? 'unknown';

/** Infinipost post → the normalized post. Posts have no title (null); the caption is the body. */
export function normalizeInfinipostPost(raw: InfinipostPost): Post {
  return {
    provider: 'infinipost',
    id: raw.postId,
    title: captionTitle(raw),
    body: cleanText(raw.caption),
    body_format: 'text',
    status: statusOf(raw),
    provider_status: raw.status,
    url: null, // the API returns no link to the live TikTok/Instagram post
    tags: [],
    scheduled_at: toIsoUtc(raw.scheduledTime),
    published_at: toIsoUtc(raw.postedAt),
    updated_at: null, // no update timestamp in the post object
    version: hashVersion(raw),
    fields: {
      ...withoutCaption(editableInfinipostFields(raw)),
      platform: raw.platform ?? null,
      accountId: raw.accountId ?? null,
      thumbnailUrl: raw.thumbnailUrl ?? null,
      createdAt: toIsoUtc(raw.createdAt),
    },
  };
}

function withoutCaption(fields: Record<string, unknown>): Record<string, unknown> {
  const { caption: _caption, ...rest } = fields;
  return rest;
}

// ADR 0021 (revised): posts have no title; the caption's first line (≤ 80 chars) names the post, as for Partoo.
function captionTitle(raw: InfinipostPost): string | null {
  const line = cleanText(raw.caption)?.trim().split('\n')[0] ?? '';
  if (!line) return null;
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

/** A list row. */
export function summarizeInfinipostPost(raw: InfinipostPost): PostSummary {
  return {
    id: raw.postId,
    title: captionTitle(raw),
    status: statusOf(raw),
    url: null,
    scheduled_at: toIsoUtc(raw.scheduledTime),
    published_at: toIsoUtc(raw.postedAt),
    updated_at: null,
  };
}

/** Current values under the update tool's field names; scheduledTime back in the post's local time. */
export function editableInfinipostFields(raw: InfinipostPost): Record<string, unknown> {
  return {
    caption: raw.caption ?? null,
    scheduledTime: raw.scheduledTime && raw.timezone ? utcToLocal(raw.scheduledTime, raw.timezone) : null,
    timezone: raw.timezone ?? null,
    contentType: raw.contentType ?? null,
    contentUrl: raw.contentUrl ?? null,
    soundId: raw.soundId ?? null,
  };
}
