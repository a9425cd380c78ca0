import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import { connectEra, type Era, type EraClient, type ToolResult, type Wire } from '../helpers/eras.js';
import { baseEnv, startHttpServer, startTestSandbox, type HttpServer } from '../helpers/harness.js';

// Both protocol eras on both transports (issue 13): a 2026-07-28 client (v2 SDK, pinned) and a
// 2025-era client (v1 SDK) drive every tool family against the same stdio binary and the same POST /mcp.

let sandbox: Sandbox;
let http: HttpServer;

beforeAll(async () => {
  // Slow enough applies that wait_for_apply polls (and so reports progress) at least once.
  sandbox = await startTestSandbox({ applyDelayMs: 600 });
  http = await startHttpServer(baseEnv(sandbox.env));
});
afterAll(async () => {
  await http?.close();
  await sandbox?.close();
});

function json(result: ToolResult): Record<string, unknown> {
  const first = result.content[0];
  if (first?.type !== 'text' || first.text === undefined) throw new Error('no text content');
  return JSON.parse(first.text) as Record<string, unknown>;
}

async function ok(client: EraClient, name: string, args: Record<string, unknown>) {
  const result = await client.callTool(name, args);
  if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(json(result))}`);
  expect(result.structuredContent).toEqual(json(result));
  return result.structuredContent as Record<string, unknown>;
}

async function refused(client: EraClient, name: string, args: unknown) {
  const result = await client.callTool(name, args);
  expect(result.isError).toBe(true);
  return json(result).error as Record<string, unknown> & { code: string };
}

const cells: [Era, Wire][] = [
  ['modern', 'stdio'],
  ['legacy', 'stdio'],
  ['modern', 'http'],
  ['legacy', 'http'],
];

describe.each(cells)('%s client over %s', (era, wire) => {
  let client: EraClient;
  beforeAll(async () => {
    client = await connectEra(era, wire === 'http' ? { url: http.url } : { env: baseEnv(sandbox.env) });
  });
  afterAll(() => client?.close());
  beforeEach(() => sandbox.emulators.forEach((e) => e.reset()));

  it('lands on its era and lists every tool with annotations and an output schema', async () => {
    expect(client.negotiated).toBe(era);
    const tools = await client.listTools();
    expect(tools.length).toBe(22);
    const get = tools.find((t) => t.name === 'buttercms_get_post');
    expect(get?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(get?.outputSchema).toMatchObject({ type: 'object' });
  });

  it('reads: get_post and list_posts', async () => {
    const post = await ok(client, 'buttercms_get_post', { id: 'cold-brew-at-home' });
    expect(post.title).toBe('Cold Brew at Home: A 12-Hour Recipe');
    const list = await ok(client, 'buttercms_list_posts', { page_size: 2 });
    expect((list.posts as unknown[]).length).toBe(2);
  });

  it('answers bad arguments with our invalid_input, not the SDK validation', async () => {
    const err = await refused(client, 'buttercms_get_post', { id: 'cold-brew-at-home', colour: 'red' });
    expect(err.code).toBe('invalid_input');
    expect(err.field).toBe('colour');
    // Arguments double-encoded as a JSON string still reach our decoder (ADR 0050).
    const decoded = await client.callTool('buttercms_get_post', '{"id":"cold-brew-at-home"}');
    expect(decoded.isError).toBeFalsy();
    expect(sandbox.emulator('buttercms').seen('PATCH')).toHaveLength(0);
  });

  it('updates with a dry run first, then for real with progress while waiting for the apply', async () => {
    const butter = sandbox.emulator('buttercms');
    const post = await ok(client, 'buttercms_get_post', { id: 'grinder-maintenance' });
    const preview = await ok(client, 'buttercms_update_post', {
      id: 'grinder-maintenance',
      summary: `Care, ${era} over ${wire}.`,
      expected_version: post.version,
      dry_run: true,
    });
    expect(preview.diff).toMatchObject({ summary: { after: `Care, ${era} over ${wire}.` } });
    expect(butter.seen('PATCH')).toHaveLength(0);
    const progress: number[] = [];
    const result = await client.callTool(
      'buttercms_update_post',
      {
        id: 'grinder-maintenance',
        summary: `Care, ${era} over ${wire}.`,
        expected_version: post.version,
        wait_for_apply: true,
      },
      (p) => progress.push(p),
    );
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent?.applied).toBe('sync');
    expect(progress.length).toBeGreaterThan(0);
    expect(butter.seen('PATCH')).toHaveLength(1);
  });

  it('unpublishes and deletes only with the confirm token', async () => {
    const before = await ok(client, 'buttercms_get_post', { id: 'new-cafe-harbour-street' });
    const first = await refused(client, 'buttercms_unpublish_post', {
      id: 'new-cafe-harbour-street',
      expected_version: before.version,
    });
    expect(first.code).toBe('confirmation_required');
    const done = await ok(client, 'buttercms_unpublish_post', {
      id: 'new-cafe-harbour-street',
      expected_version: before.version,
      confirm_token: first.confirm_token,
    });
    expect(done.diff).toEqual({ status: { before: 'published', after: 'draft' } });

    const partoo = await ok(client, 'partoo_get_post', { id: '3411' });
    const ask = await refused(client, 'partoo_delete_post', { id: '3411', expected_version: partoo.version });
    expect(ask.code).toBe('confirmation_required');
    expect(sandbox.emulator('partoo').seen('DELETE')).toHaveLength(0);
    await ok(client, 'partoo_delete_post', {
      id: '3411',
      expected_version: partoo.version,
      confirm_token: ask.confirm_token,
    });
    expect(sandbox.emulator('partoo').seen('DELETE')).toHaveLength(1);
  });

  it('lists a write in post_history and reverts it', async () => {
    const id = 'barista-training-program';
    const before = await ok(client, 'buttercms_get_post', { id });
    const write = await ok(client, 'buttercms_update_post', {
      id,
      title: `Barista Training (${era}, ${wire})`,
      expected_version: before.version,
      wait_for_apply: true,
    });
    const history = await ok(client, 'post_history', { provider: 'buttercms', post_id: id, limit: 1 });
    const [entry] = history.entries as Record<string, unknown>[];
    expect(entry?.journal_id).toBe(write.journal_id);
    const now = await ok(client, 'buttercms_get_post', { id });
    const reverted = await ok(client, 'revert_post', {
      journal_id: write.journal_id,
      expected_version: now.version,
    });
    expect(reverted.diff).toMatchObject({ title: { after: before.title } });
  });

  it('answers a call to an unknown tool with JSON-RPC error -32602, not a tool result', async () => {
    await expect(client.callTool('buttercms_publish_everything', {})).rejects.toMatchObject({
      code: -32602,
      message: expect.stringMatching(/Unknown tool/),
    });
  });
});
