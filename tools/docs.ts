import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { registeredTools, renderToolReference, replaceToolReference } from './docs-render.js';
import { packagingFiles, ROOT } from './packaging.js';

// `npm run docs`: regenerates the README's tool reference from the registered tools, and the
// registry/client manifests (server.json, manifest.json, smithery.yaml) from the providers' env.
for (const [name, text] of Object.entries(packagingFiles())) {
  const path = join(ROOT, name);
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // first generation
  }
  if (current !== text) writeFileSync(path, text);
  console.log(`${name} ${current === text ? 'is up to date' : 'regenerated'}`);
}
const file = join(ROOT, 'README.md');
const before = readFileSync(file, 'utf8');
const after = replaceToolReference(before, renderToolReference(await registeredTools()));
writeFileSync(file, after);
console.log(
  after === before ? 'README.md tool reference is up to date' : 'README.md tool reference regenerated',
);
