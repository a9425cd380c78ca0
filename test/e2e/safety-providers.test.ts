import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ConfirmTokens } from '../../src/core/safety.js';
import { PROVIDERS } from '../../src/providers/index.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import {
  baseEnv,
  callOk,
  connectStdio,
  eventually,
  mountFullDisk,
  startTestSandbox,
  toolError,
  type StdioServer,
} from '../helpers/harness.js';
import { findWriteTarget, postIds, toolExamples, versionOf, type WriteTarget } from '../helpers/targets.js';

// Issue 4's rules, for every provider: the shared write pipeline must hold whatever the API behind it.
// safety.test.ts covers the same rules in depth for ButterCMS; this file proves them per provider.

const SECRET = 'safety-providers-confirm-secret';
const VOLATILE = new Set(['version', 'updated_at']);

let sandbox: Sandbox;
let server: StdioServer;
let broken: StdioServer | undefined;
const disk = mountFullDisk();
let examples: Map<string, Record<string, unknown>>;
let toolNames: string[];
/** Write tools that take wait_for_apply (providers that apply writes late). */
const waitTools = new Set<string>();

beforeAll(async () => {
  sandbox = await startTestSandbox();
  const env = { ...sandbox.env, POST_EDITOR_CONFIRM_SECRET: SECRET };
  examples = await toolExamples(env);
  server = await connectStdio(baseEnv(env));
  const { tools } = await server.client.listTools();
  toolNames = tools.map((t) => t.name);
  for (const t of tools) if ('wait_for_apply' in (t.inputSchema.properties ?? {})) waitTools.add(t.name);
  // The journal on a tiny tmpfs, filled to the last byte once the server is up: a real full disk.
  if (disk) {
    broken = await connectStdio(baseEnv({ ...env, POST_EDITOR_DATA_DIR: disk.dir }));
    disk.fill();
  }
});
afterAll(async () => {
  await broken?.close();
  disk?.unmount();
  await server?.close();
  await sandbox?.close();
});

const call = (client: StdioServer['client'], name: string, args: Record<string, unknown>) =>
  client.callTool({ name, arguments: args }) as Promise<CallToolResult>;

/** Writes (anything but GET) the emulator has seen. */
const writesSeen = (provider: string) =>
  sandbox
    .emulator(provider)
    .seen()
    .filter((r) => r.method !== 'GET');

function stable(post: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(post).filter(([k]) => !VOLATILE.has(k)));
}

