import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLoopbackHost } from '../core/env.js';
import type { App } from '../server.js';
import { hostAllowed } from '../transports/http.js';
import { BASE } from './layout.js';
import { reviewPageFor } from './mount.js';
import { isReviewPath } from './page.js';

export interface ReviewServer {
  url: string;
  close(): Promise<void>;
}

/**
 * `post-editor-mcp review`: the review page alone, on loopback, over the same local store the stdio
 * server journals to (no MCP endpoint is opened).
 */
export async function serveReview(
  app: App,
  options: { host: string; port: number },
  announce: (line: string) => void,
): Promise<ReviewServer> {
  if (!isLoopbackHost(options.host)) throw new Error(`review serves on loopback only, not ${options.host}`);
  const page = await reviewPageFor(app, announce);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    // Loopback Host headers only, as the HTTP transport does: this defeats DNS rebinding.
    if (!hostAllowed(req.headers.host, options.host)) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('Host not allowed');
      return;
    }
    if (isReviewPath(url.pathname)) return void page.handle(req, res, url);
    res.writeHead(url.pathname === '/' ? 303 : 404, { location: BASE, 'content-type': 'text/plain' });
    res.end(url.pathname === '/' ? '' : 'Not found: the review page is at /review');
  });
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}${BASE}`;
  return {
    url,
    async close() {
      server.close();
      server.closeAllConnections();
      await app.close();
    },
  };
}
