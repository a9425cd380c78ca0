// Follows docs/adding-a-provider.md for a throwaway provider ("notebook"), defined here rather than in
// src/providers/, and drives it through the same registry and write pipeline as the five real ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../../src/config.js';
import { readBaseUrl, readSecret } from '../../src/core/env.js';
import { hashVersion, type Post } from '../../src/core/post.js';
import { diffFields } from '../../src/core/safety.js';
import type { ToolContext } from '../../src/core/tool.js';
import {
  ProviderClient,
  expectObject,
  parsePost,
  type ProviderErrorData,
} from '../../src/pipeline/client.js';
import { registerProvider } from '../../src/pipeline/define.js';
import type { LoadedPost, PostApi, ProviderDefinition, ProviderDeps } from '../../src/pipeline/types.js';
import { PROVIDERS } from '../../src/providers/index.js';
import { Emulator, headerValue, type EmulatorSpec } from '../../src/sandbox/emulator.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { createApp, type App } from '../../src/server.js';
import { tempDataDir } from '../helpers/harness.js';

// --- src/providers/notebook/schemas.ts -------------------------------------------------------------
const notebookId = z
  .string()
  .regex(/^n\d+$/, { error: 'must be a notebook id, e.g. "n1"' })
  .describe('id, e.g. "n1"');
const notebookListInput = z.strictObject({
  limit: z.number().int().min(1).max(50).optional().describe('1-50'),
});
const notebookUpdateInput = z.strictObject({
  title: z
    .string()
    .max(80)
    .refine((v) => v.trim() !== '', { error: 'must not be blank' })
    .optional()
    .describe('≤80 chars'),
  body: z.string().optional().describe('plain text'),
});
const notebookPost = z.looseObject({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  state: z.string(),
});
type NotebookPost = z.output<typeof notebookPost>;

// --- src/providers/notebook/errors.ts --------------------------------------------------------------
function parseNotebookError(body: unknown): ProviderErrorData | undefined {
  const error = z
    .looseObject({ code: z.string().optional(), message: z.string() })
    .safeParse(
      typeof body === 'object' && body !== null ? (body as Record<string, unknown>).error : undefined,
    );
  return error.success
    ? { message: error.data.message, ...(error.data.code && { code: error.data.code }) }
    : undefined;
}

// --- src/providers/notebook/normalize.ts -----------------------------------------------------------
function normalizeNotebookPost(raw: NotebookPost): Post {
  return {
    provider: 'notebook',
    id: raw.id,
    title: raw.title,
    body: raw.body,
    body_format: 'text',
    status: raw.state === 'live' ? 'published' : 'draft',
    provider_status: raw.state,
    url: null,
    tags: [],
    scheduled_at: null,
    published_at: null,
    updated_at: null,
    version: hashVersion(raw),
    fields: { title: raw.title },
  };
}

// --- src/providers/notebook/api.ts -----------------------------------------------------------------
interface NotebookSettings {
  baseUrl: string;
  apiKey: string;
}

function createNotebookApi(
  settings: NotebookSettings,
  deps: ProviderDeps,
): PostApi<z.output<typeof notebookListInput>, z.output<typeof notebookUpdateInput>> {
  const client = new ProviderClient({
    baseUrl: settings.baseUrl,
    http: deps.http,
    redactor: deps.redactor,
    authHeaders: () => ({ 'x-notebook-key': settings.apiKey }),
    parseError: parseNotebookError,
    classifyError: (_status, error) =>
      error.code === 'locked' ? { code: 'not_editable', retryable: false } : undefined,
  });
  const load = (body: unknown): LoadedPost => {
    const raw = parsePost(notebookPost, body, 'Notebook');
    return {
      post: normalizeNotebookPost(raw),
      raw: expectObject(body, 'a post'),
      editable: { title: raw.title, body: raw.body },
    };
  };
  return {
    async get(id, ctx) {
      return load((await client.read(`/posts/${encodeURIComponent(id)}`, {}, ctx)).body);
    },
    async list(args, ctx) {
      const res = await client.read('/posts', { limit: args.limit }, ctx);
      const rows = z.array(notebookPost).parse(res.body);
      return {
        posts: rows
          .map((r) => normalizeNotebookPost(r))
          .map(({ id, title, status, url, scheduled_at, published_at, updated_at }) => ({
            id,
            title,
            status,
            url,
            scheduled_at,
            published_at,
            updated_at,
          })),
        next_cursor: null,
      };
    },
    planUpdate(current, changes) {
      const diff = diffFields(current.editable, changes);
      const body = Object.fromEntries(Object.keys(diff).map((f) => [f, changes[f as keyof typeof changes]]));
      return {
        request: { method: 'PATCH', path: `/posts/${encodeURIComponent(current.post.id)}`, body },
        diff,
        warnings: [],
        interpret: (res) => ({ post: load(res.body).post, applied: 'sync', warnings: [] }),
      };
    },
    send: (request, ctx) => client.send(request, ctx),
    urlOf: (request) => client.urlOf(request),
  };
}

