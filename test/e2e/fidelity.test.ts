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

// Issue 12 for FlowCMS, ButterCMS and RebelMouse, item by item, through the built server against the
// emulators (which follow the providers' docs, not our client's rules).
let sandbox: Sandbox;
let server: StdioServer;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  server = await connectStdio(
    baseEnv({ ...sandbox.env, POST_EDITOR_PROVIDERS: 'flowcms,buttercms,rebelmouse' }),
  );
});
afterAll(async () => {
  await server?.close();
  await sandbox?.close();
});
beforeEach(() => sandbox.emulators.forEach((e) => e.reset()));

const emu = (id: string) => sandbox.emulator(id);
const call = (name: string, args: Record<string, unknown>) =>
  server.client.callTool({ name, arguments: args });
const get = (provider: string, id: string) => callOk(server.client, `${provider}_get_post`, { id });
const update = async (provider: string, id: string, changes: Record<string, unknown>) => {
  const { version } = await get(provider, id);
  return callOk(server.client, `${provider}_update_post`, { id, expected_version: version, ...changes });
};
const sent = (id: string, method: string) => emu(id).seen(method).at(-1)?.body as Record<string, unknown>;
const joined = (result: Record<string, unknown>) => (result.warnings as string[]).join(' | ');

const POSTS = { flowcms: 'post_a8f3k29d1', buttercms: 'cold-brew-at-home', rebelmouse: '2668409871' };
// Update fields shown under the normalized keys instead of `fields` (DESIGN.md's post).
const TOP_LEVEL: Record<string, Record<string, string>> = {
  flowcms: { content: 'body', tags: 'tags' },
  buttercms: { body: 'body', tags: 'tags' },
  rebelmouse: { body: 'body', tags: 'tags' },
};
const CONTROL = new Set(['id', 'expected_version', 'dry_run', 'wait_for_apply', 'confirm_token']);
const FLAGS = new Set(['upload_images_to_media_library']);

describe('1. read what you can write', () => {
  it.each(Object.entries(POSTS))(
    '%s get_post shows every update field, declared, and writing it all back changes nothing',
    async (provider, id) => {
      const { tools } = await server.client.listTools();
      const input = tools.find((t) => t.name === `${provider}_update_post`)!.inputSchema.properties!;
      const output = tools.find((t) => t.name === `${provider}_get_post`)!.outputSchema!.properties!;
      const declared = Object.keys((output.fields as { properties: object }).properties);
      const writable = Object.keys(input).filter((f) => !CONTROL.has(f) && !FLAGS.has(f));

      const post = await get(provider, id);
      expect(post.raw).toBeUndefined();
      const fields = post.fields as Record<string, unknown>;
      const back: Record<string, unknown> = {};
      for (const field of writable) {
        const top = TOP_LEVEL[provider]![field];
        if (top) back[field] = post[top];
        else {
          expect(declared, `${provider} ${field} declared`).toContain(field);
          expect(Object.hasOwn(fields, field), `${provider} ${field} shown`).toBe(true);
          back[field] = fields[field];
        }
      }
      const result = await callOk(server.client, `${provider}_update_post`, {
        id,
        expected_version: post.version,
        ...back,
      });
      expect(result.changed_fields).toEqual([]);
      expect(emu(provider).seen('PUT').length + emu(provider).seen('PATCH').length).toBe(0);
    },
  );
});

