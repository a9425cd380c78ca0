import { SERVER_VERSION, type App } from '../server.js';

/** `post-editor-mcp call TOOL '{json}'`: one call through the same validation and safety; returns the exit code. */
export async function runCall(app: App, args: string[]): Promise<number> {
  const [name, json = '{}'] = args;
  if (!name) {
    process.stderr.write("Usage: post-editor-mcp call TOOL '{json arguments}'\n");
    return 2;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    process.stdout.write(
      JSON.stringify({
        error: {
          code: 'invalid_input',
          message: 'arguments: not valid JSON',
          field: 'arguments',
          retryable: false,
        },
      }) + '\n',
    );
    return 1;
  }
  const controller = new AbortController();
  const result = await app.registry.call(name, parsed, {
    signal: controller.signal,
    progress: async () => undefined,
    actor: {
      client_name: 'post-editor-mcp call',
      client_version: SERVER_VERSION,
      transport: 'cli',
      principal: null,
    },
  });
  const text = result.content[0]?.type === 'text' ? result.content[0].text : '{}';
  process.stdout.write(text + '\n');
  return result.isError ? 1 : 0;
}

/** `post-editor-mcp tools`: the tool list with input schemas, as JSON on stdout. */
export function listTools(app: App): number {
  const tools = app.registry.listing.map((t) => ({
    name: t.name,
    description: t.description,
    annotations: t.annotations,
    inputSchema: t.inputSchema,
  }));
  process.stdout.write(JSON.stringify(tools, null, 2) + '\n');
  return 0;
}
