import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createServer, type App } from '../server.js';

/** Serves one MCP client over stdin/stdout until stdin closes. */
export async function serveStdio(app: App): Promise<void> {
  const server = createServer(app);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
    // The client went away (EPIPE): there is no one left to answer, so stop quietly.
    process.stdout.on('error', () => resolve());
  });
  await server.connect(transport);
  app.log.info('serving MCP over stdio', { tools: app.registry.names.length, sandbox: app.config.sandbox });
  await closed;
  await server.close().catch(() => undefined);
}
