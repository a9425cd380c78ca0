import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ToolError } from '../../src/core/errors.js';
import { HttpClient } from '../../src/core/http.js';
import type { Logger } from '../../src/core/log.js';
import { Redactor } from '../../src/core/redact.js';

// The one write retry that is safe without Retry-After: the connection was refused, so the request
// never reached the provider. (The emulator cannot refuse connections, hence this unit test.)

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}

let upstream: Server | undefined;
afterEach(async () => {
  await new Promise((r) => (upstream ? upstream.close(r) : r(undefined)));
  upstream = undefined;
});

describe('HttpClient writes and refused connections', () => {
  it('retries a write whose connection was refused, once the provider is up', async () => {
    const port = await freePort();
    const received: string[] = [];
    const silent = () => undefined;
    const log: Logger = {
      debugging: true,
      info: silent,
      warn: silent,
      error: silent,
      // The client logs this just before it sleeps and retries: start the provider then.
      debug(msg) {
        if (msg !== 'upstream retry after network error' || upstream) return;
        upstream = createServer((req, res) => {
          received.push(req.method ?? '');
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
        }).listen(port, '127.0.0.1');
      },
    };
    const client = new HttpClient({ timeoutMs: 5000, maxRetries: 2, redactor: new Redactor(), log });
    try {
      const res = await client.send({
        method: 'PATCH',
        url: `http://127.0.0.1:${port}/x`,
        body: {},
        kind: 'write',
      });
      expect(res.status).toBe(200);
      expect(received).toEqual(['PATCH']);
    } finally {
      await client.close();
    }
  });

  it('reports a write that keeps being refused as retryable provider_unavailable (nothing was sent)', async () => {
    const port = await freePort();
    const silent = () => undefined;
    const log: Logger = { debugging: false, debug: silent, info: silent, warn: silent, error: silent };
    const client = new HttpClient({ timeoutMs: 5000, maxRetries: 1, redactor: new Redactor(), log });
    try {
      const err = await client
        .send({ method: 'PATCH', url: `http://127.0.0.1:${port}/x`, body: {}, kind: 'write' })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ToolError);
      expect((err as ToolError).toJSON().error).toMatchObject({
        code: 'provider_unavailable',
        retryable: true,
      });
    } finally {
      await client.close();
    }
  });
});

describe('HttpClient request targets', () => {
  it('sends every path and query exactly as the URL parser normalizes them (plain paths skip the parser)', async () => {
    const received: string[] = [];
    upstream = createServer((req, res) => {
      received.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((r) => upstream?.listen(0, '127.0.0.1', r));
    const { port } = upstream.address() as AddressInfo;
    const silent = () => undefined;
    const log: Logger = { debugging: false, debug: silent, info: silent, warn: silent, error: silent };
    const client = new HttpClient({ timeoutMs: 5000, maxRetries: 0, redactor: new Redactor(), log });
    const cases: [string, Record<string, string>?][] = [
      ['/posts/3411'],
      ['/v2/posts/a%20b'],
      ['/a/../b'],
      ['/a/./b'],
      ['/%2E%2E/x'],
      ['/a b'],
      ['/é'],
      ['/posts', { page: '2', q: 'a b&c' }],
      ['/posts?x=1'],
    ];
    try {
      for (const [path, query] of cases) {
        const url = `http://127.0.0.1:${port}${path}`;
        await client.send({ method: 'GET', url, kind: 'read', ...(query && { query }) });
        const expected = new URL(url);
        for (const [k, v] of Object.entries(query ?? {})) expected.searchParams.set(k, v);
        expect(received.at(-1)).toBe(expected.pathname + expected.search);
      }
      // Hosts in other spellings are normalized too (here: the default port, an upper-case scheme).
      await client.send({ method: 'GET', url: `HTTP://127.0.0.1:${port}/x`, kind: 'read' });
      expect(received.at(-1)).toBe('/x');
    } finally {
      await client.close();
    }
  });
});
