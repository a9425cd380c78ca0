import { Emulator, headerValue, queryInt, type EmulatorRequest, type EmulatorResponse } from '../emulator.js';
import { seedInfinipostPosts, type InfinipostPost } from './seed.js';

export const INFINIPOST_API_KEY = 'sk_test_sandbox_infinipost';

// The 11 zones of the edit page (api-docs/infinipost-edit-post.md).
const ZONES = new Set([
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
  'Europe/London',
  'Europe/Paris',
  'Asia/Tokyo',
  'Asia/Singapore',
  'Australia/Sydney',
]);
const EDITABLE = new Set(['generated', 'pending_render']);
const PATCH_FIELDS = new Set([
  'caption',
  'scheduledTime',
  'timezone',
  'contentType',
  'contentUrl',
  'soundId',
]);
const LIST_STATUSES = new Set(['generated', 'pending_render', 'posted', 'failed']);

const err = (status: number, code: string, message: string): EmulatorResponse => ({
  status,
  body: { error: { code, message } },
});
const invalid = (message: string) => err(400, 'invalid_request', message);
const nowIso = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Infinipost v1 emulator. Pessimistic where the docs are unsure: a PATCH without soundId drops the sound,
 * `scheduled` posts are refused like posted ones (cannot_edit, HTTP 400), unknown fields are rejected.
 */
export function createInfinipostEmulator(): Emulator {
  let posts = new Map<string, InfinipostPost>();
  const emulator = new Emulator('infinipost', () => {
    posts = new Map(seedInfinipostPosts().map((p) => [p.postId, p]));
  });
  emulator.reset();

  const auth = (req: EmulatorRequest): EmulatorResponse | undefined => {
    const header = headerValue(req, 'authorization');
    if (!header) return err(401, 'unauthorized', 'No API key provided');
    if (header !== `Bearer ${INFINIPOST_API_KEY}`)
      return err(401, 'invalid_api_key', 'Invalid API key provided');
    return undefined;
  };

  emulator
    .route('GET', '/v1/posts', (req) => auth(req) ?? listPosts(req, [...posts.values()]))
    .route('GET', '/v1/posts/:postId', (req, { postId = '' }) => {
      const post = posts.get(postId);
      return (
        auth(req) ?? (post ? { status: 200, body: post } : err(404, 'not_found', `Post ${postId} not found`))
      );
    })
    .route('PATCH', '/v1/posts/:postId', (req, { postId = '' }) => {
      const denied = auth(req);
      if (denied) return denied;
      const post = posts.get(postId);
      if (!post) return err(404, 'not_found', `Post ${postId} not found`);
      if (!EDITABLE.has(post.status)) {
        return err(
          400,
          'cannot_edit',
          "Only posts with status 'generated' or 'pending_render' can be edited",
        );
      }
      const body = req.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        return invalid('Request body must be a JSON object');
      const changes = body as Record<string, unknown>;
      const problem = validatePatch(changes);
      if (problem) return problem;
      applyPatch(post, changes);
      return { status: 200, body: post };
    })
    .route('DELETE', '/v1/posts', (req) => {
      const denied = auth(req);
      if (denied) return denied;
      const ids = (req.body as { postIds?: unknown } | undefined)?.postIds;
      if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string')) {
        return err(400, 'missing_required_fields', 'postIds is required and must be a non-empty array');
      }
      const deleted: string[] = [];
      const failed: { postId: string; reason: string }[] = [];
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- left for issue 13 item 3, which reshapes this folder (not now: it is being edited concurrently)
      for (const id of ids as string[]) {
        const post = posts.get(id);
        if (!post) failed.push({ postId: id, reason: 'Post not found' });
        else if (!EDITABLE.has(post.status)) {
          failed.push({
            postId: id,
            reason: `Post has status '${post.status}'; only posts with status 'generated' or 'pending_render' can be deleted`,
          });
        } else {
          posts.delete(id);
          deleted.push(id);
        }
      }
      return { status: 200, body: { deleted, failed, deletedAt: nowIso() } };
    })
    .otherwise(() => err(404, 'not_found', 'Route not found'));

  return emulator;
}

