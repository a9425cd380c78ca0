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
    baseEnv({ ...sandbox.env, POST_EDITOR_PROVIDERS: 'infinipost', POST_EDITOR_MAX_RETRIES: '2' }),
  );
});
afterAll(async () => {
  await server?.close();
  await sandbox?.close();
});
beforeEach(() => sandbox.emulator('infinipost').reset());

const inf = () => sandbox.emulator('infinipost');
const call = (name: string, args: Record<string, unknown>) =>
  server.client.callTool({ name, arguments: args });
const get = (id: string) => callOk(server.client, 'infinipost_get_post', { id });
const raw = async (id: string) =>
  (await callOk(server.client, 'infinipost_get_post', { id, include_raw: true })).raw as Record<
    string,
    unknown
  >;
const update = async (id: string, fields: Record<string, unknown>) => {
  const { version } = await get(id);
  return call('infinipost_update_post', { id, expected_version: version, ...fields });
};
const NEXT_YEAR = new Date().getUTCFullYear() + 1;

// Seed posts (src/sandbox/infinipost/seed.ts).
const TIKTOK_WITH_SOUND = 'post_tk7Qm2vX9a'; // generated, snd_lofi_morning
const INSTAGRAM = 'post_ig4Vn6tY2d'; // generated slides
const SCHEDULED = 'post_tk5Fg7hN1f';
const POSTED = 'post_tk8Jr3qS5g';
const FAILED = 'post_tk1Zx4cV7i';

