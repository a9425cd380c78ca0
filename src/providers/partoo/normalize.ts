import {
  cleanText,
  hashVersion,
  toIsoUtc,
  type Post,
  type PostStatus,
  type PostSummary,
} from '../../core/post.js';
import type { PartooPost } from './schemas.js';
import { responseTimeAsNaiveLocal, responseTimeAsNaiveUtc } from './time.js';

/** The platforms a post is on, from its post_status names (`google_my_business__posts` → `google_my_business`). */
export function platformsOf(raw: PartooPost): string[] {
  return [...new Set((raw.post_status ?? []).map((s) => s.name.replace(/__posts$/, '')))];
}

/** A draft awaiting a BM/GM validation: listed as `to_validate`, or an expiration_time and no validation yet. */
export function isDraft(raw: PartooPost): boolean {
  return (
    (raw.post_status ?? []).some((s) => s.state === 'to_validate') ||
    (Boolean(raw.expiration_time) && !raw.validation_time)
  );
}

/** One status from the per-platform states: a failure anywhere wins, then drafts, propagation, schedule. */
export function mergedStatus(raw: PartooPost): PostStatus {
  const states = (raw.post_status ?? []).map((s) => s.state ?? '');
  if (states.includes('error')) return 'failed';
  if (isDraft(raw)) return 'draft';
  if (states.length === 0) return 'unknown';
  if (states.some((s) => s === 'pending' || s === 'to_configure')) return 'pending';
  if (states.includes('scheduled')) return 'scheduled';
  if (states.includes('live')) return 'published';
  if (states.every((s) => s === 'expired')) return 'archived';
  return 'unknown';
}

function providerStatus(raw: PartooPost): string | null {
  const parts = (raw.post_status ?? []).map((s) => `${s.name}:${s.state ?? '?'}`);
  return parts.length ? parts.join(',') : null;
}

// Partoo returns no title (api-docs: `title` is absent from Post): the summary's opening stands in for it.
function displayTitle(raw: PartooPost): string | null {
  const text = cleanText(raw.title ?? raw.summary);
  if (!text) return null;
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

function publishedAt(raw: PartooPost, status: PostStatus): string | null {
  if (status !== 'published') return null;
  return toIsoUtc(raw.validation_time ?? raw.schedule_time ?? raw.created_at);
}

// The link shown for the post on a platform (post_status[].link), live platforms first.
function urlOf(raw: PartooPost): string | null {
  const states = raw.post_status ?? [];
  return (states.find((s) => s.state === 'live' && s.link) ?? states.find((s) => s.link))?.link ?? null;
}

/** View counts change without any edit, so the version hashes the post without post_insight. */
export function partooVersion(raw: PartooPost): string {
  const { post_insight: _insight, ...rest } = raw;
  return hashVersion(rest);
}

/** Partoo post → the normalized post. */
export function normalizePartooPost(raw: PartooPost): Post {
  const status = mergedStatus(raw);
  return {
    provider: 'partoo',
    id: String(raw.id),
    title: displayTitle(raw),
    body: cleanText(raw.summary),
    body_format: 'text',
    status,
    provider_status: providerStatus(raw),
    url: urlOf(raw),
    tags: raw.post_type ? [raw.post_type] : [],
    scheduled_at: toIsoUtc(raw.schedule_time),
    published_at: publishedAt(raw, status),
    updated_at: toIsoUtc(raw.updated_at),
    version: partooVersion(raw),
    fields: partooProviderFields(raw),
  };
}

/**
 * What update_post takes, as read, so it can be written back unchanged (summary is `body`); title, start_at
 * and end_at are absent from the documented Post and shown only when Partoo returns them.
 */
function partooProviderFields(raw: PartooPost): Record<string, unknown> {
  const { summary: _summary, title, start_at, end_at, ...editable } = editablePartooFields(raw);
  return {
    ...(raw.title !== undefined && { title }),
    ...editable,
    ...(raw.start_at !== undefined && { start_at }),
    ...(raw.end_at !== undefined && { end_at }),
    post_type: raw.post_type ?? null,
    business_id: raw.business_id ?? null,
    expiration_time: toIsoUtc(raw.expiration_time),
    validation_time: toIsoUtc(raw.validation_time),
  };
}

/** A list row. */
export function summarizePartooPost(raw: PartooPost): PostSummary {
  const status = mergedStatus(raw);
  return {
    id: String(raw.id),
    title: displayTitle(raw),
    status,
    url: urlOf(raw),
    scheduled_at: toIsoUtc(raw.schedule_time),
    published_at: publishedAt(raw, status),
    updated_at: toIsoUtc(raw.updated_at),
  };
}

function imageUrls(raw: PartooPost): string[] | null {
  const urls = (raw.post_medias ?? []).flatMap((m) =>
    Array.isArray(m.media_url) ? m.media_url : m.media_url ? [m.media_url] : [],
  );
  return urls.length ? urls : null;
}

/**
 * Current values under the update tool's names, undoing the response renames (api-docs Post vs PostUpdateData):
 * offer_code → coupon_code, post_medias[].media_url → image_url, cta_link → link.custom_url; title is not returned.
 */
export function editablePartooFields(raw: PartooPost): Record<string, unknown> {
  return {
    title: raw.title ?? null,
    summary: raw.summary ?? null,
    image_url: imageUrls(raw),
    cta_type: raw.cta_type ?? null,
    link: raw.cta_link ? { custom_url: raw.cta_link } : null,
    schedule_time: responseTimeAsNaiveUtc(raw.schedule_time),
    start_at: responseTimeAsNaiveLocal(raw.start_at),
    end_at: responseTimeAsNaiveLocal(raw.end_at),
    coupon_code: raw.offer_code ?? null,
    offer_terms: raw.offer_terms ?? null,
  };
}
