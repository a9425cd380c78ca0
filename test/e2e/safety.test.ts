import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import {
  baseEnv,
  callOk,
  connectStdio,
  eventually,
  mountFullDisk,
  SERVER_ENTRY,
  startTestSandbox,
  tempDataDir,
  toolError,
  type StdioServer,
} from '../helpers/harness.js';

let sandbox: Sandbox;
let server: StdioServer;
const butter = () => sandbox.emulator('buttercms');

beforeAll(async () => {
  sandbox = await startTestSandbox();
  server = await connectStdio(baseEnv(sandbox.env));
});
afterAll(async () => {
  await server?.close();
  await sandbox?.close();
});
beforeEach(() => sandbox.emulators.forEach((e) => e.reset()));

async function titleOf(client: StdioServer['client'], id: string): Promise<string> {
  return (await callOk(client, 'buttercms_get_post', { id })).title as string;
}

describe('dry run', () => {
  it('returns the field diff and the exact request without credentials, and sends no write', async () => {
    const post = await callOk(server.client, 'buttercms_get_post', { id: 'cold-brew-at-home' });
    const preview = await callOk(server.client, 'buttercms_update_post', {
      id: 'cold-brew-at-home',
      title: 'Cold Brew, Properly',
      expected_version: post.version,
      dry_run: true,
    });
    expect(preview.diff).toEqual({
      title: { before: 'Cold Brew at Home: A 12-Hour Recipe', after: 'Cold Brew, Properly' },
    });
    expect(preview.request).toEqual({
      method: 'PATCH',
      url: `${sandbox.origin}/buttercms/v2/posts/cold-brew-at-home/`,
      body: { title: 'Cold Brew, Properly' },
    });
    expect(JSON.stringify(preview)).not.toContain('sandbox-butter-write-token');
    expect(butter().seen('PATCH')).toHaveLength(0);
  });

  it('previews an unpublish without asking for confirmation or writing', async () => {
    const post = await callOk(server.client, 'buttercms_get_post', { id: 'how-we-roast-light' });
    const preview = await callOk(server.client, 'buttercms_unpublish_post', {
      id: 'how-we-roast-light',
      expected_version: post.version,
      dry_run: true,
    });
    expect(preview.diff).toEqual({ status: { before: 'published', after: 'draft' } });
    expect(butter().seen('PATCH')).toHaveLength(0);
  });
});

