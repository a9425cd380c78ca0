import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  registeredTools,
  renderToolReference,
  replaceToolReference,
  END,
  START,
} from '../../tools/docs-render.js';

const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');

describe('generated README tool reference', () => {
  it('matches the registered tools (run `npm run docs` when this fails)', async () => {
    const tools = await registeredTools();
    const expected = replaceToolReference(readme, renderToolReference(tools));
    expect(readme === expected, 'README.md tool reference is stale: run `npm run docs`').toBe(true);
  });

  it('documents every tool with its parameters, limits and annotations', async () => {
    const tools = await registeredTools();
    const section = readme.slice(readme.indexOf(START), readme.indexOf(END));
    for (const tool of tools) expect(section).toContain(`#### \`${tool.name}\``);
    expect(section).toMatch(/\| `id` \| string \| yes \|/);
    expect(section).toContain('≤ 200 chars');
    expect(section).toContain('read-only · idempotent · open world');
  });
});
