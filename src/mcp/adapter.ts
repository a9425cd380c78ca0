import {
  CLIENT_CAPABILITIES_META_KEY,
  McpServer,
  ProtocolError,
  ProtocolErrorCode,
  inputRequired,
  inputResponse,
  type ClientCapabilities,
  type JSONRPCRequest,
  type jsonSchemaValidator,
  type Result,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { deriveActor } from '../core/actor.js';
import { AskPending, CannotAsk, type PersonAsker } from '../core/ask.js';
import { CONFIRM_TTL_MS } from '../core/safety.js';
import type { ToolContext } from '../core/tool.js';
import type { Actor } from '../store/types.js';
import { SERVER_VERSION, type App } from '../server.js';
import { complete } from './completions.js';
import { RequestError } from './posts.js';
import { getPrompt, hasPrompts, listPrompts } from './prompts.js';
import { listResources, listTemplates, readResource } from './resources.js';
import { isRecord } from '../core/record.js';

// The one module that builds MCP protocol objects from the SDK (ADR 0110): the transports hand it
// messages, the rest of the code never sees an SDK type.

// The SDK's JSON Schema validator would only check the content of an accepted elicitation, and our
// confirmation form has no fields (elicitation goes through ctx.mcpReq.send, which does not use it);
// the default would compile an Ajv instance per server, i.e. per stateless HTTP request.
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
  mcp.server.registerCapabilities({
    tools: { listChanged: false },
    resources: { listChanged: false },
    completions: {},
    ...(hasPrompts(app.posts) && { prompts: { listChanged: false } }),
  });
  const listing = { tools: app.registry.listing };
  mcp.server.setRequestHandler('tools/list', () => listing);
  registerPostResources(mcp, app);
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
      return callTool(mcp, app, request, ctx, actor);
    }
    return Promise.reject(new ProtocolError(ProtocolErrorCode.MethodNotFound, 'Method not found'));
  };
  return mcp;
}

const readContext = (ctx: ServerContext): ToolContext => ({
  signal: ctx.mcpReq.signal,
  progress: () => Promise.resolve(),
});

/** Our request errors as the SDK's, so the client gets their code and message. */
async function protocolErrors<T>(run: () => Promise<T> | T): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof RequestError) throw new ProtocolError(err.code, err.message, err.data);
    throw err;
  }
}

/** Posts as resources (template + paged list), completion of their ids, and the everyday prompts. */
function registerPostResources(mcp: McpServer, app: App): void {
  const reader = app.posts;
  const templates = listTemplates(reader);
  mcp.server.setRequestHandler('resources/templates/list', () => templates);
  mcp.server.setRequestHandler('resources/list', (request, ctx) =>
    protocolErrors(() => listResources(reader, request.params?.cursor, readContext(ctx))),
  );
  mcp.server.setRequestHandler('resources/read', (request, ctx) =>
    protocolErrors(() => readResource(reader, request.params.uri, readContext(ctx))),
  );
  mcp.server.setRequestHandler('completion/complete', (request, ctx) =>
    protocolErrors(() =>
      complete(reader, request.params.ref, request.params.argument, request.params.context, readContext(ctx)),
    ),
  );
  if (!hasPrompts(reader)) return;
  mcp.server.setRequestHandler('prompts/list', () => listPrompts(reader));
  mcp.server.setRequestHandler('prompts/get', (request) =>
    protocolErrors(() => getPrompt(reader, request.params.name, request.params.arguments)),
  );
}

/** The key of the confirmation in inputRequests / inputResponses. */
const CONFIRM_KEY = 'confirm';

/** Whether declared capabilities include form elicitation (a bare `elicitation: {}` predates modes and means form). */
function canElicitForm(capabilities: ClientCapabilities | undefined): boolean {
  const elicitation = capabilities?.elicitation;
  return elicitation !== undefined && !(elicitation.form === undefined && elicitation.url !== undefined);
}

/**
 * How this call can ask the person, if at all. 2026-07-28: through an input-required result and the
 * client's retry (stateless: the question's state travels with the client). 2025 era: `elicitation/create`
 * while the call is in flight, when the client declared it at initialize; a stateless legacy HTTP
 * request has neither, so it gets none and confirm tokens are used instead.
 */
function personAsker(mcp: McpServer, ctx: ServerContext): PersonAsker | undefined {
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  if (envelope?.[CLIENT_CAPABILITIES_META_KEY] !== undefined) {
    const declared = envelope[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities;
    return canElicitForm(declared) ? roundTripAsker(ctx) : undefined;
  }
  // A 2025-era request has no envelope: its capabilities are the ones declared at initialize.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  return canElicitForm(mcp.server.getClientCapabilities()) ? inFlightAsker(ctx) : undefined;
}

function roundTripAsker(ctx: ServerContext): PersonAsker {
  let used = false;
  return {
    ask(question, state) {
      const answer = inputResponse(ctx.mcpReq.inputResponses, CONFIRM_KEY);
      const echoed = ctx.mcpReq.requestState();
      // One answer per round: if the write still needs a confirmation after it (the post changed), ask anew.
      if (!used && answer.kind === 'elicit' && typeof echoed === 'string') {
        used = true;
        return Promise.resolve({
          action: answer.action,
          ...(answer.content && { content: answer.content }),
          state: echoed,
        });
      }
      return Promise.reject(new AskPending(question, state));
    },
  };
}

function inFlightAsker(ctx: ServerContext): PersonAsker {
  return {
    async ask(question, state) {
      try {
        const result = await ctx.mcpReq.send(
          { method: 'elicitation/create', params: { ...question } },
          // The person may take a while; the confirmation is only good for as long as a token would be.
          { timeout: CONFIRM_TTL_MS, signal: ctx.mcpReq.signal },
        );
        return { action: result.action, ...(result.content && { content: result.content }), state };
      } catch (err) {
        throw new CannotAsk(err instanceof Error ? err.message : String(err));
      }
    },
  };
}

async function callTool(
  mcp: McpServer,
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
  const ask = personAsker(mcp, ctx);
  const toolCtx: ToolContext = {
    ...(ask && { ask }),
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
  try {
    return { ...(await app.registry.call(name, params.arguments, toolCtx)) };
  } catch (err) {
    if (!(err instanceof AskPending)) throw err;
    return inputRequired({
      inputRequests: {
        [CONFIRM_KEY]: inputRequired.elicit({
          message: err.question.message,
          requestedSchema: err.question.requestedSchema,
        }),
      },
      requestState: err.state,
    });
  }
}
