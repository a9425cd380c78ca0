import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ToolError } from '../../src/core/errors.js';
import { parseRetryAfter } from '../../src/core/http.js';
import { cleanText, hashVersion, toIsoUtc } from '../../src/core/post.js';
import { Redactor } from '../../src/core/redact.js';
import { invalidInputFromIssues } from '../../src/core/validation.js';
import { RateLimiter } from '../../src/transports/rate-limit.js';

describe('invalid_input messages', () => {
  const schema = z.strictObject({
    title: z.string().max(5),
    status: z.enum(['draft', 'published']),
    tags: z.array(z.string()).max(2),
  });
  const example = { title: 'Hello', status: 'draft', tags: ['a'] };
  const messageFor = (input: unknown) => {
    const result = schema.safeParse(input);
    if (result.success) throw new Error('expected failure');
    return invalidInputFromIssues(result.error.issues, example);
  };

  it('names the field, the rule and a valid example', () => {
    const err = messageFor({ title: 'too long', status: 'draft', tags: [] });
    expect(err.details.field).toBe('title');
    expect(err.message).toBe('title: must be at most 5 characters. Example: title: "Hello"');
  });

  it('lists enum values and unknown fields', () => {
    expect(messageFor({ title: 'a', status: 'live', tags: [] }).message).toMatch(
      /status: must be one of: "draft", "published"/,
    );
    const unknown = messageFor({ title: 'a', status: 'draft', tags: [], colour: 1 });
    expect(unknown.details.field).toBe('colour');
    expect(unknown.message).toMatch(/unknown field "colour"/);
  });

  it('says when a required field is missing and points at nested array items', () => {
    expect(messageFor({ status: 'draft', tags: [] }).message).toMatch(/^title: is required \(string\)/);
    expect(messageFor({ title: 'a', status: 'draft', tags: [1] }).details.field).toBe('tags[0]');
  });
});

describe('ToolError JSON', () => {
  it('renders the contract shape with retryable defaulted by code', () => {
    expect(
      new ToolError('rate_limited', 'slow down', { retry_after_s: 60, provider_status: 429 }).toJSON(),
    ).toEqual({
      error: {
        code: 'rate_limited',
        message: 'slow down',
        retryable: true,
        retry_after_s: 60,
        provider_status: 429,
      },
    });
    expect(new ToolError('invalid_input', 'bad', { field: 'x' }).toJSON().error.retryable).toBe(false);
  });
});

describe('post helpers', () => {
  it('normalizes naive, offset and Unix-seconds times to ISO UTC', () => {
    expect(toIsoUtc('2050-01-01T09:00:00')).toBe('2050-01-01T09:00:00.000Z');
    expect(toIsoUtc('2020-01-01T12:00:00+02:00')).toBe('2020-01-01T10:00:00.000Z');
    expect(toIsoUtc(1_700_000_000)).toBe('2023-11-14T22:13:20.000Z');
    expect(toIsoUtc('not a date')).toBeNull();
    expect(toIsoUtc(null)).toBeNull();
  });

  it('strips zero-width and bidi override characters only', () => {
    expect(cleanText('a\u200Bb\u202Ec\u2066d\uFEFFé 😀')).toBe('abcdé 😀');
  });

  it('hashes equal objects equally whatever the key order', () => {
    expect(hashVersion({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(hashVersion({ b: [1, { d: 3, c: 2 }], a: 1 }));
    expect(hashVersion({ a: 1 })).not.toBe(hashVersion({ a: 2 }));
  });
});

describe('redaction', () => {
  it('removes every registered secret, also URL-encoded', () => {
    const r = new Redactor();
    r.add('s3cr3t/token+x', undefined, '');
    expect(r.redact('a s3cr3t/token+x b s3cr3t%2Ftoken%2Bx')).toBe('a [REDACTED] b [REDACTED]');
    expect(r.redactValue({ nested: ['s3cr3t/token+x'] })).toEqual({ nested: ['[REDACTED]'] });
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates, ignores garbage', () => {
    expect(parseRetryAfter('60')).toBe(60_000);
    expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe('rate limiter', () => {
  it('allows a burst of perMinute calls then asks to wait, refilling over time', () => {
    const limiter = new RateLimiter(2);
    expect(limiter.take('a', 0)).toBe(0);
    expect(limiter.take('a', 0)).toBe(0);
    expect(limiter.take('a', 0)).toBeGreaterThan(0);
    expect(limiter.take('b', 0)).toBe(0);
    expect(limiter.take('a', 30_000)).toBe(0);
  });
});
