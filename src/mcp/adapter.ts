import {
  McpServer,
  ProtocolError,
  ProtocolErrorCode,
  type JSONRPCRequest,
  type jsonSchemaValidator,
  type Result,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { deriveActor } from '../core/actor.js';
import type { ToolContext } from '../core/tool.js';
import type { Actor } from '../store/types.js';
import { SERVER_VERSION, type App } from '../server.js';

// The one module that builds MCP protocol objects from the SDK (ADR 0110): the transports hand it
// messages, the rest of the code never sees an SDK type.

// We never ask the client for input (no elicitation), so the SDK's JSON Schema validator is never
// used; the default would compile an Ajv instance per server, i.e. per stateless HTTP request.
const noValidator: jsonSchemaValidator = {
  getValidator: () => () => ({
    valid: false,
    data: undefined,
    errorMessage: 'this server validates nothing through the SDK',
  }),
};

/**
 * A fresh MCP protocol server over the shared app (one per stdio connection, shared HTTP hub or HTTP
 * exchange). `rawToolCalls: false` leaves out the tools/call fallback, for a per-exchange server known
 * to answer another method: the SDK then refuses unknown methods itself, synchronously, which its HTTP
 * entry maps to 404 as the 2026-07-28 transport requires (our fallback's answer would be a 200).
 */
export function createMcpServer(
  app: App,
  options: { rawToolCalls?: boolean; transport?: Actor['transport'] } = {},
): McpServer {
  const mcp = new McpServer(
    { name: 'post-editor-mcp', title: 'Post editor', version: SERVER_VERSION },
    { instructions: app.instructions, jsonSchemaValidator: noValidator },
  );
  // Declared on the protocol server, not through McpServer's options: those would install McpServer's
  // own tools/list and tools/call, which validate arguments with the SDK before our registry sees them.
  mcp.server.registerCapabilities({ tools: { listChanged: false } });
  const listing = { tools: app.registry.listing };
  mcp.server.setRequestHandler('tools/list', () => listing);
  // tools/call goes through the fallback handler, which receives the request as it arrived: the
  // registered path re-parses it with the SDK's schema first, answering non-object arguments with a
  // bare -32602 instead of our invalid_input and dropping a "__proto__" key we must refuse (ADR 0050).
  if (options.rawToolCalls === false) return mcp;
  mcp.server.fallbackRequestHandler = (request, ctx) => {
    if (request.method === 'tools/call') {
      // Who asked, for the journal: per-request clientInfo (2026-07-28) or initialize's (2025 era),
      // and over HTTP the label of the bearer token (the transport passes it as authInfo.clientId).
      const actor = deriveActor({
        transport: options.transport ?? 'stdio',
        principal: ctx.http?.authInfo?.clientId,
        // The 2025 era's clientInfo lives only in initialize's answer; 2026-07-28 sends it in _meta (above).
        // eslint-disable-next-line @typescript-eslint/no-deprecated -- the supported source for 2025-era connections
        clientInfo: mcp.server.getClientVersion(),
        meta: isRecord(request.params) ? request.params._meta : undefined,
      });
      return callTool(app, request, ctx, actor);
    }
    return Promise.reject(new ProtocolError(ProtocolErrorCode.MethodNotFound, 'Method not found'));
  };
  return mcp;
}

async function callTool(
  app: App,
  request: JSONRPCRequest,
  ctx: ServerContext,
  actor: Actor,
): Promise<Result> {
  const params: Record<string, unknown> = isRecord(request.params) ? request.params : {};
  const name = params.name;
  if (typeof name !== 'string' || !app.registry.get(name)) {
    // The spec's answer to an unknown tool is a protocol error, not a tool result (issue 12 item 5).
    app.log.info('tool call', { tool: '(unknown)', outcome: 'unknown_tool' });
    throw new ProtocolError(
      ProtocolErrorCode.InvalidParams,
      `Unknown tool: ${typeof name === 'string' ? JSON.stringify(name) : '(no name)'}`,
      { available: app.registry.names },
    );
  }
  const meta = isRecord(params._meta) ? params._meta : undefined;
  const progressToken = meta?.progressToken;
  const toolCtx: ToolContext = {
    signal: ctx.mcpReq.signal,
    actor,
    async progress(progress, total, message) {
      if (typeof progressToken !== 'string' && typeof progressToken !== 'number') return;
      await ctx.mcpReq
        .notify({
          method: 'notifications/progress',
          params: {
            progressToken,
            progress,
            ...(total !== undefined && { total }),
            ...(message && { message }),
          },
        })
        .catch(() => undefined);
    },
  };
  return { ...(await app.registry.call(name, params.arguments, toolCtx)) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