function validatePatch(changes: Record<string, unknown>): EmulatorResponse | undefined {
  const unknown = Object.keys(changes).find((k) => !PATCH_FIELDS.has(k));
  if (unknown) return invalid(`Unknown field: ${unknown}`);
  const { caption, scheduledTime, timezone, contentType, contentUrl, soundId } = changes;
  if (caption !== undefined && typeof caption !== 'string') return invalid('caption must be a string');
  // timezone is "Required if scheduledTime is provided"; alone it is not documented as invalid, nor is a past time.
  if (timezone !== undefined && (typeof timezone !== 'string' || !ZONES.has(timezone)))
    return invalid(`Unsupported timezone: ${JSON.stringify(timezone)}`);
  if (scheduledTime !== undefined) {
    if (timezone === undefined)
      return err(400, 'missing_required_fields', 'timezone is required when scheduledTime is provided');
    if (typeof scheduledTime !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(scheduledTime)) {
      return invalid('scheduledTime must be in YYYY-MM-DDTHH:MM format');
    }
    if (wallClockToUtc(scheduledTime, String(timezone)) === undefined)
      return invalid(`scheduledTime ${scheduledTime} does not exist in ${String(timezone)}`);
  }
  if ((contentType === undefined) !== (contentUrl === undefined)) {
    return err(400, 'missing_required_fields', 'contentType and contentUrl must be provided together');
  }
  if (contentType !== undefined) {
    if (contentType === 'video' && !isUrl(contentUrl))
      return invalid('contentUrl must be a single URL string for video');
    if (
      contentType === 'slides' &&
      !(Array.isArray(contentUrl) && contentUrl.length > 0 && contentUrl.every(isUrl))
    ) {
      return invalid('contentUrl must be an array of image URLs for slides');
    }
    if (contentType !== 'video' && contentType !== 'slides')
      return invalid('contentType must be video or slides');
  }
  // Typed string: null is refused (ADR 0020), which is why the client removes a sound by leaving it out.
  if (soundId !== undefined && typeof soundId !== 'string') return invalid('soundId must be a string');
  return undefined;
}

function applyPatch(post: InfinipostPost, changes: Record<string, unknown>): void {
  if (typeof changes.caption === 'string') post.caption = changes.caption;
  // A lone timezone only changes how the time is shown; the scheduled instant stays.
  if (typeof changes.timezone === 'string') post.timezone = changes.timezone;
  if (typeof changes.scheduledTime === 'string' && typeof changes.timezone === 'string') {
    post.scheduledTime = new Date(wallClockToUtc(changes.scheduledTime, changes.timezone) ?? 0)
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  }
  if (changes.contentType === 'video' || changes.contentType === 'slides') {
    post.contentType = changes.contentType;
    post.contentUrl = changes.contentUrl as string | string[];
    post.thumbnailUrl = null; // regenerated later for a video; none for slides
  }
  // Edit page: "If omitted the post will have no TikTok sound attached." Taken literally (pessimistic).
  // "Only applicable for TikTok posts": ignored elsewhere.
  post.soundId =
    post.platform === 'tiktok' && typeof changes.soundId === 'string' && changes.soundId !== ''
      ? changes.soundId
      : null;
}

/** Local wall-clock time → UTC ms, by trying every quarter-hour offset from UTC-12 to UTC+14. */
function wallClockToUtc(local: string, timeZone: string): number | undefined {
  const asIfUtc = Date.parse(`${local}:00Z`);
  if (Number.isNaN(asIfUtc) || new Date(asIfUtc).toISOString().slice(0, 16) !== local) return undefined;
  const fmt = new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  for (let quarter = -56; quarter <= 48; quarter++) {
    const candidate = asIfUtc - quarter * 15 * 60_000;
    if (fmt.format(new Date(candidate)).replace(' ', 'T') === local) return candidate;
  }
  return undefined;
}

function isUrl(value: unknown): boolean {
  return typeof value === 'string' && /^https?:\/\/\S+$/.test(value);
}

function listPosts(req: EmulatorRequest, all: InfinipostPost[]): EmulatorResponse {
  const limit = queryInt(req, 'limit', 50);
  if (!(limit >= 1 && limit <= 100)) return invalid('limit must be between 1 and 100');
  const status = req.query.get('status');
  if (status !== null && !LIST_STATUSES.has(status)) return invalid(`Invalid status: ${status}`);
  let offset = 0;
  const cursor = req.query.get('cursor');
  if (cursor !== null) {
    const decoded = /^o(\d{1,6})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!decoded) return invalid('Invalid cursor');
    offset = Number(decoded[1]);
  }
  const filters = ['platform', 'contentType', 'accountId'] as const;
  const rows = all
    .filter((p) => status === null || p.status === status)
    .filter((p) => filters.every((f) => req.query.get(f) === null || p[f] === req.query.get(f)))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.postId.localeCompare(b.postId));
  const data = rows.slice(offset, offset + limit);
  const hasMore = offset + limit < rows.length;
  return {
    status: 200,
    body: {
      data,
      hasMore,
      nextCursor: hasMore ? Buffer.from(`o${offset + limit}`).toString('base64url') : null,
    },
  };
}
