import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { isLoopbackHost } from '../core/env.js';
import { flushLogs } from '../core/log.js';
import { remembered } from '../core/memo.js';
import { recordRejection } from '../core/metrics.js';
import { reviewPageFor } from '../review/mount.js';
import { originIsThisHost } from '../review/http-util.js';
import { isReviewPath } from '../review/page.js';
import type { App } from '../server.js';
import { BearerAuth } from './auth.js';
import { createMcpEndpoint } from './mcp-endpoint.js';
import { createMetricsEndpoint } from './metrics-endpoint.js';
import { messageCount, RateLimiter } from './rate-limit.js';
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
  // The review page (ADR 0120): same Host/Origin checks, its own login; off with MCP_HTTP_REVIEW=false.
  const review = cfg.review
    ? await reviewPageFor(app, (line) => {
        // A JSON line like the logs around it, but written here: a login token must not reach a log file.
        flushLogs();
        process.stderr.write(
          JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: line }) + '\n',
        );
      })
    : undefined;
  const auth = cfg.tokens.length > 0 ? new BearerAuth(cfg.tokens, cfg.authFailuresPerMinute) : undefined;
  const mcp = createMcpEndpoint(app, sessions);
  // Parsing a Host header is a URL parse: the verdicts for the few a server sees are remembered.
  const hostIsAllowed = remembered((host) => hostAllowed(host, cfg.host), 64);
  let shuttingDown = false;
  // POSTs being answered: what graceful shutdown waits for (a stateful GET stream never ends by itself).
  let inFlight = 0;
  const sockets = new Set<Socket>();
  const serveMetrics = await createMetricsEndpoint(() => inFlight);

  const server = createHttpServer((req, res) => {
    if (req.method === 'POST') {
      inFlight++;
      res.once('close', () => inFlight--);
    }
    handle(req, res).catch((err: unknown) => {
      app.log.error('http handler failed', { error: err instanceof Error ? err.message : String(err) });
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.end();
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = Math.max(app.config.timeoutMs * 3, 60_000);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host;
    if (host === undefined || !hostIsAllowed(host)) return sendJson(res, 403, { error: 'Host not allowed' });
    const pathname = pathOf(req.url);
    if (pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (pathname === '/readyz') {
      return shuttingDown
        ? sendJson(res, 503, { status: 'shutting down' })
        : sendJson(res, 200, {
            status: 'ready',
            tools: app.registry.names.length,
            sandbox: app.config.sandbox,
            // Gauges for operators and the leak checks of the load test.
            sessions: sessions?.size ?? 0,
            connections: sockets.size,
            in_flight: inFlight,
          });
    }
    if (review && isReviewPath(pathname)) {
      // The page's own origin is always allowed: a deployed server's forms post back to itself.
      if (!originAllowed(req.headers.origin, cfg.allowedOrigins) && !originIsThisHost(req))
        return sendJson(res, 403, { error: 'Origin not allowed' });
      return review.handle(req, res, new URL(req.url ?? '/', 'http://localhost'));
    }
    if (pathname !== '/mcp' && pathname !== '/metrics')
      return sendJson(res, 404, { error: 'Not found: the MCP endpoint is POST /mcp' });
    if (!originAllowed(req.headers.origin, cfg.allowedOrigins))
      return sendJson(res, 403, { error: 'Origin not allowed' });
    const client = clientKey(req, cfg.trustProxy);
    const verdict = auth?.check(req.headers.authorization, client);
    if (verdict && !verdict.ok)
      return refuseAuth(res, verdict.status === 429 ? verdict.retryAfterS : undefined);
    if (pathname === '/metrics') return serveMetrics(res);
    // One token now (refusing a flood before its bodies are read), one per further message once parsed.
    const wait = limiter.take(client);
    if (wait > 0) return tooManyRequests(res, wait, 'Too many requests');
    if (shuttingDown) return sendJson(res, 503, { error: 'Shutting down' });
    const readBody = async (): Promise<unknown> => {
      const body = await readJsonBody(req, res, cfg.maxBodyBytes);
      if (body === undefined) return undefined;
      const count = messageCount(body);
      const more = count > 1 ? limiter.take(client, Date.now(), count - 1) : 0;
      if (more === 0) return body;
      tooManyRequests(
        res,
        more,
        more === Infinity
          ? `A batch of ${count} messages is more than MCP_HTTP_RATE_LIMIT allows (${limiter.capacity} per minute): send smaller batches`
          : `Too many requests: this batch of ${count} messages needs ${count} rate-limit tokens`,
      );
      return undefined;
    };
    if (req.method !== 'POST') {
      if (sessions) return sessions.handle(req, res, undefined);
      res.setHeader('Allow', 'POST');
      return sendJson(
        res,
        405,
        jsonRpcError(-32000, 'Method not allowed: this server is stateless; use POST /mcp.'),
      );
    }
    const body = await readBody();
    if (body === undefined) return;
    // The token's label (never the token) is who asked: the journal and the review page show it.
    await mcp.serve(req, res, body, verdict?.ok ? verdict.label : undefined);
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
    auth: auth !== undefined,
    review: review ? url.replace(/\/mcp$/, '/review') : null,
    sandbox: app.config.sandbox,
  });

  return {
    url,
    port,
    async close() {
      // Stop accepting, let in-flight calls finish (up to a deadline), then close sessions and the pool.
      shuttingDown = true;
      server.close();
      server.closeIdleConnections();
      const deadline = Date.now() + SHUTDOWN_DEADLINE_MS;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      if (inFlight > 0)
        app.log.warn('shutdown deadline passed; dropping in-flight calls', { in_flight: inFlight });
      await sessions?.closeAll();
      await mcp.close();
      server.closeAllConnections();
      await app.close();
    },
  };
}

/** Reads a JSON body up to `max` bytes; on failure answers (413/400) and resolves undefined. */
function readJsonBody(req: IncomingMessage, res: ServerResponse, max: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > max) return Promise.resolve(refuseBody(req, res, max));
  // Events rather than for-await: leaving a for-await loop early destroys the request (and socket).
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) return void chunks.push(chunk);
      req.off('data', onData).off('end', onEnd);
      resolve(refuseBody(req, res, max));
    };
    const onEnd = () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
      } catch {
        sendJson(res, 400, jsonRpcError(-32700, 'Parse error: the body is not valid JSON'));
        resolve(undefined);
      }
    };
    req
      .on('data', onData)
      .once('end', onEnd)
      .once('error', () => resolve(undefined));
  });
}

