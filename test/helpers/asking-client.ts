import {
  Client as ModernClient,
  StreamableHTTPClientTransport as ModernHttp,
  type ElicitResult as ModernElicitResult,
} from '@modelcontextprotocol/client';
import { StdioClientTransport as ModernStdio } from '@modelcontextprotocol/client/stdio';
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

/** A 2026-07-28 (v2 SDK, pinned) client; with a person it declares form elicitation and answers input requests. */
export function modernClient(who?: Person): ModernClient {
  const client = new ModernClient(
    { name: 'e2e-modern', version: '1.0.0' },
    {
      versionNegotiation: { mode: { pin: '2026-07-28' } },
      ...(who && { capabilities: { elicitation: { form: {} } } }),
    },
  );
  if (who) {
    client.setRequestHandler('elicitation/create', async (request) => {
      const params = request.params as ElicitRequest['params'];
      who.forms.push(params);
      return (await who.answer(params)) as ModernElicitResult;
    });
  }
  return client;
}

/** Spawns the built server over stdio and connects the given modern client to it. */
export async function connectModernStdio(
  client: ModernClient,
  env: Record<string, string>,
): Promise<ModernClient> {
  await client.connect(
    new ModernStdio({ command: process.execPath, args: [SERVER_ENTRY], env, stderr: 'pipe' }),
  );
  return client;
}

/** Connects a modern client to a running HTTP server (stateless by protocol). */
export async function connectModernHttp(client: ModernClient, url: string): Promise<ModernClient> {
  await client.connect(new ModernHttp(new URL(url)));
  return client;
}
