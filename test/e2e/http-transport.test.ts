import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import {
  baseEnv,
  callOk,
  startHttpServer,
  startTestSandbox,
  toolError,
  type HttpServer,
} from '../helpers/harness.js';

let sandbox: Sandbox;
let server: HttpServer;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  server = await startHttpServer(baseEnv(sandbox.env));
});
afterAll(async () => {
  await server?.close();
  await sandbox?.close();
});

describe('Streamable HTTP', () => {
  it('serves the same tools as stdio and answers calls, statelessly', async () => {
    const client = await server.connect();
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('buttercms_update_post');
    const post = await callOk(client, 'buttercms_get_post', { id: 'espresso-dial-in-guide' });
    const preview = await callOk(client, 'buttercms_update_post', {
      id: 'espresso-dial-in-guide',
      title: 'Dialing In Espresso',
      expected_version: post.version,
      dry_run: true,
    });
    expect(preview).toMatchObject({
      dry_run: true,
      changed_fields: ['title'],
      applied: null,
      journal_id: null,
    });
    expect(sandbox.emulator('buttercms').seen('PATCH')).toHaveLength(0);
  });

  it('answers bad input with invalid_input over HTTP too', async () => {
    const client = await server.connect();
    const err = toolError(
      await client.callTool({ name: 'buttercms_list_posts', arguments: { page_size: 500 } }),
    );
    expect(err).toMatchObject({ code: 'invalid_input', field: 'page_size' });
    expect(err.message).toMatch(/at most 100/);
  });

  it('answers a plain call as JSON, and streams progress (SSE) when the client asked for it', async () => {
    const call = (meta: Record<string, unknown>) =>
      fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 7,
          method: 'tools/call',
          params: { name: 'buttercms_get_post', arguments: { id: 'espresso-dial-in-guide' }, _meta: meta },
        }),
      });
    const plain = await call({});
    expect(plain.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await plain.json()) as { id: number }).id).toBe(7);

    const client = await server.connect();
    const post = await callOk(client, 'buttercms_get_post', { id: 'grinder-maintenance' });
    const progress: number[] = [];
    const result = await client.callTool(
      {
        name: 'buttercms_update_post',
        arguments: {
          id: 'grinder-maintenance',
          summary: 'Weekly grinder care.',
          expected_version: post.version,
          wait_for_apply: true,
        },
      },
      undefined,
      { onprogress: (p) => progress.push(p.progress) },
    );
    expect(result.isError).toBeFalsy();
    expect(progress.length).toBeGreaterThan(0);
    const streamed = await call({ progressToken: 'p1' });
    expect(streamed.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(await streamed.text()).toContain('"id":7');
  });

  it('has a liveness endpoint and refuses GET /mcp in stateless mode', async () => {
    const base = server.url.replace(/\/mcp$/, '');
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const get = await fetch(server.url, { headers: { accept: 'text/event-stream' } });
    expect(get.status).toBe(405);
  });

  it('refuses a foreign Origin and a rebinding Host header with 403', async () => {
    const origin = await fetch(server.url, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(origin.status).toBe(403);
    const { port } = new URL(server.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/mcp',
          method: 'POST',
          headers: { host: `attacker.example:${port}`, 'content-type': 'application/json' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(403);
  });

  it('serves the embedded sandbox as npm start does (--sandbox --http)', async () => {
    const started = await startHttpServer(baseEnv(), ['--sandbox']);
    try {
      const client = await started.connect();
      expect(client.getInstructions()).toMatch(/^SANDBOX/);
      const post = await callOk(client, 'buttercms_get_post', { id: 'cold-brew-at-home' });
      expect(post.title).toBe('Cold Brew at Home: A 12-Hour Recipe');
      expect(started.stderr()).toMatch(/SANDBOX/);
    } finally {
      await started.close();
    }
  });
});
