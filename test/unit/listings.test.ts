import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../src/providers/index.js';
import { LISTING_CONFIGURATIONS, buildListings, type ListingConfiguration } from '../../tools/listings.js';

/** Every non-empty subset of the providers, in registry order (how config.ts enables them). */
function providerSubsets(): string[][] {
  const ids = PROVIDERS.map((p) => p.id);
  const subsets: string[][] = [];
  for (let mask = 1; mask < 1 << ids.length; mask++) subsets.push(ids.filter((_, i) => mask & (1 << i)));
  return subsets;
}

describe('prebuilt tools/list entries (ADR 0160)', () => {
  it('file each entry under a key that names everything it depends on', async () => {
    // Every provider subset, versions required or not, read-only or not: buildListings throws when
    // two configurations give one key two different entries (a listingVariant is missing).
    const configs: ListingConfiguration[] = providerSubsets().flatMap((ids) =>
      ['true', 'false'].map((required) => ({
        env: { POST_EDITOR_PROVIDERS: ids.join(','), POST_EDITOR_REQUIRE_VERSION: required },
      })),
    );
    configs.push({ flags: { readOnly: true } });
    const all = await buildListings(configs);
    const shipped = await buildListings(LISTING_CONFIGURATIONS);
    for (const [key, listing] of shipped) expect(all.get(key), key).toEqual(listing);
    // What the bundle does not carry is only post_history over two to four providers.
    const missing = [...all.keys()].filter((key) => !shipped.has(key));
    for (const key of missing) expect(key).toMatch(/^post_history#[a-z]+(,[a-z]+){1,3}$/);
    expect(missing).toHaveLength(2 ** PROVIDERS.length - 1 - PROVIDERS.length - 1);
  }, 60_000);
});
