import type { Client as ModernClient } from '@modelcontextprotocol/client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import {
  connectModernHttp,
  connectModernStdio,
  modernClient,
  person,
  type Person,
} from '../helpers/asking-client.js';
import { baseEnv, startHttpServer, startTestSandbox, type HttpServer } from '../helpers/harness.js';

// Protocol 2026-07-28 (the v2 SDK client, pinned): the person is asked through an input_required result
// and the client's retry of the same call, with nothing kept on the server between the two rounds.
let sandbox: Sandbox;
const servers = new Map<string, HttpServer>();
const open: ModernClient[] = [];
const butter = () => sandbox.emulator('buttercms');
const ID = 'how-we-roast-light';

interface Result {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => {
  await Promise.all([...servers.values()].map((s) => s.close()));
  await sandbox?.close();
});
beforeEach(() => sandbox.emulators.forEach((e) => e.reset()));
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

function errorOf(result: Result): Record<string, unknown> & { code: string; message: string } {
  expect(result.isError).toBe(true);
  return (JSON.parse(result.content[0]?.text ?? '{}') as { error: never }).error;
}

describe.each(['stdio', 'http'] as const)('a 2026-07-28 client over %s', (wire) => {
  async function connect(who?: Person, env: Record<string, string> = {}): Promise<ModernClient> {
    const client = modernClient(who);
    const fullEnv = baseEnv({ ...sandbox.env, ...env });
    if (wire === 'stdio') await connectModernStdio(client, fullEnv);
    else {
      const key = JSON.stringify(env);
      let server = servers.get(key);
      if (!server) {
        server = await startHttpServer(fullEnv);
        servers.set(key, server);
      }
      await connectModernHttp(client, server.url);
    }
    open.push(client);
    // Listing the tools makes the SDK client check every structuredContent against the tool's outputSchema.
    await client.listTools();
    return client;
  }

  async function unpublish(client: ModernClient, args: Record<string, unknown> = {}): Promise<Result> {
    const got = (await client.callTool({ name: 'buttercms_get_post', arguments: { id: ID } })) as Result;
    const version = got.structuredContent?.version;
    return (await client.callTool({
      name: 'buttercms_unpublish_post',
      arguments: { id: ID, expected_version: version, ...args },
    })) as Result;
  }

  it('asks the person and writes once, in one tool call, when they accept', async () => {
    const who = person('accept');
    const result = await unpublish(await connect(who));
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      changed_fields: ['status'],
      confirmation: { status: 'confirmed', by: 'user' },
    });
    expect(who.forms).toHaveLength(1);
    expect(who.forms[0]?.message).toContain('Title: How We Roast Light Without Going Sour');
    expect(who.forms[0]?.message).toContain('- status: "published" → "draft"');
    expect(butter().seen('PATCH')).toHaveLength(1);
  });

  it('sends nothing when the person declines, and answers with a result that is not an error', async () => {
    const who = person('decline');
    const result = await unpublish(await connect(who));
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      applied: null,
      journal_id: null,
      confirmation: { status: 'declined', by: 'user' },
    });
    expect(who.forms).toHaveLength(1);
    expect(butter().seen('PATCH')).toHaveLength(0);
  });

  it('gives a client that cannot ask the two-step token flow', async () => {
    const client = await connect();
    const preview = await unpublish(client, { dry_run: true });
    const confirmation = preview.structuredContent?.confirmation as { by: string; confirm_token: string };
    expect(confirmation.by).toBe('token');
    expect(butter().seen('PATCH')).toHaveLength(0);
    const done = await unpublish(client, { confirm_token: confirmation.confirm_token });
    expect(done.structuredContent).toMatchObject({ confirmation: { status: 'confirmed', by: 'token' } });
    expect(butter().seen('PATCH')).toHaveLength(1);
  });

  it('refuses when POST_EDITOR_CONFIRM_VIA=user and the client cannot ask', async () => {
    const result = await unpublish(await connect(undefined, { POST_EDITOR_CONFIRM_VIA: 'user' }));
    const error = errorOf(result);
    expect(error.code).toBe('confirmation_required');
    expect(error.confirm_token).toBeUndefined();
    expect(result.structuredContent).toMatchObject({ confirmation: { status: 'required', by: 'user' } });
    expect(butter().seen('PATCH')).toHaveLength(0);
  });
});

describe('the 2026-07-28 round trip on the wire (stateless HTTP)', () => {
  const META = {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } },
    'io.modelcontextprotocol/clientInfo': { name: 'raw-wire', version: '1.0.0' },
  };

  async function rpc(url: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        'mcp-name': String(params.name),
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { ...params, _meta: META },
      }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { result: Record<string, unknown> }).result;
  }

  it('asks with an input request, and takes an answer only with the state it was asked with', async () => {
    const server = await startHttpServer(baseEnv(sandbox.env));
    servers.set('raw', server);
    const got = await rpc(server.url, { name: 'buttercms_get_post', arguments: { id: ID } });
    const args = { id: ID, expected_version: (got.structuredContent as { version: string }).version };
    const call = { name: 'buttercms_unpublish_post', arguments: args };

    const asked = await rpc(server.url, call);
    expect(asked.resultType).toBe('input_required');
    const form = (asked.inputRequests as { confirm: { method: string; params: { message: string } } })
      .confirm;
    expect(form.method).toBe('elicitation/create');
    expect(form.params.message).toContain('Title: How We Roast Light Without Going Sour');

    // A forged state (or one for another call) is not an answer: the person is asked again.
    const forged = await rpc(server.url, {
      ...call,
      inputResponses: { confirm: { action: 'accept' } },
      requestState: `9999999999.${'A'.repeat(43)}`,
    });
    expect(forged.resultType).toBe('input_required');
    expect(butter().seen('PATCH')).toHaveLength(0);

    // The state it was asked with, echoed by the client, completes the call (any instance could check it).
    const done = await rpc(server.url, {
      ...call,
      inputResponses: { confirm: { action: 'accept' } },
      requestState: asked.requestState,
    });
    expect(done.structuredContent).toMatchObject({ confirmation: { status: 'confirmed', by: 'user' } });
    expect(butter().seen('PATCH')).toHaveLength(1);
  });
});
