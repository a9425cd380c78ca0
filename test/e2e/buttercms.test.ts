import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import {
  baseEnv,
  callOk,
  connectStdio,
  eventually,
  startTestSandbox,
  toolError,
  type StdioServer,
} from '../helpers/harness.js';

let sandbox: Sandbox;
let server: StdioServer;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  server = await connectStdio(
    baseEnv({ ...sandbox.env, POST_EDITOR_PROVIDERS: 'buttercms', POST_EDITOR_MAX_RETRIES: '2' }),
  );
});
afterAll(async () => {
  await server?.close();
  await sandbox?.close();
});
beforeEach(() => sandbox.emulator('buttercms').reset());

const butter = () => sandbox.emulator('buttercms');
const call = (name: string, args: Record<string, unknown>) =>
  server.client.callTool({ name, arguments: args });

describe('ButterCMS end to end', () => {
  it('gets a post by slug, normalized, using the read token in a header', async () => {
    const post = await callOk(server.client, 'buttercms_get_post', { id: 'cold-brew-at-home' });
    expect(post).toMatchObject({
      provider: 'buttercms',
      id: 'cold-brew-at-home',
      title: 'Cold Brew at Home: A 12-Hour Recipe',
      status: 'published',
      body_format: 'html',
      tags: ['cold brew', 'recipes'],
    });
    expect(post.version).toMatch(/^[\w-]{16}$/);
    expect(post.raw).toBeUndefined();
    const [req] = butter().seen('GET');
    expect(req?.path).toBe('/v2/posts/cold-brew-at-home/');
    expect(req?.headers.authorization).toBe('Token sandbox-butter-read-token');
    expect(req?.query.auth_token).toBeUndefined();
  });

  it('returns the raw ButterCMS object only when include_raw is true', async () => {
    const post = await callOk(server.client, 'buttercms_get_post', {
      id: 'cold-brew-at-home',
      include_raw: true,
    });
    expect((post.raw as Record<string, unknown>).slug).toBe('cold-brew-at-home');
  });

  it('lists published posts with an opaque cursor that walks every page', async () => {
    const first = await callOk(server.client, 'buttercms_list_posts', { page_size: 4 });
    const posts = first.posts as { id: string; status: string }[];
    expect(posts).toHaveLength(4);
    expect(posts.every((p) => p.status === 'published')).toBe(true);
    const ids = posts.map((p) => p.id);
    let cursor = first.next_cursor as string | null;
    while (cursor) {
      const page = await callOk(server.client, 'buttercms_list_posts', { cursor });
      ids.push(...(page.posts as { id: string }[]).map((p) => p.id));
      cursor = page.next_cursor as string | null;
    }
    expect(ids).toHaveLength(9);
    expect(new Set(ids).size).toBe(9);
  });

  it('includes drafts with preview and searches with query', async () => {
    const all = await callOk(server.client, 'buttercms_list_posts', { page_size: 100, preview: true });
    expect((all.posts as unknown[]).length).toBe(12);
    const found = await callOk(server.client, 'buttercms_list_posts', { query: 'espresso' });
    expect((found.posts as { id: string }[]).map((p) => p.id)).toContain('espresso-dial-in-guide');
    expect(butter().seen('GET').at(-1)?.path).toBe('/v2/posts/search/');
  });

  it('updates a post: PATCH with only the changed field, 202 reported as async, applied shortly after', async () => {
    const before = await callOk(server.client, 'buttercms_get_post', { id: 'holiday-opening-hours' });
    const result = await callOk(server.client, 'buttercms_update_post', {
      id: 'holiday-opening-hours',
      title: 'Holiday Opening Hours 2026',
      tags: before.tags, // unchanged: not sent
      expected_version: before.version,
    });
    expect(result).toMatchObject({ applied: 'async', changed_fields: ['title'], post: null });
    const patch = butter().seen('PATCH')[0];
    expect(patch?.path).toBe('/v2/posts/holiday-opening-hours/');
    expect(patch?.headers.authorization).toBe('Token sandbox-butter-write-token');
    expect(patch?.body).toEqual({ title: 'Holiday Opening Hours 2026' });
    expect(patch?.body).not.toHaveProperty('expected_version');
    expect(typeof result.journal_id).toBe('string');
    await eventually(async () => {
      const post = await callOk(server.client, 'buttercms_get_post', { id: 'holiday-opening-hours' });
      return post.title === 'Holiday Opening Hours 2026';
    });
  });

  it('waits for the async apply when wait_for_apply is true', async () => {
    const before = await callOk(server.client, 'buttercms_get_post', { id: 'compostable-cups' });
    const result = await callOk(server.client, 'buttercms_update_post', {
      id: 'compostable-cups',
      seo_title: 'Compostable cups at Northwind',
      expected_version: before.version,
      wait_for_apply: true,
    });
    expect(result.applied).toBe('sync');
    expect((result.post as { id: string }).id).toBe('compostable-cups');
  });

  it('unpublishes to draft only after confirmation with a token bound to the call', async () => {
    const before = await callOk(server.client, 'buttercms_get_post', { id: 'new-cafe-harbour-street' });
    const first = toolError(
      await call('buttercms_unpublish_post', {
        id: 'new-cafe-harbour-street',
        expected_version: before.version,
      }),
    );
    expect(first.code).toBe('confirmation_required');
    expect(first.preview).toMatchObject({ title: 'We Are Opening on Harbour Street', status: 'published' });
    expect(butter().seen('PATCH')).toHaveLength(0);
    const wrong = toolError(
      await call('buttercms_unpublish_post', {
        id: 'cold-brew-at-home',
        expected_version: before.version,
        confirm_token: first.confirm_token,
      }),
    );
    expect(['confirmation_required', 'conflict']).toContain(wrong.code);
    expect(butter().seen('PATCH')).toHaveLength(0);
    const done = await callOk(server.client, 'buttercms_unpublish_post', {
      id: 'new-cafe-harbour-street',
      expected_version: before.version,
      confirm_token: first.confirm_token,
    });
    expect(done.diff).toEqual({ status: { before: 'published', after: 'draft' } });
    expect(butter().seen('PATCH')[0]?.body).toEqual({ status: 'draft' });
  });

  it('refuses a scheduled timestamp locally with an explanation, sending nothing', async () => {
    const err = toolError(
      await call('buttercms_update_post', {
        id: 'cold-brew-at-home',
        scheduled: '2030-01-01T10:00:00Z',
        expected_version: 'x',
      }),
    );
    expect(err).toMatchObject({ code: 'invalid_input', field: 'scheduled' });
    expect(err.message).toMatch(/dashboard/);
    expect(butter().requests).toHaveLength(0);
    // "scheduled" is accepted only as the value already held (writing get_post's fields back).
    const { version } = await callOk(server.client, 'buttercms_get_post', { id: 'cold-brew-at-home' });
    const status = toolError(
      await call('buttercms_update_post', {
        id: 'cold-brew-at-home',
        status: 'scheduled',
        expected_version: version,
      }),
    );
    expect(status).toMatchObject({ code: 'invalid_input', field: 'status' });
    expect(status.message).toMatch(/dashboard/);
    expect(butter().seen('PATCH')).toHaveLength(0);
  });

  it.each([
    [{ title: 'x'.repeat(201) }, 'title', /at most 200/],
    [{ summary: 'x'.repeat(2001) }, 'summary', /at most 2000/],
    [{ seo_title: 'x'.repeat(101) }, 'seo_title', /at most 100/],
    [{ featured_image_alt: 'x'.repeat(251) }, 'featured_image_alt', /at most 250/],
    [{ slug: '?!' }, 'slug', /slugifies to nothing/],
    [{ tags: 'coffee' }, 'tags', /array/],
    [{ colour: 'red' }, 'colour', /unknown field/],
  ])('rejects %j as invalid_input naming %s, with no request sent', async (fields, field, rule) => {
    const err = toolError(
      await call('buttercms_update_post', { id: 'cold-brew-at-home', expected_version: 'v', ...fields }),
    );
    expect(err.code).toBe('invalid_input');
    expect(err.field).toBe(field);
    expect(err.message).toMatch(rule);
    expect(butter().requests).toHaveLength(0);
  });

  it('never lets a slug reach another endpoint', async () => {
    for (const id of ['../../v2/pages', 'a%2Fb', 'x?auth_token=1', 'a#b', '']) {
      const err = toolError(await call('buttercms_get_post', { id }));
      expect(err).toMatchObject({ code: 'invalid_input', field: 'id' });
    }
    expect(butter().requests).toHaveLength(0);
  });

  it('requires expected_version by default and refuses a stale one without writing', async () => {
    const missing = toolError(await call('buttercms_update_post', { id: 'cold-brew-at-home', title: 'New' }));
    expect(missing).toMatchObject({ code: 'invalid_input', field: 'expected_version' });
    const stale = toolError(
      await call('buttercms_update_post', {
        id: 'cold-brew-at-home',
        title: 'New',
        expected_version: 'stale-version-00',
      }),
    );
    expect(stale.code).toBe('conflict');
    expect(typeof stale.current_version).toBe('string');
    expect(butter().seen('PATCH')).toHaveLength(0);
  });

  it('maps provider errors: 404 not_found, 401 auth_failed, 429 rate_limited with retry_after_s', async () => {
    expect(toolError(await call('buttercms_get_post', { id: 'no-such-post' })).code).toBe('not_found');
    butter().inject({ path: '/posts/', status: 401, body: { detail: 'Invalid token.' } });
    const auth = toolError(await call('buttercms_get_post', { id: 'cold-brew-at-home' }));
    expect(auth).toMatchObject({ code: 'auth_failed', provider_status: 401 });
    expect(auth.message).toContain('Invalid token.');
    butter().inject({
      path: '/posts/',
      status: 429,
      body: { detail: 'API Calls limit reached.' },
      headers: { 'retry-after': '86400' },
    });
    const limited = toolError(await call('buttercms_get_post', { id: 'cold-brew-at-home' }));
    expect(limited).toMatchObject({ code: 'rate_limited', retry_after_s: 86400, retryable: true });
  });

  it('retries a read after a 503 and succeeds', async () => {
    butter().inject({ path: '/posts/cold-brew-at-home/', status: 503, body: { detail: 'unavailable' } });
    const post = await callOk(server.client, 'buttercms_get_post', { id: 'cold-brew-at-home' });
    expect(post.id).toBe('cold-brew-at-home');
    expect(
      butter()
        .seen('GET')
        .map((r) => r.status),
    ).toEqual([503, 200]);
  });

  it('never retries a write that failed with a 5xx', async () => {
    const before = await callOk(server.client, 'buttercms_get_post', { id: 'cold-brew-at-home' });
    butter().inject({ method: 'PATCH', status: 502, body: { detail: 'bad gateway' } });
    const err = toolError(
      await call('buttercms_update_post', {
        id: 'cold-brew-at-home',
        title: 'Cold Brew v2',
        expected_version: before.version,
      }),
    );
    expect(err).toMatchObject({ code: 'provider_unavailable', retryable: false });
    expect(err.hint).toMatch(/get_post/);
    expect(butter().seen('PATCH')).toHaveLength(1);
  });
});
