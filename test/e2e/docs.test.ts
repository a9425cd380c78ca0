import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  registeredTools,
  renderToolReference,
  replaceToolReference,
  END,
  START,
  TOOLS_DOC,
} from '../../tools/docs-render.js';

const root = join(import.meta.dirname, '../..');
const reference = readFileSync(join(root, TOOLS_DOC), 'utf8');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

describe('generated tool reference (docs/tools.md)', () => {
  it('matches the registered tools (run `npm run docs` when this fails)', async () => {
    const tools = await registeredTools();
    const expected = replaceToolReference(reference, renderToolReference(tools));
    expect(reference === expected, `${TOOLS_DOC} is stale: run \`npm run docs\``).toBe(true);
  });

  it('documents every tool with its parameters, limits and annotations', async () => {
    const tools = await registeredTools();
    const section = reference.slice(reference.indexOf(START), reference.indexOf(END));
    for (const tool of tools) expect(section).toContain(`#### \`${tool.name}\``);
    expect(section).toMatch(/\| `id` \| string \| yes \|/);
    expect(section).toContain('≤ 200 chars');
    expect(section).toContain('read-only · idempotent · open world');
  });

  it('is linked from the README, which no longer carries a copy', () => {
    expect(readme).toContain(`](${TOOLS_DOC})`);
    expect(readme).not.toContain(START);
  });
});