const DRAIN_LIMIT = 8 * 1024 * 1024;

/** Answers 413; drains a bounded amount of the body so the client can read the answer. */
function refuseBody(req: IncomingMessage, res: ServerResponse, max: number): undefined {
  // Closing a socket with unread input resets it, and the client may lose the 413 (EPIPE while it is
  // still sending): read the rest and drop it, keeping the connection usable. A body past the drain
  // cap (declared or actual) is cut instead, so no client keeps us reading for long.
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > DRAIN_LIMIT) res.setHeader('connection', 'close');
  sendJson(res, 413, jsonRpcError(-32000, `Request body over ${max} bytes (MCP_HTTP_MAX_BODY_BYTES)`));
  if (declared > DRAIN_LIMIT) {
    res.once('finish', () => req.socket.destroy());
    return undefined;
  }
  let drained = 0;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_LIMIT) req.socket.destroy();
  });
  req.resume();
  return undefined;
}

/** The path of a request target (what URL parsing would give for an origin-form target), without its query. */
function pathOf(target: string | undefined): string {
  if (!target) return '/';
  const end = target.search(/[?#]/);
  const path = end < 0 ? target : target.slice(0, end);
  // Anything unusual (absolute-form, dot segments, escapes) goes through the URL parser as before.
  return /^\/[\w\-/]*$/.test(path) && !path.includes('//')
    ? path
    : new URL(target, 'http://localhost').pathname;
}

/** Whether the Host header is acceptable for the bound address (loopback binds accept loopback names only). */
export function hostAllowed(hostHeader: string | undefined, boundHost: string): boolean {
  if (!hostHeader) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${hostHeader}`).hostname;
  } catch {
    return false;
  }
  // Bound to loopback: only loopback Host headers, which defeats DNS rebinding.
  if (isLoopbackHost(boundHost)) return isLoopbackHost(hostname);
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

/** 401 for a missing or wrong token, 429 once the client spent its failed-attempt budget. */
function refuseAuth(res: ServerResponse, retryAfterS: number | undefined): void {
  if (retryAfterS !== undefined) {
    recordRejection('auth_rate_limit');
    res.setHeader('Retry-After', String(retryAfterS));
    return sendJson(res, 429, { error: 'Too many failed authentications; try again later' });
  }
  recordRejection('auth');
  res.setHeader('WWW-Authenticate', 'Bearer realm="post-editor-mcp"');
  sendJson(res, 401, { error: 'Missing or invalid bearer token' });
}

/** 429 with Retry-After in whole seconds (a minute for a batch that can never fit). */
function tooManyRequests(res: ServerResponse, waitMs: number, message: string): void {
  recordRejection('rate_limit');
  res.setHeader('Retry-After', String(Math.ceil(Math.min(waitMs, 60_000) / 1000)));
  sendJson(res, 429, { error: message });
}

/** The rate-limit key: the TCP peer, or behind a trusted proxy the address that proxy saw (last X-Forwarded-For hop). */
function clientKey(req: IncomingMessage, trustProxy: boolean): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (!trustProxy) return peer;
  const forwarded = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',');
  return (
    hops
      .map((h) => h.trim())
      .filter(Boolean)
      .at(-1) ?? peer
  );
}

/** A JSON-RPC error answer that belongs to no request (transport-level refusals). */
export function jsonRpcError(code: number, message: string): object {
  return { jsonrpc: '2.0', error: { code, message }, id: null };
}

/** Sends a small JSON response. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
