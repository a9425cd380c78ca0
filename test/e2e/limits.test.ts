import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import {
  SERVER_ENTRY,
  baseEnv,
  callOk,
  startHttpServer,
  startTestSandbox,
  toolError,
  type HttpServer,
} from '../helpers/harness.js';

// What a request may cost (issue 11): rate limits count JSON-RPC messages, failed tokens are limited
// before they are compared, and arguments or provider answers nested absurdly deep are refused
// without a crash and before any request leaves.

const TOKEN = 'limits-token-0123456789abcdef';
const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const POST_ID = '2668409871';
const DEPTH = 100_000;

let sandbox: Sandbox;
const servers: HttpServer[] = [];

async function start(env: Record<string, string>): Promise<HttpServer> {
  const server = await startHttpServer(baseEnv({ ...sandbox.env, ...env }));
  servers.push(server);
  return server;
}

const call = (id: number, name: string, args: Record<string, unknown>) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: args },
});

/** `{"a":{"a":…1…}}` nested `depth` levels, as text: JSON.stringify itself would overflow on it. */
const deepJson = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/** A tools/call whose manual_image_crops (an open object field) nests DEPTH levels, as raw text. */
function deepCall(id: number): string {
  return `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"rebelmouse_update_post","arguments":{"id":"${POST_ID}","manual_image_crops":${deepJson(DEPTH)}}}}`;
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await sandbox?.close();
});

describe('MCP_HTTP_RATE_LIMIT counts JSON-RPC messages, not HTTP requests', () => {
  let server: HttpServer;
  beforeAll(async () => {
    server = await start({ MCP_HTTP_RATE_LIMIT: '5', MCP_HTTP_TRUST_PROXY: 'true' });
  });
  const post = (client: string, body: unknown) =>
    fetch(server.url, {
      method: 'POST',
      headers: { ...JSON_HEADERS, 'x-forwarded-for': client },
      body: JSON.stringify(body),
    });
  const batch = (n: number) =>
    Array.from({ length: n }, (_, i) => call(i + 1, 'buttercms_get_post', { id: 'cold-brew-at-home' }));

  it('five batches of 100 tools/call under a limit of 5 send at most 5 upstream requests', async () => {
    const butter = sandbox.emulator('buttercms');
    butter.reset();
    for (let i = 0; i < 5; i++) {
      const res = await post('10.1.0.1', batch(100));
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await res.json()) as { error: string }).error).toMatch(
        /batch of 100 messages.*MCP_HTTP_RATE_LIMIT/,
      );
    }
    expect(butter.seen('GET').length).toBeLessThanOrEqual(5);
  });

  it('answers a batch that fits, charging each of its messages, and refuses one that no longer fits', async () => {
    const butter = sandbox.emulator('buttercms');
    butter.reset();
    const ok = await post('10.1.0.2', batch(4));
    expect(ok.status).toBe(200);
    const answers = (await ok.json()) as { id: number; result?: { isError?: boolean } }[];
    expect(answers).toHaveLength(4);
    expect(answers.every((a) => a.result && !a.result.isError)).toBe(true);
    // 4 of 5 spent: a batch of 2 no longer fits (and, refused, still spends the token taken before
    // its body was read), so the budget is gone until it refills.
    const over = await post('10.1.0.2', batch(2));
    expect(over.status).toBe(429);
    expect(((await over.json()) as { error: string }).error).toMatch(/batch of 2 messages/);
    expect((await post('10.1.0.2', batch(1)[0])).status).toBe(429);
    expect(butter.seen('GET').length).toBe(4);
  });
});

describe('failed bearer tokens are rate limited per client, before the token is compared', () => {
  it('ends 8,000 wrong guesses in 429s with Retry-After; the right token waits too; other clients do not', async () => {
    const server = await start({ MCP_HTTP_TOKEN: TOKEN, MCP_HTTP_TRUST_PROXY: 'true' });
    const agent = new Agent({ connections: 32 });
    const statuses = new Map<number, number>();
    let retryAfter = 0;
    const guess = async (i: number) => {
      const res = await undiciFetch(server.url, {
        method: 'POST',
        dispatcher: agent,
        headers: {
          ...JSON_HEADERS,
          'x-forwarded-for': '10.2.0.1',
          authorization: `Bearer guess-${i}-0123456789abcdef`,
        },
        body: '{}',
      });
      await res.arrayBuffer();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status === 429) retryAfter = Math.max(retryAfter, Number(res.headers.get('retry-after')));
    };
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < 8000) await guess(next++);
      }),
    );
    await agent.close();
    const unauthorized = statuses.get(401) ?? 0;
    // The default budget is 10 failures a minute; a run of a few seconds refills at most a few more.
    expect(unauthorized).toBeGreaterThanOrEqual(10);
    expect(unauthorized).toBeLessThanOrEqual(20);
    expect(statuses.get(429)).toBe(8000 - unauthorized);
    expect(retryAfter).toBeGreaterThanOrEqual(1);

    const withToken = (client: string) =>
      fetch(server.url, {
        method: 'POST',
        headers: { ...JSON_HEADERS, 'x-forwarded-for': client, authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
    expect((await withToken('10.2.0.1')).status).toBe(429);
    const other = await withToken('10.2.0.2');
    expect(other.status).toBe(200);
    expect(await other.text()).toContain('buttercms_get_post');
  }, 60_000);
});