// --- src/providers/notebook/index.ts ---------------------------------------------------------------
const notebook: ProviderDefinition<NotebookSettings, typeof notebookListInput, typeof notebookUpdateInput> = {
  id: 'notebook',
  label: 'Notebook',
  env: [
    { name: 'NOTEBOOK_API_KEY', secret: true, description: 'API key' },
    { name: 'NOTEBOOK_BASE_URL', secret: false, description: 'default https://api.notebook.example/v1' },
  ],
  readSettings(env) {
    const apiKey = readSecret(env, 'NOTEBOOK_API_KEY');
    if (!apiKey) return null;
    return { apiKey, baseUrl: readBaseUrl(env, 'NOTEBOOK_BASE_URL', 'https://api.notebook.example/v1') };
  },
  secrets: (s) => [s.apiKey],
  idSchema: notebookId,
  listInput: notebookListInput,
  updateInput: notebookUpdateInput,
  removal: null,
  asyncWrites: false,
  descriptions: {
    get: 'One Notebook post by id, normalized, with its version.',
    list: 'Notebook posts, newest first, as summaries.',
    update: 'Partial update of a Notebook post; only given fields change.',
  },
  examples: { id: 'n1', list: { limit: 5 }, update: { title: 'A better title' } },
  createApi: createNotebookApi,
};

// --- src/sandbox/notebook/ (the emulator, registered in src/sandbox/index.ts) ----------------------
const KEY = 'sandbox-notebook-key';
const notebookEmulator: EmulatorSpec = {
  id: 'notebook',
  create() {
    const posts = new Map<string, NotebookPost>();
    const emulator = new Emulator('notebook', () => {
      posts.clear();
      posts.set('n1', { id: 'n1', title: 'First', body: 'Hello', state: 'live' });
      posts.set('n2', { id: 'n2', title: 'Locked', body: 'Frozen', state: 'locked' });
    });
    emulator.reset();
    const denied = (req: Parameters<Parameters<Emulator['route']>[2]>[0]) =>
      headerValue(req, 'x-notebook-key') === KEY
        ? undefined
        : { status: 401, body: { error: { code: 'bad_key', message: 'Invalid key' } } };
    return emulator
      .route('GET', '/posts', (req) => denied(req) ?? { status: 200, body: [...posts.values()] })
      .route('GET', '/posts/:id', (req, { id = '' }) => {
        const post = posts.get(id);
        return (
          denied(req) ??
          (post ? { status: 200, body: post } : { status: 404, body: { error: { message: 'No such post' } } })
        );
      })
      .route('PATCH', '/posts/:id', (req, { id = '' }) => {
        const post = posts.get(id);
        if (denied(req)) return denied(req)!;
        if (!post) return { status: 404, body: { error: { message: 'No such post' } } };
        if (post.state === 'locked')
          return { status: 400, body: { error: { code: 'locked', message: 'Post is locked' } } };
        const next = { ...post, ...(req.body as Partial<NotebookPost>) };
        posts.set(id, next);
        return { status: 200, body: next };
      });
  },
  env: (base) => ({ NOTEBOOK_BASE_URL: base, NOTEBOOK_API_KEY: KEY }),
};

