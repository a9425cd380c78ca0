import {
  cleanText,
  hashVersion,
  toIsoUtc,
  type Post,
  type PostStatus,
  type PostSummary,
} from '../../core/post.js';
import type { ButterPost } from './schemas.js';

const STATUS: Record<string, PostStatus> = { published: 'published', draft: 'draft', scheduled: 'scheduled' };

/** ButterCMS post → the normalized post. */
export function normalizeButterPost(raw: ButterPost): Post {
  return {
    provider: 'buttercms',
    id: raw.slug,
    title: cleanText(raw.title),
    body: cleanText(raw.body),
    body_format: 'html',
    status: STATUS[raw.status ?? ''] ?? 'unknown',
    provider_status: raw.status ?? null,
    url: raw.url ?? null,
    tags: (raw.tags ?? []).map((t) => cleanText(t.name) ?? ''),
    scheduled_at: toIsoUtc(raw.scheduled),
    published_at: toIsoUtc(raw.published),
    updated_at: toIsoUtc(raw.updated),
    version: hashVersion(raw),
    fields: {
      title: raw.title ?? null,
      slug: raw.slug,
      status: raw.status ?? null,
      author: raw.author ?? null,
      categories: (raw.categories ?? []).map((c) => c.name),
      featured_image: raw.featured_image ?? null,
      featured_image_alt: raw.featured_image_alt ?? null,
      summary: raw.summary ?? null,
      seo_title: raw.seo_title ?? null,
      meta_description: raw.meta_description ?? null,
    },
  };
}

/** A list row. */
export function summarizeButterPost(raw: ButterPost): PostSummary {
  return {
    id: raw.slug,
    title: cleanText(raw.title),
    status: STATUS[raw.status ?? ''] ?? 'unknown',
    url: raw.url ?? null,
    scheduled_at: toIsoUtc(raw.scheduled),
    published_at: toIsoUtc(raw.published),
    updated_at: toIsoUtc(raw.updated),
  };
}

/** Current values under the update tool's field names (the pre-image for diffs and reverts). */
export function editableButterFields(raw: ButterPost): Record<string, unknown> {
  return {
    title: raw.title ?? null,
    slug: raw.slug,
    status: raw.status ?? null,
    author: raw.author ?? null,
    categories: (raw.categories ?? []).map((c) => c.name),
    tags: (raw.tags ?? []).map((t) => t.name),
    featured_image: raw.featured_image ?? null,
    featured_image_alt: raw.featured_image_alt ?? null,
    body: raw.body ?? null,
    summary: raw.summary ?? null,
    seo_title: raw.seo_title ?? null,
    meta_description: raw.meta_description ?? null,
  };
}
