import { ToolError } from '../core/errors.js';
import type { EnvVar, PostApi } from './types.js';

// An API root carries its version: /v2 (Partoo, ButterCMS…), /api/1.3 (RebelMouse), /api/v1.
const VERSION_PATH = /\/(v\d+(\.\d+)*|api\/v?\d+(\.\d+)*)(\/|$)/i;

/** True when a base URL's path names an API version, as every provider's documented root does. */
export function hasVersionPath(baseUrl: string): boolean {
  try {
    return VERSION_PATH.test(new URL(baseUrl).pathname);
  } catch {
    return false;
  }
}

/**
 * Wraps a provider's HTTP methods so errors name what the user must fix, from the provider's own env list:
 * auth_failed names its credential variables; a 404 while the base URL has no version path names the base
 * URL variable. Nothing provider-specific lives here.
 */
export function withErrorHints<L, U>(api: PostApi<L, U>, env: EnvVar[]): PostApi<L, U> {
  const baseUrl = api.urlOf({ method: 'GET', path: '' });
  const hinted = (err: unknown, kind: 'read' | 'write'): unknown => {
    if (!(err instanceof ToolError) || err.details.hint) return err;
    const hint =
      err.code === 'auth_failed'
        ? credentialHint(env, kind)
        : err.code === 'not_found' && !hasVersionPath(baseUrl)
          ? baseUrlHint(env, baseUrl)
          : undefined;
    return hint ? new ToolError(err.code, err.message, { ...err.details, hint }) : err;
  };
  return {
    ...api,
    get: (id, ctx) =>
      api.get(id, ctx).catch((err: unknown) => {
        throw hinted(err, 'read');
      }),
    list: (args, ctx) =>
      api.list(args, ctx).catch((err: unknown) => {
        throw hinted(err, 'read');
      }),
    send: (request, ctx) =>
      api.send(request, ctx).catch((err: unknown) => {
        throw hinted(err, 'write');
      }),
  };
}

function credentialHint(env: EnvVar[], kind: 'read' | 'write'): string | undefined {
  const vars = env.filter((v) => v.secret && (kind === 'read' || v.usedFor !== 'read'));
  if (vars.length === 0) return undefined;
  const list = vars.map((v) => `${v.name} (${v.description})`).join(' or ');
  return `The provider did not accept the credentials: check ${list}, then restart the server.`;
}

function baseUrlHint(env: EnvVar[], baseUrl: string): string | undefined {
  const v = env.find((e) => !e.secret && e.name.endsWith('_BASE_URL'));
  if (!v) return undefined;
  return `Check ${v.name}: it is ${baseUrl}, whose path has no API version (such as /v2 or /api/1.3), so this 404 may mean a wrong base URL rather than a missing post (${v.description}).`;
}
