import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// What the esbuild bundle (tools/bundle.mjs) must leave out of what a server loads.

const DIST = resolve(import.meta.dirname, '../../dist');
const bundled = readdirSync(DIST).filter((f) => f === 'index.js' || /^chunk-\w+\.js$/.test(f));
const text = (file: string) => readFileSync(resolve(DIST, file), 'utf8');

/** Every source file under src/. */
function sources(dir = resolve(import.meta.dirname, '../../src')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(resolve(dir, e.name)) : [resolve(dir, e.name)],
  );
}

describe('the bundle', () => {
  it('carries no Ajv: the SDK shim is ours, which loads it only if a JSON Schema is ever validated', () => {
    expect(bundled.length).toBeGreaterThan(1);
    for (const file of bundled) expect(text(file), file).not.toMatch(/ajv-formats|Ajv2020/);
  });

  it("carries zod's English messages only, and nothing asks zod for another locale", () => {
    // "attendu" is in zod's French messages: the other ~40 locales went with them.
    for (const file of bundled) expect(text(file), file).not.toContain('attendu');
    expect(bundled.some((file) => text(file).includes('Invalid input'))).toBe(true);
    for (const file of sources())
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/\bz\.(config|locales)\b/);
  });
});
