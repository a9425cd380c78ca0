import type { PostSummary } from '../core/post.js';
import type { ToolContext, ToolRegistry } from '../core/tool.js';

/** A JSON-RPC error a request handler throws; the SDK answers with its code and message. */
export class RequestError extends Error {
  constructor(
    readonly code: number,
    message: string,
    /** Extra facts for the client (e.g. the uri a resources/read did not find). */
    readonly data?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

export const INVALID_PARAMS = -32602;
export const INTERNAL_ERROR = -32603;
/** MCP's code for a resource that does not exist (spec: server/resources, "Error Handling"). */
export const RESOURCE_NOT_FOUND = -32002;

/** What resources, prompts and completions need to know about one enabled provider. */
export interface ProviderFacts {
  id: string;
  label: string;
}

/** Reads posts through the providers' own get/list tools: same validation, redaction and log line. */
export class PostReader {
  private readonly recent = new Map<string, { at: number; posts: PostSummary[] }>();

  constructor(
    readonly registry: ToolRegistry,
    readonly providers: readonly ProviderFacts[],
  ) {}

  /** The enabled provider of that id, or undefined. */
  provider(id: string): ProviderFacts | undefined {
    return this.providers.find((p) => p.id === id);
  }

  /** Calls a read tool; a tool error becomes a RequestError (not_found → RESOURCE_NOT_FOUND). */
  async read(
    tool: string,
    args: Record<string, unknown>,
    ctx: ToolContext,
  ): Promise<Record<string, unknown>> {
    const result = await this.registry.call(tool, args, ctx);
    if (!result.isError && result.structuredContent) return result.structuredContent;
    const first = result.content[0];
    let error: { code?: string; message?: string } = {};
    try {
      error =
        (JSON.parse(first?.type === 'text' ? first.text : '{}') as { error?: typeof error }).error ?? {};
    } catch {
      // keep the generic message below
    }
    const message = error.message ?? `${tool} failed`;
    if (error.code === 'not_found') throw new RequestError(RESOURCE_NOT_FOUND, message);
    if (error.code === 'invalid_input') throw new RequestError(INVALID_PARAMS, message);
    throw new RequestError(INTERNAL_ERROR, message);
  }

  /** The provider's first page of posts, kept 30 s: completion asks on every keystroke. */
  async recentPosts(provider: string, ctx: ToolContext): Promise<PostSummary[]> {
    const cached = this.recent.get(provider);
    if (cached && Date.now() - cached.at < RECENT_TTL_MS) return cached.posts;
    const page = await this.read(`${provider}_list_posts`, {}, ctx);
    const posts = (page.posts ?? []) as PostSummary[];
    this.recent.set(provider, { at: Date.now(), posts });
    return posts;
  }
}

const RECENT_TTL_MS = 30_000;