describe('arguments nested deeper than 32 levels', () => {
  it(`refuses ${DEPTH} levels inside an open object field over HTTP with invalid_input, sends nothing, stays up`, async () => {
    const server = await start({});
    const rebel = sandbox.emulator('rebelmouse');
    rebel.reset();
    const res = await fetch(server.url, { method: 'POST', headers: JSON_HEADERS, body: deepCall(7) });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as {
      id: number;
      result: { isError: boolean; content: { text: string }[] };
    };
    expect(answer.id).toBe(7);
    expect(answer.result.isError).toBe(true);
    const { error } = JSON.parse(answer.result.content[0]!.text) as { error: Record<string, string> };
    expect(error).toMatchObject({ code: 'invalid_input', field: 'manual_image_crops' });
    expect(error.message).toMatch(/deeper than 32 levels/);
    expect(rebel.seen()).toEqual([]);
    const client = await server.connect();
    expect((await callOk(client, 'rebelmouse_get_post', { id: POST_ID })).id).toBe(POST_ID);
  });

  it('accepts 32 levels and refuses 33, naming the field', async () => {
    const server = await start({});
    const client = await server.connect();
    const nest = (depth: number): unknown => (depth === 0 ? 1 : { a: nest(depth - 1) });
    const dry = (depth: number) =>
      client.callTool({
        name: 'rebelmouse_update_post',
        arguments: { id: POST_ID, manual_image_crops: nest(depth), dry_run: true },
      });
    const within = await dry(32);
    if (within.isError) expect(toolError(within).message).not.toMatch(/deeper than/);
    expect(toolError(await dry(33))).toMatchObject({ code: 'invalid_input', field: 'manual_image_crops' });
  });

  it(`refuses ${DEPTH} levels over stdio too, and the process answers the next call`, async () => {
    const child = spawn(process.execPath, [SERVER_ENTRY], {
      env: baseEnv(sandbox.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const send = (text: string) => child.stdin.write(text + '\n');
    const next = async () => JSON.parse(String((await answers.next()).value)) as Record<string, unknown>;
    try {
      send(
        JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: {
            protocolVersion: '2025-06-18',
            capabilities: {},
            clientInfo: { name: 'raw', version: '1' },
          },
        }),
      );
      expect((await next()).id).toBe(1);
      send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
      send(deepCall(2));
      const refused = (await next()) as {
        id: number;
        result: { isError: boolean; content: { text: string }[] };
      };
      expect(refused.id).toBe(2);
      expect(JSON.parse(refused.result.content[0]!.text)).toMatchObject({
        error: { code: 'invalid_input', field: 'manual_image_crops' },
      });
      send(JSON.stringify(call(3, 'rebelmouse_get_post', { id: POST_ID })));
      const ok = (await next()) as { id: number; result: { isError?: boolean } };
      expect(ok.id).toBe(3);
      expect(ok.result.isError).toBeFalsy();
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill();
    }
  });
});

describe('a provider answer nested absurdly deep', () => {
  it('is refused as provider_error after the GET, and the server keeps serving', async () => {
    const server = await start({});
    const client = await server.connect();
    const rebel = sandbox.emulator('rebelmouse');
    rebel.reset();
    rebel.inject({
      method: 'GET',
      path: `/posts/${POST_ID}`,
      text: `{"id":${POST_ID},"headline":"Deep","manual_image_crops":${deepJson(DEPTH)}}`,
    });
    const result = await client.callTool({ name: 'rebelmouse_get_post', arguments: { id: POST_ID } });
    const error = toolError(result);
    expect(error.code).toBe('provider_error');
    expect(error.message).toMatch(/nests deeper than 256 levels/);
    expect((await callOk(client, 'rebelmouse_get_post', { id: POST_ID })).id).toBe(POST_ID);
    expect(server.child.exitCode).toBeNull();
  });
});
