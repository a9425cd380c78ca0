import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  WebStandardStreamableHTTPServerTransport,
  type AuthInfo,
  createMcpHandler,
  isLegacyRequest,
} from '@modelcontextprotocol/server';
import { createMcpServer } from '../mcp/adapter.js';
import { createSharedMcp } from '../mcp/shared.js';
import type { App } from '../server.js';
import type { SessionStore } from './sessions.js';
import { sendJson } from './http.js';
import { sendWebResponse, toWebRequest } from './web.js';

/** POST /mcp once the HTTP hardening has passed: both protocol eras, and 2025-era sessions if enabled. */
export interface McpEndpoint {
  /** `principal`: the label of the bearer token that authenticated the request, if any. */
  serve(req: IncomingMessage, res: ServerResponse, body: unknown, principal?: string): Promise<void>;
  close(): Promise<void>;
}

/** The SDK's strict 2026-07-28 handler plus our 2025-era routing (the body is already read and size-checked). */
export function createMcpEndpoint(app: App, sessions: SessionStore | undefined): McpEndpoint {
  // Which method each per-exchange request carries, so its server installs the raw tools/call path
  // only when it is a tools/call (see createMcpServer).
  const methods = new WeakMap<Request, unknown>();
  const modern = createMcpHandler(
    ({ requestInfo }) =>
      createMcpServer(app, {
        transport: 'http',
        rawToolCalls: requestInfo === undefined || methods.get(requestInfo) === 'tools/call',
      }),
    {
      legacy: 'reject',
      onerror: (error) => app.log.debug('mcp http', { error: error.message }),
    },
  );
  // The hot path: plain tool requests go to one shared protocol server per era (ADR 0111). Sessions
  // own every 2025-era request in --stateful mode, so the hub serves only 2026-07-28 ones there.
  const shared = createSharedMcp(app);
  return {
    async serve(req, res, body, principal) {
      // The label travels as the SDK's authInfo (never the token): the adapter records it as who asked.
      const authInfo: AuthInfo | undefined =
        principal === undefined ? undefined : { token: '', clientId: principal, scopes: [] };
      const fast = sessions && !isModernClaim(body) ? undefined : shared.answer(body, req.headers, authInfo);
      if (fast) return sendJson(res, 200, await fast);
      const request = toWebRequest(req);
      // Routed with the SDK's own era predicate, as its legacy-clients guide does: 2026-07-28 requests
      // are sessionless by definition; 2025-era ones go to the session store when --stateful is on.
      if (!(await isLegacyRequest(request, body))) {
        methods.set(request, methodOf(body));
        return sendWebResponse(res, await modern.fetch(request, { parsedBody: body, authInfo }));
      }
      if (sessions) return sessions.handle(req, res, body, authInfo);
      return sendWebResponse(res, await serveLegacyStateless(app, request, body, authInfo));
    },
    close: async () => {
      await shared.close();
      await modern.close();
    },
  };
}

/**
 * A 2025-era request without a session: a fresh protocol server for this one exchange. Answered as
 * plain JSON unless the client asked for progress (the SDK's own fallback always streams SSE, which
 * costs more per call and is only needed for notifications before the result; ADR 0063).
 */
async function serveLegacyStateless(
  app: App,
  request: Request,
  body: unknown,
  authInfo: AuthInfo | undefined,
): Promise<Response> {
  const server = createMcpServer(app, { transport: 'http' });
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: !wantsProgress(body),
  });
  await server.connect(transport);
  const response = await transport.handleRequest(request, { parsedBody: body, authInfo });
  const close = () => void server.close().catch(() => undefined);
  if (!response.body || !response.headers.get('content-type')?.startsWith('text/event-stream')) {
    close();
    return response;
  }
  // Streaming: close once the stream is done or the client left.
  const [forClient, watcher] = response.body.tee();
  void watcher
    .pipeTo(new WritableStream())
    .catch(() => undefined)
    .finally(close);
  return new Response(forClient, response);
}

/** Whether any message of a POST body carries a progress token (then the answer must stream). */
function wantsProgress(body: unknown): boolean {
  const messages: unknown[] = Array.isArray(body) ? body : [body];
  return messages.some((m) => {
    if (typeof m !== 'object' || m === null || !('params' in m)) return false;
    const params: unknown = m.params;
    if (typeof params !== 'object' || params === null || !('_meta' in params)) return false;
    const meta: unknown = params._meta;
    return typeof meta === 'object' && meta !== null && 'progressToken' in meta;
  });
}

/** Whether a body claims the 2026-07-28 era (its per-request envelope names a protocol version). */
function isModernClaim(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || !('params' in body)) return false;
  const params: unknown = body.params;
  if (typeof params !== 'object' || params === null || !('_meta' in params)) return false;
  const meta: unknown = params._meta;
  return typeof meta === 'object' && meta !== null && 'io.modelcontextprotocol/protocolVersion' in meta;
}

/** The method of a single JSON-RPC message (undefined for a batch or anything else). */
function methodOf(body: unknown): unknown {
  return typeof body === 'object' && body !== null && 'method' in body ? body.method : undefined;
}
