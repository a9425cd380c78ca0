import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Flags } from '../../src/config.js';
import { buildListings, listingEnv, listingsOf, type ListingConfiguration } from '../../tools/listings.js';
import { SERVER_ENTRY, baseEnv, tempDataDir } from '../helpers/harness.js';

// The bundle serves tools/list entries computed at build time (ADR 0160). These tests hold them to
// what the tools' zod schemas give now, byte for byte, in the configurations whose entries differ.

const PREBUILT = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../../dist/tool-listings.json'), 'utf8'),
) as Record<string, string>;

/** The built server's tools/list answer over stdio: each entry as serialized. */
async function servedTools(env: Record<string, string>, args: string[]): Promise<string[]> {
  const child = spawn(process.execPath, [SERVER_ENTRY, ...args], { env, stdio: ['pipe', 'pipe', 'ignore'] });
  try {
    const answer = await new Promise<Record<string, unknown>>((ok, fail) => {
      let buffer = '';
      child.once('exit', (code) => fail(new Error(`server exited with ${code}`)));
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        for (const line of buffer.split('\n').slice(0, -1)) {
          const message = JSON.parse(line) as Record<string, unknown>;
          if (message.id === 2) ok(message);
        }
        buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
      });
      const send = (message: object) => child.stdin.write(JSON.stringify(message) + '\n');
      send({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
      });
      send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    });
    // JSON.parse keeps key order: re-serialized, each entry is the bytes the server sent.
    return (answer.result as { tools: unknown[] }).tools.map((tool) => JSON.stringify(tool));
  } finally {
    child.stdin.end();
    child.kill();
  }
}

const CASES: { label: string; env?: Record<string, string>; flags?: Flags; args?: string[] }[] = [
  { label: 'every provider (the default)' },
  { label: 'versions optional', env: { POST_EDITOR_REQUIRE_VERSION: 'false' } },
  { label: 'read-only', flags: { readOnly: true }, args: ['--read-only'] },
  { label: 'one provider', env: { POST_EDITOR_PROVIDERS: 'partoo' } },
  // post_history over two providers is not carried: built from its schema at start.
  { label: 'two providers', env: { POST_EDITOR_PROVIDERS: 'partoo,rebelmouse' } },
];

describe('the prebuilt tools/list', () => {
  it('is what the schemas give now (the build regenerates it)', async () => {
    const now = await buildListings();
    expect(Object.keys(PREBUILT).sort()).toEqual([...now.keys()].sort());
    for (const [key, listing] of now) expect(PREBUILT[key], key).toBe(JSON.stringify(listing));
  });

  it.each(CASES)('serves, $label, the bytes the schemas give', async ({ env = {}, flags, args = [] }) => {
    const config: ListingConfiguration = { env, flags };
    const expected = await listingsOf(config, tempDataDir());
    const served = await servedTools(baseEnv(listingEnv(tempDataDir(), env)), args);
    expect(served).toEqual([...expected.values()].map((tool) => JSON.stringify(tool)));
    const carried = [...expected.keys()].filter((key) => key in PREBUILT);
    const built = env.POST_EDITOR_PROVIDERS?.includes(',') ? ['post_history#partoo,rebelmouse'] : [];
    expect([...expected.keys()].filter((key) => !carried.includes(key))).toEqual(built);
  });
});
