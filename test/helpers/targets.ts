import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { loadConfig } from '../../src/config.js';
import { PROVIDERS } from '../../src/providers/index.js';
import { createApp } from '../../src/server.js';
import { resultJson } from './harness.js';

/** Each tool's valid example arguments, read from an in-process app built like the server's. */
export async function toolExamples(
  env: Record<string, string>,
): Promise<Map<string, Record<string, unknown>>> {
  const app = await createApp(loadConfig({ ...env, LOG_LEVEL: 'silent' }, {}, PROVIDERS));
  try {
    return new Map(app.registry.names.map((name) => [name, app.registry.get(name)!.example]));
  } finally {
    await app.close();
  }
}

/** Provider ids, from the tool names (`<p>_get_post`). */
export function providersOf(toolNames: string[]): string[] {
  return toolNames.filter((n) => n.endsWith('_get_post')).map((n) => n.slice(0, -'_get_post'.length));
}

export interface WriteTarget {
  provider: string;
  id: string;
  /** The update tool's example fields, which change this post. */
  update: Record<string, unknown>;
  /** The HTTP method the update is sent with (from its dry run). */
  method: string;
}

const CONTROL = new Set(['id', 'expected_version', 'dry_run', 'wait_for_apply', 'confirm_token']);

/** A post of this provider that the update tool's example really changes, found by dry runs (nothing is written). */
export async function findWriteTarget(
  client: Client,
  provider: string,
  examples: Map<string, Record<string, unknown>>,
): Promise<WriteTarget | undefined> {
  const example = examples.get(`${provider}_update_post`);
  if (!example) return undefined;
  const update = Object.fromEntries(Object.entries(example).filter(([k]) => !CONTROL.has(k)));
  for (const id of await postIds(client, provider)) {
    const version = await versionOf(client, provider, id);
    if (!version) continue;
    const preview = (await client.callTool({
      name: `${provider}_update_post`,
      arguments: { id, ...update, expected_version: version, dry_run: true },
    })) as CallToolResult;
    if (preview.isError) continue;
    const result = preview.structuredContent as { changed_fields: string[]; request?: { method: string } };
    if (result.changed_fields.length > 0 && result.request)
      return { provider, id, update, method: result.request.method };
  }
  return undefined;
}

/** Up to 5 post ids from the provider's list tool. */
export async function postIds(client: Client, provider: string): Promise<string[]> {
  const list = (await client.callTool({ name: `${provider}_list_posts`, arguments: {} })) as CallToolResult;
  if (list.isError) throw new Error(`${provider}_list_posts failed: ${JSON.stringify(resultJson(list))}`);
  const posts = (list.structuredContent as { posts: { id: string }[] }).posts;
  return posts.slice(0, 5).map((p) => p.id);
}

/** The current version of a post, or undefined when it cannot be read. */
export async function versionOf(client: Client, provider: string, id: string): Promise<string | undefined> {
  const got = (await client.callTool({ name: `${provider}_get_post`, arguments: { id } })) as CallToolResult;
  return got.isError ? undefined : (got.structuredContent as { version: string }).version;
}