describe('Infinipost end to end', () => {
  it('gets a post normalized: caption as text body and title, UTC scheduled_at, Bearer key in a header', async () => {
    const post = await get(TIKTOK_WITH_SOUND);
    expect(post).toMatchObject({
      provider: 'infinipost',
      id: TIKTOK_WITH_SOUND,
      title: 'POV: your first light roast of spring ☕ #coffeetok #lightroast',
      body: 'POV: your first light roast of spring ☕ #coffeetok #lightroast',
      body_format: 'text',
      status: 'scheduled',
      provider_status: 'generated',
      url: null,
    });
    expect(post.scheduled_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/);
    expect(post.version).toMatch(/^[\w-]{16}$/);
    const [req] = inf().seen('GET');
    expect(req?.path).toBe(`/v1/posts/${TIKTOK_WITH_SOUND}`);
    expect(req?.headers.authorization).toBe('Bearer sk_test_sandbox_infinipost');
    expect(req?.query).toEqual({});
  });

  it('maps the lifecycle: pending_render is pending, posted is published with its time, failed is failed', async () => {
    expect(await get('post_tk9Hd1wK6c')).toMatchObject({
      status: 'pending',
      provider_status: 'pending_render',
    });
    const posted = await get(POSTED);
    expect(posted).toMatchObject({ status: 'published', provider_status: 'posted' });
    expect(posted.published_at).not.toBeNull();
    expect(await get(FAILED)).toMatchObject({ status: 'failed' });
  });

  it('lists with filters sent as query parameters and an opaque cursor that walks every page', async () => {
    const first = await callOk(server.client, 'infinipost_list_posts', { platform: 'tiktok', limit: 2 });
    const ids = (first.posts as { id: string }[]).map((p) => p.id);
    expect(ids).toHaveLength(2);
    expect(inf().seen('GET')[0]?.query).toEqual({ platform: 'tiktok', limit: '2' });
    let cursor = first.next_cursor as string | null;
    while (cursor) {
      const page = await callOk(server.client, 'infinipost_list_posts', { cursor });
      ids.push(...(page.posts as { id: string }[]).map((p) => p.id));
      cursor = page.next_cursor as string | null;
    }
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
    expect(ids.every((id) => id.startsWith('post_tk'))).toBe(true);
    // Page 2 carried the filter and Infinipost's own cursor.
    expect(inf().seen('GET')[1]?.query).toMatchObject({
      platform: 'tiktok',
      limit: '2',
      cursor: expect.any(String),
    });
  });

  it('filters by status and account', async () => {
    const list = await callOk(server.client, 'infinipost_list_posts', {
      status: 'posted',
      accountId: 'acc_9z8y7x6w5v',
    });
    expect(list.posts).toEqual([
      expect.objectContaining({
        id: 'post_ig7Kp9uW3h',
        status: 'published',
        title: 'Holiday opening hours for every café 🎄',
      }),
    ]);
    expect(list.next_cursor).toBeNull();
  });

  it('keeps the TikTok sound on an edit that does not mention soundId', async () => {
    const result = await callOk(server.client, 'infinipost_update_post', {
      id: TIKTOK_WITH_SOUND,
      caption: 'First light roast of spring ☕ #coffeetok',
      expected_version: (await get(TIKTOK_WITH_SOUND)).version,
    });
    expect(result).toMatchObject({ applied: 'sync', changed_fields: ['caption'] });
    expect((result.post as { body: string }).body).toBe('First light roast of spring ☕ #coffeetok');
    expect(result.warnings).toEqual([expect.stringMatching(/snd_lofi_morning.*re-sent/)]);
    const [patch] = inf().seen('PATCH');
    expect(patch?.path).toBe(`/v1/posts/${TIKTOK_WITH_SOUND}`);
    expect(patch?.body).toEqual({
      caption: 'First light roast of spring ☕ #coffeetok',
      soundId: 'snd_lofi_morning',
    });
    expect((await raw(TIKTOK_WITH_SOUND)).soundId).toBe('snd_lofi_morning');
  });

  it('removes the sound only when soundId is explicitly null, by leaving soundId out of the PATCH', async () => {
    const result = await callOk(server.client, 'infinipost_update_post', {
      id: TIKTOK_WITH_SOUND,
      soundId: null,
      expected_version: (await get(TIKTOK_WITH_SOUND)).version,
    });
    expect(result.diff).toEqual({ soundId: { before: 'snd_lofi_morning', after: null } });
    expect(inf().seen('PATCH')[0]?.body).toEqual({});
    expect((await raw(TIKTOK_WITH_SOUND)).soundId).toBeNull();
  });

  it('changes the sound of a TikTok post', async () => {
    await callOk(server.client, 'infinipost_update_post', {
      id: TIKTOK_WITH_SOUND,
      soundId: 'snd_xyz789',
      expected_version: (await get(TIKTOK_WITH_SOUND)).version,
    });
    expect(inf().seen('PATCH')[0]?.body).toEqual({ soundId: 'snd_xyz789' });
    expect((await raw(TIKTOK_WITH_SOUND)).soundId).toBe('snd_xyz789');
  });

  it('reschedules in local time: sends scheduledTime with timezone and reads back UTC', async () => {
    const result = await callOk(server.client, 'infinipost_update_post', {
      id: INSTAGRAM,
      scheduledTime: `${NEXT_YEAR}-07-01T09:00`,
      timezone: 'America/New_York',
      expected_version: (await get(INSTAGRAM)).version,
    });
    expect(inf().seen('PATCH')[0]?.body).toEqual({
      scheduledTime: `${NEXT_YEAR}-07-01T09:00`,
      timezone: 'America/New_York',
    });
    // July in New York is EDT (UTC-4).
    expect((result.post as { scheduled_at: string }).scheduled_at).toBe(`${NEXT_YEAR}-07-01T13:00:00.000Z`);
  });

  it('re-sends the timezone with a new time in the same zone, and contentType with new slides', async () => {
    const current = await raw(INSTAGRAM);
    await callOk(server.client, 'infinipost_update_post', {
      id: INSTAGRAM,
      scheduledTime: `${NEXT_YEAR}-01-15T18:30`,
      timezone: current.timezone,
      contentType: 'slides',
      contentUrl: ['https://cdn.example.com/a.jpg', 'https://cdn.example.com/b.jpg'],
      expected_version: (await get(INSTAGRAM)).version,
    });
    expect(inf().seen('PATCH')[0]?.body).toEqual({
      scheduledTime: `${NEXT_YEAR}-01-15T18:30`,
      timezone: 'Europe/Paris',
      contentType: 'slides',
      contentUrl: ['https://cdn.example.com/a.jpg', 'https://cdn.example.com/b.jpg'],
    });
    expect((await raw(INSTAGRAM)).scheduledTime).toBe(`${NEXT_YEAR}-01-15T17:30:00Z`);
  });

  it('previews an edit with dry_run, showing the soundId it would re-send, and sends nothing', async () => {
    const result = await callOk(server.client, 'infinipost_update_post', {
      id: TIKTOK_WITH_SOUND,
      caption: 'Draft caption',
      dry_run: true,
      expected_version: (await get(TIKTOK_WITH_SOUND)).version,
    });
    expect(result.request).toEqual({
      method: 'PATCH',
      url: expect.stringMatching(/\/infinipost\/v1\/posts\/post_tk7Qm2vX9a$/),
      body: { caption: 'Draft caption', soundId: 'snd_lofi_morning' },
    });
    expect(inf().seen('PATCH')).toHaveLength(0);
  });

  it.each([POSTED, FAILED])(
    'refuses to edit %s as not_editable naming its status, with no PATCH sent',
    async (id) => {
      const err = toolError(await update(id, { caption: 'too late' }));
      expect(err.code).toBe('not_editable');
      expect(err.message).toMatch(id === POSTED ? /"posted".*take it down/ : /"failed"/);
      expect(inf().seen('PATCH')).toHaveLength(0);
    },
  );

  it('lets the API decide for a scheduled post and maps its cannot_edit to not_editable', async () => {
    const err = toolError(await update(SCHEDULED, { caption: 'new' }));
    expect(err).toMatchObject({ code: 'not_editable', provider_status: 400 });
    expect(err.message).toMatch(/Only posts with status 'generated' or 'pending_render' can be edited/);
    expect(inf().seen('PATCH')).toHaveLength(1);
  });

  it('maps cannot_edit to not_editable whatever HTTP status carries it', async () => {
    inf().inject({
      method: 'PATCH',
      status: 409,
      body: { error: { code: 'cannot_edit', message: 'Post already posted' } },
    });
    const err = toolError(await update(TIKTOK_WITH_SOUND, { caption: 'new' }));
    expect(err).toMatchObject({ code: 'not_editable', provider_status: 409 });
    expect(err.message).toContain('Post already posted');
  });

  it('sends a soundId on an Instagram post with a warning: the docs call it only applicable to TikTok', async () => {
    const result = await callOk(server.client, 'infinipost_update_post', {
      id: INSTAGRAM,
      soundId: 'snd_xyz789',
      expected_version: (await get(INSTAGRAM)).version,
    });
    expect((result.warnings as string[]).join(' ')).toMatch(/only applicable for TikTok.*instagram/);
    expect(inf().seen('PATCH')[0]?.body).toEqual({ soundId: 'snd_xyz789' });
    expect((await raw(INSTAGRAM)).soundId).toBeNull();
  });

  it.each([
    [{ scheduledTime: `${NEXT_YEAR}-05-01T10:00` }, 'timezone', /required with scheduledTime/],
    [{ scheduledTime: `${NEXT_YEAR}-05-01T10:00`, timezone: 'Europe/Berlin' }, 'timezone', /one of/],
    [
      { scheduledTime: `${NEXT_YEAR}-05-01T10:00:00`, timezone: 'Europe/Paris' },
      'scheduledTime',
      /YYYY-MM-DDTHH:MM/,
    ],
    [{ scheduledTime: `${NEXT_YEAR}-05-01T10:00Z`, timezone: 'Europe/Paris' }, 'scheduledTime', /no offset/],
    [
      { scheduledTime: `${NEXT_YEAR}-05-01 10:00`, timezone: 'Europe/Paris' },
      'scheduledTime',
      /YYYY-MM-DDTHH:MM/,
    ],
    [
      { scheduledTime: `${NEXT_YEAR}-02-30T10:00`, timezone: 'Europe/Paris' },
      'scheduledTime',
      /does not exist/,
    ],
    [
      { scheduledTime: `${NEXT_YEAR}-03-14T02:30`, timezone: 'America/New_York' },
      'scheduledTime',
      /daylight-saving/,
    ],
    [{ contentType: 'video' }, 'contentUrl', /required with contentType/],
    [{ contentUrl: 'https://cdn.example.com/clip.mp4' }, 'contentType', /required with contentUrl/],
    [
      { contentType: 'video', contentUrl: ['https://cdn.example.com/clip.mp4'] },
      'contentUrl',
      /one URL string/,
    ],
    [
      { contentType: 'slides', contentUrl: 'https://cdn.example.com/1.jpg' },
      'contentUrl',
      /array of image URLs/,
    ],
    [{ contentType: 'reel', contentUrl: 'https://cdn.example.com/clip.mp4' }, 'contentType', /video/],
    [{ contentType: 'video', contentUrl: 'javascript:alert(1)' }, 'contentUrl', /./],
    [
      { contentType: 'slides', contentUrl: ['https://cdn.example.com/1.jpg', 'not a url'] },
      'contentUrl[1]',
      /must be a valid url/,
    ],
    [{ contentType: 'slides', contentUrl: [] }, 'contentUrl', /at least 1/],
    [
      { contentType: 'video', contentUrl: 42 },
      'contentUrl',
      /one http\(s\) URL \(video\) or a non-empty array of http\(s\) image URLs \(slides\)/,
    ],
    [{ title: 'Infinipost posts have no title' }, 'title', /unknown field/],
  ])('rejects %j as invalid_input naming %s, with no request sent', async (fields, field, rule) => {
    const err = toolError(
      await call('infinipost_update_post', { id: TIKTOK_WITH_SOUND, expected_version: 'v', ...fields }),
    );
    expect(err.code).toBe('invalid_input');
    expect(err.field).toBe(field);
    expect(err.message).toMatch(rule);
    expect(inf().requests).toHaveLength(0);
  });

  it('rejects unsafe ids and a limit over 100 without any request', async () => {
    for (const id of ['abc123', 'post_../../v1/posts', 'post_a%2Fb', 'post_x?limit=1', '']) {
      expect(toolError(await call('infinipost_get_post', { id }))).toMatchObject({
        code: 'invalid_input',
        field: 'id',
      });
    }
    expect(toolError(await call('infinipost_list_posts', { limit: 101 }))).toMatchObject({
      code: 'invalid_input',
      field: 'limit',
    });
    expect(inf().requests).toHaveLength(0);
  });

  it('deletes a post not yet posted after confirmation: DELETE /posts with the id in the body', async () => {
    const { version } = await get(INSTAGRAM);
    const first = toolError(
      await call('infinipost_delete_post', { id: INSTAGRAM, expected_version: version }),
    );
    expect(first.code).toBe('confirmation_required');
    expect(inf().seen('DELETE')).toHaveLength(0);
    const done = await callOk(server.client, 'infinipost_delete_post', {
      id: INSTAGRAM,
      expected_version: version,
      confirm_token: first.confirm_token,
    });
    expect(done).toMatchObject({ applied: 'sync', post: null, details: { deleted: INSTAGRAM } });
    expect((done.diff as Record<string, { before: unknown }>).caption?.before).toMatch(/Harbour Street/);
    const [del] = inf().seen('DELETE');
    expect(del?.path).toBe('/v1/posts');
    expect(del?.body).toEqual({ postIds: [INSTAGRAM] });
    expect(toolError(await call('infinipost_get_post', { id: INSTAGRAM })).code).toBe('not_found');
  });

  it('refuses to delete a posted post, saying nothing can take it down, with no DELETE sent', async () => {
    const err = toolError(
      await call('infinipost_delete_post', { id: POSTED, expected_version: (await get(POSTED)).version }),
    );
    expect(err.code).toBe('not_editable');
    expect(err.message).toMatch(/nothing in the Infinipost API can take it down/);
    expect(inf().seen('DELETE')).toHaveLength(0);
  });

  it('reports a delete the API lists under failed as an error quoting its reason', async () => {
    const { version } = await get(SCHEDULED);
    const first = toolError(
      await call('infinipost_delete_post', { id: SCHEDULED, expected_version: version }),
    );
    const err = toolError(
      await call('infinipost_delete_post', {
        id: SCHEDULED,
        expected_version: version,
        confirm_token: first.confirm_token,
      }),
    );
    expect(err.code).toBe('not_editable');
    expect(err.message).toContain(
      "Post has status 'scheduled'; only posts with status 'generated' or 'pending_render' can be deleted",
    );
    expect(inf().seen('DELETE')).toHaveLength(1);
    expect((await get(SCHEDULED)).id).toBe(SCHEDULED);
  });

  it('maps error bodies: any 401 is auth_failed, 404 not_found, 500 internal, 429 rate_limited', async () => {
    const missing = toolError(await call('infinipost_get_post', { id: 'post_nope' }));
    expect(missing).toMatchObject({ code: 'not_found', provider_status: 404 });
    expect(missing.message).toContain('Post post_nope not found');
    for (const code of ['unauthenticated', 'invalid_api_key', 'expired_api_key']) {
      inf().inject({
        path: '/posts/',
        status: 401,
        body: { error: { code, message: 'Invalid or missing API key' } },
      });
      expect(toolError(await call('infinipost_get_post', { id: TIKTOK_WITH_SOUND }))).toMatchObject({
        code: 'auth_failed',
      });
    }
    inf().inject({
      method: 'PATCH',
      status: 500,
      body: { error: { code: 'internal', message: 'An unexpected error occurred' } },
    });
    const internal = toolError(await update(TIKTOK_WITH_SOUND, { caption: 'x' }));
    expect(internal).toMatchObject({ code: 'provider_error', retryable: false });
    expect(internal.message).toContain('An unexpected error occurred');
    expect(inf().seen('PATCH')).toHaveLength(1);
    inf().inject({
      path: '/posts',
      status: 429,
      body: { error: { code: 'rate_limited', message: 'Slow down' } },
      headers: { 'retry-after': '3600' },
    });
    expect(toolError(await call('infinipost_list_posts', {}))).toMatchObject({
      code: 'rate_limited',
      retry_after_s: 3600,
    });
  });

  it('reports missing_required_fields from the delete endpoint as invalid_input', async () => {
    const { version } = await get(TIKTOK_WITH_SOUND);
    const first = toolError(
      await call('infinipost_delete_post', { id: TIKTOK_WITH_SOUND, expected_version: version }),
    );
    inf().inject({
      method: 'DELETE',
      status: 400,
      body: {
        error: {
          code: 'missing_required_fields',
          message: 'postIds is required and must be a non-empty array',
        },
      },
    });
    const err = toolError(
      await call('infinipost_delete_post', {
        id: TIKTOK_WITH_SOUND,
        expected_version: version,
        confirm_token: first.confirm_token,
      }),
    );
    expect(err.code).toBe('invalid_input');
    expect(err.message).toContain('postIds is required');
  });
});

