import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runMcpb, stageBundle } from './mcpb-stage.js';

// `npm run mcpb [-- --out DIR]`: builds the Claude Desktop bundle from a staging folder in the temp
// dir (the working copy is only read) and writes it to DIR (default: <tmp>/post-editor-mcp-release).
const { values } = parseArgs({ options: { out: { type: 'string' } } });
const outDir = resolve(values.out ?? join(tmpdir(), 'post-editor-mcp-release'));
const staged = stageBundle({ log: (line) => console.log(line) });
try {
  runMcpb(['validate', join(staged.dir, 'manifest.json')], staged.dir);
  mkdirSync(outDir, { recursive: true });
  const bundle = join(outDir, staged.bundleName);
  runMcpb(['pack', staged.dir, bundle], staged.dir);
  console.log(
    `${bundle}\n  ${staged.files.length} files` +
      (staged.nativeModules.length
        ? `; native modules (${staged.nativeModules.join(', ')}): this bundle runs on ${process.platform}-${process.arch} only`
        : '; no native module: the bundle runs on every platform'),
  );
} finally {
  rmSync(dirname(staged.dir), { recursive: true, force: true });
}
