import { z } from 'zod';

// Pages that play a video but cannot be an iframe src; the docs say `video` "must be an embeddable
// URL since it's rendered as source of an iframe element" (api-docs/rebelmouse-posts-api.md).
const WATCH_PAGES: [RegExp, string][] = [
  [/^(www\.|m\.)?youtube\.com$/i, 'use the embed URL https://www.youtube.com/embed/ID, not a watch page'],
  [/^youtu\.be$/i, 'use the embed URL https://www.youtube.com/embed/ID, not a youtu.be short link'],
  [/^(www\.)?vimeo\.com$/i, 'use the player URL https://player.vimeo.com/video/ID'],
  [/^(www\.)?dailymotion\.com$/i, 'use the embed URL https://www.dailymotion.com/embed/video/ID'],
];

/** zod check for `video`: empty or null (removes it), or a URL ("must be an embeddable URL", api-docs). */
export function checkVideoUrl(payload: z.core.ParsePayload<string | null>): void {
  const value = payload.value;
  if (value === null || value === '') return;
  if (!/^https?:$/.test(parseUrl(value)?.protocol ?? '')) {
    payload.issues.push({
      code: 'custom',
      message: 'must be an embeddable URL (an iframe src), e.g. https://www.youtube.com/embed/dQw4w9WgXcQ',
      input: value,
    });
  }
}

/**
 * What would keep a video URL from playing, as warnings: a watch page cannot be an iframe src, and an
 * http:// iframe on an https page is blocked by browsers (mixed content). The API itself may accept both.
 */
export function videoWarnings(value: string): string[] {
  const url = parseUrl(value);
  if (!url) return [];
  const out: string[] = [];
  if (url.protocol === 'http:')
    out.push(
      'video is http://: browsers block an http iframe on an https page (mixed content); prefer https.',
    );
  for (const [host, hint] of WATCH_PAGES) {
    if (host.test(url.hostname) && !url.pathname.startsWith('/embed/'))
      out.push(`video is not embeddable as an iframe src: ${hint}.`);
  }
  return out;
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

// Unix seconds above this are in the year 5138: the value is almost surely milliseconds.
const MAX_SECONDS = 99_999_999_999;
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** zod transform for `created_ts`: Unix seconds as RebelMouse takes them, from seconds or ISO 8601. */
export function checkCreatedTs(value: number | string, ctx: z.RefinementCtx): number {
  const fail = (message: string) => {
    ctx.addIssue({ code: 'custom', message, input: value });
    return z.NEVER;
  };
  if (typeof value === 'string') {
    if (/^\d+$/.test(value)) return checkCreatedTs(Number(value), ctx);
    if (!ISO_WITH_ZONE.test(value)) {
      return fail(
        'must be Unix seconds or ISO 8601 with Z or an offset, e.g. 1767225600 or "2026-01-01T00:00:00Z"',
      );
    }
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) return fail(`is not a real date: ${value}`);
    return Math.floor(ms / 1000);
  }
  if (!Number.isInteger(value) || value < 0) return fail('must be whole Unix seconds ≥ 0, e.g. 1767225600');
  if (value > MAX_SECONDS) {
    return fail(
      `looks like milliseconds (${value}); RebelMouse takes Unix seconds: ${Math.floor(value / 1000)}`,
    );
  }
  return value;
}
