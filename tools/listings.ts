import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Flags } from '../src/config.js';
import type { Tool } from '../src/core/tool.js';
import { PROVIDERS } from '../src/providers/index.js';
import { EMULATORS } from '../src/sandbox/index.js';
import { createApp } from '../src/server.js';

// The tools/list entries the bundle carries (ADR 0160), computed by the tools' own code: the same
// createApp a server runs, over the configurations whose entries differ. tools/bundle.mjs runs this
// on every build, so the entries cannot drift from the schemas they come from.

/** A configuration to build the tools of: extra environment variables and CLI flags. */
export interface ListingConfiguration {
  env?: Record<string, string>;
  flags?: Flags;
}

/**
 * Every provider with versions required (the default) and optional, then each provider alone: every
 * tool's entry in every variant except post_history's for two to four providers, whose provider enum
 * would need an entry per subset (those few servers build it from the schema at start).
 */
export const LISTING_CONFIGURATIONS: ListingConfiguration[] = [
  {},
  { env: { POST_EDITOR_REQUIRE_VERSION: 'false' } },
  ...PROVIDERS.map((p) => ({ env: { POST_EDITOR_PROVIDERS: p.id } })),
];

/** Each provider's variables pointed at an address nothing listens on: building tools sends nothing. */
export function listingEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { LOG_LEVEL: 'silent', POST_EDITOR_DATA_DIR: dataDir };
  for (const spec of EMULATORS) Object.assign(env, spec.env(`http://127.0.0.1:9/${spec.id}`));
  return { ...env, ...extra };
}

/** The tools of one configuration, by listing key, with their entries as served. */
export async function listingsOf(config: ListingConfiguration, dataDir: string): Promise<Map<string, Tool>> {
  const app = await createApp(loadConfig(listingEnv(dataDir, config.env), config.flags ?? {}, PROVIDERS));
  try {
    const out = new Map<string, Tool>();
    for (const name of app.registry.names) {
      const tool = app.registry.get(name);
      if (tool) out.set(tool.listingKey, tool.listing);
    }
    return out;
  } finally {
    await app.close();
  }
}

/** Every entry of the configurations by listing key; throws when one key would need two entries. */
export async function buildListings(
  configs: ListingConfiguration[] = LISTING_CONFIGURATIONS,
): Promise<Map<string, Tool>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pe-listings-'));
  try {
    const all = new Map<string, Tool>();
    for (const config of configs) {
      for (const [key, listing] of await listingsOf(config, dataDir)) {
        const seen = all.get(key);
        if (seen && JSON.stringify(seen) !== JSON.stringify(listing))
          throw new Error(
            `${key}: its tools/list entry differs between configurations; give it a listingVariant`,
          );
        all.set(key, listing);
      }
    }
    return all;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
