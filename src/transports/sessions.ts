import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  WebStandardStreamableHTTPServerTransport,
  isInitializeRequest,
  type AuthInfo,
} from '@modelcontextprotocol/server';
import { createMcpServer } from '../mcp/adapter.js';
import type { App } from '../server.js';
import { jsonRpcError, sendJson } from './http.js';
import { sendWebResponse, toWebRequest } from './web.js';

interface Session {
  transport: WebStandardStreamableHTTPServerTransport;
  lastSeen: number;
  /** POSTs being answered: a session is never expired mid-call. */
  active: number;
}

/**
 * Stateful mode for 2025-era clients (sessions are a 2025-era notion; 2026-07-28 requests never
 * reach this store): an idle TTL and a cap; an expired session's transport is closed, never leaked.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly app: App,
    private readonly ttlMs: number,
    private readonly max: number,
  ) {
    // Sweep often enough that a session outlives its TTL by at most half of it (or 30 s).
    this.sweeper = setInterval(() => void this.sweep(), Math.max(250, Math.min(ttlMs / 2, 30_000)));
    this.sweeper.unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Whether this request belongs to the store: it names a session, or it opens one. */
  owns(req: IncomingMessage, body: unknown): boolean {
    return typeof req.headers['mcp-session-id'] === 'string' || isInitializeRequest(body);
  }

  /** Routes a request to its session, or starts one on initialize (body already read for POSTs). */
  async handle(req: IncomingMessage, res: ServerResponse, body: unknown, authInfo?: AuthInfo): Promise<void> {
    const sid = req.headers['mcp-session-id'];
    if (typeof sid === 'string') {
      const session = this.sessions.get(sid);
      if (!session) return sendJson(res, 404, rpcError('Session not found or expired: initialize again'));
      session.lastSeen = Date.now();
      if (req.method === 'POST') {
        session.active++;
        res.once('close', () => {
          session.active--;
          session.lastSeen = Date.now();
        });
      }
      const answer = await session.transport.handleRequest(
        toWebRequest(req),
        req.method === 'POST' ? { parsedBody: body, authInfo } : { authInfo },
      );
      return sendWebResponse(res, answer);
    }
    if (req.method !== 'POST') return sendJson(res, 400, rpcError('Missing Mcp-Session-Id header'));
    if (!isInitializeRequest(body)) return sendJson(res, 400, rpcError('No session: send initialize first'));
    if (this.sessions.size >= this.max) await this.sweep();
    if (this.sessions.size >= this.max)
      return sendJson(res, 503, rpcError('Too many sessions; try again later'));
    const server = createMcpServer(this.app, { transport: 'http' });
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        this.sessions.set(id, { transport, lastSeen: Date.now(), active: 0 });
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) this.sessions.delete(transport.sessionId);
      void server.close();
    };
    await server.connect(transport);
    return sendWebResponse(
      res,
      await transport.handleRequest(toWebRequest(req), { parsedBody: body, authInfo }),
    );
  }

  /** Closes every session (shutdown). */
  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.sessions.values()].map((s) => s.transport.close()));
    this.sessions.clear();
  }

  private async sweep(): Promise<void> {
    const now = Date.now();
    const expired = [...this.sessions.entries()].filter(
      ([, s]) => s.active === 0 && now - s.lastSeen > this.ttlMs,
    );
    for (const [id, session] of expired) {
      this.sessions.delete(id);
      await session.transport.close().catch(() => undefined);
    }
  }
}

const rpcError = (message: string) => jsonRpcError(-32000, message);
