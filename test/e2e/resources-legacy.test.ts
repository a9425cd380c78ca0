import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import { connectLegacyStdio, legacyClient } from '../helpers/asking-client.js';
import { baseEnv, startTestSandbox } from '../helpers/harness.js';

// Posts as resources, completion and prompts, read by a legacy-era (v1 SDK) client over stdio.
let sandbox: Sandbox;
let client: Client;
const PROVIDERS = ['buttercms', 'partoo', 'infinipost', 'flowcms', 'rebelmouse'];

beforeAll(async () => {
  sandbox = await startTestSandbox();
  client = await connectLegacyStdio(legacyClient(), baseEnv(sandbox.env));
});
afterAll(async () => {
  await client?.close();
  await sandbox?.close();
});

describe('posts as resources', () => {
  it('declares resources, completions and prompts', () => {
    expect(client.getServerCapabilities()).toMatchObject({ resources: {}, completions: {}, prompts: {} });
  });

  it('lists one URI template per configured provider', async () => {
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(
      PROVIDERS.map((p) => `post-editor://${p}/posts/{id}`),
    );
    expect(resourceTemplates[0]).toMatchObject({ name: 'buttercms_post', mimeType: 'application/json' });
  });

  it('pages through the recent posts of every provider with nextCursor', async () => {
    const uris: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const result = await client.listResources(cursor ? { cursor } : {});
      uris.push(...result.resources.map((r) => r.uri));
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    expect(cursor).toBeUndefined();
    expect(new Set(uris).size).toBe(uris.length);
    for (const p of PROVIDERS) expect(uris.some((u) => u.startsWith(`post-editor://${p}/posts/`))).toBe(true);
    expect(uris).toContain('post-editor://buttercms/posts/how-we-roast-light');
    const first = (await client.listResources()).resources[0];
    expect(first).toMatchObject({ mimeType: 'application/json', title: expect.any(String) });
  });

  it('refuses a cursor it did not issue', async () => {
    await expect(client.listResources({ cursor: 'not-ours' })).rejects.toThrow(/cursor/);
  });

  it('reads a post as JSON plus its body in its own format', async () => {
    const uri = 'post-editor://buttercms/posts/how-we-roast-light';
    const { contents } = await client.readResource({ uri });
    expect(contents.map((c) => [c.uri, c.mimeType])).toEqual([
      [uri, 'application/json'],
      [`${uri}/body`, 'text/html'],
    ]);
    const post = JSON.parse((contents[0] as { text: string }).text) as Record<string, unknown>;
    expect(post).toMatchObject({
      provider: 'buttercms',
      id: 'how-we-roast-light',
      title: 'How We Roast Light Without Going Sour',
      body_format: 'html',
      version: expect.any(String),
    });
    expect(post).not.toHaveProperty('body');
    expect((contents[1] as { text: string }).text).toMatch(/<p>/);
    const body = await client.readResource({ uri: `${uri}/body` });
    expect(body.contents).toEqual([contents[1]]);
  });

  it('reads a Partoo post body as text/plain', async () => {
    const { contents } = await client.readResource({ uri: 'post-editor://partoo/posts/3401' });
    expect(contents[1]).toMatchObject({ mimeType: 'text/plain' });
  });

  it('answers an unknown post, provider or malformed id with a protocol error, never a crash', async () => {
    await expect(client.readResource({ uri: 'post-editor://buttercms/posts/no-such-post' })).rejects.toThrow(
      /-32002|not found/i,
    );
    await expect(client.readResource({ uri: 'post-editor://wordpress/posts/1' })).rejects.toThrow(
      /Resource not found/,
    );
    await expect(client.readResource({ uri: 'post-editor://partoo/posts/abc' })).rejects.toThrow(
      /-32602.*id: must be a Partoo post id/,
    );
  });

  it('completes a template id from the list endpoint, by id prefix and by title', async () => {
    const ref = { type: 'ref/resource' as const, uri: 'post-editor://buttercms/posts/{id}' };
    const byId = await client.complete({ ref, argument: { name: 'id', value: 'how-we' } });
    expect(byId.completion.values).toEqual(['how-we-roast-light']);
    const byTitle = await client.complete({ ref, argument: { name: 'id', value: 'sour' } });
    expect(byTitle.completion.values).toContain('how-we-roast-light');
    const all = await client.complete({ ref, argument: { name: 'id', value: '' } });
    expect(all.completion.values.length).toBeGreaterThan(3);
  });
});

