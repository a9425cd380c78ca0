import { spawnSync } from 'node:child_process';
import type { JsonSchemaType } from '@modelcontextprotocol/client';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/client/validators/ajv';
import { describe, expect, it } from 'vitest';
import { SERVER_ENTRY, baseEnv, callOk, connectStdio, toolError } from '../helpers/harness.js';
import { useProviderServer } from '../helpers/provider-server.js';

const ctx = useProviderServer('rebelmouse');

const rm = ctx.emulator;
const call = (name: string, args: Record<string, unknown>) =>
  ctx.server.client.callTool({ name, arguments: args });
const get = (id: string) => callOk(ctx.server.client, 'rebelmouse_get_post', { id });
const BRIDGE = '2668412345';
const LIGHTHOUSE = '2668325581';
const KEY = () => ctx.sandbox.env.REBELMOUSE_API_KEY!;

describe('RebelMouse end to end', () => {
  it('gets a post by numeric id, normalized, with the key in the X-RMAuth header', async () => {
    const post = await get(BRIDGE);
    expect(post).toMatchObject({
      provider: 'rebelmouse',
      id: BRIDGE,
      title: 'Storm Closes Harbor Bridge for Repairs',
      status: 'published',
      body_format: 'html',
      url: `https://www.harborledger.example/storm-closes-harbor-bridge-for-repairs-${BRIDGE}`,
      tags: ['weather', 'traffic', 'bridge'],
    });
    expect(post.published_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
    expect(post.version).toMatch(/^[\w-]{16}$/);
    const [req] = rm().seen('GET');
    expect(req?.path).toBe(`/api/1.3/posts/${BRIDGE}`);
    expect(req?.headers['x-rmauth']).toBe(KEY());
  });

  it('returns the raw RebelMouse object only with include_raw', async () => {
    const post = await callOk(ctx.server.client, 'rebelmouse_get_post', { id: BRIDGE, include_raw: true });
    expect((post.raw as Record<string, unknown>).sections).toEqual(['News', 'Home']);
    expect((await get(BRIDGE)).raw).toBeUndefined();
  });

  it('lists newest first and pages by offset until a short page', async () => {
    const first = await callOk(ctx.server.client, 'rebelmouse_list_posts', { limit: 4 });
    const ids = (first.posts as { id: string }[]).map((p) => p.id);
    expect(ids[0]).toBe(BRIDGE);
    let cursor = first.next_cursor as string | null;
    while (cursor) {
      const page = await callOk(ctx.server.client, 'rebelmouse_list_posts', { cursor });
      ids.push(...(page.posts as { id: string }[]).map((p) => p.id));
      cursor = page.next_cursor as string | null;
    }
    expect(ids).toHaveLength(10);
    expect(new Set(ids).size).toBe(10);
    expect(
      rm()
        .seen('GET')
        .map((r) => [r.path, r.query.offset, r.query.limit]),
    ).toEqual([
      ['/api/1.3/posts', '0', '4'],
      ['/api/1.3/posts', '4', '4'],
      ['/api/1.3/posts', '8', '4'],
    ]);
  });

  it('reports a next page after an exactly full page, which then comes back empty', async () => {
    const second = await callOk(ctx.server.client, 'rebelmouse_list_posts', { offset: 5, limit: 5 });
    expect((second.posts as unknown[]).length).toBe(5);
    const third = await callOk(ctx.server.client, 'rebelmouse_list_posts', { cursor: second.next_cursor });
    expect(third).toEqual({ posts: [], next_cursor: null });
    expect(rm().seen('GET').at(-1)?.query).toMatchObject({ offset: '10', limit: '5' });
  });

  it('lists by tag through /posts/tag and by phrase through /posts/search', async () => {
    const tagged = await callOk(ctx.server.client, 'rebelmouse_list_posts', { tag: 'weather' });
    expect((tagged.posts as { id: string }[]).map((p) => p.id)).toEqual([BRIDGE, '2668337160']);
    expect(rm().seen('GET').at(-1)).toMatchObject({
      path: '/api/1.3/posts/tag',
      query: { tag: 'weather', offset: '0', limit: '10' },
    });
    const found = await callOk(ctx.server.client, 'rebelmouse_list_posts', { phrase: 'lighthouse' });
    expect((found.posts as { id: string }[]).map((p) => p.id)).toEqual([LIGHTHOUSE]);
    expect(rm().seen('GET').at(-1)).toMatchObject({
      path: '/api/1.3/posts/search',
      query: { phrase: 'lighthouse' },
    });
  });

  it('refuses tag and phrase together, or a limit over 30, before any request', async () => {
    const both = toolError(await call('rebelmouse_list_posts', { tag: 'weather', phrase: 'storm' }));
    expect(both).toMatchObject({ code: 'invalid_input', field: 'phrase' });
    const big = toolError(await call('rebelmouse_list_posts', { limit: 31 }));
    expect(big).toMatchObject({ code: 'invalid_input', field: 'limit' });
    expect(rm().requests).toHaveLength(0);
  });

  it('keeps every other field when only subheadline changes: the full-replace PUT re-sends them', async () => {
    const before = await callOk(ctx.server.client, 'rebelmouse_get_post', {
      id: '2668409871',
      include_raw: true,
    });
    const raw = before.raw as Record<string, unknown>;
    const result = await callOk(ctx.server.client, 'rebelmouse_update_post', {
      id: '2668409871',
      subheadline: 'The 2.6 km lane links the ferry terminal to Old Town.',
      expected_version: before.version,
    });
    expect(result).toMatchObject({ applied: 'sync', changed_fields: ['subheadline'] });
    const put = rm().seen('PUT')[0];
    expect(put?.path).toBe('/api/1.3/posts/2668409871');
    const sent = put?.body as Record<string, unknown>;
    for (const field of [
      'headline',
      'body',
      'basename',
      'tags',
      'sections',
      'primary_section',
      'image_id',
      'photo_credit',
      'roar_author_ids',
      'created_ts',
    ]) {
      expect(sent[field], field).toEqual(raw[field]);
    }
    expect(sent.subheadline).toBe('The 2.6 km lane links the ferry terminal to Old Town.');
    expect(sent).not.toHaveProperty('expected_version');
    const after = await callOk(ctx.server.client, 'rebelmouse_get_post', {
      id: '2668409871',
      include_raw: true,
    });
    const { subheadline: _s, ...kept } = raw;
    expect(after.raw).toMatchObject(kept);
    expect(after.url).toBe(before.url);
    expect(after.published_at).toBe(before.published_at);
  });

  it('the sandbox really clears omitted fields, so the merge above is what keeps them', async () => {
    const res = await fetch(`${ctx.sandbox.origin}/rebelmouse/api/1.3/posts/2668409871`, {
      method: 'PUT',
      headers: { 'x-rmauth': KEY(), 'content-type': 'application/json' },
      body: JSON.stringify({ headline: 'City Council Approves Waterfront Bike Lane' }),
    });
    const post = (await res.json()) as Record<string, unknown>;
    expect(post.tags).toBeUndefined();
    expect(post.image_id).toBeUndefined();
    expect(post.roar_author_ids).toEqual([1042]);
  });

  it('merges roar_specific_data key by key and converts an ISO created_ts to Unix seconds', async () => {
    const before = await get(LIGHTHOUSE);
    await callOk(ctx.server.client, 'rebelmouse_update_post', {
      id: LIGHTHOUSE,
      roar_specific_data: { keep_reading_button_text: 'Keep reading' },
      created_ts: '2026-01-01T09:30:00+01:00',
      expected_version: before.version,
    });
    const sent = rm().seen('PUT')[0]?.body as Record<string, unknown>;
    expect(sent.roar_specific_data).toEqual({
      keep_reading_button_text: 'Keep reading',
      keep_reading_hide_word_count: true,
    });
    expect(sent.created_ts).toBe(Date.UTC(2026, 0, 1, 8, 30) / 1000);
    expect((await get(LIGHTHOUSE)).published_at).toBe('2026-01-01T08:30:00.000Z');
  });

  it('lets a client that validates arguments against the schema clear every field null clears ("" or [] where null is not advertised), and still takes null there', async () => {
    const { tools } = await ctx.server.client.listTools();
    const schema = tools.find((t) => t.name === 'rebelmouse_update_post')!.inputSchema;
    const strict = new AjvJsonSchemaValidator().getValidator<Record<string, unknown>>(
      schema as JsonSchemaType,
    );
    const props = schema.properties as Record<string, object>;
    // Every field that took null before ADR 0165; type and basename (null: derived) are covered elsewhere.
    const cleared = Object.keys(props).filter(
      (f) =>
        !['headline', 'tags', 'created_ts', 'type', 'basename', 'id', 'expected_version', 'dry_run'].includes(
          f,
        ),
    );
    expect(cleared).toHaveLength(25);
    const update = async (changes: Record<string, unknown>) => {
      const { version } = await get(BRIDGE);
      const args = { id: BRIDGE, expected_version: version, ...changes };
      expect(strict(args).errorMessage, JSON.stringify(changes)).toBeUndefined();
      await callOk(ctx.server.client, 'rebelmouse_update_post', args);
      return rm().seen('PUT').at(-1)?.body as Record<string, unknown>;
    };
    const filled: Record<string, unknown> = {};
    const empty: Record<string, unknown> = {};
    for (const field of cleared) {
      const value = [null, '', []].find(
        (v) => strict({ id: BRIDGE, expected_version: 'v', [field]: v }).valid,
      );
      expect(value, `${field}: the schema takes null, "" or []`).toBeDefined();
      empty[field] = value;
      filled[field] = Array.isArray(value)
        ? field === 'roar_author_ids'
          ? [1187]
          : field === 'listicle'
            ? [{ headline: 'Detour via Mill Road' }]
            : ['News']
        : field === 'video'
          ? 'https://www.youtube.com/embed/a1B2c3D4e5F'
          : field.endsWith('_id')
            ? 41
            : field.endsWith('_crops') || field === 'roar_specific_data'
              ? { sq: [0, 0, 10, 10] }
              : 'set';
    }
    // The emptied text and list fields: advertised without null since "" and [] clear them.
    expect(Object.keys(empty).filter((f) => empty[f] !== null)).toHaveLength(18);

    await update(filled);
    expect(await update(empty)).toMatchObject(empty);
    const fields = (await get(BRIDGE)).fields as Record<string, unknown>;
    for (const field of cleared.filter((f) => !['roar_author_ids', 'body'].includes(f)))
      expect(fields[field], field).toEqual(empty[field]);
    // [] authors: RebelMouse fills in the key's user (its documented default).
    expect(fields.roar_author_ids).toEqual([1042]);

    // A client that does not validate may still send null there, as before: sent as null, cleared.
    await update(filled);
    const nulls = Object.fromEntries(cleared.map((f) => [f, null]));
    const { version } = await get(BRIDGE);
    await callOk(ctx.server.client, 'rebelmouse_update_post', {
      id: BRIDGE,
      expected_version: version,
      ...nulls,
    });
    expect(rm().seen('PUT').at(-1)?.body).toMatchObject(nulls);
    const after = (await get(BRIDGE)).fields as Record<string, unknown>;
    for (const field of cleared.filter((f) => !['roar_author_ids', 'body'].includes(f)))
      expect(after[field], field).toBeNull();
  });

  it('sends nothing when the given value is already the current one', async () => {
    const before = await get(BRIDGE);
    const result = await callOk(ctx.server.client, 'rebelmouse_update_post', {
      id: BRIDGE,
      headline: 'Storm Closes Harbor Bridge for Repairs',
      expected_version: before.version,
    });
    expect(result.changed_fields).toEqual([]);
    expect(rm().seen('PUT')).toHaveLength(0);
  });

  it('reverts an update from the journal, again without losing the other fields', async () => {
    const before = await callOk(ctx.server.client, 'rebelmouse_get_post', { id: BRIDGE, include_raw: true });
    const updated = await callOk(ctx.server.client, 'rebelmouse_update_post', {
      id: BRIDGE,
      subheadline: 'Repairs will take a week.',
      expected_version: before.version,
    });
    const mid = await get(BRIDGE);
    await callOk(ctx.server.client, 'revert_post', {
      journal_id: updated.journal_id,
      expected_version: mid.version,
    });
    const after = await callOk(ctx.server.client, 'rebelmouse_get_post', { id: BRIDGE, include_raw: true });
    expect(after.raw).toEqual(before.raw);
    expect(rm().seen('PUT')).toHaveLength(2);
  });

  it('previews the full PUT on dry_run and sends nothing', async () => {
    const before = await get(BRIDGE);
    const preview = await callOk(ctx.server.client, 'rebelmouse_update_post', {
      id: BRIDGE,
      headline: 'Storm Closes Harbor Bridge Until Friday',
      dry_run: true,
      expected_version: before.version,
    });
    expect(preview.diff).toEqual({
      headline: {
        before: 'Storm Closes Harbor Bridge for Repairs',
        after: 'Storm Closes Harbor Bridge Until Friday',
      },
    });
    const request = preview.request as { method: string; url: string; body: Record<string, unknown> };
    expect(request.method).toBe('PUT');
    expect(request.url).not.toContain(KEY());
    expect(request.body).toMatchObject({
      headline: 'Storm Closes Harbor Bridge Until Friday',
      tags: ['weather', 'traffic', 'bridge'],
    });
    expect(rm().seen('PUT')).toHaveLength(0);
  });

  it('warns when a listicle is set but body has no <listicle> tag', async () => {
    const before = await get(BRIDGE);
    const result = await callOk(ctx.server.client, 'rebelmouse_update_post', {
      id: BRIDGE,
      listicle: [{ headline: 'Detour via Mill Road' }],
      expected_version: before.version,
    });
    expect((result.warnings as string[]).join(' ')).toMatch(/<listicle>/);
  });

  it('unpublishes only after confirmation, re-sending the headline, and returns the draft_url', async () => {
    const before = await get(BRIDGE);
    const first = toolError(
      await call('rebelmouse_unpublish_post', { id: BRIDGE, expected_version: before.version }),
    );
    expect(first.code).toBe('confirmation_required');
    expect(first.preview).toMatchObject({
      title: 'Storm Closes Harbor Bridge for Repairs',
      status: 'published',
    });
    expect(rm().seen('PUT')).toHaveLength(0);
    const done = await callOk(ctx.server.client, 'rebelmouse_unpublish_post', {
      id: BRIDGE,
      expected_version: before.version,
      confirm_token: first.confirm_token,
    });
    expect(done.details).toEqual({ draft_url: `https://www.harborledger.example/core/editor/${BRIDGE}` });
    expect(done.diff).toEqual({ status: { before: 'published', after: 'unpublished' } });
    expect((done.post as { status: string }).status).toBe('unpublished');
    expect(rm().seen('PUT')[0]?.body).toMatchObject({
      action: 'unpublish',
      headline: 'Storm Closes Harbor Bridge for Repairs',
      tags: ['weather', 'traffic', 'bridge'],
    });
    expect((await get(BRIDGE)).status).toBe('unpublished');
    const list = await callOk(ctx.server.client, 'rebelmouse_list_posts', { limit: 30 });
    expect((list.posts as { id: string }[]).map((p) => p.id)).not.toContain(BRIDGE);
  });

  it('refuses to edit an unpublished post as not_editable, sending no PUT', async () => {
    const before = await get(BRIDGE);
    const first = toolError(
      await call('rebelmouse_unpublish_post', { id: BRIDGE, expected_version: before.version }),
    );
    await callOk(ctx.server.client, 'rebelmouse_unpublish_post', {
      id: BRIDGE,
      expected_version: before.version,
      confirm_token: first.confirm_token,
    });
    const now = await get(BRIDGE);
    const err = toolError(
      await call('rebelmouse_update_post', { id: BRIDGE, subheadline: 'x', expected_version: now.version }),
    );
    expect(err.code).toBe('not_editable');
    expect(rm().seen('PUT')).toHaveLength(1);
  });

  it.each([
    [{ type: 'article' }, 'type', /one of: "page"/],
    [{ created_ts: 1767225600000 }, 'created_ts', /milliseconds.*1767225600/],
    [{ created_ts: '2026-01-01T10:00:00' }, 'created_ts', /Z or an offset/],
    [{ created_ts: 1.5 }, 'created_ts', /whole Unix seconds/],
    [{ video: 'youtube dQw4w9WgXcQ' }, 'video', /embeddable URL/],
    [{ roar_author_ids: ['1187'] }, 'roar_author_ids[0]', /number/],
    [{ roar_author_ids: [0] }, 'roar_author_ids[0]', /at least|greater|too small|>0/i],
    [{ roar_author_ids: [11.5] }, 'roar_author_ids[0]', /int/],
    [{ headline: '  ' }, 'headline', /blank/],
    [{ tags: 'weather' }, 'tags', /array/],
    [{ image_id: 12.5 }, 'image_id', /int/],
    [
      { roar_specific_data: { keep_reading_hide_word_count: 'yes' } },
      'roar_specific_data.keep_reading_hide_word_count',
      /boolean/,
    ],
    [{ listicle: ['item'] }, 'listicle[0]', /object/],
    [{ action: 'publish' }, 'action', /unknown field/],
  ])('rejects %j as invalid_input naming %s, with no request sent', async (fields, field, rule) => {
    const err = toolError(
      await call('rebelmouse_update_post', { id: BRIDGE, expected_version: 'v', ...fields }),
    );
    expect(err.code).toBe('invalid_input');
    expect(err.field).toBe(field);
    expect(err.message).toMatch(rule);
    expect(rm().requests).toHaveLength(0);
  });

  it('accepts only digit ids, so an id can never reach another endpoint', async () => {
    for (const id of ['abc', '../../drafts/1', '12?api_key=x', '1/2', '']) {
      expect(toolError(await call('rebelmouse_get_post', { id }))).toMatchObject({
        code: 'invalid_input',
        field: 'id',
      });
    }
    expect(rm().requests).toHaveLength(0);
  });

  it('maps errors: 404 not_found, other 403 forbidden, 429 rate_limited with retry_after_s, 400 envelope passed on', async () => {
    const missing = toolError(await call('rebelmouse_get_post', { id: '1' }));
    expect(missing).toMatchObject({ code: 'not_found', provider_status: 404 });
    expect(missing.message).toContain('Post not found');
    rm().inject({
      path: '/posts/',
      status: 403,
      body: { status: { code: null, messages: ['You cannot edit this post'] }, data: null },
    });
    expect(toolError(await call('rebelmouse_get_post', { id: BRIDGE }))).toMatchObject({
      code: 'forbidden',
      provider_status: 403,
    });
    rm().inject({
      path: '/posts',
      status: 429,
      body: { status: { code: null, messages: ['Too many requests'] }, data: null },
      headers: { 'retry-after': '3600' },
    });
    expect(toolError(await call('rebelmouse_list_posts', {}))).toMatchObject({
      code: 'rate_limited',
      retry_after_s: 3600,
      retryable: true,
    });
    const before = await get(BRIDGE);
    rm().inject({
      method: 'PUT',
      status: 400,
      body: { status: { code: null, messages: ['primary_section: Unknown section'] }, data: null },
    });
    const bad = toolError(
      await call('rebelmouse_update_post', {
        id: BRIDGE,
        primary_section: 'Nope',
        expected_version: before.version,
      }),
    );
    expect(bad).toMatchObject({ code: 'invalid_input', provider_status: 400 });
    expect(bad.message).toContain('primary_section: Unknown section');
  });

  it('never puts the API key in a URL: every request carries it in X-RMAuth only', async () => {
    const before = await get(BRIDGE);
    await callOk(ctx.server.client, 'rebelmouse_list_posts', { tag: 'weather' });
    await callOk(ctx.server.client, 'rebelmouse_update_post', {
      id: BRIDGE,
      og_title: 'Bridge shut',
      expected_version: before.version,
    });
    const seen = rm().seen();
    expect(seen.length).toBeGreaterThanOrEqual(4);
    for (const r of seen) {
      expect(r.headers['x-rmauth']).toBe(KEY());
      expect(r.query.api_key).toBeUndefined();
      expect(`${r.path}?${new URLSearchParams(r.query).toString()}`).not.toContain(KEY());
    }
  });
});

describe('RebelMouse configuration and authentication', () => {
  it('maps the 403 "API key is not valid" answer to auth_failed', async () => {
    const wrong = await connectStdio(
      baseEnv({
        ...ctx.sandbox.env,
        POST_EDITOR_PROVIDERS: 'rebelmouse',
        REBELMOUSE_API_KEY: 'f'.repeat(64),
      }),
    );
    try {
      const err = toolError(
        await wrong.client.callTool({ name: 'rebelmouse_get_post', arguments: { id: BRIDGE } }),
      );
      expect(err).toMatchObject({ code: 'auth_failed', provider_status: 403 });
      expect(err.message).toContain('API key is not valid');
      expect(err.hint).toMatch(/REBELMOUSE_API_KEY/);
      expect(JSON.stringify(err)).not.toContain('f'.repeat(64));
    } finally {
      await wrong.close();
    }
  });

  it('refuses to start with a key but no REBELMOUSE_BASE_URL, naming the variable', () => {
    const env = baseEnv({ REBELMOUSE_API_KEY: ctx.sandbox.env.REBELMOUSE_API_KEY! });
    const run = spawnSync(process.execPath, [SERVER_ENTRY], {
      env,
      input: '',
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('REBELMOUSE_BASE_URL');
  });
});
