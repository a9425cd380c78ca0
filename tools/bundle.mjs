// Bundles the CLI (dist/index.js) with esbuild after tsc: one file plus lazily loaded chunks (HTTP
// transport, emulators, one-shot CLI) instead of ~200 modules resolved at start, which is most of
// the stdio cold start (ADR 0111). The rest of dist/ stays tsc's output for tests and the bench.
// The bundle also carries every tools/list entry computed here from the tools' zod schemas, so a
// server does not run z.toJSONSchema at start (ADR 0160), and loads Ajv only if it is ever used (ADR 0161).
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

for (const file of readdirSync('dist'))
  if (/^chunk-\w+\.js(\.map)?$/.test(file) || file === 'chunks') rmSync(`dist/${file}`, { recursive: true });

/** tools/listings.ts run from source (bundled next to dist/ so ../package.json resolves as in the server). */
async function prebuiltListings() {
  const generator = resolve('dist/.listings.mjs');
  await build({
    entryPoints: ['tools/listings.ts'],
    outfile: generator,
    bundle: true,
    packages: 'external',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  try {
    const { buildListings } = await import(pathToFileURL(generator).href);
    const listings = await buildListings();
    return Object.fromEntries([...listings].map(([key, tool]) => [key, JSON.stringify(tool)]));
  } finally {
    rmSync(generator, { force: true });
  }
}

const listings = await prebuiltListings();
// What the bundle carries, readable by the tests that compare it with the schemas (test/e2e/prebuilt-listing.test.ts).
writeFileSync('dist/tool-listings.json', JSON.stringify(listings, null, 1) + '\n');

/** src/core/listings-data.ts (empty in source) filled with the entries. */
const listingsData = {
  name: 'prebuilt-listings',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]core[\\/]listings-data\.ts$/ }, () => ({
      contents: `export const PREBUILT_LISTINGS = ${JSON.stringify(listings)};\n`,
      loader: 'js',
    }));
  },
};

/** The SDK's Node shim imports Ajv (~10 000 lines run at start) for a default validator we never use. */
const sdkShims = {
  name: 'sdk-shims',
  setup(b) {
    b.onResolve({ filter: /^@modelcontextprotocol\/server\/_shims$/ }, () => ({
      path: resolve('src/mcp/sdk-shims.ts'),
    }));
  },
};

/** zod's namespace re-exports its ~40 locales (~340 KB parsed at start); we only ever use its default, English. */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
      contents: "export { default as en } from './en.js';\n",
      loader: 'js',
    }));
  },
};

await build({
  entryPoints: { index: 'src/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  minify: true,
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
  plugins: [listingsData, sdkShims, zodEnglishOnly],
  logLevel: 'warning',
});
