import {
  SUPPORTED_PROTOCOL_VERSIONS,
  classifyInboundRequest,
  type AuthInfo,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type Transport,
} from '@modelcontextprotocol/server';
import { serveStdio, type StdioServerHandle } from '@modelcontextprotocol/server/stdio';
import type { App } from '../server.js';
import { createMcpServer } from './adapter.js';
import { isRecord } from '../core/record.js';

// Stateless HTTP without a protocol server per request (ADR 0111). One long-lived protocol server per
// era sits behind the SDK's own connection entry (`serveStdio` over a custom transport, which pins
// the era at the first message exactly as on stdio); each HTTP exchange is handed to it as one
// message and gets its answer back by id. The SDK still parses, dispatches and encodes every
// message; the hub only renumbers ids so concurrent clients cannot collide.

/** An in-process transport that turns each delivered request into a promise of its answer. */
class ExchangeHub implements Transport {
  onmessage?: Transport['onmessage'];
  onclose?: () => void;
  onerror?: (error: Error) => void;
  private next = 0;
  private readonly waiting = new Map<
    number,
    { id: JSONRPCRequest['id']; done: (m: JSONRPCMessage) => void }
  >();

  async start(): Promise<void> {}

  async close(): Promise<void> {
    this.onclose?.();
  }

  /** Answers leave here; notifications are dropped (calls asking for progress never take this path). */
  async send(message: JSONRPCMessage): Promise<void> {
    if (!('id' in message) || typeof message.id !== 'number' || 'method' in message) return;
    const exchange = this.waiting.get(message.id);
    if (!exchange) return;
    this.waiting.delete(message.id);
    exchange.done({ ...message, id: exchange.id });
  }

  /** Hands one request to the protocol server and resolves with its answer, under the caller's id. */
  exchange(request: JSONRPCRequest, authInfo?: AuthInfo): Promise<JSONRPCMessage> {
    const internal = ++this.next;
    return new Promise((done) => {
      this.waiting.set(internal, { id: request.id, done });
      this.onmessage?.({ ...request, id: internal }, authInfo && { authInfo });
    });
  }
}

/** The shared servers of both eras, and which requests they may answer. */
export interface SharedMcp {
  /**
   * The answer to a single plain request, or undefined when the request needs the per-exchange
   * path (batches, notifications, progress, SEP-2243 header problems, anything the entry must reject).
   */
  answer(
    body: unknown,
    headers: Record<string, string | string[] | undefined>,
    authInfo?: AuthInfo,
  ): Promise<JSONRPCMessage> | undefined;
  close(): Promise<void>;
}

/** Builds the two shared protocol servers (lazily pinned by their first message). */
export function createSharedMcp(app: App): SharedMcp {
  const hubs = { modern: new ExchangeHub(), legacy: new ExchangeHub() };
  const handles: StdioServerHandle[] = [
    serveStdio(() => createMcpServer(app, { transport: 'http' }), {
      transport: hubs.modern,
      legacy: 'reject',
    }),
    serveStdio(() => createMcpServer(app, { transport: 'http' }), { transport: hubs.legacy }),
  ];
  return {
    answer(body, headers, authInfo) {
      if (!isPlainRequest(body) || !acceptsJson(headers)) return undefined;
      const header = (name: string) => {
        const value = headers[name];
        return typeof value === 'string' ? value : undefined;
      };
      const protocolVersionHeader = header('mcp-protocol-version');
      if (isPlainLegacy(body, protocolVersionHeader)) return hubs.legacy.exchange(body, authInfo);
      const mcpMethodHeader = header('mcp-method');
      const mcpNameHeader = header('mcp-name');
      const route = classifyInboundRequest({
        httpMethod: 'POST',
        body,
        ...(protocolVersionHeader !== undefined && { protocolVersionHeader }),
        ...(mcpMethodHeader !== undefined && { mcpMethodHeader }),
        ...(mcpNameHeader !== undefined && { mcpNameHeader }),
      });
      if (route.kind === 'reject') return undefined;
      if (route.kind === 'legacy') {
        // The 2025 transport refuses a version header it does not know: leave that to it.
        const known = !protocolVersionHeader || SUPPORTED_PROTOCOL_VERSIONS.includes(protocolVersionHeader);
        return route.reason === 'http-method' || !known ? undefined : hubs.legacy.exchange(body, authInfo);
      }
      if (route.messageKind !== 'request') return undefined;
      // The modern entry requires the standard headers to be present and to mirror the body
      // (SEP-2243): anything short of an exact match is left to the SDK's handler, which answers it.
      const params: unknown = body.params;
      const toolName =
        typeof params === 'object' && params !== null && 'name' in params ? params.name : undefined;
      if (!protocolVersionHeader || mcpMethodHeader?.trim() !== body.method) return undefined;
      if (body.method === 'tools/call' && mcpNameHeader?.trim() !== toolName) return undefined;
      return hubs.modern.exchange(body, authInfo);
    },
    close: async () => {
      await Promise.all(handles.map((h) => h.close().catch(() => undefined)));
    },
  };
}

const FAST_METHODS = new Set(['tools/call', 'tools/list']);

/** The supported versions the SDK's classifier routes to the 2025-era server, asked of it once. */
const LEGACY_VERSIONS = new Set(
  SUPPORTED_PROTOCOL_VERSIONS.filter(
    (version) =>
      classifyInboundRequest({
        httpMethod: 'POST',
        body: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
        protocolVersionHeader: version,
      }).kind === 'legacy',
  ),
);

/**
 * A request the SDK's classifier would route to the 2025-era server as it is (no `_meta` envelope, no
 * version header or a 2025-era one), known without running it: its failed checks of the body as a
 * response were ~3% of a call. The protocol server still parses and validates the request itself;
 * test/unit/shared-routing.test.ts holds this to the classifier's verdicts.
 */
export function isPlainLegacy(body: JSONRPCRequest, versionHeader: string | undefined): boolean {
  // The SDK's request schema is strict: these keys only, a string or safe-integer id, object params.
  if (body.jsonrpc !== '2.0' || !Object.keys(body).every((key) => REQUEST_KEYS.has(key))) return false;
  if (typeof body.id !== 'string' && !Number.isSafeInteger(body.id)) return false;
  const params: unknown = body.params;
  if (params !== undefined && !(isRecord(params) && !('_meta' in params))) return false;
  return versionHeader === undefined || LEGACY_VERSIONS.has(versionHeader);
}

const REQUEST_KEYS = new Set(['jsonrpc', 'id', 'method', 'params']);

/** One request (not a batch or notification) for a tool method, with no progress asked for. */
function isPlainRequest(body: unknown): body is JSONRPCRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  if (!('method' in body) || typeof body.method !== 'string' || !FAST_METHODS.has(body.method)) return false;
  if (!('id' in body) || (typeof body.id !== 'number' && typeof body.id !== 'string')) return false;
  const params: unknown = 'params' in body ? body.params : undefined;
  if (typeof params !== 'object' || params === null) return body.method === 'tools/list';
  const meta: unknown = '_meta' in params ? params._meta : undefined;
  return !(typeof meta === 'object' && meta !== null && 'progressToken' in meta);
}

/** JSON in, and a client that accepts both answer shapes (else the SDK transport answers 406/415). */
function acceptsJson(headers: Record<string, string | string[] | undefined>): boolean {
  const type = headers['content-type'];
  const accept = headers.accept;
  return (
    typeof type === 'string' &&
    /^application\/json\b/i.test(type) &&
    typeof accept === 'string' &&
    accept.includes('application/json') &&
    accept.includes('text/event-stream')
  );
}
