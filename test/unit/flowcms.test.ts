import { describe, expect, it } from 'vitest';
import { parseFlowError } from '../../src/providers/flowcms/errors.js';
import {
  bodyFormatOf,
  normalizeFlowPost,
  unwrapFlowPost,
  viewOf,
} from '../../src/providers/flowcms/normalize.js';
import { flowUpdateInput } from '../../src/providers/flowcms/schemas.js';

describe('FlowCMS field rules', () => {
  it('refuses a blank title, more than 20 tags and an impossible published_at', () => {
    expect(flowUpdateInput.safeParse({ title: ' ' }).success).toBe(false);
    expect(flowUpdateInput.safeParse({ tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }).success).toBe(
      false,
    );
    expect(flowUpdateInput.safeParse({ published_at: '2026-02-30T10:00:00Z' }).success).toBe(false);
  });
});

describe('FlowCMS normalizer', () => {
  it('resolves camelCase and snake_case to the same post and version', () => {
    const snake = unwrapFlowPost({
      success: true,
      data: {
        id: 7,
        title: 'T',
        content: '# Hi',
        status: 'draft',
        updated_at: '2026-01-01T00:00:00Z',
        tags: ['a'],
      },
    });
    const camel = unwrapFlowPost({
      id: '7',
      title: 'T',
      content: '# Hi',
      status: 'draft',
      updatedAt: '2026-01-01T00:00:00Z',
      tags: [{ name: 'a' }],
    });
    expect(snake && camel).toBeTruthy();
    const a = normalizeFlowPost(viewOf(snake!.post));
    const b = normalizeFlowPost(viewOf(camel!.post));
    expect(a.version).toBe(b.version);
    expect(a).toMatchObject({ id: '7', status: 'draft', body_format: 'markdown', tags: ['a'] });
  });

  it('calls a published post with a future date scheduled, and an HTML-opening body html', () => {
    const view = viewOf(
      unwrapFlowPost({
        id: 1,
        status: 'published',
        content: '<p>x</p>',
        published_at: '2999-01-01T00:00:00Z',
      })!.post,
    );
    const p = normalizeFlowPost(view);
    expect(p.status).toBe('scheduled');
    expect(p.scheduled_at).toBe('2999-01-01T00:00:00.000Z');
    expect(p.published_at).toBeNull();
    expect(bodyFormatOf(view)).toBe('html');
    expect(p.fields).toMatchObject({ status: 'published', published_at: '2999-01-01T00:00:00Z' });
  });

  it('refuses success:false and returns undefined for a body without a post', () => {
    expect(() => unwrapFlowPost({ success: false })).toThrow(/success:false/);
    expect(unwrapFlowPost([1, 2])).toBeUndefined();
  });
});

describe('FlowCMS error parser', () => {
  it('keeps the error code apart from the message and names the first field', () => {
    expect(
      parseFlowError({
        error: {
          code: 'VALIDATION_ERROR',
          message: 'Invalid input',
          details: [{ field: 'title', message: 'too long' }],
        },
      }),
    ).toEqual({ code: 'VALIDATION_ERROR', message: 'Invalid input — title: too long', field: 'title' });
    expect(parseFlowError({ error: { code: 'RATE_LIMITED', retry_after: 3 } })).toEqual({
      code: 'RATE_LIMITED',
      message: 'retry after 3 s',
    });
    expect(parseFlowError({ errors: { slug: ['taken'] } })).toEqual({
      message: 'slug: taken',
      field: 'slug',
    });
    expect(parseFlowError({ message: 'Not found' })).toEqual({ message: 'Not found' });
    expect(parseFlowError({})).toBeUndefined();
  });
});
