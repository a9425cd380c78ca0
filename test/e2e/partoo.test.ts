import { describe, expect, it } from 'vitest';
import { callOk, eventually, toolError } from '../helpers/harness.js';
import { useProviderServer } from '../helpers/provider-server.js';

const ctx = useProviderServer('partoo');

const partoo = ctx.emulator;
const call = (name: string, args: Record<string, unknown>) =>
  ctx.server.client.callTool({ name, arguments: args });
const get = (id: string) => callOk(ctx.server.client, 'partoo_get_post', { id });
const update = async (id: string, fields: Record<string, unknown>) => {
  const before = await get(id);
  return call('partoo_update_post', { id, expected_version: before.version, ...fields });
};
const updateOk = async (id: string, fields: Record<string, unknown>) => {
  const before = await get(id);
  return callOk(ctx.server.client, 'partoo_update_post', { id, expected_version: before.version, ...fields });
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
    const first = await callOk(ctx.server.client, 'partoo_get_post', { id: '3401', include_raw: true });
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
    const first = await callOk(ctx.server.client, 'partoo_list_posts', { per_page: 4 });
    const ids = (first.posts as { id: string }[]).map((p) => p.id);
    expect(ids).toHaveLength(4);
    let cursor = first.next_cursor as string | null;
    while (cursor) {
      const page = await callOk(ctx.server.client, 'partoo_list_posts', { cursor });
      ids.push(...(page.posts as { id: string }[]).map((p) => p.id));
      cursor = page.next_cursor as string | null;
    }
    expect(new Set(ids).size).toBe(11);
    expect(
      partoo()
        .seen('GET')
        .map((r) => r.query.per_page),
    ).toEqual(['4', '4', '4']);
    await callOk(ctx.server.client, 'partoo_list_posts', {});
    expect(partoo().seen('GET').at(-1)?.query.per_page).toBe('30');
  });

  it('maps the post_type names news and covid to the list vocabulary standard and alert', async () => {
    const news = await callOk(ctx.server.client, 'partoo_list_posts', { type: ['covid'], per_page: 100 });
    expect((news.posts as { id: string }[]).map((p) => p.id)).toEqual(['3410']);
    expect(partoo().seen('GET').at(-1)?.query.topic_type__in).toBe('alert');
    const mixed = await callOk(ctx.server.client, 'partoo_list_posts', {
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
    const raw = (await callOk(ctx.server.client, 'partoo_get_post', { id: '3403', include_raw: true }))
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

  it('refuses a schedule_time under 2 hours ahead before any PUT, naming the earliest allowed time', async () => {
    const soon = new Date(Date.now() + 90 * 60_000).toISOString().slice(0, 19);
    const err = toolError(await update('3406', { schedule_time: soon }));
    expect(err).toMatchObject({ code: 'invalid_input', field: 'schedule_time' });
    expect(err.message).toMatch(
      /at least 2 hours after the request.*earliest allowed now is \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d UTC/,
    );
    expect(partoo().seen('PUT')).toHaveLength(0);
  });

  it.each([
    [
      'link with both keys',
      { link: { use_business_url: true, custom_url: 'https://example.com' } },
      'link',
      /can only have one of/,
    ],
    ['an unknown cta_type', { cta_type: 'buy_now' }, 'cta_type', /book/],
    [
      'a start_at with an offset',
      { start_at: '2050-01-01T09:00:00+02:00' },
      'start_at',
      /business's timezone, without Z or offset/,
    ],
    ['a schedule_time that is not a time', { schedule_time: 'next friday' }, 'schedule_time', /UTC time/],
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

  it('refuses 11 images for a Facebook post (documented) without sending the update', async () => {
    const images = Array.from({ length: 11 }, (_, i) => `https://cdn.example.com/${i}.jpg`);
    const err = toolError(await update('3401', { image_url: images }));
    expect(err).toMatchObject({ code: 'invalid_input', field: 'image_url' });
    expect(err.message).toMatch(/at most 10 images on facebook/);
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

  it('asks for confirmation before an edit of a draft, which a BM key publishes, then the emulator does', async () => {
    const before = await get('3409');
    const args = {
      id: '3409',
      summary: 'Spring menu: rhubarb tarts and strawberry choux.',
      expected_version: before.version,
    };
    const first = toolError(await call('partoo_update_post', args));
    expect(first.code).toBe('confirmation_required');
    expect(first.message).toMatch(/^Publish this draft/);
    expect(partoo().seen('PUT')).toHaveLength(0);
    const done = await callOk(ctx.server.client, 'partoo_update_post', {
      ...args,
      confirm_token: first.confirm_token,
    });
    expect(done.confirmation).toEqual({ status: 'confirmed', by: 'token' });
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
    partoo().inject({
      method: 'PUT',
      status: 400,
      body: { error: { json: { end_at: ['End date must be after start date.'] } } },
    });
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
    expect(missing.message).toMatch(/^Partoo post 999999 not found/);
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
    const res = await fetch(`${ctx.sandbox.origin}/partoo/v2/posts/3401`, {
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
    const done = await callOk(ctx.server.client, 'partoo_delete_post', {
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
    // Only fields that had a value: a null → null line would say nothing changed.
    expect(Object.keys(done.diff as object).sort()).toEqual(['cta_type', 'image_url', 'link', 'summary']);
    expect(done.changed_fields).toEqual(Object.keys(done.diff as object));
    expect(
      partoo()
        .seen('DELETE')
        .map((r) => r.path),
    ).toEqual(['/v2/posts/3411']);
    await eventually(async () => (await call('partoo_get_post', { id: '3411' })).isError === true);
    expect(toolError(await call('partoo_get_post', { id: '3411' })).code).toBe('not_found');
  });

  it('says in its description that deletion is irreversible and Instagram is unaffected', async () => {
    const { tools } = await ctx.server.client.listTools();
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

describe('Partoo fidelity (issue 12)', () => {
  it('shows every value update_post takes in get_post as fields, declared, and a write-back changes nothing', async () => {
    const post = await get('3403');
    const fields = post.fields as Record<string, unknown>;
    expect(fields).toEqual({
      image_url: ['https://cdn.boulangerie-martin.example/posts/3403.jpg'],
      cta_type: 'shop',
      link: { custom_url: 'https://boulangerie-martin.example/offers' },
      schedule_time: null,
      coupon_code: 'CROISSANT20',
      offer_terms: 'Weekdays 14:00-18:00, in store only.',
      post_type: 'offer',
      business_id: '5409c35a97bbc544d8e26737',
      expiration_time: null,
      validation_time: null,
    });
    const { tools } = await ctx.server.client.listTools();
    const schema = tools.find((t) => t.name === 'partoo_get_post')?.outputSchema as {
      properties: Record<string, { properties?: Record<string, unknown> }>;
    };
    expect(Object.keys(schema.properties.fields?.properties ?? {})).toEqual(
      expect.arrayContaining([...Object.keys(fields), 'title', 'start_at', 'end_at']),
    );
    const { post_type: _t, business_id: _b, expiration_time: _e, validation_time: _v, ...writable } = fields;
    const result = await updateOk('3403', {
      ...Object.fromEntries(Object.entries(writable).filter(([, v]) => v !== null)),
      summary: post.body,
    });
    expect(result.changed_fields).toEqual([]);
    expect(partoo().seen('PUT')).toHaveLength(0);
    // A draft shows when it expires; a scheduled post's list row shows when it goes out.
    expect((await get('3409')).fields).toMatchObject({
      expiration_time: expect.stringMatching(/Z$/),
    });
    const rows = (await callOk(ctx.server.client, 'partoo_list_posts', { per_page: 100 })).posts as Record<
      string,
      unknown
    >[];
    expect(rows.find((r) => r.id === '3406')?.scheduled_at).toBe((await get('3406')).scheduled_at);
  });

  it('sends values we used to refuse and the emulator, which follows the docs, accepts them', async () => {
    const long = {
      title: 'T'.repeat(400),
      coupon_code: 'C'.repeat(150),
      offer_terms: 'Terms. '.repeat(1000),
      link: { custom_url: 'www.boulangerie-martin.example' },
    };
    const result = await updateOk('3403', { ...long, wait_for_apply: true });
    expect(result.applied).toBe('sync');
    const put = partoo().seen('PUT')[0];
    expect(put).toMatchObject({ status: 200, body: long });
    expect((await get('3403')).fields).toMatchObject({
      coupon_code: long.coupon_code,
      offer_terms: long.offer_terms,
      link: { custom_url: 'www.boulangerie-martin.example' },
    });

    // "" clears the offer code and terms; an empty summary is a warning, not a refusal.
    const cleared = await updateOk('3403', {
      coupon_code: null,
      offer_terms: '',
      summary: '',
      wait_for_apply: true,
    });
    expect(cleared.applied).toBe('sync');
    expect((cleared.warnings as string[]).join(' ')).toMatch(/summary is empty/);
    expect(partoo().seen('PUT').at(-1)?.body).toEqual({ coupon_code: '', offer_terms: '', summary: '' });
    expect((await get('3403')).fields).toMatchObject({ coupon_code: null, offer_terms: null });
    // Clearing what is already empty is no change: nothing is sent.
    expect((await updateOk('3403', { coupon_code: '', offer_terms: null })).changed_fields).toEqual([]);

    // use_business_url:false and an empty link are not "both"; 11 images are fine on a Google-only post.
    const images = Array.from({ length: 11 }, (_, i) => `https://cdn.example.com/${i}.jpg`);
    await updateOk('3402', { link: { use_business_url: false }, image_url: images });
    expect(partoo().seen('PUT').at(-1)).toMatchObject({ status: 200 });
    await updateOk('3411', { link: {}, image_url: null, wait_for_apply: true });
    expect(partoo().seen('PUT').at(-1)).toMatchObject({ status: 200, body: { link: {}, image_url: [] } });
    expect((await get('3411')).fields).toMatchObject({ link: null, image_url: null });
    expect((await updateOk('3411', { image_url: [] })).changed_fields).toEqual([]);
  });

  it('warns, not refuses, an end_at before start_at, which the emulator accepts', async () => {
    const result = await updateOk('3402', {
      start_at: '2050-01-02T09:00:00',
      end_at: '2050-01-01T09:00:00',
    });
    expect((result.warnings as string[]).join(' ')).toMatch(/end_at .* is not after start_at/);
    expect(partoo().seen('PUT')[0]).toMatchObject({
      status: 200,
      body: { start_at: '2050-01-02T09:00:00', end_at: '2050-01-01T09:00:00' },
    });
  });

  it("sends a schedule_time just over 2 hours ahead (no margin of ours) and explains Partoo's own refusal", async () => {
    const justOver = new Date(Date.now() + 2 * 3_600_000 + 60_000).toISOString().slice(0, 19);
    await updateOk('3406', { schedule_time: justOver });
    expect(partoo().seen('PUT')[0]).toMatchObject({ status: 200, body: { schedule_time: justOver } });

    partoo().inject({
      method: 'PUT',
      status: 400,
      body: {
        error: {
          json: { schedule_time: ['Schedule time must be at least 2 hours after the current time.'] },
        },
      },
    });
    const later = new Date(Date.now() + 2 * 3_600_000 + 120_000).toISOString().slice(0, 19);
    const err = toolError(await update('3406', { schedule_time: later }));
    expect(err).toMatchObject({ code: 'invalid_input', field: 'schedule_time', provider_status: 400 });
    expect(err.message).toMatch(/Partoo refused schedule_time.*at least 2 hours/);
    expect(err.hint).toMatch(/Partoo's clock.*later time/);
  });

  it('publishes a draft as it is: previewed with dry_run, confirm-gated, then PUT {} publishes it', async () => {
    const before = await get('3409');
    const args = { id: '3409', publish: true, expected_version: before.version };
    const preview = await callOk(ctx.server.client, 'partoo_update_post', { ...args, dry_run: true });
    expect(preview).toMatchObject({
      dry_run: true,
      changed_fields: ['publish'],
      request: { method: 'PUT', body: {} },
    });
    const first = toolError(await call('partoo_update_post', args));
    expect(first).toMatchObject({ code: 'confirmation_required' });
    expect(first.message).toMatch(/^Publish this draft/);
    expect(partoo().seen('PUT')).toHaveLength(0);
    const done = await callOk(ctx.server.client, 'partoo_update_post', {
      ...args,
      confirm_token: first.confirm_token,
      wait_for_apply: true,
    });
    expect(done).toMatchObject({ applied: 'sync', changed_fields: ['publish'] });
    expect(partoo().seen('PUT')[0]?.body).toEqual({});
    expect((done.post as { status: string }).status).toBe('published');

    // Partoo has no way back to draft: a revert of the publish says so instead of sending anything.
    const revert = toolError(
      await call('revert_post', {
        journal_id: done.journal_id,
        expected_version: (await get('3409')).version,
      }),
    );
    expect(revert).toMatchObject({ code: 'not_editable' });
    expect(revert.message).toMatch(/publish.*cannot turn a published post back into a draft/);
    expect(partoo().seen('PUT')).toHaveLength(1);

    const notDraft = toolError(await update('3401', { publish: true }));
    expect(notDraft).toMatchObject({ code: 'invalid_input', field: 'publish' });
    expect(notDraft.message).toMatch(/only a draft.*published/);
  });

  it.each([404, 405])(
    'reads and writes through the list when GET /posts/{id} answers %i, and says so',
    async (status) => {
      partoo().inject({
        method: 'GET',
        path: /\/posts\/\d+$/,
        status,
        times: 20,
        body: { errors: { json: status === 404 ? 'Resource not found' : 'Method not allowed' } },
      });
      const post = await get('3401');
      expect(post).toMatchObject({ id: '3401', status: 'published' });
      expect(post.warnings).toEqual([
        expect.stringMatching(new RegExp(`answered HTTP ${status}.*through the list`)),
      ]);
      expect(
        partoo()
          .seen('GET')
          .map((r) => r.path),
      ).toEqual(['/v2/posts/3401', '/v2/posts']);
      const result = await callOk(ctx.server.client, 'partoo_update_post', {
        id: '3401',
        summary: 'Croissants from 6:30.',
        expected_version: post.version,
      });
      expect((result.warnings as string[])[0]).toMatch(/through the list/);
      expect(partoo().seen('PUT')[0]).toMatchObject({ status: 200, path: '/v2/posts/3401' });
    },
  );

  it('says a missing post is not found in plain words, not "json: Resource not found"', async () => {
    const before = await get('3401');
    partoo().inject({ method: 'PUT', status: 404, body: { errors: { json: 'Resource not found' } } });
    const err = toolError(
      await call('partoo_update_post', { id: '3401', summary: 'x', expected_version: before.version }),
    );
    expect(err).toMatchObject({ code: 'not_found', provider_status: 404 });
    expect(err.message).toBe('Partoo post 3401 not found (HTTP 404).');
    expect(err.hint).toMatch(/deleted/);
  });
});