describe('2. refuse only what the API refuses', () => {
  it('FlowCMS takes a free-form slug, a zoneless published_at, a long tag, and clears content', async () => {
    const tag = 'a-tag-well-over-fifty-characters-long-for-the-old-local-limit';
    const result = await update('flowcms', POSTS.flowcms, {
      slug: 'Getting Started (2026)',
      published_at: '2026-01-15T10:30:00',
      tags: ['tutorial', tag],
      content: '',
    });
    expect(sent('flowcms', 'PUT')).toEqual({
      slug: 'Getting Started (2026)',
      published_at: '2026-01-15T10:30:00',
      tags: ['tutorial', tag],
      content: '',
    });
    expect(emu('flowcms').seen('PUT').at(-1)?.status).toBe(200);
    expect(joined(result)).toMatch(/not lowercase words.*no Z or offset/);
    const post = await get('flowcms', POSTS.flowcms);
    expect(post).toMatchObject({
      body: '',
      tags: ['tutorial', tag],
      published_at: '2026-01-15T10:30:00.000Z',
    });
    expect((post.fields as { slug: string }).slug).toBe('Getting Started (2026)');
  });

  it('ButterCMS takes any author object, a long meta_description, 60 categories, and clears the image', async () => {
    const categories = Array.from({ length: 60 }, (_, i) => `Category ${i}`);
    const meta = 'm'.repeat(1500);
    const author = { email: 'maya@northwind-coffee.example', display_name: 'Maya L.' };
    const result = await update('buttercms', POSTS.buttercms, {
      author,
      meta_description: meta,
      categories,
      featured_image: null,
      summary: '',
      wait_for_apply: true,
    });
    expect(sent('buttercms', 'PATCH')).toMatchObject({
      author,
      meta_description: meta,
      featured_image: null,
    });
    expect(emu('buttercms').seen('PATCH').at(-1)?.status).toBe(202);
    expect(result.applied).toBe('sync');
    const fields = (await get('buttercms', POSTS.buttercms)).fields as Record<string, unknown>;
    expect(fields).toMatchObject({ meta_description: meta, featured_image: null, summary: '', categories });
    expect((fields.author as { slug: string }).slug).toBe('maya-lindqvist');
  });

  it('RebelMouse takes a 600-char headline, any basename, an http video (warned), and clears a caption', async () => {
    const headline = `Harbor ${'news '.repeat(120)}`.trim();
    const result = await update('rebelmouse', POSTS.rebelmouse, {
      headline,
      basename: 'bike.lane/2026',
      video: 'http://player.vimeo.com/video/1',
      photo_caption: null,
    });
    const body = sent('rebelmouse', 'PUT');
    expect(body).toMatchObject({
      headline,
      basename: 'bike.lane/2026',
      video: 'http://player.vimeo.com/video/1',
    });
    expect(body.photo_caption).toBeNull();
    expect(emu('rebelmouse').seen('PUT').at(-1)?.status).toBe(200);
    expect(joined(result)).toMatch(/mixed content/);
    const fields = (await get('rebelmouse', POSTS.rebelmouse)).fields as Record<string, unknown>;
    expect(fields).toMatchObject({ headline, basename: 'bike.lane/2026', photo_caption: null });
  });

  it('keeps the documented video guard as a warning in the dry run and the result', async () => {
    const { version } = await get('rebelmouse', POSTS.rebelmouse);
    const args = { id: POSTS.rebelmouse, expected_version: version, video: 'https://youtu.be/dQw4w9WgXcQ' };
    const preview = await callOk(server.client, 'rebelmouse_update_post', { ...args, dry_run: true });
    expect(joined(preview)).toMatch(/not embeddable.*embed/);
    const result = await callOk(server.client, 'rebelmouse_update_post', args);
    expect(joined(result)).toMatch(/not embeddable/);
    expect(sent('rebelmouse', 'PUT').video).toBe('https://youtu.be/dQw4w9WgXcQ');
  });
});

