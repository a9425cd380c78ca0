import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import {
  baseEnv,
  callOk,
  connectStdio,
  startTestSandbox,
  toolError,
  type StdioServer,
} from '../helpers/harness.js';

let sandbox: Sandbox;
let server: StdioServer;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  server = await connectStdio(
    baseEnv({ ...sandbox.env, POST_EDITOR_PROVIDERS: 'flowcms', POST_EDITOR_MAX_RETRIES: '2' }),
  );
});
afterAll(async () => {
  await server?.close();
  await sandbox?.close();
});
beforeEach(() => sandbox.emulator('flowcms').reset());

const flow = () => sandbox.emulator('flowcms');
const call = (name: string, args: Record<string, unknown>) =>
  server.client.callTool({ name, arguments: args });
const get = (id: string) => callOk(server.client, 'flowcms_get_post', { id });

const UUID_POST = '3f6c2a9e-8b1d-4c7e-9a2f-5d0e1b7c4a61';

describe('FlowCMS end to end', () => {
  it('exposes exactly get, list, update and unpublish for FlowCMS', async () => {
    const { tools } = await server.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      expect.arrayContaining([
        'flowcms_get_post',
        'flowcms_list_posts',
        'flowcms_unpublish_post',
        'flowcms_update_post',
      ]),
    );
    expect(tools.some((t) => t.name === 'flowcms_delete_post')).toBe(false);
  });

  it('gets a post_… id from the bare camelCase GET answer, with the key as a Bearer header', async () => {
    const post = await get('post_a8f3k29d1');
    expect(post).toMatchObject({
      provider: 'flowcms',
      id: 'post_a8f3k29d1',
      title: 'Getting Started with Lumen Dashboards',
      status: 'published',
      provider_status: 'published',
      body_format: 'markdown',
      tags: ['tutorial', 'dashboards'],
    });
    expect(post.published_at).toMatch(/Z$/);
    expect(post.updated_at).toMatch(/Z$/);
    expect(post.version).toMatch(/^[\w-]{16}$/);
    const [req] = flow().seen('GET');
    expect(req?.path).toBe('/v1/content/posts/post_a8f3k29d1');
    expect(req?.headers.authorization).toBe('Bearer sandbox-flowcms-key');
    expect(JSON.stringify(req?.query)).not.toContain('sandbox-flowcms-key');
  });

  it('gets a UUID post whose body opens with a tag as html, raw only on request', async () => {
    const post = await callOk(server.client, 'flowcms_get_post', { id: UUID_POST, include_raw: true });
    expect(post).toMatchObject({ id: UUID_POST, body_format: 'html', title: 'Release Notes: March' });
    expect((post.raw as Record<string, unknown>).updatedAt).toBeDefined();
    expect((await get(UUID_POST)).raw).toBeUndefined();
  });

  it('shows a published post with a future published_at as scheduled', async () => {
    const post = await get('c4d5e6f7-a8b9-4c0d-9e1f-2a3b4c5d6e7f');
    expect(post).toMatchObject({ status: 'scheduled', provider_status: 'published', published_at: null });
    expect(Date.parse(post.scheduled_at as string)).toBeGreaterThan(Date.now());
  });

  it('lists every post across pages with an opaque cursor, sending page and limit', async () => {
    const first = await callOk(server.client, 'flowcms_list_posts', { limit: 4 });
    const ids = (first.posts as { id: string }[]).map((p) => p.id);
    expect(ids).toHaveLength(4);
    let cursor = first.next_cursor as string | null;
    while (cursor) {
      const page = await callOk(server.client, 'flowcms_list_posts', { cursor });
      ids.push(...(page.posts as { id: string }[]).map((p) => p.id));
      cursor = page.next_cursor as string | null;
    }
    expect(new Set(ids).size).toBe(10);
    expect(
      flow()
        .seen('GET')
        .map((r) => [r.query.page, r.query.limit]),
    ).toEqual([
      ['1', '4'],
      ['2', '4'],
      ['3', '4'],
    ]);
  });

  it('filters the list by status and passes sort through', async () => {
    const drafts = await callOk(server.client, 'flowcms_list_posts', { status: 'draft', sort: 'title' });
    const posts = drafts.posts as { id: string; status: string; title: string }[];
    expect(posts.map((p) => p.title)).toEqual(['Pricing Changes FAQ', 'Roadmap: Second Half of the Year']);
    expect(posts.every((p) => p.status === 'draft')).toBe(true);
    expect(drafts.next_cursor).toBeNull();
    expect(flow().seen('GET')[0]?.query).toMatchObject({
      status: 'draft',
      sort: 'title',
      page: '1',
      limit: '20',
    });
  });

  it('updates with a PUT of only the changed fields and parses the {success, data} snake_case answer', async () => {
    const before = await get('post_k2m9q7x4p');
    const result = await callOk(server.client, 'flowcms_update_post', {
      id: 'post_k2m9q7x4p',
      title: 'Six Metrics Every SaaS Team Should Track',
      tags: before.tags, // unchanged: not sent
      expected_version: before.version,
    });
    expect(result).toMatchObject({ applied: 'sync', changed_fields: ['title'], warnings: [] });
    expect(result.post).toMatchObject({
      title: 'Six Metrics Every SaaS Team Should Track',
      published_at: before.published_at,
    });
    const put = flow().seen('PUT')[0];
    expect(put?.path).toBe('/v1/content/posts/post_k2m9q7x4p');
    expect(put?.headers.authorization).toBe('Bearer sandbox-flowcms-key');
    expect(put?.headers['content-type']).toMatch(/^application\/json/);
    expect(put?.body).toEqual({ title: 'Six Metrics Every SaaS Team Should Track' });
    // The PUT answer (snake_case, no published_at) and the GET answer (camelCase) yield the same version.
    const after = await get('post_k2m9q7x4p');
    expect((result.post as { version: string }).version).toBe(after.version);
  });

  it('sends published_at given with an offset as UTC Z', async () => {
    const before = await get('9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d');
    const result = await callOk(server.client, 'flowcms_update_post', {
      id: '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d',
      status: 'published',
      published_at: '2031-06-01T11:30:00+02:00',
      expected_version: before.version,
    });
    expect(flow().seen('PUT')[0]?.body).toEqual({
      status: 'published',
      published_at: '2031-06-01T09:30:00Z',
    });
    expect(result.post).toMatchObject({ status: 'scheduled', scheduled_at: '2031-06-01T09:30:00.000Z' });
  });

  it('previews an update with dry_run without writing', async () => {
    const before = await get('post_z8w1v5n3r');
    const result = await callOk(server.client, 'flowcms_update_post', {
      id: 'post_z8w1v5n3r',
      slug: 'query-latency-down-60',
      dry_run: true,
      expected_version: before.version,
    });
    expect(result.diff).toEqual({
      slug: { before: 'how-we-cut-query-latency-by-60', after: 'query-latency-down-60' },
    });
    expect(result.request).toMatchObject({ method: 'PUT', body: { slug: 'query-latency-down-60' } });
    expect(flow().seen('PUT')).toHaveLength(0);
  });

  it('archives through update, warning that the post leaves the site', async () => {
    const before = await get('e2c9f7a1-3b84-4d6e-a5f0-7c1b8e4d2a93');
    const result = await callOk(server.client, 'flowcms_update_post', {
      id: 'e2c9f7a1-3b84-4d6e-a5f0-7c1b8e4d2a93',
      status: 'archived',
      expected_version: before.version,
    });
    expect((result.post as { status: string }).status).toBe('archived');
    expect((result.warnings as string[]).join(' ')).toMatch(/Archived/);
  });

  it('unpublishes to draft only after confirmation with a token bound to the call', async () => {
    const before = await get(UUID_POST);
    const first = toolError(
      await call('flowcms_unpublish_post', { id: UUID_POST, expected_version: before.version }),
    );
    expect(first.code).toBe('confirmation_required');
    expect(first.preview).toMatchObject({ title: 'Release Notes: March', status: 'published' });
    expect(flow().seen('PUT')).toHaveLength(0);
    const done = await callOk(server.client, 'flowcms_unpublish_post', {
      id: UUID_POST,
      expected_version: before.version,
      confirm_token: first.confirm_token,
    });
    expect(done.diff).toEqual({ status: { before: 'published', after: 'draft' } });
    expect((done.post as { status: string }).status).toBe('draft');
    expect(flow().seen('PUT')[0]?.body).toEqual({ status: 'draft' });
  });

  it('does nothing when unpublishing a post that is already a draft or archived', async () => {
    for (const id of ['post_q1w2e3r4t', 'post_r4t6y8u0i']) {
      const before = await get(id);
      const result = await callOk(server.client, 'flowcms_unpublish_post', {
        id,
        expected_version: before.version,
      });
      expect(result.changed_fields).toEqual([]);
      expect((result.warnings as string[])[0]).toMatch(/Nothing to do/);
    }
    expect(flow().seen('PUT')).toHaveLength(0);
  });

  it.each([
    [{ title: 'x'.repeat(256) }, 'title', /at most 255/],
    [{ title: '   ' }, 'title', /blank/],
    [{ slug: '' }, 'slug', /empty/],
    [{ tags: Array.from({ length: 21 }, (_, i) => `tag${i}`) }, 'tags', /at most 20/],
    [{ tags: 'cms' }, 'tags', /array/],
    [{ status: 'scheduled' }, 'status', /"draft", "published", "archived"/],
    [{ published_at: '2030-02-30T10:30:00Z' }, 'published_at', /ISO 8601/],
    [{ published_at: 'next tuesday' }, 'published_at', /ISO 8601/],
    [{ author_id: 'usr_1' }, 'author_id', /read-only/],
  ])('rejects %j as invalid_input naming %s, with no request sent', async (fields, field, rule) => {
    const err = toolError(
      await call('flowcms_update_post', { id: 'post_a8f3k29d1', expected_version: 'v', ...fields }),
    );
    expect(err.code).toBe('invalid_input');
    expect(err.field).toBe(field);
    expect(err.message).toMatch(rule);
    expect(flow().requests).toHaveLength(0);
  });

  it.each([
    [{ limit: 101 }, 'limit'],
    [{ limit: 0 }, 'limit'],
    [{ status: 'live' }, 'status'],
    [{ sort: 'views' }, 'sort'],
  ])('rejects list arguments %j before any request', async (args, field) => {
    const err = toolError(await call('flowcms_list_posts', args));
    expect(err).toMatchObject({ code: 'invalid_input', field });
    expect(flow().requests).toHaveLength(0);
  });

  it('never lets an id reach another endpoint', async () => {
    for (const id of [
      '../users',
      'post_1/../../admin',
      'a%2Fb',
      'x?status=draft',
      'a#b',
      '..',
      '',
      'x'.repeat(129),
    ]) {
      for (const tool of ['flowcms_get_post', 'flowcms_unpublish_post']) {
        const err = toolError(await call(tool, { id, expected_version: 'v' }));
        expect(err).toMatchObject({ code: 'invalid_input', field: 'id' });
      }
    }
    expect(flow().requests).toHaveLength(0);
  });

  it('parses a GET answer in the {success, data} envelope and a bare PUT answer alike', async () => {
    const camel = await get('post_a8f3k29d1');
    flow().inject({
      method: 'GET',
      status: 200,
      body: {
        success: true,
        data: {
          id: 'post_a8f3k29d1',
          title: camel.title,
          slug: 'getting-started-with-lumen-dashboards',
          content: camel.body,
          status: 'published',
          tags: camel.tags,
          author_id: 'usr_4h7j1lq',
          created_at: (camel.fields as { created_at: string }).created_at,
          updated_at: camel.updated_at,
          published_at: camel.published_at,
        },
      },
    });
    const enveloped = await get('post_a8f3k29d1');
    expect(enveloped).toEqual(camel);

    flow().inject({
      method: 'PUT',
      afterApply: true,
      status: 200,
      body: {
        id: 'post_a8f3k29d1',
        title: 'Getting Started',
        status: 'published',
        tags: camel.tags,
        updatedAt: '2030-01-01T00:00:00Z',
        publishedAt: camel.published_at,
      },
    });
    const result = await callOk(server.client, 'flowcms_update_post', {
      id: 'post_a8f3k29d1',
      title: 'Getting Started',
      expected_version: camel.version,
    });
    expect(result.post).toMatchObject({
      id: 'post_a8f3k29d1',
      title: 'Getting Started',
      updated_at: '2030-01-01T00:00:00.000Z',
    });
  });

  it('warns when the PUT answer shows a value other than the one sent', async () => {
    const before = await get('post_a8f3k29d1');
    flow().inject({
      method: 'PUT',
      afterApply: true,
      status: 200,
      body: {
        success: true,
        data: { id: 'post_a8f3k29d1', title: before.title, tags: ['tutorial'], published_at: null },
      },
    });
    const result = await callOk(server.client, 'flowcms_update_post', {
      id: 'post_a8f3k29d1',
      title: 'A New Title',
      expected_version: before.version,
    });
    expect((result.warnings as string[]).join(' ')).toMatch(/different values than sent for: title/);
  });

  it('maps 404 to not_found with the provider message, and a slug clash (409) to conflict', async () => {
    const missing = toolError(await call('flowcms_get_post', { id: 'post_doesnotexist' }));
    expect(missing).toMatchObject({ code: 'not_found', provider_status: 404 });
    expect(missing.message).toContain('NOT_FOUND: Post not found');
    const before = await get('post_k2m9q7x4p');
    const clash = toolError(
      await call('flowcms_update_post', {
        id: 'post_k2m9q7x4p',
        slug: 'release-notes-march',
        expected_version: before.version,
      }),
    );
    expect(clash).toMatchObject({ code: 'conflict', provider_status: 409 });
    expect(clash.message).toContain('already used');
  });

  it.each([
    [
      401,
      { error: { code: 'UNAUTHORIZED', message: 'Invalid API key' } },
      'auth_failed',
      'UNAUTHORIZED: Invalid API key',
    ],
    [403, { error: 'Missing scope write:content' }, 'forbidden', 'Missing scope write:content'],
    [422, { errors: [{ field: 'title', message: 'is reserved' }] }, 'invalid_input', 'title: is reserved'],
    [
      400,
      {
        success: false,
        error: {
          code: 'VALIDATION_ERROR',
          message: 'Validation failed',
          details: [{ field: 'tags', message: 'Max 20 tags.' }],
        },
      },
      'invalid_input',
      'tags: Max 20 tags.',
    ],
    [500, { message: 'Internal error' }, 'provider_error', 'Internal error'],
  ])('maps HTTP %i with its error body to %s', async (status, body, code, text) => {
    flow().inject({ path: '/content/posts/', status, body, times: 3 });
    const err = toolError(await call('flowcms_get_post', { id: 'post_a8f3k29d1' }));
    expect(err).toMatchObject({ code, provider_status: status });
    expect(err.message).toContain(text);
  });

  it('maps 429 to rate_limited with retry_after_s from Retry-After', async () => {
    flow().inject({
      path: '/content/posts/',
      status: 429,
      body: { error: { code: 'RATE_LIMIT_EXCEEDED', message: 'Too many requests', retry_after: 38 } },
      headers: { 'retry-after': '3600' },
    });
    const err = toolError(await call('flowcms_get_post', { id: 'post_a8f3k29d1' }));
    expect(err).toMatchObject({ code: 'rate_limited', retry_after_s: 3600, retryable: true });
    expect(err.message).toContain('RATE_LIMIT_EXCEEDED: Too many requests — retry after 38 s');
  });

  it('reads through the list when GET one answers 405 for a post the list shows, and says so', async () => {
    flow().inject({ method: 'GET', path: /\/content\/posts\/[^/]+$/, status: 405, times: 5 });
    const post = await get('post_a8f3k29d1');
    expect(post.title).toBe('Getting Started with Lumen Dashboards');
    expect((post.warnings as string[])[0]).toMatch(/list endpoint.*HTTP 405/);
    expect(
      flow()
        .seen('GET')
        .map((r) => r.path),
    ).toContain('/v1/content/posts');
  });

  it('answers not_found when GET one is missing (405) and the list does not show the id', async () => {
    flow().inject({ method: 'GET', path: /\/content\/posts\/[^/]+$/, status: 405 });
    const err = toolError(await call('flowcms_get_post', { id: 'post_nothere1' }));
    expect(err).toMatchObject({ code: 'not_found', provider_status: 405 });
    expect(err.message).toMatch(/not in GET \/content\/posts either/);
  });

  it('never retries a PUT that failed with a 5xx', async () => {
    const before = await get('post_a8f3k29d1');
    flow().inject({ method: 'PUT', status: 502, body: { message: 'bad gateway' } });
    const err = toolError(
      await call('flowcms_update_post', {
        id: 'post_a8f3k29d1',
        title: 'T2',
        expected_version: before.version,
      }),
    );
    expect(err).toMatchObject({ code: 'provider_unavailable', retryable: false });
    expect(flow().seen('PUT')).toHaveLength(1);
  });
});
