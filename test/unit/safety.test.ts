import { describe, expect, it } from 'vitest';
import { ConfirmTokens, CONFIRM_TTL_MS, diffFields } from '../../src/core/safety.js';

const binding = { tool: 'buttercms_unpublish_post', id: 'a-post', version: 'v1', args: {} };

describe('confirm tokens', () => {
  it('accepts a token for the same call within ten minutes', () => {
    const tokens = new ConfirmTokens('secret');
    expect(tokens.check(tokens.issue(binding), binding)).toBe('ok');
  });

  it('refuses a token for another post, another version, other arguments or another tool', () => {
    const tokens = new ConfirmTokens('secret');
    const token = tokens.issue(binding);
    expect(tokens.check(token, { ...binding, id: 'other' })).toBe('other_post');
    expect(tokens.check(token, { ...binding, version: 'v2' })).toBe('post_changed');
    expect(tokens.check(token, { ...binding, args: { x: 1 } })).toBe('other_arguments');
    expect(tokens.check(token, { ...binding, tool: 'partoo_delete_post' })).toBe('other_tool');
    expect(tokens.check('garbage', binding)).toBe('malformed');
  });

  it('refuses a token after it expires', () => {
    let now = 1_700_000_000_000;
    const tokens = new ConfirmTokens('secret', () => now);
    const token = tokens.issue(binding);
    now += CONFIRM_TTL_MS + 1000;
    expect(tokens.check(token, binding)).toBe('expired');
  });

  it('works across instances sharing a secret (stateless HTTP) and not with another secret', () => {
    const token = new ConfirmTokens('shared').issue(binding);
    expect(new ConfirmTokens('shared').check(token, binding)).toBe('ok');
    expect(new ConfirmTokens('different').check(token, binding)).toBe('other_secret');
  });

  it('cannot be extended by editing the expiry', () => {
    const tokens = new ConfirmTokens('secret');
    const parts = tokens.issue(binding).split('.');
    parts[2] = String(Number(parts[2]) + 3600);
    expect(tokens.check(parts.join('.'), binding)).toBe('malformed');
  });

  it('cannot be moved to another post by editing a binding hash', () => {
    const tokens = new ConfirmTokens('secret');
    const other = tokens.issue({ ...binding, id: 'other' }).split('.');
    const parts = tokens.issue(binding).split('.');
    parts[4] = other[4]!;
    expect(tokens.check(parts.join('.'), { ...binding, id: 'other' })).toBe('malformed');
  });
});

describe('diffFields', () => {
  it('keeps only fields whose value changes, comparing arrays and objects by value', () => {
    const current = { title: 'A', tags: ['x', 'y'], author: { slug: 'm' }, summary: null };
    expect(diffFields(current, { title: 'A', tags: ['x', 'y'], author: { slug: 'm' } })).toEqual({});
    expect(diffFields(current, { tags: ['y', 'x'], summary: 'new' })).toEqual({
      tags: { before: ['x', 'y'], after: ['y', 'x'] },
      summary: { before: null, after: 'new' },
    });
  });
});
