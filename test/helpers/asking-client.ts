import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  ElicitRequestSchema,
  type ElicitRequest,
  type ElicitResult,
} from '@modelcontextprotocol/sdk/types.js';
import { SERVER_ENTRY } from './harness.js';

/** What the simulated person answers to each form, and every form they were shown. */
export interface Person {
  forms: ElicitRequest['params'][];
  answer: (form: ElicitRequest['params']) => ElicitResult | Promise<ElicitResult>;
}

/** A person who gives the same answer to every form. */
export function person(action: ElicitResult['action']): Person {
  return { forms: [], answer: () => ({ action }) };
}

/** A legacy-era (v1 SDK) client; with a person it declares form elicitation and answers through them. */
export function legacyClient(who?: Person): Client {
  const client = new Client(
    { name: 'e2e-legacy', version: '1.0.0' },
    who ? { capabilities: { elicitation: { form: {} } } } : {},
  );
  if (who) {
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      who.forms.push(request.params);
      return who.answer(request.params);
    });
  }
  return client;
}

/** Spawns the built server over stdio and connects the given legacy client to it. */
export async function connectLegacyStdio(client: Client, env: Record<string, string>): Promise<Client> {
  await client.connect(
    new StdioClientTransport({ command: process.execPath, args: [SERVER_ENTRY], env, stderr: 'pipe' }),
  );
  return client;
}

/** Connects a legacy client to a running HTTP server. */
export async function connectLegacyHttp(client: Client, url: string): Promise<Client> {
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}