describe('Infinipost fidelity (issue 12): read what you can write, refuse only what the API refuses', () => {
  it('shows every editable field in get_post as fields, declared, and a write-back changes nothing', async () => {
    const post = await get(TIKTOK_WITH_SOUND);
    const fields = post.fields as Record<string, unknown>;
    const stored = await raw(TIKTOK_WITH_SOUND);
    expect(fields).toEqual({
      scheduledTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/),
      timezone: 'America/New_York',
      contentType: 'video',
      contentUrl: stored.contentUrl,
      soundId: 'snd_lofi_morning',
      platform: 'tiktok',
      accountId: 'acc_1a2b3c4d5e',
      thumbnailUrl: stored.thumbnailUrl,
      createdAt: expect.stringMatching(/Z$/),
    });
    const { tools } = await server.client.listTools();
    const schema = tools.find((t) => t.name === 'infinipost_get_post')?.outputSchema as {
      properties: Record<string, { properties?: Record<string, unknown> }>;
    };
    expect(Object.keys(schema.properties.fields?.properties ?? {})).toEqual(Object.keys(fields));
    const { scheduledTime, timezone, contentType, contentUrl, soundId } = fields;
    const result = await callOk(server.client, 'infinipost_update_post', {
      id: TIKTOK_WITH_SOUND,
      caption: post.body,
      scheduledTime,
      timezone,
      contentType,
      contentUrl,
      soundId,
      expected_version: post.version,
    });
    expect(result.changed_fields).toEqual([]);
    expect(inf().seen('PATCH')).toHaveLength(0);
  });

  it('lists rows with the caption as title and scheduled_at, as get_post shows them', async () => {
    const list = await callOk(server.client, 'infinipost_list_posts', { limit: 100 });
    const rows = list.posts as Record<string, unknown>[];
    expect(rows).toHaveLength(10);
    for (const row of rows) {
      expect(row.title).toEqual(expect.any(String));
      expect(row.scheduled_at).toMatch(/Z$/);
    }
    const post = await get(TIKTOK_WITH_SOUND);
    expect(rows.find((r) => r.id === TIKTOK_WITH_SOUND)).toMatchObject({
      title: post.title,
      scheduled_at: post.scheduled_at,
    });
  });

  it('sends the values we used to refuse (long caption, 40 slides, odd sound id) and the emulator accepts them', async () => {
    const caption = 'Harbour Street. '.repeat(800);
    const slides = Array.from({ length: 40 }, (_, i) => `https://cdn.example.com/s${i}.jpg`);
    const result = await callOk(server.client, 'infinipost_update_post', {
      id: 'post_tk3Ls8pR4b',
      caption,
      contentType: 'slides',
      contentUrl: slides,
      soundId: 'snd/../x',
      expected_version: (await get('post_tk3Ls8pR4b')).version,
    });
    expect(caption.length).toBeGreaterThan(10_000);
    expect(result.applied).toBe('sync');
    expect(inf().seen('PATCH')[0]?.body).toEqual({
      caption,
      contentType: 'slides',
      contentUrl: slides,
      soundId: 'snd/../x',
    });
    expect(inf().seen('PATCH')[0]?.status).toBe(200);
    expect(await raw('post_tk3Ls8pR4b')).toMatchObject({ caption, contentUrl: slides, soundId: 'snd/../x' });
  });

  it('sends a timezone alone (the instant stays) and a past time with a warning; "" and null clear', async () => {
    const before = await get(TIKTOK_WITH_SOUND);
    const zone = await callOk(server.client, 'infinipost_update_post', {
      id: TIKTOK_WITH_SOUND,
      timezone: 'Asia/Tokyo',
      expected_version: before.version,
    });
    expect(zone.warnings).toEqual(
      expect.arrayContaining([expect.stringMatching(/timezone is sent without scheduledTime/)]),
    );
    expect(inf().seen('PATCH')[0]?.body).toEqual({ timezone: 'Asia/Tokyo', soundId: 'snd_lofi_morning' });
    const after = await get(TIKTOK_WITH_SOUND);
    expect(after.scheduled_at).toBe(before.scheduled_at);
    expect((after.fields as Record<string, unknown>).timezone).toBe('Asia/Tokyo');

    const past = await callOk(server.client, 'infinipost_update_post', {
      id: TIKTOK_WITH_SOUND,
      scheduledTime: '2024-04-22T14:00',
      timezone: 'America/New_York',
      soundId: '',
      caption: null,
      expected_version: after.version,
    });
    expect((past.warnings as string[]).join(' ')).toMatch(/is in the past/);
    expect(inf().seen('PATCH')[1]).toMatchObject({
      status: 200,
      body: { scheduledTime: '2024-04-22T14:00', timezone: 'America/New_York', caption: '' },
    });
    expect(await raw(TIKTOK_WITH_SOUND)).toMatchObject({
      scheduledTime: '2024-04-22T18:00:00Z',
      soundId: null,
      caption: '',
    });
  });
});