describe('prompts', () => {
  it('lists the three everyday jobs, each taking provider and id', async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(['edit_post_safely', 'reschedule_post', 'take_post_down']);
    for (const prompt of prompts) {
      expect(prompt.arguments?.slice(0, 2).map((a) => [a.name, a.required])).toEqual([
        ['provider', true],
        ['id', true],
      ]);
    }
  });

  it('walks the agent through get, dry run, write and history with the provider’s own tools', async () => {
    const { messages } = await client.getPrompt({
      name: 'edit_post_safely',
      arguments: { provider: 'buttercms', id: 'how-we-roast-light', change: 'fix the typo in the title' },
    });
    const text = (messages[0]?.content as { text: string }).text;
    expect(text).toMatch(/fix the typo in the title/);
    const steps = ['buttercms_get_post', 'buttercms_update_post', 'dry_run: true', 'post_history'];
    const at = steps.map((s) => text.indexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('names each provider’s own scheduling fields and leaves out a provider that cannot schedule', async () => {
    const partoo = await client.getPrompt({
      name: 'reschedule_post',
      arguments: { provider: 'partoo', id: '3401' },
    });
    expect((partoo.messages[0]?.content as { text: string }).text).toMatch(
      /partoo_update_post with schedule_time/,
    );
    const infini = await client.getPrompt({
      name: 'reschedule_post',
      arguments: { provider: 'infinipost', id: 'x' },
    });
    expect((infini.messages[0]?.content as { text: string }).text).toMatch(/scheduledTime \/ timezone/);
    await expect(
      client.getPrompt({ name: 'reschedule_post', arguments: { provider: 'buttercms', id: 'x' } }),
    ).rejects.toThrow(/provider: must be one of/);
  });

  it('takes a post down with the removal the provider really has', async () => {
    const partoo = await client.getPrompt({
      name: 'take_post_down',
      arguments: { provider: 'partoo', id: '3401' },
    });
    const text = (partoo.messages[0]?.content as { text: string }).text;
    expect(text).toMatch(/partoo_delete_post/);
    expect(text).toMatch(/cannot be undone/);
  });

  it('completes the provider, then the id for the chosen provider', async () => {
    const ref = { type: 'ref/prompt' as const, name: 'take_post_down' };
    const providers = await client.complete({ ref, argument: { name: 'provider', value: 'b' } });
    expect(providers.completion.values).toEqual(['buttercms']);
    const ids = await client.complete({
      ref,
      argument: { name: 'id', value: '34' },
      context: { arguments: { provider: 'partoo' } },
    });
    expect(ids.completion.values).toContain('3401');
    expect(ids.completion.values.every((v) => v.startsWith('34'))).toBe(true);
  });
});

describe('read-only mode and provider filters', () => {
  it('keeps resources readable but offers no writing prompt in read-only mode', async () => {
    const ro = await connectLegacyStdio(
      legacyClient(),
      baseEnv({ ...sandbox.env, POST_EDITOR_READ_ONLY: 'true' }),
    );
    try {
      expect(ro.getServerCapabilities()?.prompts).toBeUndefined();
      const { contents } = await ro.readResource({ uri: 'post-editor://partoo/posts/3401' });
      expect(contents).toHaveLength(2);
    } finally {
      await ro.close();
    }
  });

  it('exposes only the enabled providers', async () => {
    const one = await connectLegacyStdio(
      legacyClient(),
      baseEnv({ ...sandbox.env, POST_EDITOR_PROVIDERS: 'buttercms' }),
    );
    try {
      const { resourceTemplates } = await one.listResourceTemplates();
      expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(['post-editor://buttercms/posts/{id}']);
      await expect(one.readResource({ uri: 'post-editor://partoo/posts/3401' })).rejects.toThrow(
        /Resource not found/,
      );
      const listed = await one.listResources();
      expect(listed.resources.every((r) => r.uri.startsWith('post-editor://buttercms/'))).toBe(true);
    } finally {
      await one.close();
    }
  });
});
