import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { captureWalkthrough, renderWalkthrough, replaceWalkthrough } from './walkthrough-capture.js';

// `npm run walkthrough`: runs the README's safe-edit walkthrough against the built server on its
// sandbox and rewrites the JSON between the README's walkthrough markers.
const root = join(import.meta.dirname, '..');
const entry = join(root, 'dist', 'index.js');
if (!existsSync(entry)) {
  console.error('dist/index.js is missing: run `npm run build` first.');
  process.exit(1);
}
const file = join(root, 'README.md');
const before = readFileSync(file, 'utf8');
const after = replaceWalkthrough(before, renderWalkthrough(await captureWalkthrough(entry)));
writeFileSync(file, after);
console.log(after === before ? 'README.md walkthrough is up to date' : 'README.md walkthrough regenerated');
