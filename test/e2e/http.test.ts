import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import {
  SERVER_ENTRY,
  baseEnv,
  callOk,
  eventually,
  startHttpServer,
  startTestSandbox,
  type HttpServer,
} from '../helpers/harness.js';

// Production HTTP mode (issue 5): auth, Origin/Host checks, limits, health, shutdown, sessions.

const TOKEN = 'test-token-0123456789abcdef';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});
const TOOLS_LIST = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });

let sandbox: Sandbox;
const servers: HttpServer[] = [];

async function start(env: Record<string, string>, args: string[] = []): Promise<HttpServer> {
  const server = await startHttpServer(baseEnv({ ...sandbox.env, ...env }), args);
  servers.push(server);
  return server;
}

const baseOf = (server: HttpServer) => server.url.replace(/\/mcp$/, '');

async function readyz(server: HttpServer): Promise<Record<string, unknown>> {
  return (await (await fetch(`${baseOf(server)}/readyz`)).json()) as Record<string, unknown>;
}

/** A raw request, so the Host header can be anything (fetch would not let us forge it). */
function rawPost(url: string, headers: Record<string, string>, body: string): Promise<number> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/mcp', method: 'POST', headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await sandbox?.close();
});

describe('HTTP with a bearer token, Origin and Host checks and a body cap', () => {
  let server: HttpServer;
  beforeAll(async () => {
    server = await start({
      MCP_HTTP_TOKEN: TOKEN,
      MCP_ALLOWED_ORIGINS: 'https://app.example.com',
      MCP_HTTP_MAX_BODY_BYTES: '4096',
    });
  });

  it('answers 401 with WWW-Authenticate: Bearer when the token is missing or wrong', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { authorization: 'Bearer wrong-token-0123456789abcdef' },
      { authorization: TOKEN },
    ]) {
      const res = await fetch(server.url, {
        method: 'POST',
        headers: { ...JSON_HEADERS, ...headers },
        body: INITIALIZE,
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    }
  });

  it('serves tool calls with the right token', async () => {
    const client = await server.connect(AUTH);
    const post = await callOk(client, 'buttercms_get_post', { id: 'cold-brew-at-home' });
    expect(post.id).toBe('cold-brew-at-home');
  });

  it('refuses a foreign Origin with 403 and accepts one listed in MCP_ALLOWED_ORIGINS', async () => {
    const foreign = await fetch(server.url, {
      method: 'POST',
      headers: { ...JSON_HEADERS, ...AUTH, origin: 'https://evil.example' },
      body: INITIALIZE,
    });
    expect(foreign.status).toBe(403);
    const listed = await fetch(server.url, {
      method: 'POST',
      headers: { ...JSON_HEADERS, ...AUTH, origin: 'https://app.example.com' },
      body: INITIALIZE,
    });
    expect(listed.status).toBe(200);
    await listed.text();
  });

  it('refuses a DNS-rebinding Host header with 403', async () => {
    const { port } = new URL(server.url);
    const rebound = await rawPost(
      server.url,
      { ...JSON_HEADERS, ...AUTH, host: `attacker.example:${port}` },
      INITIALIZE,
    );
    expect(rebound).toBe(403);
    const local = await rawPost(
      server.url,
      { ...JSON_HEADERS, ...AUTH, host: `localhost:${port}` },
      INITIALIZE,
    );
    expect(local).toBe(200);
  });

  it('answers 413 for a body over MCP_HTTP_MAX_BODY_BYTES, declared or streamed, and stays up', async () => {
    const big = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/list',
      params: { pad: 'x'.repeat(5000) },
    });
    const declared = await fetch(server.url, {
      method: 'POST',
      headers: { ...JSON_HEADERS, ...AUTH },
      body: big,
    });
    expect(declared.status).toBe(413);
    const streamed = await fetch(server.url, {
      method: 'POST',
      headers: { ...JSON_HEADERS, ...AUTH },
      body: new ReadableStream({
        start(controller) {
          // ~200 KB in pieces, still arriving when the 413 goes out.
          controller.enqueue(new TextEncoder().encode(big.slice(0, -2)));
          for (let i = 0; i < 100; i++) controller.enqueue(new TextEncoder().encode(' '.repeat(2000)));
          controller.enqueue(new TextEncoder().encode('}}'));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect((await fetch(`${baseOf(server)}/healthz`)).status).toBe(200);
  });

  it('answers GET and DELETE /mcp with 405 in stateless mode', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(server.url, { method, headers: { ...AUTH, accept: 'text/event-stream' } });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
    }
  });

  it('has /healthz and /readyz without the token (for probes), readyz with gauges', async () => {
    const health = await fetch(`${baseOf(server)}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${baseOf(server)}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', sessions: 0, in_flight: 0, sandbox: false });
  });
});

describe('per-client rate limit', () => {
  it('answers 429 with Retry-After once a client spends its budget, other clients unaffected', async () => {
    const server = await start({ MCP_HTTP_RATE_LIMIT: '3', MCP_HTTP_TRUST_PROXY: 'true' });
    const post = (client: string) =>
      fetch(server.url, {
        method: 'POST',
        headers: { ...JSON_HEADERS, 'x-forwarded-for': client },
        body: TOOLS_LIST,
      });
    for (let i = 0; i < 3; i++) expect((await post('10.0.0.1')).status).not.toBe(429);
    const limited = await post('10.0.0.1');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await post('10.0.0.2')).status).not.toBe(429);
  });
});

describe('start-up safety', () => {
  it('refuses to start on a non-loopback host without a token, with one line naming MCP_HTTP_TOKEN', async () => {
    const child = spawn(process.execPath, [SERVER_ENTRY, '--http', '--host', '0.0.0.0', '--port', '0'], {
      env: baseEnv(sandbox.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/MCP_HTTP_TOKEN/);
  });
});

describe('graceful shutdown', () => {
  it('on SIGTERM refuses new connections, finishes the in-flight call, then exits 0', async () => {
    const server = await start({});
    const client = await server.connect();
    sandbox.emulator('buttercms').inject({ method: 'GET', path: '/posts/cold-brew-at-home/', delayMs: 1500 });
    const call = callOk(client, 'buttercms_get_post', { id: 'cold-brew-at-home' });
    await eventually(async () => (await readyz(server)).in_flight === 1);
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGTERM');
    await eventually(async () => {
      try {
        await fetch(`${baseOf(server)}/healthz`);
        return false;
      } catch {
        return true; // connection refused: the listener is closed
      }
    });
    expect(server.child.exitCode).toBeNull(); // still finishing the call
    const post = await call;
    expect(post.id).toBe('cold-brew-at-home');
    expect(await exited).toBe(0);
  });
});

describe('stateful mode', () => {
  let server: HttpServer;
  beforeAll(async () => {
    server = await start({ MCP_HTTP_SESSION_TTL_MS: '1000', MCP_HTTP_MAX_SESSIONS: '2' }, ['--stateful']);
  });

  async function open(): Promise<string> {
    const res = await fetch(server.url, { method: 'POST', headers: JSON_HEADERS, body: INITIALIZE });
    expect(res.status).toBe(200);
    await res.text();
    const id = res.headers.get('mcp-session-id');
    expect(id).toBeTruthy();
    return id!;
  }
  const inSession = (id: string, init: RequestInit = {}) =>
    fetch(server.url, {
      method: 'POST',
      body: TOOLS_LIST,
      ...init,
      headers: { ...JSON_HEADERS, 'mcp-session-id': id },
    });

  it('serves a real client over a session and frees it when the client ends the session', async () => {
    const client = await server.connect();
    const post = await callOk(client, 'buttercms_get_post', { id: 'cold-brew-at-home' });
    expect(post.id).toBe('cold-brew-at-home');
    expect((await readyz(server)).sessions).toBe(1);
    const transport = client.transport as { terminateSession(): Promise<void> } | undefined;
    await transport?.terminateSession();
    await client.close();
    await eventually(async () => (await readyz(server)).sessions === 0);
  });

  it('caps sessions with 503, frees one on DELETE, and expires idle ones (404 afterwards), leaking none', async () => {
    const first = await open();
    const second = await open();
    const listed = await inSession(first);
    expect(listed.status).toBe(200);
    expect(await listed.text()).toMatch(/buttercms_get_post/);
    const third = await fetch(server.url, { method: 'POST', headers: JSON_HEADERS, body: INITIALIZE });
    expect(third.status).toBe(503);
    await third.text();
    const ended = await inSession(second, { method: 'DELETE', body: null });
    expect(ended.status).toBe(200);
    expect((await readyz(server)).sessions).toBe(1);
    await eventually(async () => (await readyz(server)).sessions === 0, 5000);
    const expired = await inSession(first);
    expect(expired.status).toBe(404);
    expect((await readyz(server)).sessions).toBe(0);
  });
});