describe('3. every documented capability', () => {
  it('RebelMouse roar_specific_data takes any site key, merged by key, and null removes one', async () => {
    await update('rebelmouse', '2668325581', { roar_specific_data: { sponsor_label: 'Harbor Bank' } });
    expect(sent('rebelmouse', 'PUT').roar_specific_data).toEqual({
      keep_reading_button_text: 'Read her story',
      keep_reading_hide_word_count: true,
      sponsor_label: 'Harbor Bank',
    });
    await update('rebelmouse', '2668325581', { roar_specific_data: { keep_reading_button_text: null } });
    const fields = (await get('rebelmouse', '2668325581')).fields as Record<string, unknown>;
    expect(fields.roar_specific_data).toEqual({
      keep_reading_hide_word_count: true,
      sponsor_label: 'Harbor Bank',
    });
  });

  it('RebelMouse sets image_external and removes lead, teaser and social teaser images', async () => {
    await update('rebelmouse', POSTS.rebelmouse, { teaser_image_id: 41, social_teaser_image_id: 42 });
    await update('rebelmouse', POSTS.rebelmouse, {
      image_id: null,
      teaser_image_id: null,
      social_teaser_image_id: null,
      image_external: 'https://images.example.org/lane.jpg',
    });
    expect(sent('rebelmouse', 'PUT')).toMatchObject({
      image_id: null,
      teaser_image_id: null,
      social_teaser_image_id: null,
      image_external: 'https://images.example.org/lane.jpg',
    });
    const fields = (await get('rebelmouse', POSTS.rebelmouse)).fields as Record<string, unknown>;
    expect(fields).toMatchObject({
      image_id: null,
      teaser_image_id: null,
      social_teaser_image_id: null,
      image_external: 'https://images.example.org/lane.jpg',
    });
  });

  it('RebelMouse says when the API would derive another type or basename, and derives them on null', async () => {
    const BRIDGE = '2668412345';
    const { version } = await get('rebelmouse', BRIDGE);
    const preview = await callOk(server.client, 'rebelmouse_update_post', {
      id: BRIDGE,
      expected_version: version,
      headline: 'Harbor Bridge Reopens',
      video: 'https://www.youtube.com/embed/a1B2c3D4e5F',
      dry_run: true,
    });
    expect(joined(preview)).toMatch(/basename stays .*basename:null/);
    expect(joined(preview)).toMatch(/type stays "page".*default .* "video".*type:null/);
    const result = await callOk(server.client, 'rebelmouse_update_post', {
      id: BRIDGE,
      expected_version: version,
      headline: 'Harbor Bridge Reopens',
      video: 'https://www.youtube.com/embed/a1B2c3D4e5F',
      type: null,
      basename: null,
    });
    const body = sent('rebelmouse', 'PUT');
    expect(body).not.toHaveProperty('type');
    expect(body).not.toHaveProperty('basename');
    expect(result.post).toMatchObject({
      url: `https://www.harborledger.example/harbor-bridge-reopens-${BRIDGE}`,
    });
    expect((result.post as { fields: Record<string, unknown> }).fields).toMatchObject({
      type: 'video',
      basename: 'harbor-bridge-reopens',
    });
  });

  it('ButterCMS returns the slug the API really stores, and get_post and wait_for_apply find it', async () => {
    const result = await update('buttercms', POSTS.buttercms, {
      slug: 'Cold Brew: The 12-Hour Recipe!',
      wait_for_apply: true,
    });
    expect(sent('buttercms', 'PATCH')).toEqual({ slug: 'Cold Brew: The 12-Hour Recipe!' });
    expect(result).toMatchObject({ applied: 'sync', details: { new_id: 'cold-brew-the-12-hour-recipe' } });
    expect(result.post).toMatchObject({ id: 'cold-brew-the-12-hour-recipe' });
    expect(joined(result)).toMatch(/slugifies/);
    expect((await get('buttercms', 'cold-brew-the-12-hour-recipe')).title).toBe(
      'Cold Brew at Home: A 12-Hour Recipe',
    );
    expect(toolError(await call('buttercms_get_post', { id: POSTS.buttercms })).code).toBe('not_found');
  });

  it('ButterCMS revert_post of a slug rename finds the post under its new slug and renames it back', async () => {
    const renamed = await update('buttercms', POSTS.buttercms, {
      slug: 'Cold Brew Guide',
      wait_for_apply: true,
    });
    expect(renamed).toMatchObject({ details: { new_id: 'cold-brew-guide' } });
    const { version } = await get('buttercms', 'cold-brew-guide');
    const reverted = await callOk(server.client, 'revert_post', {
      journal_id: renamed.journal_id,
      expected_version: version,
    });
    expect(sent('buttercms', 'PATCH')).toEqual({ slug: POSTS.buttercms });
    expect(reverted).toMatchObject({ details: { new_id: POSTS.buttercms } });
    await expect
      .poll(async () => (await call('buttercms_get_post', { id: POSTS.buttercms })).isError)
      .toBeFalsy();
    // The revert is journaled under the slug it was sent to, and its own revert finds the post again.
    const history = await callOk(server.client, 'post_history', {
      provider: 'buttercms',
      post_id: 'cold-brew-guide',
    });
    expect((history.entries as { reverts: string | null }[])[0]?.reverts).toBe(renamed.journal_id);
  });

  it('ButterCMS upload_images_to_media_library works on its own, on the current body', async () => {
    const img = 'https://images.example.org/beans.jpg';
    await update('buttercms', POSTS.buttercms, {
      body: `<p>Beans</p><img src="${img}">`,
      wait_for_apply: true,
    });
    const result = await update('buttercms', POSTS.buttercms, {
      upload_images_to_media_library: true,
      wait_for_apply: true,
    });
    expect(result).toMatchObject({ applied: 'sync', changed_fields: ['upload_images_to_media_library'] });
    expect(sent('buttercms', 'PATCH')).toEqual({
      body: `<p>Beans</p><img src="${img}">`,
      upload_images_to_media_library: true,
    });
    const post = await get('buttercms', POSTS.buttercms);
    expect(post.body).toMatch(/<img src="https:\/\/cdn\.buttercms\.com\//);
    expect(post.body).not.toContain(img);
  });

  it('FlowCMS reads and writes through the list when GET one answers 404 for a listed post, and says so', async () => {
    emu('flowcms').inject({ method: 'GET', path: /\/content\/posts\/[^/]+$/, status: 404, times: 10 });
    const post = await get('flowcms', POSTS.flowcms);
    expect(post.warnings).toEqual([expect.stringMatching(/list endpoint.*HTTP 404/)]);
    const result = await callOk(server.client, 'flowcms_update_post', {
      id: POSTS.flowcms,
      expected_version: post.version,
      title: 'Getting Started, Revised',
    });
    expect(result.changed_fields).toEqual(['title']);
    expect(joined(result)).toMatch(/list endpoint/);
    expect(sent('flowcms', 'PUT')).toEqual({ title: 'Getting Started, Revised' });
    expect(
      emu('flowcms')
        .seen('GET')
        .some((r) => r.path === '/v1/content/posts'),
    ).toBe(true);
  });
});

describe('4. results that agree with themselves', () => {
  it('FlowCMS: after a publish and a revert the returned version and published_at are the next get_post', async () => {
    const draft = '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d';
    const published = await update('flowcms', draft, { status: 'published' });
    const after = await get('flowcms', draft);
    const post = published.post as Record<string, unknown>;
    expect(post.version).toBe(after.version);
    expect(post.published_at).toBe(after.published_at);
    expect(after.published_at).not.toBeNull();
    // The returned version is accepted as current, not refused as stale.
    const reverted = await callOk(server.client, 'revert_post', {
      journal_id: published.journal_id,
      expected_version: post.version,
    });
    const again = await get('flowcms', draft);
    expect((reverted.post as { version: string }).version).toBe(again.version);
    expect(again.status).toBe('draft');
  });

  it('wait_for_apply answers applied "sync" without the "applies in the background" note', async () => {
    const plain = await update('buttercms', 'compostable-cups', { seo_title: 'Cups' });
    expect(plain.applied).toBe('async');
    expect(joined(plain)).toMatch(/in the background/);
    const waited = await update('buttercms', 'compostable-cups', {
      seo_title: 'Cups, composted',
      wait_for_apply: true,
    });
    expect(waited.applied).toBe('sync');
    expect(joined(waited)).not.toMatch(/in the background/);
  });
});

describe('5. errors that tell the user what to fix', () => {
  it.each([
    ['flowcms', { FLOWCMS_API_KEY: 'wrong-key' }, 'get', /FLOWCMS_API_KEY/, /BASE_URL/],
    ['rebelmouse', { REBELMOUSE_API_KEY: 'w'.repeat(64) }, 'get', /REBELMOUSE_API_KEY/, /BASE_URL/],
    ['buttercms', { BUTTERCMS_WRITE_TOKEN: 'wrong-token' }, 'update', /BUTTERCMS_WRITE_TOKEN/, /READ_TOKEN/],
  ] as const)('%s auth_failed names the variable to fix', async (provider, env, op, names, notNamed) => {
    const bad = await connectStdio(baseEnv({ ...sandbox.env, ...env, POST_EDITOR_PROVIDERS: provider }));
    try {
      const id = POSTS[provider];
      let result;
      if (op === 'get')
        result = await bad.client.callTool({ name: `${provider}_get_post`, arguments: { id } });
      else {
        const { version } = await callOk(bad.client, `${provider}_get_post`, { id });
        result = await bad.client.callTool({
          name: `${provider}_update_post`,
          arguments: { id, expected_version: version, seo_title: 'x' },
        });
      }
      const err = toolError(result);
      expect(err.code).toBe('auth_failed');
      expect(err.hint).toMatch(names);
      expect(err.hint).not.toMatch(notNamed);
      expect(JSON.stringify(err)).not.toContain(Object.values(env)[0]);
    } finally {
      await bad.close();
    }
  });

  it('a 404 while the base URL has no version path names the base URL variable', async () => {
    const base = sandbox.env.FLOWCMS_BASE_URL!.replace(/\/v1$/, '');
    const bad = await connectStdio(
      baseEnv({ ...sandbox.env, FLOWCMS_BASE_URL: base, POST_EDITOR_PROVIDERS: 'flowcms' }),
    );
    try {
      const err = toolError(await bad.client.callTool({ name: 'flowcms_list_posts', arguments: {} }));
      expect(err.code).toBe('not_found');
      expect(err.hint).toMatch(/FLOWCMS_BASE_URL.*no API version/);
      // With the documented base URL a missing post gets no such hint.
      const missing = toolError(await call('flowcms_get_post', { id: 'post_nothere1' }));
      expect(missing.code).toBe('not_found');
      expect(missing.hint ?? '').not.toMatch(/BASE_URL/);
    } finally {
      await bad.close();
    }
  });
});
