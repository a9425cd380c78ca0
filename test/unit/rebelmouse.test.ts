import { describe, expect, it } from 'vitest';
import { classifyRebelmouseError, parseRebelmouseError } from '../../src/providers/rebelmouse/errors.js';
import { normalizeRebelmousePost, rebelmouseStatus } from '../../src/providers/rebelmouse/normalize.js';
import { rebelmousePostSchema, rebelmouseUpdateInput } from '../../src/providers/rebelmouse/schemas.js';
import { videoWarnings } from '../../src/providers/rebelmouse/rules.js';

describe('RebelMouse field rules', () => {
  it('takes created_ts as Unix seconds or ISO with a zone, and names milliseconds for what they are', () => {
    expect(rebelmouseUpdateInput.parse({ created_ts: 1767225600 }).created_ts).toBe(1767225600);
    expect(rebelmouseUpdateInput.parse({ created_ts: '1767225600' }).created_ts).toBe(1767225600);
    expect(rebelmouseUpdateInput.parse({ created_ts: '2026-01-01T01:00:00+01:00' }).created_ts).toBe(
      1767225600,
    );
    const ms = rebelmouseUpdateInput.safeParse({ created_ts: 1767225600000 });
    expect(ms.error?.issues[0]?.message).toMatch(/milliseconds.*1767225600/);
    expect(rebelmouseUpdateInput.safeParse({ created_ts: '2026-01-01T00:00:00' }).success).toBe(false);
  });

  it('takes an embeddable video URL or null, never a non-URL, and refuses a blank headline', () => {
    expect(rebelmouseUpdateInput.safeParse({ video: 'https://www.youtube.com/embed/x' }).success).toBe(true);
    expect(rebelmouseUpdateInput.safeParse({ video: null }).success).toBe(true);
    expect(rebelmouseUpdateInput.safeParse({ video: 'javascript:alert(1)' }).success).toBe(false);
    expect(rebelmouseUpdateInput.safeParse({ headline: '   ' }).success).toBe(false);
    expect(videoWarnings('https://vimeo.com/123')[0]).toMatch(/player\.vimeo\.com/);
  });
});

describe('RebelMouse normalizer', () => {
  const raw = rebelmousePostSchema.parse({
    id: 42,
    headline: 'Hello',
    subheadline: 'Sub',
    body: '<p>Hi</p>',
    tags: ['news', 'local'],
    post_url: 'https://site.example/hello',
    created_ts: 1767225600,
    og_title: 'OG',
  });

  it('maps the post, publishes it without a draft_url, and lists editable fields without body and tags', () => {
    const p = normalizeRebelmousePost(raw);
    expect(p).toMatchObject({
      provider: 'rebelmouse',
      id: '42',
      title: 'Hello',
      body: '<p>Hi</p>',
      body_format: 'html',
      status: 'published',
      tags: ['news', 'local'],
      url: 'https://site.example/hello',
      published_at: '2026-01-01T00:00:00.000Z',
    });
    expect(p.fields).toMatchObject({ headline: 'Hello', subheadline: 'Sub', og_title: 'OG', video: null });
    expect(p.fields).not.toHaveProperty('body');
    expect(p.fields).not.toHaveProperty('tags');
  });

  it('reads a draft_url as unpublished', () => {
    expect(rebelmouseStatus({ ...raw, draft_url: 'https://site.example/draft/42' })).toBe('unpublished');
  });
});

describe('RebelMouse error parser and classification', () => {
  it('joins status.messages and falls back to detail', () => {
    expect(
      parseRebelmouseError({ status: { code: null, messages: ['API key is not valid'] }, data: null }),
    ).toEqual({
      message: 'API key is not valid',
    });
    expect(parseRebelmouseError({ status: { code: 'E1', messages: ['a', 'b'] } })).toEqual({
      message: 'a; b',
      code: 'E1',
    });
    expect(parseRebelmouseError({ detail: 'Not found.' })).toEqual({ message: 'Not found.' });
    expect(parseRebelmouseError(null)).toBeUndefined();
  });

  it('makes only a 403 "API key is not valid" auth_failed', () => {
    expect(classifyRebelmouseError(403, { message: 'API key is not valid' })).toEqual({
      code: 'auth_failed',
    });
    expect(classifyRebelmouseError(403, { message: 'You cannot edit this post' })).toBeUndefined();
    expect(classifyRebelmouseError(400, { message: 'API key is not valid' })).toBeUndefined();
  });
});
