import type { ToolContext } from '../core/tool.js';
import type { PostReader } from './posts.js';
import { INVALID_PARAMS, RequestError, RESOURCE_NOT_FOUND } from './posts.js';

/** Posts as MCP resources: `post-editor://<provider>/posts/<id>` (and `…/body` for the body alone). */
export const SCHEME = 'post-editor:';

const MIME: Record<string, string> = { html: 'text/html', markdown: 'text/markdown', text: 'text/plain' };

/** The URI of one post (the id percent-encoded, so any provider id fits in one path segment). */
export function postUri(provider: string, id: string): string {
  return `post-editor://${provider}/posts/${encodeURIComponent(id)}`;
}

/** The template of each provider's post URI, for resources/templates/list and completion refs. */
export function templateUri(provider: string): string {
  return `post-editor://${provider}/posts/{id}`;
}

/** resources/templates/list: one template per enabled provider. */
export function listTemplates(reader: PostReader) {
  return {
    resourceTemplates: reader.providers.map((p) => ({
      uriTemplate: templateUri(p.id),
      name: `${p.id}_post`,
      title: `${p.label} post`,
      description: `A ${p.label} post: the normalized post as JSON (as ${p.id}_get_post, body apart), then the body in its own format. {id} completes from recent posts.`,
      mimeType: 'application/json',
    })),
  };
}

interface Cursor {
  /** Index of the provider in the enabled list. */
  p: number;
  /** That provider's own list cursor, null for its first page. */
  c: string | null;
}

function decodeCursor(cursor: string | undefined, providers: number): Cursor {
  if (cursor === undefined) return { p: 0, c: null };
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (
      Number.isInteger(value.p) &&
      (value.p ?? -1) >= 0 &&
      (value.p ?? 0) < providers &&
      (value.c === null || typeof value.c === 'string')
    ) {
      return { p: value.p ?? 0, c: value.c ?? null };
    }
  } catch {
    // refused below
  }
  throw new RequestError(INVALID_PARAMS, 'cursor: not a nextCursor this server returned');
}

const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

/** resources/list: one page of one provider's recent posts at a time, provider after provider. */
export async function listResources(reader: PostReader, cursor: string | undefined, ctx: ToolContext) {
  const at = decodeCursor(cursor, reader.providers.length);
  const provider = reader.providers[at.p];
  if (!provider) return { resources: [] };
  const page = await reader.read(`${provider.id}_list_posts`, at.c ? { cursor: at.c } : {}, ctx);
  const posts = (page.posts ?? []) as {
    id: string;
    title: string | null;
    status: string;
    url: string | null;
    updated_at: string | null;
  }[];
  const next =
    typeof page.next_cursor === 'string'
      ? { p: at.p, c: page.next_cursor }
      : at.p + 1 < reader.providers.length
        ? { p: at.p + 1, c: null }
        : undefined;
  return {
    resources: posts.map((post) => ({
      uri: postUri(provider.id, post.id),
      name: `${provider.id}/${post.id}`,
      title: post.title ?? `${provider.label} post ${post.id}`,
      description: `${provider.label} · ${post.status}${post.url ? ` · ${post.url}` : ''}`,
      mimeType: 'application/json',
      ...(post.updated_at && { annotations: { lastModified: post.updated_at } }),
    })),
    ...(next && { nextCursor: encodeCursor(next) }),
  };
}

const POST_URI = /^post-editor:\/\/([a-z0-9_]+)\/posts\/([^/?#]+)(\/body)?$/;

/** resources/read: the normalized post as JSON (body apart), then the body as text/html, text/markdown or text/plain. */
export async function readResource(reader: PostReader, uri: string, ctx: ToolContext) {
  const match = POST_URI.exec(uri);
  const provider = match?.[1] ? reader.provider(match[1]) : undefined;
  if (!match?.[2] || !provider) {
    throw new RequestError(
      RESOURCE_NOT_FOUND,
      `Resource not found: ${uri} (expected ${reader.providers.map((p) => templateUri(p.id)).join(' or ')})`,
      { uri },
    );
  }
  let id: string;
  try {
    id = decodeURIComponent(match[2]);
  } catch {
    throw new RequestError(INVALID_PARAMS, `uri: the post id in ${uri} is not valid percent-encoding`);
  }
  const { body, ...post } = await reader
    .read(`${provider.id}_get_post`, { id }, ctx)
    .catch((err: unknown) => {
      // The spec asks a missing resource's error to name its uri (SEP-2164).
      if (err instanceof RequestError && err.code === RESOURCE_NOT_FOUND)
        throw new RequestError(err.code, err.message, { uri });
      throw err;
    });
  const base = postUri(provider.id, id);
  const format = typeof post.body_format === 'string' ? post.body_format : 'text';
  const bodyPart =
    typeof body === 'string'
      ? { uri: `${base}/body`, mimeType: MIME[format] ?? 'text/plain', text: body }
      : undefined;
  if (match[3]) {
    if (!bodyPart) throw new RequestError(RESOURCE_NOT_FOUND, `The post ${id} has no body`);
    return { contents: [bodyPart] };
  }
  const json = { uri: base, mimeType: 'application/json', text: JSON.stringify(post, null, 2) };
  return { contents: bodyPart ? [json, bodyPart] : [json] };
}
