import { serveStdio as serveSdkStdio } from '@modelcontextprotocol/server/stdio';
import { createMcpServer } from '../mcp/adapter.js';
import type { App } from '../server.js';

/** Serves one MCP client over stdin/stdout until stdin closes, in whichever protocol era it opens with. */
export async function serveStdio(app: App): Promise<void> {
  const closed = new Promise<void>((resolve) => {
    process.stdin.once('end', () => resolve());
    process.stdin.once('close', () => resolve());
    // The client went away (EPIPE): there is no one left to answer, so stop quietly.
    process.stdout.on('error', () => resolve());
    // A client stopping us by signal (the SDK's does after closing stdin) gets the same clean stop: the
    // store is closed and the log lines still buffered are written.
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  // One protocol server per connection: a 2025-era opening (initialize) and a 2026-07-28 one
  // (per-request _meta, server/discover) both land on it, the SDK pins the era at the first message.
  const handle = serveSdkStdio(() => createMcpServer(app), {
    onerror: (error) => app.log.debug('mcp stdio', { error: error.message }),
  });
  app.log.info('serving MCP over stdio', { tools: app.registry.names.length, sandbox: app.config.sandbox });
  await closed;
  await handle.close().catch(() => undefined);
}
