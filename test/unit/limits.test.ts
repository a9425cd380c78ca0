import { describe, expect, it } from 'vitest';
import { pathDeeperThan } from '../../src/core/depth.js';
import { ToolError } from '../../src/core/errors.js';
import { portableSchema } from '../../src/core/portable-schema.js';
import { canonicalJson } from '../../src/core/post.js';
import { Redactor } from '../../src/core/redact.js';
import { messageCount, RateLimiter } from '../../src/transports/rate-limit.js';

const deep = (depth: number): unknown => JSON.parse('['.repeat(depth) + ']'.repeat(depth));

describe('nesting depth', () => {
  it('finds the path to the first level past the limit, iteratively (a million levels)', () => {
    expect(pathDeeperThan({ a: [1, { b: 2 }] }, 3)).toBeUndefined();
    expect(pathDeeperThan({ a: [1, { b: 2 }] }, 2)).toEqual(['a', 1]);
    expect(pathDeeperThan(deep(1_000_000), 32)).toHaveLength(32);
  });

  it('makes canonicalJson refuse a value too deep to serialize with a ToolError, not a stack overflow', () => {
    expect(() => canonicalJson({ x: deep(100_000) })).toThrow(ToolError);
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });
});

describe('redaction of secrets holding characters that serialization changes', () => {
  const secret = 'key-0123"4\\5/6';
  const redactor = new Redactor();
  redactor.add(secret);

  it('removes the raw, JSON-escaped (once and twice) and URL-encoded forms from text', () => {
    const json = (s: string) => JSON.stringify(s).slice(1, -1);
    for (const form of [secret, json(secret), json(json(secret)), encodeURIComponent(secret)])
      expect(redactor.redact(`before ${form} after`)).toBe('before [REDACTED] after');
  });

  it('redacts values before serialization, keys included, without touching the structure', () => {
    const value = { [secret]: [secret, 1, null, { nested: `x${secret}y` }], n: 2 };
    const out = redactor.redactValue(value);
    expect(out).toEqual({ '[REDACTED]': ['[REDACTED]', 1, null, { nested: 'x[REDACTED]y' }], n: 2 });
    expect(JSON.stringify(out)).not.toContain('0123');
    const proto = redactor.redactValue(JSON.parse('{"__proto__":{"polluted":true}}') as object);
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(Object.keys(proto)).toEqual(['__proto__']);
  });
});

describe('rate limiter costs', () => {
  it('takes a whole batch or nothing, and says when a batch can never fit', () => {
    const limiter = new RateLimiter(5);
    expect(limiter.take('a', 0, 4)).toBe(0);
    expect(limiter.take('a', 0, 2)).toBeGreaterThan(0);
    expect(limiter.take('a', 0, 1)).toBe(0);
    expect(limiter.take('b', 0, 6)).toBe(Infinity);
    expect(limiter.wait('c', 0, 5)).toBe(0);
    expect(limiter.take('c', 0, 5)).toBe(0);
  });

  it('counts the messages of a JSON-RPC body', () => {
    expect(messageCount([{}, {}, {}])).toBe(3);
    expect(messageCount({})).toBe(1);
    expect(messageCount([])).toBe(1);
  });
});

describe('portable schemas', () => {
  it('splits a type array into anyOf branches, annotations on the union, constraints on each typed branch', () => {
    expect(portableSchema({ type: ['string', 'null'], maxLength: 5, description: 'd' })).toEqual({
      anyOf: [{ type: 'string', maxLength: 5 }, { type: 'null' }],
      description: 'd',
    });
  });

  it('rewrites nested schema positions only, never enum/const/default values', () => {
    const input = {
      type: 'object',
      properties: {
        a: { type: 'object', propertyNames: { type: 'string' }, additionalProperties: {} },
        b: { type: 'array', items: { type: ['integer', 'null'] } },
        c: { const: { type: ['x', 'y'] }, default: { additionalProperties: {} } },
      },
      additionalProperties: false,
    };
    expect(portableSchema(input)).toEqual({
      type: 'object',
      properties: {
        a: { type: 'object', additionalProperties: true },
        b: { type: 'array', items: { anyOf: [{ type: 'integer' }, { type: 'null' }] } },
        c: { const: { type: ['x', 'y'] }, default: { additionalProperties: {} } },
      },
      additionalProperties: false,
    });
  });
});
