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
    const log: Logger = { debug: silent, info: silent, warn: silent, error: silent };
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
