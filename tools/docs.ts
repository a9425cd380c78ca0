import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { registeredTools, renderToolReference, replaceToolReference, TOOLS_DOC } from './docs-render.js';
import { packagingFiles, ROOT } from './packaging.js';

// `npm run docs`: regenerates the tool reference (docs/tools.md) from the registered tools, and the
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
const file = join(ROOT, TOOLS_DOC);
const before = readFileSync(file, 'utf8');
const after = replaceToolReference(before, renderToolReference(await registeredTools()));
writeFileSync(file, after);
console.log(`${TOOLS_DOC} ${after === before ? 'is up to date' : 'regenerated'}`);
