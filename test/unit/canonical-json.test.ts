import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, hashVersion } from '../../src/core/post.js';

// The former canonical form (JSON.stringify with a replacer rebuilding each object from sorted entries).
// Versions handed out by earlier releases were hashes of it: the faster form must match it byte for byte.
function formerCanonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** A small seeded generator (mulberry32): the same values on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = [
  'a',
  'B',
  'b',
  '10',
  '2',
  '0',
  '01',
  '-1',
  '1.5',
  'é',
  'z',
  '',
  '__proto_',
  'ü',
  '4294967295',
  '4294967294',
  'a b',
  '"q"',
];
const STRINGS = ['', 'x', 'line\nbreak', 'quote "', 'back\\slash', 'é', '😀', '\u2028', '\ud800', '<b>'];

function value(next: () => number, depth: number): unknown {
  const r = next();
  if (depth > 4 || r < 0.35) {
    const pick = Math.floor(next() * 9);
    return [
      null,
      true,
      false,
      0,
      -1.5,
      1e21,
      Math.floor(next() * 1e6),
      STRINGS[Math.floor(next() * STRINGS.length)],
      undefined,
    ][pick];
  }
  if (r < 0.55) return Array.from({ length: Math.floor(next() * 4) }, () => value(next, depth + 1));
  if (r < 0.6) return new Date(Math.floor(next() * 2e12));
  // Keys the native path must not take: an own "__proto__" (as JSON.parse makes it) and a "toJSON" datum.
  if (r < 0.62) return JSON.parse('{"__proto__": {"x": 1}, "b": [2, {"a": 1}]}') as unknown;
  if (r < 0.63) return { toJSON: 'not a function', z: 1, a: { '3': 0 } };
  const out: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 6); i > 0; i--)
    out[KEYS[Math.floor(next() * KEYS.length)]!] = value(next, depth + 1);
  return out;
}

describe('canonicalJson', () => {
  it('writes exactly what the former form wrote, for 2,000 generated values', () => {
    const next = random(13);
    for (let i = 0; i < 2000; i++) {
      const v = value(next, 0);
      expect(canonicalJson(v)).toBe(formerCanonicalJson(v));
    }
  });

  it('keeps the versions it handed out before (same hash of the same post)', () => {
    const post = { id: 7, tags: ['b', 'a'], meta: { z: 1, '10': 2, '2': 3, a: null }, when: undefined };
    const former = createHash('sha256').update(formerCanonicalJson(post)).digest('base64url').slice(0, 16);
    expect(hashVersion(post)).toBe(former);
    expect(canonicalJson(post)).toBe('{"id":7,"meta":{"2":3,"10":2,"a":null,"z":1},"tags":["b","a"]}');
  });

  it('drops NaN and Infinity to null and undefined array items to null, as JSON does', () => {
    expect(canonicalJson([NaN, Infinity, undefined, () => 1])).toBe('[null,null,null,null]');
    expect(canonicalJson({ f: () => 1, u: undefined, n: -0 })).toBe('{"n":0}');
  });
});
