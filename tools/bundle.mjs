// Bundles the CLI (dist/index.js) with esbuild after tsc: one file plus lazily loaded chunks (HTTP
// transport, emulators, one-shot CLI) instead of ~200 modules resolved at start, which is most of
// the stdio cold start (ADR 0111). The rest of dist/ stays tsc's output for tests and the bench.
import { readdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

for (const file of readdirSync('dist'))
  if (/^chunk-\w+\.js(\.map)?$/.test(file) || file === 'chunks') rmSync(`dist/${file}`, { recursive: true });

await build({
  entryPoints: { index: 'src/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  minifySyntax: true,
  // Chunks next to index.js: server code resolves ../package.json from its own file.
  chunkNames: 'chunk-[hash]',
  // CommonJS dependencies bundled into ESM call require() for node built-ins: give them one.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  // Left to node_modules: undici loads its wasm HTTP parser relative to its own files, better-sqlite3
  // finds its native addon from __filename, and pg (loaded only with POST_EDITOR_DATABASE_URL) has
  // optional native requires that must not be resolved at build time; prom-client is CommonJS whose
  // namespace import esbuild would wrap (its classes would not be constructors).
  external: ['undici', 'better-sqlite3', 'pg', 'prom-client'],
  logLevel: 'warning',
});
