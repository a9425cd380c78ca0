import { Agent, request } from 'undici';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { callOk } from './lib.js';

/** One upstream request as the emulator logged it, replayable without the MCP server. */
export interface DirectCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  run(): Promise<void>;
  close(): Promise<void>;
}

interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
}

// Hop-by-hop and per-connection headers that undici sets itself.
const DROP = new Set(['host', 'connection', 'content-length', 'keep-alive', 'transfer-encoding']);

/**
 * Makes one tool call through MCP, then reads the emulator's request log to learn the exact upstream
 * request the server sent, and returns a caller that makes that same request directly with undici.
 */
export async function learnDirectCall(
  client: Client,
  origin: string,
  provider: string,
  tool: string,
  args: Record<string, unknown>,
): Promise<DirectCall> {
  await fetch(`${origin}/__sandbox/reset?provider=${provider}`, { method: 'POST' });
  await callOk(client, tool, args);
  const log = (await (await fetch(`${origin}/__sandbox/requests?provider=${provider}`)).json()) as Record<
    string,
    LoggedRequest[]
  >;
  const seen = log[provider]?.at(-1);
  if (!seen) throw new Error(`${tool} made no request to the ${provider} emulator`);
  const query = new URLSearchParams(seen.query).toString();
  const url = `${origin}/${provider}${seen.path}${query ? `?${query}` : ''}`;
  const headers = Object.fromEntries(Object.entries(seen.headers).filter(([k]) => !DROP.has(k)));
  // A keep-alive pool like the server's own HttpClient, so both sides pay the same connection costs.
  const dispatcher = new Agent({ keepAliveTimeout: 30_000 });
  return {
    url,
    method: seen.method,
    headers,
    async run() {
      const res = await request(url, { method: seen.method as 'GET', headers, dispatcher });
      const body = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`direct call answered ${res.statusCode}: ${body}`);
      JSON.parse(body);
    },
    close: () => dispatcher.close(),
  };
}
