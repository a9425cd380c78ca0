import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// What the esbuild bundle (tools/bundle.mjs) must leave out of what a server loads.

const DIST = resolve(import.meta.dirname, '../../dist');
const bundled = readdirSync(DIST).filter((f) => f === 'index.js' || /^chunk-\w+\.js$/.test(f));

describe('the bundle', () => {
  it('carries no Ajv: the SDK shim is ours, which loads it only if a JSON Schema is ever validated', () => {
    expect(bundled.length).toBeGreaterThan(1);
    for (const file of bundled) {
      const text = readFileSync(resolve(DIST, file), 'utf8');
      expect(text, file).not.toMatch(/ajv-formats|Ajv2020/);
    }
  });
});