// --- src/providers/index.ts: the one line ----------------------------------------------------------
const CATALOG = [...PROVIDERS, registerProvider(notebook)];

let sandbox: Sandbox;
let app: App;
const ctx = (): ToolContext => ({ signal: new AbortController().signal, progress: async () => undefined });
const call = async (name: string, args: Record<string, unknown>) => {
  const result = await app.registry.call(name, args, ctx());
  return { ...result, json: JSON.parse(result.content[0]?.text ?? 'null') as Record<string, unknown> };
};

beforeAll(async () => {
  sandbox = await startSandbox({ emulators: [notebookEmulator] });
  const env = {
    ...sandbox.env,
    POST_EDITOR_PROVIDERS: 'notebook',
    POST_EDITOR_DATA_DIR: tempDataDir(),
    LOG_LEVEL: 'silent',
  };
  app = await createApp(loadConfig(env, {}, CATALOG));
});
afterAll(async () => {
  await app?.close();
  await sandbox?.close();
});

describe('a provider added by following docs/adding-a-provider.md', () => {
  it('gets the five generated tools it qualifies for, and the journal tools', () => {
    expect(app.registry.names.sort()).toEqual(
      [
        'notebook_get_post',
        'notebook_list_posts',
        'notebook_update_post',
        'post_history',
        'revert_post',
      ].sort(),
    );
  });

  it('reads a post through the registry with its key in a header, normalized', async () => {
    const got = await call('notebook_get_post', { id: 'n1' });
    expect(got.isError).toBeUndefined();
    expect(got.structuredContent).toMatchObject({
      provider: 'notebook',
      id: 'n1',
      title: 'First',
      status: 'published',
    });
    expect(sandbox.emulator('notebook').seen('GET')[0]?.headers['x-notebook-key']).toBe(KEY);
  });

  it('refuses bad input before the provider sees it, naming the field', async () => {
    const before = sandbox.emulator('notebook').seen().length;
    const bad = await call('notebook_get_post', { id: '../x' });
    expect(bad.isError).toBe(true);
    expect(bad.json).toMatchObject({ error: { code: 'invalid_input', field: 'id' } });
    expect(sandbox.emulator('notebook').seen()).toHaveLength(before);
  });

  it('updates through the pipeline: version check, dry run, send once, journaled', async () => {
    const { version } = (await call('notebook_get_post', { id: 'n1' })).structuredContent as {
      version: string;
    };
    const dry = await call('notebook_update_post', {
      id: 'n1',
      expected_version: version,
      title: 'Second',
      dry_run: true,
    });
    expect(dry.structuredContent).toMatchObject({ changed_fields: ['title'] });
    expect(sandbox.emulator('notebook').seen('PATCH')).toHaveLength(0);
    const done = await call('notebook_update_post', { id: 'n1', expected_version: version, title: 'Second' });
    expect(done.isError).toBeUndefined();
    expect(
      sandbox
        .emulator('notebook')
        .seen('PATCH')
        .map((r) => r.body),
    ).toEqual([{ title: 'Second' }]);
    const history = await call('post_history', { provider: 'notebook', post_id: 'n1' });
    expect(JSON.stringify(history.structuredContent)).toContain('Second');
    const stale = await call('notebook_update_post', { id: 'n1', expected_version: version, title: 'Third' });
    expect(stale.json).toMatchObject({ error: { code: 'conflict' } });
  });

  it("classifies the provider's own error code through its errors parser", async () => {
    const { version } = (await call('notebook_get_post', { id: 'n2' })).structuredContent as {
      version: string;
    };
    const refused = await call('notebook_update_post', {
      id: 'n2',
      expected_version: version,
      title: 'Thaw',
    });
    expect(refused.json).toMatchObject({
      error: { code: 'not_editable', provider_status: 400, retryable: false },
    });
    expect((refused.json.error as { message: string }).message).toContain('locked: Post is locked');
  });
});