describe.each(PROVIDERS.map((p) => p.id))('%s write safety', (provider) => {
  const get = `${provider}_get_post`;
  const update = `${provider}_update_post`;
  let target: WriteTarget | undefined;
  let removal: string;

  beforeAll(async () => {
    target = await findWriteTarget(server.client, provider, examples);
    removal = toolNames.find((n) => n === `${provider}_unpublish_post` || n === `${provider}_delete_post`)!;
  });
  beforeEach(() => sandbox.emulator(provider).reset());

  /** Resolves the update target, failing the test clearly when the provider has none. */
  function need(): WriteTarget {
    expect(target, `${provider}: no post the update example changes`).toBeDefined();
    return target!;
  }

  it('refuses a stale expected_version with conflict and the current version, writing nothing', async () => {
    const t = need();
    const version = await versionOf(server.client, provider, t.id);
    const error = toolError(
      await call(server.client, update, { id: t.id, ...t.update, expected_version: 'stale-version-0' }),
    );
    expect(error).toMatchObject({ code: 'conflict', current_version: version });
    expect(error.hint).toMatch(/get_post/);
    expect(writesSeen(provider)).toHaveLength(0);
  });

  it('answers a dry run with the diff and the request, and sends no write', async () => {
    const t = need();
    const version = await versionOf(server.client, provider, t.id);
    const preview = await callOk(server.client, update, {
      id: t.id,
      ...t.update,
      expected_version: version,
      dry_run: true,
    });
    expect(preview.dry_run).toBe(true);
    expect(Object.keys(preview.diff as object).length).toBeGreaterThan(0);
    expect((preview.request as { method: string }).method).toBe(t.method);
    expect(writesSeen(provider)).toHaveLength(0);
  });

  it.skipIf(!disk && process.env.CI !== 'true')(
    'sends nothing when the journal entry cannot be stored',
    async () => {
      if (!broken) throw new Error('CI must be able to mount a tmpfs (run as root)');
      const t = need();
      const version = await versionOf(broken.client, provider, t.id);
      const error = toolError(
        await call(broken.client, update, { id: t.id, ...t.update, expected_version: version }),
      );
      expect(error.message).toMatch(/journal entry could not be stored.*disk is full.*nothing was sent/);
      expect(writesSeen(provider)).toHaveLength(0);
    },
  );

  it('asks to confirm a removal and refuses a forged, expired or outdated confirm_token', async () => {
    let id: string | undefined;
    let version: string | undefined;
    for (const candidate of await postIds(server.client, provider)) {
      version = await versionOf(server.client, provider, candidate);
      const preview = await call(server.client, removal, {
        id: candidate,
        expected_version: version,
        dry_run: true,
      });
      if (
        !preview.isError &&
        (preview.structuredContent as { changed_fields: string[] }).changed_fields.length
      ) {
        id = candidate;
        break;
      }
    }
    expect(id, `${provider}: no post ${removal} would change`).toBeDefined();
    const asked = toolError(await call(server.client, removal, { id, expected_version: version }));
    expect(asked.code).toBe('confirmation_required');
    expect((asked.preview as { id: string }).id).toBe(id);
    expect(asked.confirm_token).toEqual(expect.any(String));

    const forged = toolError(
      await call(server.client, removal, {
        id,
        expected_version: version,
        confirm_token: `9999999999.${'A'.repeat(43)}`,
      }),
    );
    expect(forged.message).toMatch(/not one this server issued/);

    const past = new ConfirmTokens(SECRET, () => Date.now() - 11 * 60_000);
    const expired = past.issue({ tool: removal, id: id!, version: version!, args: {} });
    const late = toolError(
      await call(server.client, removal, { id, expected_version: version, confirm_token: expired }),
    );
    expect(late.message).toMatch(/has expired/);

    // The same token after the post changed (another version) no longer fits.
    const other = new ConfirmTokens(SECRET).issue({
      tool: removal,
      id: id!,
      version: 'older0version00',
      args: {},
    });
    const outdated = toolError(
      await call(server.client, removal, { id, expected_version: version, confirm_token: other }),
    );
    expect(outdated.message).toMatch(/post changed since the confirm_token was issued/);
    expect(writesSeen(provider)).toHaveLength(0);
  });

  it('reverts an update to the exact previous post through revert_post', async () => {
    const t = need();
    const before = await callOk(server.client, get, { id: t.id });
    const write = await callOk(server.client, update, {
      id: t.id,
      ...t.update,
      expected_version: before.version,
      ...(waitTools.has(update) && { wait_for_apply: true }),
    });
    expect(write.journal_id).toEqual(expect.any(String));
    await eventually(async () => (await callOk(server.client, get, { id: t.id })).version !== before.version);
    const changed = await callOk(server.client, get, { id: t.id });
    const reverted = await callOk(server.client, 'revert_post', {
      journal_id: write.journal_id,
      expected_version: changed.version,
      ...(waitTools.has('revert_post') && { wait_for_apply: true }),
    });
    expect(reverted.journal_id).not.toBe(write.journal_id);
    let restored: Record<string, unknown> = {};
    const same = () => JSON.stringify(stable(restored)) === JSON.stringify(stable(before));
    await eventually(async () => {
      restored = await callOk(server.client, get, { id: t.id });
      return same();
    }).catch(() => undefined); // the assertion below shows the difference
    expect(stable(restored)).toEqual(stable(before));
  });

  it('lists none of its write tools in read-only mode', async () => {
    const ro = await connectStdio(baseEnv(sandbox.env), ['--read-only', '--providers', provider]);
    try {
      const names = (await ro.client.listTools()).tools.map((t) => t.name);
      expect(names).toContain(get);
      expect(names.filter((n) => /update|unpublish|delete|revert/.test(n))).toEqual([]);
    } finally {
      await ro.close();
    }
  });
});
