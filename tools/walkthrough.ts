import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  captureWalkthrough,
  renderWalkthrough,
  replaceWalkthrough,
  WALKTHROUGH_END,
  WALKTHROUGH_START,
  walkthroughSkeleton,
} from './walkthrough-capture.js';

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
const fresh = replaceWalkthrough(before, renderWalkthrough(await captureWalkthrough(entry)));
const section = (text: string) =>
  walkthroughSkeleton(text.slice(text.indexOf(WALKTHROUGH_START), text.indexOf(WALKTHROUGH_END)));
// Versions, tokens and times change on every run: rewrite only when something else did.
if (section(fresh) === section(before)) {
  console.log('README.md walkthrough is up to date (only run-specific values differ)');
} else {
  writeFileSync(file, fresh);
  console.log('README.md walkthrough regenerated');
}
