import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isLoopbackHost } from '../providers/env.js';
import { createServer, type App } from '../server.js';
import { RateLimiter } from './rate-limit.js';
import { SessionStore } from './sessions.js';

export interface HttpHandle {
  url: string;
  port: number;
  close(): Promise<void>;
}

const SHUTDOWN_DEADLINE_MS = 10_000;

/** Streamable HTTP at POST /mcp (stateless by default), with /healthz and /readyz. */
export async function serveHttp(app: App): Promise<HttpHandle> {
  const { http: cfg } = app.config;
  const limiter = new RateLimiter(cfg.rateLimitPerMinute);
  const sessions = cfg.stateful ? new SessionStore(app, cfg.sessionTtlMs, cfg.maxSessions) : undefined;
  const tokenDigest = cfg.token ? sha256(cfg.token) : undefined;
  let shuttingDown = false;
  let inFlight = 0;

  const server = createHttpServer((req, res) => {
    inFlight++;
    res.on('close', () => inFlight--);
    handle(req, res).catch((err: unknown) => {
      app.log.error('http handler failed', { error: err instanceof Error ? err.message : String(err) });
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.end();
    });
  });
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = Math.max(app.config.timeoutMs * 3, 60_000);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!hostAllowed(req.headers.host, cfg.host)) return sendJson(res, 403, { error: 'Host not allowed' });
    if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (url.pathname === '/readyz') {
      return shuttingDown
        ? sendJson(res, 503, { status: 'shutting down' })
        : sendJson(res, 200, {
            status: 'ready',
            tools: app.registry.names.length,
            sandbox: app.config.sandbox,
          });
    }
    if (url.pathname !== '/mcp')
      return sendJson(res, 404, { error: 'Not found: the MCP endpoint is POST /mcp' });
    if (!originAllowed(req.headers.origin, cfg.allowedOrigins))
      return sendJson(res, 403, { error: 'Origin not allowed' });
    if (tokenDigest && !bearerMatches(req.headers.authorization, tokenDigest)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="post-editor-mcp"');
      return sendJson(res, 401, { error: 'Missing or invalid bearer token' });
    }
    const wait = limiter.take(clientKey(req));
    if (wait > 0) {
      res.setHeader('Retry-After', String(Math.ceil(wait / 1000)));
      return sendJson(res, 429, { error: 'Too many requests' });
    }
    if (shuttingDown) return sendJson(res, 503, { error: 'Shutting down' });
    if (sessions) return sessions.handle(req, res, () => readJsonBody(req, res, cfg.maxBodyBytes));
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return sendJson(
        res,
        405,
        jsonRpcError(-32000, 'Method not allowed: this server is stateless; use POST /mcp.'),
      );
    }
    const body = await readJsonBody(req, res, cfg.maxBodyBytes);
    if (body === undefined) return;
    const mcp = createServer(app);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void mcp.close();
    });
    await mcp.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, cfg.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const hostForUrl = cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host;
  const url = `http://${hostForUrl}:${port}/mcp`;
  app.log.info('listening', {
    url,
    stateful: cfg.stateful,
    auth: Boolean(cfg.token),
    sandbox: app.config.sandbox,
  });

  return {
    url,
    port,
    async close() {
      shuttingDown = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        const deadline = Date.now() + SHUTDOWN_DEADLINE_MS;
        const timer = setInterval(() => {
          if (inFlight <= 0 || Date.now() > deadline) {
            clearInterval(timer);
            server.closeAllConnections();
            resolve();
          }
        }, 50);
      });
      await sessions?.closeAll();
      await app.close();
    },
  };
}

async function readJsonBody(req: IncomingMessage, res: ServerResponse, max: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > max) {
    sendJson(res, 413, jsonRpcError(-32000, `Request body over ${max} bytes`));
    req.resume();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) {
      sendJson(res, 413, jsonRpcError(-32000, `Request body over ${max} bytes`));
      req.destroy();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    sendJson(res, 400, jsonRpcError(-32700, 'Parse error: the body is not valid JSON'));
    return undefined;
  }
}

function hostAllowed(hostHeader: string | undefined, boundHost: string): boolean {
  if (!hostHeader) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${hostHeader}`).hostname;
  } catch {
    return false;
  }
  // Bound to loopback: only loopback Host headers, which defeats DNS rebinding.
  if (isLoopbackHost(boundHost) || boundHost === '::1') return isLoopbackHost(hostname);
  return true;
}

function originAllowed(origin: string | undefined, allowed: string[]): boolean {
  if (!origin) return true; // not a browser
  if (allowed.includes('*') || allowed.includes(origin.replace(/\/+$/, ''))) return true;
  if (allowed.length > 0) return false;
  try {
    return isLoopbackHost(new URL(origin).hostname);
  } catch {
    return false;
  }
}

function bearerMatches(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return match?.[1] !== undefined && timingSafeEqual(sha256(match[1].trim()), expected);
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function clientKey(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

function jsonRpcError(code: number, message: string): object {
  return { jsonrpc: '2.0', error: { code, message }, id: null };
}

/** Sends a small JSON response. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
