import {
  Client as ModernClient,
  StreamableHTTPClientTransport as ModernHttp,
} from '@modelcontextprotocol/client';
import { StdioClientTransport as ModernStdio } from '@modelcontextprotocol/client/stdio';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as LegacyStdio } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as LegacyHttp } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SERVER_ENTRY } from './harness.js';

// One face over both SDK clients, so the same test drives a 2026-07-28 client (v2 SDK, pinned:
// it fails rather than falling back) and a 2025-era client (v1 SDK, initialize handshake).

export type Era = 'modern' | 'legacy';
export type Wire = 'stdio' | 'http';

export interface ToolResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
}

export interface EraClient {
  era: Era;
  /** The era the client says the connection landed on (the v1 client only knows 2025). */
  negotiated: string | undefined;
  listTools(): Promise<{ name: string; annotations?: Record<string, unknown>; outputSchema?: unknown }[]>;
  callTool(name: string, args: unknown, onProgress?: (progress: number) => void): Promise<ToolResult>;
  close(): Promise<void>;
}

const INFO = { name: 'eras-test', version: '1.0.0' };

/** A client of the given era, spawning the built server over stdio or joining an HTTP server at `url`. */
export async function connectEra(
  era: Era,
  target: { env: Record<string, string> } | { url: string },
): Promise<EraClient> {
  if (era === 'modern') {
    const client = new ModernClient(INFO, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(
      'url' in target
        ? new ModernHttp(new URL(target.url))
        : new ModernStdio({
            command: process.execPath,
            args: [SERVER_ENTRY],
            env: target.env,
            stderr: 'pipe',
          }),
    );
    return {
      era,
      negotiated: client.getProtocolEra(),
      listTools: async () => (await client.listTools()).tools,
      callTool: async (name, args, onProgress) =>
        (await client.callTool(
          { name, arguments: args as Record<string, unknown> },
          onProgress ? { onprogress: (p) => onProgress(p.progress) } : undefined,
        )) as ToolResult,
      close: () => client.close(),
    };
  }
  const client = new LegacyClient(INFO);
  await client.connect(
    'url' in target
      ? new LegacyHttp(new URL(target.url))
      : new LegacyStdio({ command: process.execPath, args: [SERVER_ENTRY], env: target.env, stderr: 'pipe' }),
  );
  return {
    era,
    negotiated: client.getServerVersion() ? 'legacy' : undefined,
    listTools: async () => (await client.listTools()).tools,
    callTool: async (name, args, onProgress) =>
      (await client.callTool(
        { name, arguments: args as Record<string, unknown> },
        undefined,
        onProgress ? { onprogress: (p) => onProgress(p.progress) } : undefined,
      )) as ToolResult,
    close: () => client.close(),
  };
}
