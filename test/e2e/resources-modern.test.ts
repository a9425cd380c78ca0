import type { Client as ModernClient } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import { connectModernHttp, connectModernStdio, modernClient } from '../helpers/asking-client.js';
import { baseEnv, startHttpServer, startTestSandbox, type HttpServer } from '../helpers/harness.js';

// Posts as resources, completion and prompts, read by a 2026-07-28 client (v2 SDK, pinned).
let sandbox: Sandbox;
let http: HttpServer;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  http = await startHttpServer(baseEnv(sandbox.env));
});
afterAll(async () => {
  await http?.close();
  await sandbox?.close();
});

describe.each(['stdio', 'http'] as const)('a 2026-07-28 client over %s', (wire) => {
  let client: ModernClient;
  beforeAll(async () => {
    client = modernClient();
    if (wire === 'stdio') await connectModernStdio(client, baseEnv(sandbox.env));
    else await connectModernHttp(client, http.url);
  });
  afterAll(() => client?.close());

  it('discovers resources, completions and prompts', () => {
    expect(client.getServerCapabilities()).toMatchObject({ resources: {}, completions: {}, prompts: {} });
  });

  it('lists the templates and pages through every provider’s recent posts', async () => {
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates).toHaveLength(5);
    expect(resourceTemplates.map((t) => t.uriTemplate)).toContain('post-editor://partoo/posts/{id}');
    const uris: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const result = await client.listResources(cursor ? { cursor } : {});
      uris.push(...result.resources.map((r) => r.uri));
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    expect(cursor).toBeUndefined();
    expect(new Set(uris.map((u) => u.split('/')[2])).size).toBe(5);
  });

  it('reads a post as JSON plus its body, and refuses a malformed id', async () => {
    const uri = 'post-editor://rebelmouse/posts/1001';
    const listed = await client.listResources();
    const any = listed.resources[0]?.uri ?? uri;
    const { contents } = await client.readResource({ uri: any });
    expect(contents[0]).toMatchObject({ uri: any, mimeType: 'application/json' });
    expect(JSON.parse((contents[0] as { text: string }).text)).toMatchObject({ version: expect.any(String) });
    await expect(client.readResource({ uri: 'post-editor://partoo/posts/abc' })).rejects.toThrow(
      /must be a Partoo post id/,
    );
  });

  it('completes ids for the template and for a prompt', async () => {
    const byTitle = await client.complete({
      ref: { type: 'ref/resource', uri: 'post-editor://buttercms/posts/{id}' },
      argument: { name: 'id', value: 'cold' },
    });
    expect(byTitle.completion.values).toContain('cold-brew-at-home');
    const forPrompt = await client.complete({
      ref: { type: 'ref/prompt', name: 'edit_post_safely' },
      argument: { name: 'provider', value: 'inf' },
    });
    expect(forPrompt.completion.values).toEqual(['infinipost']);
  });

  it('lists and renders the prompts', async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.title)).toEqual([
      'Edit a post safely',
      'Reschedule a post',
      'Take a post down',
    ]);
    const { messages } = await client.getPrompt({
      name: 'take_post_down',
      arguments: { provider: 'flowcms', id: 'welcome' },
    });
    expect((messages[0]?.content as { text: string }).text).toMatch(/flowcms_unpublish_post/);
  });
});