describe('journal, history and revert', () => {
  it('journals a write, lists it in post_history and reverts it to the exact previous fields', async () => {
    const id = 'barista-training-program';
    const before = await callOk(server.client, 'buttercms_get_post', { id });
    const write = await callOk(server.client, 'buttercms_update_post', {
      id,
      title: 'Barista Training, Rewritten',
      tags: ['training'],
      expected_version: before.version,
      wait_for_apply: true,
    });
    expect(write.applied).toBe('sync');
    const history = await callOk(server.client, 'post_history', { provider: 'buttercms', post_id: id });
    const [entry] = history.entries as Record<string, unknown>[];
    expect(entry).toMatchObject({
      journal_id: write.journal_id,
      before: { title: 'Inside Our Barista Training Program', tags: ['training', 'baristas'] },
      after: { title: 'Barista Training, Rewritten', tags: ['training'] },
      outcome: 'accepted',
    });
    const now = await callOk(server.client, 'buttercms_get_post', { id });
    const preview = await callOk(server.client, 'revert_post', {
      journal_id: write.journal_id,
      expected_version: now.version,
      dry_run: true,
    });
    expect(preview.diff).toEqual({
      title: { before: 'Barista Training, Rewritten', after: 'Inside Our Barista Training Program' },
      tags: { before: ['training'], after: ['training', 'baristas'] },
    });
    const reverted = await callOk(server.client, 'revert_post', {
      journal_id: write.journal_id,
      expected_version: now.version,
    });
    expect(reverted.journal_id).not.toBe(write.journal_id);
    await eventually(
      async () => (await titleOf(server.client, id)) === 'Inside Our Barista Training Program',
    );
    const restored = await callOk(server.client, 'buttercms_get_post', { id });
    expect(restored.tags).toEqual(['training', 'baristas']);
    const newest = (await callOk(server.client, 'post_history', { post_id: id, limit: 1 })).entries as Record<
      string,
      unknown
    >[];
    expect(newest[0]?.reverts).toBe(write.journal_id);
  });

  it('refuses a revert with a stale version, writing nothing', async () => {
    const id = 'cold-brew-at-home';
    const before = await callOk(server.client, 'buttercms_get_post', { id });
    const write = await callOk(server.client, 'buttercms_update_post', {
      id,
      seo_title: 'Cold brew recipe',
      expected_version: before.version,
      wait_for_apply: true,
    });
    const patches = butter().seen('PATCH').length;
    const err = toolError(
      await server.client.callTool({
        name: 'revert_post',
        arguments: { journal_id: write.journal_id, expected_version: before.version },
      }),
    );
    expect(err.code).toBe('conflict');
    expect(butter().seen('PATCH')).toHaveLength(patches);
  });

  it('stops start-up with one line naming POST_EDITOR_DATA_DIR when the journal cannot be opened', () => {
    const blocker = join(tempDataDir(), 'not-a-dir');
    writeFileSync(blocker, 'x');
    const run = spawnSync(process.execPath, [SERVER_ENTRY], {
      env: baseEnv({ ...sandbox.env, POST_EDITOR_DATA_DIR: join(blocker, 'journal') }),
      input: '',
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Configuration error: POST_EDITOR_DATA_DIR: the journal cannot be opened/);
  });

  const disk = mountFullDisk();
  it.skipIf(!disk && process.env.CI !== 'true')(
    'sends nothing when the disk is full (a real 4 MB tmpfs filled to the last byte)',
    async () => {
      if (!disk) throw new Error('CI must be able to mount a tmpfs (run as root)');
      const full = await connectStdio(baseEnv({ ...sandbox.env, POST_EDITOR_DATA_DIR: disk.dir }));
      try {
        const post = await callOk(full.client, 'buttercms_get_post', { id: 'cold-brew-at-home' });
        disk.fill();
        const err = toolError(
          await full.client.callTool({
            name: 'buttercms_update_post',
            arguments: { id: 'cold-brew-at-home', title: 'Never sent', expected_version: post.version },
          }),
        );
        expect(err.code).toBe('provider_error');
        expect(err.message).toMatch(/journal entry could not be stored.*disk is full.*nothing was sent/);
        expect(butter().seen('PATCH')).toHaveLength(0);
        disk.release();
        const ok = await callOk(full.client, 'buttercms_update_post', {
          id: 'cold-brew-at-home',
          title: 'Sent once there is room',
          expected_version: post.version,
        });
        expect(ok.journal_id).toEqual(expect.any(String));
        expect(butter().seen('PATCH')).toHaveLength(1);
      } finally {
        await full.close();
        disk.unmount();
      }
    },
  );
});

describe('async providers', () => {
  it('sends MCP progress notifications while wait_for_apply polls', async () => {
    const slow = await startTestSandbox({ applyDelayMs: 1200 });
    const client = await connectStdio(baseEnv(slow.env));
    try {
      const post = await callOk(client.client, 'buttercms_get_post', { id: 'grinder-maintenance' });
      const progress: number[] = [];
      const result = await client.client.callTool(
        {
          name: 'buttercms_update_post',
          arguments: {
            id: 'grinder-maintenance',
            summary: 'Daily grinder care.',
            expected_version: post.version,
            wait_for_apply: true,
          },
        },
        undefined,
        { onprogress: (p) => progress.push(p.progress) },
      );
      expect(result.isError).toBeFalsy();
      expect((result.structuredContent as { applied: string }).applied).toBe('sync');
      expect(progress.length).toBeGreaterThan(0);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
    } finally {
      await client.close();
      await slow.close();
    }
  });
});

describe('policies', () => {
  it('read-only mode lists no write tool at all', async () => {
    const ro = await connectStdio(baseEnv(sandbox.env), ['--read-only']);
    try {
      const names = (await ro.client.listTools()).tools.map((t) => t.name);
      expect(names).toContain('buttercms_get_post');
      expect(names).toContain('post_history');
      expect(names.filter((n) => /update|unpublish|delete|revert/.test(n))).toEqual([]);
      // A tool that is not registered is a protocol error (-32602), as the MCP spec says.
      await expect(
        ro.client.callTool({ name: 'buttercms_update_post', arguments: {} }),
      ).rejects.toMatchObject({
        code: -32602,
      });
    } finally {
      await ro.close();
    }
  });

  it('POST_EDITOR_CONFIRM=never and POST_EDITOR_REQUIRE_VERSION=false let an unattended pipeline unpublish in one call', async () => {
    const relaxed = await connectStdio(
      baseEnv({ ...sandbox.env, POST_EDITOR_CONFIRM: 'never', POST_EDITOR_REQUIRE_VERSION: 'false' }),
    );
    try {
      const done = await callOk(relaxed.client, 'buttercms_unpublish_post', { id: 'meet-the-farmers-huila' });
      expect(done.changed_fields).toEqual(['status']);
      expect(butter().seen('PATCH')[0]?.body).toEqual({ status: 'draft' });
    } finally {
      await relaxed.close();
    }
  });

  it('strips invisible and bidi control characters from text it shows, keeping raw untouched', async () => {
    const id = 'summer-menu-preview';
    const post = await callOk(server.client, 'buttercms_get_post', { id });
    await callOk(server.client, 'buttercms_update_post', {
      id,
      title: 'Summer\u200B Menu \u202EweiverP\u202C',
      expected_version: post.version,
      wait_for_apply: true,
    });
    const shown = await callOk(server.client, 'buttercms_get_post', { id, include_raw: true });
    expect(shown.title).toBe('Summer Menu weiverP');
    expect((shown.raw as { title: string }).title).toContain('\u202E');
  });
});
