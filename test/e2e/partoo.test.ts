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
    baseEnv({ ...sandbox.env, POST_EDITOR_PROVIDERS: 'partoo', POST_EDITOR_MAX_RETRIES: '2' }),
  );
});
afterAll(async () => {
  await server?.close();
  await sandbox?.close();
});
beforeEach(() => sandbox.emulator('partoo').reset());

const partoo = () => sandbox.emulator('partoo');
const call = (name: string, args: Record<string, unknown>) =>
  server.client.callTool({ name, arguments: args });
const get = (id: string) => callOk(server.client, 'partoo_get_post', { id });
const update = async (id: string, fields: Record<string, unknown>) => {
  const before = await get(id);
  return call('partoo_update_post', { id, expected_version: before.version, ...fields });
};
const updateOk = async (id: string, fields: Record<string, unknown>) => {
  const before = await get(id);
  return callOk(server.client, 'partoo_update_post', { id, expected_version: before.version, ...fields });
};
/** A naive local date-time `days` from now at `hour`:00, as the seed builds event times. */
const localAt = (days: number, hour: number) =>
  `${new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00:00`;

describe('Partoo reads', () => {
  it('gets a post by numeric id with the x-APIKey header, statuses merged into one', async () => {
    const post = await get('3401');
    expect(post).toMatchObject({
      provider: 'partoo',
      id: '3401',
      status: 'published',
      provider_status: 'google_my_business__posts:live,facebook__posts:live',
      body: 'Fresh croissants every morning from 7:00, baked with AOP Charentes butter.',
      body_format: 'text',
      tags: ['news'],
    });
    expect(post.version).toMatch(/^[\w-]{16}$/);
    const [req] = partoo().seen('GET');
    expect(req?.path).toBe('/v2/posts/3401');
    expect(req?.headers['x-apikey']).toBe('sandbox-partoo-bm-key');
    expect(JSON.stringify(req?.query)).not.toContain('sandbox-partoo-bm-key');
  });

  it.each([
    ['3405', 'failed', 'google_my_business__posts:live,facebook__posts:error'],
    ['3406', 'scheduled', 'google_my_business__posts:scheduled'],
    ['3407', 'pending', 'google_my_business__posts:pending'],
    ['3408', 'archived', 'google_my_business__posts:expired'],
    ['3409', 'draft', 'google_my_business__posts:to_validate'],
  ])('maps the per-platform states of post %s to status %s', async (id, status, providerStatus) => {
    const post = await get(id);
    expect(post.status).toBe(status);
    expect(post.provider_status).toBe(providerStatus);
  });

  it('keeps the version when only view counts change, and changes it when the content does', async () => {
    const first = await callOk(server.client, 'partoo_get_post', { id: '3401', include_raw: true });
    const raw = first.raw as Record<string, unknown>;
    partoo().inject({
      method: 'GET',
      path: '/posts/3401',
      status: 200,
      body: { ...raw, post_insight: [{ name: 'facebook__posts', click_count: 1, view_count: 99999 }] },
    });
    expect((await get('3401')).version).toBe(first.version);
    partoo().inject({
      method: 'GET',
      path: '/posts/3401',
      status: 200,
      body: { ...raw, summary: 'Changed elsewhere.' },
    });
    expect((await get('3401')).version).not.toBe(first.version);
  });

  it('lists posts sending per_page explicitly and walks every page with the cursor', async () => {
    const first = await callOk(server.client, 'partoo_list_posts', { per_page: 4 });
    const ids = (first.posts as { id: string }[]).map((p) => p.id);
    expect(ids).toHaveLength(4);
    let cursor = first.next_cursor as string | null;
    while (cursor) {
      const page = await callOk(server.client, 'partoo_list_posts', { cursor });
      ids.push(...(page.posts as { id: string }[]).map((p) => p.id));
      cursor = page.next_cursor as string | null;
    }
    expect(new Set(ids).size).toBe(11);
    expect(
      partoo()
        .seen('GET')
        .map((r) => r.query.per_page),
    ).toEqual(['4', '4', '4']);
    await callOk(server.client, 'partoo_list_posts', {});
    expect(partoo().seen('GET').at(-1)?.query.per_page).toBe('30');
  });

  it('maps the post_type names news and covid to the list vocabulary standard and alert', async () => {
    const news = await callOk(server.client, 'partoo_list_posts', { type: ['covid'], per_page: 100 });
    expect((news.posts as { id: string }[]).map((p) => p.id)).toEqual(['3410']);
    expect(partoo().seen('GET').at(-1)?.query.topic_type__in).toBe('alert');
    const mixed = await callOk(server.client, 'partoo_list_posts', {
      type: ['news', 'standard'],
      state__in: ['live'],
      business__in: ['5409c35a97bbc544d8e26737'],
    });
    expect(partoo().seen('GET').at(-1)?.query).toMatchObject({
      topic_type__in: 'standard',
      state__in: 'live',
      business__in: '5409c35a97bbc544d8e26737',
    });
    expect((mixed.posts as { id: string }[]).map((p) => p.id).sort()).toEqual(['3401', '3404', '3405']);
  });

  it('refuses a per_page over 100 and a non-numeric id before any request', async () => {
    expect(toolError(await call('partoo_list_posts', { per_page: 101 }))).toMatchObject({
      code: 'invalid_input',
      field: 'per_page',
    });
    for (const id of ['abc', '../posts', '34?x=1', '34/..', '']) {
      expect(toolError(await call('partoo_get_post', { id }))).toMatchObject({
        code: 'invalid_input',
        field: 'id',
      });
    }
    expect(partoo().requests).toHaveLength(0);
  });

  it('explains a 405 on GET /posts/{id} as unsupported and points to partoo_list_posts', async () => {
    partoo().inject({
      method: 'GET',
      path: '/posts/3401',
      status: 405,
      body: { errors: { json: 'Method not allowed' } },
    });
    const err = toolError(await call('partoo_get_post', { id: '3401' }));
    expect(err.code).toBe('provider_error');
    expect(err.message).toMatch(/not supported by this Partoo API.*partoo_list_posts/);
  });
});

