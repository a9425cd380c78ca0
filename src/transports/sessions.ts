import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { createServer, type App } from '../server.js';
import { jsonRpcError, sendJson } from './http.js';

interface Session {
  transport: StreamableHTTPServerTransport;
  server: Server;
  lastSeen: number;
  /** POSTs being answered: a session is never expired mid-call. */
  active: number;
}

/** Stateful mode: sessions with an idle TTL and a cap; an expired session's transport is closed, never leaked. */
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

  /** Routes a request to its session, or starts one on initialize. */
  async handle(req: IncomingMessage, res: ServerResponse, readBody: () => Promise<unknown>): Promise<void> {
    const sid = req.headers['mcp-session-id'];
    if (typeof sid === 'string') {
      const session = this.sessions.get(sid);
      if (!session) return sendJson(res, 404, rpcError('Session not found or expired: initialize again'));
      session.lastSeen = Date.now();
      if (req.method !== 'POST') return session.transport.handleRequest(req, res);
      session.active++;
      res.once('close', () => {
        session.active--;
        session.lastSeen = Date.now();
      });
      const body = await readBody();
      if (body === undefined) return;
      return session.transport.handleRequest(req, res, body);
    }
    if (req.method !== 'POST') return sendJson(res, 400, rpcError('Missing Mcp-Session-Id header'));
    const body = await readBody();
    if (body === undefined) return;
    if (!isInitializeRequest(body)) return sendJson(res, 400, rpcError('No session: send initialize first'));
    if (this.sessions.size >= this.max) await this.sweep();
    if (this.sessions.size >= this.max)
      return sendJson(res, 503, rpcError('Too many sessions; try again later'));
    const server = createServer(this.app, 'http');
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        this.sessions.set(id, { transport, server, lastSeen: Date.now(), active: 0 });
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) this.sessions.delete(transport.sessionId);
      void server.close();
    };
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
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
