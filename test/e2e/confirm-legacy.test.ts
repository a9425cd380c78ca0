import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import {
  connectLegacyHttp,
  connectLegacyStdio,
  legacyClient,
  person,
  type Person,
} from '../helpers/asking-client.js';
import {
  baseEnv,
  callOk,
  startHttpServer,
  startTestSandbox,
  toolError,
  type HttpServer,
} from '../helpers/harness.js';

// Legacy protocol era (the v1 SDK client, `initialize`, `elicitation/create` while the call is in flight).
let sandbox: Sandbox;
const open: Client[] = [];
const servers: HttpServer[] = [];
const butter = () => sandbox.emulator('buttercms');
const partoo = () => sandbox.emulator('partoo');
const ID = 'how-we-roast-light';

beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => {
  await sandbox?.close();
});
beforeEach(() => sandbox.emulators.forEach((e) => e.reset()));
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function stdio(who?: Person, env: Record<string, string> = {}): Promise<Client> {
  const client = await connectLegacyStdio(legacyClient(who), baseEnv({ ...sandbox.env, ...env }));
  open.push(client);
  // Listing the tools makes the SDK client check every structuredContent against the tool's outputSchema.
  await client.listTools();
  return client;
}

async function unpublish(client: Client, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  const { version } = await callOk(client, 'buttercms_get_post', { id: ID });
  return (await client.callTool({
    name: 'buttercms_unpublish_post',
    arguments: { id: ID, expected_version: version, ...args },
  })) as CallToolResult;
}