describe('Partoo updates', () => {
  it('sends only the changed field as JSON, reports async, and the change lands after a delay', async () => {
    const result = await updateOk('3401', { summary: 'Croissants from 6:30 now.', cta_type: 'learn_more' });
    expect(result).toMatchObject({ applied: 'async', post: null, changed_fields: ['summary'] });
    expect((result.warnings as string[]).join(' ')).toMatch(/asynchronously/);
    const put = partoo().seen('PUT')[0];
    expect(put?.path).toBe('/v2/posts/3401');
    expect(put?.body).toEqual({ summary: 'Croissants from 6:30 now.' });
    expect(put?.headers['content-type']).toMatch(/^application\/json/);
    expect(put?.headers['x-apikey']).toBe('sandbox-partoo-bm-key');
    expect((await get('3401')).body).not.toBe('Croissants from 6:30 now.');
    await eventually(async () => (await get('3401')).body === 'Croissants from 6:30 now.');
  });

  it('maps coupon_code, image_url and link to the returned offer_code, post_medias and cta_link', async () => {
    const result = await updateOk('3403', {
      coupon_code: 'PAIN10',
      image_url: 'https://cdn.example.com/a.jpg',
      link: { custom_url: 'https://example.com/pain' },
      wait_for_apply: true,
    });
    expect(result.applied).toBe('sync');
    expect(partoo().seen('PUT')[0]?.body).toEqual({
      coupon_code: 'PAIN10',
      image_url: ['https://cdn.example.com/a.jpg'],
      link: { custom_url: 'https://example.com/pain' },
    });
    const raw = (await callOk(server.client, 'partoo_get_post', { id: '3403', include_raw: true }))
      .raw as Record<string, unknown>;
    expect(raw).toMatchObject({
      offer_code: 'PAIN10',
      cta_link: 'https://example.com/pain',
      post_medias: [{ media_url: 'https://cdn.example.com/a.jpg' }],
    });
    const again = await updateOk('3403', {
      coupon_code: 'PAIN10',
      link: { custom_url: 'https://example.com/pain' },
    });
    expect(again.changed_fields).toEqual([]);
    expect(partoo().seen('PUT')).toHaveLength(1);
  });

  it('converts a schedule_time with an offset to the naive UTC form Partoo takes', async () => {
    const year = new Date().getUTCFullYear() + 2;
    await updateOk('3406', { schedule_time: `${year}-06-01T11:00:00+02:00` });
    expect(partoo().seen('PUT')[0]?.body).toEqual({ schedule_time: `${year}-06-01T09:00:00` });
    await updateOk('3401', { schedule_time: `${year}-06-02T08:30:00Z` });
    expect(partoo().seen('PUT')[1]?.body).toEqual({ schedule_time: `${year}-06-02T08:30:00` });
  });

  it('refuses a schedule_time under 2 hours ahead before any request, naming the earliest allowed time', async () => {
    const soon = new Date(Date.now() + 90 * 60_000).toISOString().slice(0, 19);
    const err = toolError(
      await call('partoo_update_post', { id: '3406', schedule_time: soon, expected_version: 'v' }),
    );
    expect(err).toMatchObject({ code: 'invalid_input', field: 'schedule_time' });
    expect(err.message).toMatch(
      /at least 2 hours ahead.*earliest allowed now is \d{4}-\d\d-\d\dT\d\d:\d\d:00 UTC/,
    );
    const margin = new Date(Date.now() + 2 * 3_600_000 + 60_000).toISOString();
    expect(
      toolError(
        await call('partoo_update_post', { id: '3406', schedule_time: margin, expected_version: 'v' }),
      ).field,
    ).toBe('schedule_time');
    expect(partoo().requests).toHaveLength(0);
  });

  it.each([
    [
      'link with both keys',
      { link: { use_business_url: true, custom_url: 'https://example.com' } },
      'link',
      /exactly one/,
    ],
    ['an empty link', { link: {} }, 'link', /exactly one/],
    [
      '11 images',
      { image_url: Array.from({ length: 11 }, (_, i) => `https://cdn.example.com/${i}.jpg`) },
      'image_url',
      /./,
    ],
    ['an unknown cta_type', { cta_type: 'buy_now' }, 'cta_type', /book/],
    [
      'a start_at with an offset',
      { start_at: '2050-01-01T09:00:00+02:00' },
      'start_at',
      /business's timezone, without Z or offset/,
    ],
    ['a schedule_time that is not a time', { schedule_time: 'next friday' }, 'schedule_time', /UTC time/],
    ['a summary over 10000 characters', { summary: 'x'.repeat(10001) }, 'summary', /at most 10000/],
    ['a field the update does not take', { post_type: 'event' }, 'post_type', /unknown field/],
  ])(
    'rejects %s as invalid_input naming the field, with no request sent',
    async (_label, fields, field, rule) => {
      const err = toolError(
        await call('partoo_update_post', { id: '3402', expected_version: 'v', ...fields }),
      );
      expect(err).toMatchObject({ code: 'invalid_input', field });
      expect(err.message).toMatch(rule);
      expect(partoo().requests).toHaveLength(0);
    },
  );

  it('refuses start_at on a news post after reading it, without sending the update', async () => {
    const err = toolError(await update('3401', { start_at: '2050-01-01T09:00:00' }));
    expect(err).toMatchObject({ code: 'invalid_input', field: 'start_at' });
    expect(err.message).toMatch(/only event and offer posts.*news post/);
    expect(partoo().seen('PUT')).toHaveLength(0);
  });

  it('refuses an end_at before start_at without sending the update', async () => {
    const err = toolError(
      await update('3402', { start_at: '2050-01-02T09:00:00', end_at: '2050-01-01T09:00:00' }),
    );
    expect(err).toMatchObject({ code: 'invalid_input', field: 'end_at' });
    expect(partoo().seen('PUT')).toHaveLength(0);
  });

  it('refuses a summary over the Google limit for a Google post without sending the update', async () => {
    const err = toolError(await update('3401', { summary: 'x'.repeat(1501) }));
    expect(err).toMatchObject({ code: 'invalid_input', field: 'summary' });
    expect(err.message).toMatch(/at most 1500 characters on google_my_business/);
    expect(partoo().seen('PUT')).toHaveLength(0);
  });

  it('warns that updates have no effect on an Instagram post', async () => {
    const result = await updateOk('3404', { summary: 'Galette pre-orders open.', dry_run: true });
    expect(result.dry_run).toBe(true);
    expect((result.warnings as string[]).join(' ')).toMatch(/no effect on Instagram/);
    expect(partoo().seen('PUT')).toHaveLength(0);
  });

  it('asks to confirm an edit that publishes a draft (BM key), which the emulator then does', async () => {
    const fields = { summary: 'Spring menu: rhubarb tarts and strawberry choux.' };
    const asked = toolError(await update('3409', fields));
    expect(asked.code).toBe('confirmation_required');
    expect(asked.message).toMatch(/^Publish this draft needs confirmation/);
    expect(partoo().seen('PUT')).toHaveLength(0);
    const result = await updateOk('3409', { ...fields, confirm_token: asked.confirm_token });
    expect((result.warnings as string[]).join(' ')).toMatch(/draft.*publishes it/);
    expect(result.confirmation).toEqual({ status: 'confirmed', by: 'token' });
    await eventually(async () => (await get('3409')).status === 'published');
  });

  it('warns that a title change cannot be verified, yet wait_for_apply completes', async () => {
    const result = await updateOk('3401', {
      title: 'Croissants at dawn',
      summary: 'Croissants at dawn.',
      wait_for_apply: true,
    });
    expect(result.applied).toBe('sync');
    expect((result.warnings as string[]).join(' ')).toMatch(/title cannot be checked/);
  });

  it('passes on the singular `error` body of a 400 as invalid_input naming the field', async () => {
    // The API does not return start_at, so only Partoo can see that this end_at precedes the event's start.
    const err = toolError(await update('3402', { end_at: localAt(10, 17) }));
    expect(err).toMatchObject({ code: 'invalid_input', provider_status: 400 });
    expect(err.message).toContain('end_at: End date must be after start date.');
    expect(partoo().seen('PUT')).toHaveLength(1);
  });

  it('maps the plural `errors` bodies: 401 auth_failed, 403 forbidden, 404 not_found', async () => {
    partoo().inject({
      path: '/posts/3401',
      status: 401,
      body: { errors: { authentication: 'User not authenticated' } },
    });
    const auth = toolError(await call('partoo_get_post', { id: '3401' }));
    expect(auth).toMatchObject({ code: 'auth_failed', provider_status: 401 });
    expect(auth.message).toContain('authentication: User not authenticated');
    const before = await get('3401');
    partoo().inject({
      method: 'PUT',
      status: 403,
      body: { errors: { authorization: 'Operation not allowed' } },
    });
    const denied = toolError(
      await call('partoo_update_post', { id: '3401', summary: 'x', expected_version: before.version }),
    );
    expect(denied).toMatchObject({ code: 'forbidden' });
    expect(denied.message).toContain('Operation not allowed');
    const missing = toolError(await call('partoo_get_post', { id: '999999' }));
    expect(missing.code).toBe('not_found');
    expect(missing.message).toContain('Resource not found');
  });

  it('maps a 429 with Retry-After to rate_limited with retry_after_s', async () => {
    partoo().inject({
      path: '/posts',
      status: 429,
      times: 5,
      body: { errors: { json: 'Too many requests' } },
      headers: { 'retry-after': '60' },
    });
    const err = toolError(await call('partoo_list_posts', {}));
    expect(err).toMatchObject({ code: 'rate_limited', retry_after_s: 60, retryable: true });
  });

  it('answers 415 in the emulator when a write is not sent as application/json', async () => {
    const res = await fetch(`${sandbox.origin}/partoo/v2/posts/3401`, {
      method: 'PUT',
      headers: { 'x-APIKey': 'sandbox-partoo-bm-key', 'content-type': 'text/plain' },
      body: '{"summary":"x"}',
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({
      errors: { json: 'Unsupported media type. Please use application/json' },
    });
  });
});

describe('Partoo delete', () => {
  it('requires confirmation, sends DELETE only after the token, and journals every field', async () => {
    const before = await get('3411');
    const first = toolError(
      await call('partoo_delete_post', { id: '3411', expected_version: before.version }),
    );
    expect(first.code).toBe('confirmation_required');
    expect(partoo().seen('DELETE')).toHaveLength(0);
    const done = await callOk(server.client, 'partoo_delete_post', {
      id: '3411',
      expected_version: before.version,
      confirm_token: first.confirm_token,
    });
    expect(done.applied).toBe('async');
    expect(done.diff).toMatchObject({
      summary: {
        before: 'Sourdough loaves now available whole or sliced, every day from 8:00.',
        after: null,
      },
      link: { before: { custom_url: 'https://boulangerie-martin.example/oberkampf/order' }, after: null },
      cta_type: { before: 'order', after: null },
    });
    expect(Object.keys(done.diff as object)).toHaveLength(10);
    expect(
      partoo()
        .seen('DELETE')
        .map((r) => r.path),
    ).toEqual(['/v2/posts/3411']);
    await eventually(async () => (await call('partoo_get_post', { id: '3411' })).isError === true);
    expect(toolError(await call('partoo_get_post', { id: '3411' })).code).toBe('not_found');
  });

  it('says in its description that deletion is irreversible and Instagram is unaffected', async () => {
    const { tools } = await server.client.listTools();
    const del = tools.find((t) => t.name === 'partoo_delete_post');
    expect(del?.description).toMatch(/IRREVERSIBLE/);
    expect(tools.find((t) => t.name === 'partoo_update_post')?.description).toMatch(/Instagram/);
    expect(tools.map((t) => t.name).sort()).toEqual(
      expect.arrayContaining([
        'partoo_delete_post',
        'partoo_get_post',
        'partoo_list_posts',
        'partoo_update_post',
      ]),
    );
    expect(tools.some((t) => t.name === 'partoo_unpublish_post')).toBe(false);
  });
});
