import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { registeredTools, renderToolReference, replaceToolReference } from './docs-render.js';

// `npm run docs`: regenerates the README's tool reference from the registered tools.
const file = join(import.meta.dirname, '..', 'README.md');
const before = readFileSync(file, 'utf8');
const after = replaceToolReference(before, renderToolReference(await registeredTools()));
writeFileSync(file, after);
console.log(
  after === before ? 'README.md tool reference is up to date' : 'README.md tool reference regenerated',
);