describe('a client that can ask the person (stdio)', () => {
  it('asks with the title, url, status and diff, and writes once in the same call when they accept', async () => {
    const who = person('accept');
    const result = await unpublish(await stdio(who));
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      changed_fields: ['status'],
      journal_id: expect.any(String),
      confirmation: { status: 'confirmed', by: 'user' },
    });
    expect(butter().seen('PATCH')).toHaveLength(1);
    expect(who.forms).toHaveLength(1);
    const message = who.forms[0]?.message ?? '';
    expect(message).toContain('Unpublish this post: it goes off the site?');
    expect(message).toContain('Title: How We Roast Light Without Going Sour');
    expect(message).toMatch(/URL: https?:\/\/\S+how-we-roast-light/);
    expect(message).toContain('Status: published');
    expect(message).toContain('- status: "published" → "draft"');
  });

  it('sends nothing when the person declines, and says so in a result that is not an error', async () => {
    for (const [action, status] of [
      ['decline', 'declined'],
      ['cancel', 'cancelled'],
    ] as const) {
      const result = await unpublish(await stdio(person(action)));
      expect(result.isError).toBeFalsy();
      const out = result.structuredContent as { confirmation: unknown; warnings: string[] };
      expect(out.confirmation).toMatchObject({ status, by: 'user' });
      expect(out.warnings[0]).toMatch(/nothing was sent.*Do not retry/);
    }
    expect(butter().seen('PATCH')).toHaveLength(0);
  });

  it('previews a removal without a token: the person, not the agent, will confirm', async () => {
    const who = person('accept');
    const result = await unpublish(await stdio(who), { dry_run: true });
    const out = result.structuredContent as { confirmation: Record<string, unknown> };
    expect(out.confirmation).toMatchObject({ status: 'required', by: 'user', preview: { id: ID } });
    expect(out.confirmation.confirm_token).toBeUndefined();
    expect(who.forms).toHaveLength(0);
    expect(butter().seen('PATCH')).toHaveLength(0);
  });

  /** A person who, before answering the first form, sees someone else retitle the post. */
  function retitledWhileReading(client: () => Client): Person {
    const who: Person = {
      forms: [],
      async answer() {
        if (who.forms.length === 1) {
          const { version } = await callOk(client(), 'buttercms_get_post', { id: ID });
          await callOk(client(), 'buttercms_update_post', {
            id: ID,
            title: 'Light Roasts, Revisited',
            expected_version: version,
            wait_for_apply: true,
          });
        }
        return { action: 'accept' };
      },
    };
    return who;
  }

  it('refuses with conflict when the post changed while the person was reading the form', async () => {
    const holder: { client?: Client } = {};
    const who = retitledWhileReading(() => holder.client!);
    const client = (holder.client = await stdio(who));
    const error = toolError(await unpublish(client));
    expect(error.code).toBe('conflict');
    expect(
      butter()
        .seen('PATCH')
        .map((r) => r.body),
    ).toEqual([{ title: 'Light Roasts, Revisited' }]);
  });

  it('asks again with the new post when it changed while the person was reading (no expected_version)', async () => {
    const holder: { client?: Client } = {};
    const who = retitledWhileReading(() => holder.client!);
    const client = (holder.client = await stdio(who, { POST_EDITOR_REQUIRE_VERSION: 'false' }));
    const result = (await client.callTool({
      name: 'buttercms_unpublish_post',
      arguments: { id: ID },
    })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(who.forms).toHaveLength(2);
    expect(who.forms[0]?.message).toContain('Title: How We Roast Light Without Going Sour');
    expect(who.forms[1]?.message).toContain('Title: Light Roasts, Revisited');
    expect(
      butter()
        .seen('PATCH')
        .map((r) => r.body),
    ).toEqual([{ title: 'Light Roasts, Revisited' }, { status: 'draft' }]);
  });

  it('deletes a Partoo post once when the person accepts the form that says every field goes', async () => {
    const who = person('accept');
    const client = await stdio(who);
    const { version } = await callOk(client, 'partoo_get_post', { id: '3401' });
    const done = await callOk(client, 'partoo_delete_post', { id: '3401', expected_version: version });
    expect(done.confirmation).toEqual({ status: 'confirmed', by: 'user' });
    expect(who.forms[0]?.message).toMatch(/^Delete this post: this cannot be undone\?/);
    expect(who.forms[0]?.message).toMatch(/Changes: every field is removed/);
    expect(partoo().seen('DELETE')).toHaveLength(1);
  });

  it('asks the person before a forced revert overwrites later changes, then writes once', async () => {
    const who = person('accept');
    const client = await stdio(who);
    const id = 'c4d5e6f7-a8b9-4c0d-9e1f-2a3b4c5d6e7f';
    const retitle = async (title: string) => {
      const { version } = await callOk(client, 'flowcms_get_post', { id });
      return callOk(client, 'flowcms_update_post', { id, title, expected_version: version });
    };
    const first = await retitle('Dashboards People Read');
    await retitle('Dashboards, Read');
    const { version } = await callOk(client, 'flowcms_get_post', { id });
    const revert = { journal_id: first.journal_id, expected_version: version };
    expect(toolError(await client.callTool({ name: 'revert_post', arguments: revert })).code).toBe(
      'conflict',
    );
    const flow = sandbox.emulator('flowcms');
    const writesBefore = flow.seen('PUT').length;
    const done = await callOk(client, 'revert_post', { ...revert, force: true });
    expect(done.confirmation).toEqual({ status: 'confirmed', by: 'user' });
    expect(who.forms).toHaveLength(1);
    expect(who.forms[0]?.message).toMatch(/^Revert over later changes/);
    expect(who.forms[0]?.message).toContain(
      '- title: "Dashboards, Read" → "Webinar: Dashboards That Get Read"',
    );
    expect(flow.seen('PUT').length - writesBefore).toBe(1);
  });

  it('uses the token and never asks when POST_EDITOR_CONFIRM_VIA=token', async () => {
    const who = person('accept');
    const client = await stdio(who, { POST_EDITOR_CONFIRM_VIA: 'token' });
    const asked = toolError(await unpublish(client));
    expect(asked.code).toBe('confirmation_required');
    expect(await unpublish(client, { confirm_token: asked.confirm_token })).toMatchObject({
      structuredContent: { confirmation: { status: 'confirmed', by: 'token' } },
    });
    expect(who.forms).toHaveLength(0);
    expect(butter().seen('PATCH')).toHaveLength(1);
  });
});

describe('a client that cannot ask the person (stdio)', () => {
  it('confirms in two steps: the dry run returns a token bound to the call, the same call with it writes', async () => {
    const client = await stdio();
    const preview = await unpublish(client, { dry_run: true });
    const out = preview.structuredContent as {
      diff: unknown;
      request: unknown;
      confirmation: { confirm_token: string; expires_at: string; by: string };
    };
    expect(out.diff).toEqual({ status: { before: 'published', after: 'draft' } });
    expect(out.request).toMatchObject({ method: 'PATCH', body: { status: 'draft' } });
    expect(out.confirmation.by).toBe('token');
    expect(Date.parse(out.confirmation.expires_at)).toBeGreaterThan(Date.now());
    expect(butter().seen('PATCH')).toHaveLength(0);

    // The token is bound to exactly that call: another post refuses it.
    const other = toolError(
      await client.callTool({
        name: 'buttercms_unpublish_post',
        arguments: {
          id: 'spring-single-origin-lineup',
          expected_version: (
            await callOk(client, 'buttercms_get_post', { id: 'spring-single-origin-lineup' })
          ).version,
          confirm_token: out.confirmation.confirm_token,
        },
      }),
    );
    expect(other.message).toMatch(/issued for another post/);

    const done = await unpublish(client, { confirm_token: out.confirmation.confirm_token });
    expect(done.isError).toBeFalsy();
    expect(butter().seen('PATCH')).toHaveLength(1);
  });

  it('answers a call without a token with confirmation_required whose structuredContent fits the outputSchema', async () => {
    const client = await stdio();
    // The SDK client validated structuredContent against the tool's outputSchema, or callTool would throw.
    const result = await unpublish(client);
    const error = toolError(result);
    expect(error.message.split('\n')).toHaveLength(1);
    expect(error.message).toMatch(/repeat this exact call with confirm_token/);
    expect(result.structuredContent).toMatchObject({
      dry_run: false,
      applied: null,
      diff: { status: { before: 'published', after: 'draft' } },
      confirmation: {
        status: 'required',
        by: 'token',
        confirm_token: error.confirm_token,
        preview: { id: ID, status: 'published', title: 'How We Roast Light Without Going Sour' },
      },
    });
    expect(butter().seen('PATCH')).toHaveLength(0);
  });

  it('refuses a destructive write when POST_EDITOR_CONFIRM_VIA=user and nobody can be asked', async () => {
    const client = await stdio(undefined, { POST_EDITOR_CONFIRM_VIA: 'user' });
    const preview = await unpublish(client, { dry_run: true });
    expect((preview.structuredContent as { warnings: string[] }).warnings.join(' ')).toMatch(
      /the write will be refused/,
    );
    const result = await unpublish(client);
    const error = toolError(result);
    expect(error).toMatchObject({ code: 'confirmation_required', retryable: false });
    expect(error.message).toMatch(/needs the user's confirmation in the client.*Nothing was sent/);
    expect(error.confirm_token).toBeUndefined();
    expect(result.structuredContent).toMatchObject({ confirmation: { status: 'required', by: 'user' } });
    expect(butter().seen('PATCH')).toHaveLength(0);
  });

  it('asks the person when POST_EDITOR_CONFIRM_VIA=user and the client can', async () => {
    const who = person('accept');
    const result = await unpublish(await stdio(who, { POST_EDITOR_CONFIRM_VIA: 'user' }));
    expect(result.structuredContent).toMatchObject({ confirmation: { status: 'confirmed', by: 'user' } });
    expect(butter().seen('PATCH')).toHaveLength(1);
  });
});

describe('a legacy client over HTTP', () => {
  async function http(stateful: boolean, who: Person): Promise<Client> {
    const server = await startHttpServer(baseEnv(sandbox.env), stateful ? ['--stateful'] : []);
    servers.push(server);
    const client = await connectLegacyHttp(legacyClient(who), server.url);
    open.push(client);
    return client;
  }

  it('falls back to the token when stateless (nothing can carry the answer back to this call)', async () => {
    const who = person('accept');
    const client = await http(false, who);
    const error = toolError(await unpublish(client));
    expect(error.code).toBe('confirmation_required');
    const done = await unpublish(client, { confirm_token: error.confirm_token });
    expect(done.isError).toBeFalsy();
    expect(who.forms).toHaveLength(0);
    expect(butter().seen('PATCH')).toHaveLength(1);
  });

  it('asks the person in flight with --stateful sessions and writes once', async () => {
    const who = person('accept');
    const result = await unpublish(await http(true, who));
    expect(result.structuredContent).toMatchObject({ confirmation: { status: 'confirmed', by: 'user' } });
    expect(who.forms).toHaveLength(1);
    expect(butter().seen('PATCH')).toHaveLength(1);
  });
});
