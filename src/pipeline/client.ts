import type { z } from 'zod';
import { ToolError } from '../core/errors.js';
import { errorFromResponse, type HttpClient, type HttpResponse } from '../core/http.js';
import type { Redactor } from '../core/redact.js';
import type { CallContext, PlannedRequest } from './types.js';

export interface ProviderClientOptions {
  baseUrl: string;
  http: HttpClient;
  redactor: Redactor;
  /** The auth headers for a read or a write (never put in a URL). */
  authHeaders(kind: 'read' | 'write'): Record<string, string>;
  /** Extracts the provider's own error message from an error body. */
  errorMessage(body: unknown): string | undefined;
  /** Extra request headers (e.g. a content type the provider insists on). */
  headers?: Record<string, string>;
}

/** A provider's HTTP edge: base URL + path, auth headers, and non-2xx answers turned into ToolErrors. */
export class ProviderClient {
  constructor(private readonly opts: ProviderClientOptions) {}

  /** The full URL of a request (credentials are headers, so this is safe to show). */
  urlOf(req: Pick<PlannedRequest, 'path' | 'query'>): string {
    const url = new URL(this.opts.baseUrl + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
    return url.href;
  }

  /** A GET, retried within the time budget. */
  async read(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    ctx: CallContext,
  ): Promise<HttpResponse> {
    return this.request({ method: 'GET', path }, query, 'read', ctx);
  }

  /** A write, sent once. */
  async send(req: PlannedRequest, ctx: CallContext): Promise<HttpResponse> {
    return this.request(req, req.query ?? {}, 'write', ctx);
  }

  private async request(
    req: PlannedRequest,
    query: Record<string, string | number | boolean | undefined>,
    kind: 'read' | 'write',
    ctx: CallContext,
  ): Promise<HttpResponse> {
    const res = await this.opts.http.send({
      method: req.method,
      url: this.opts.baseUrl + req.path,
      query,
      headers: { ...this.opts.headers, ...this.opts.authHeaders(kind) },
      body: req.body,
      signal: ctx.signal,
      onStatus: ctx.onUpstreamStatus,
      kind,
    });
    if (res.status >= 200 && res.status < 300) return res;
    if (res.status >= 300 && res.status < 400) {
      throw new ToolError(
        'provider_error',
        `The provider redirected (HTTP ${res.status}) instead of answering.`,
        {
          provider_status: res.status,
          retryable: false,
          hint: 'Check the base URL (it must include the API version path).',
        },
      );
    }
    throw errorFromResponse(res, safeMessage(this.opts.errorMessage, res.body), this.opts.redactor, kind);
  }
}

function safeMessage(extract: (body: unknown) => string | undefined, body: unknown): string | undefined {
  // A body that is not JSON (an HTML error page, plain text) is summarized by the core, never quoted raw.
  if (typeof body === 'string') return undefined;
  try {
    return extract(body);
  } catch {
    return undefined;
  }
}

/** Throws provider_error when a 2xx body is not the JSON object we expect. */
export function expectObject(body: unknown, what: string): Record<string, unknown> {
  if (typeof body === 'object' && body !== null && !Array.isArray(body))
    return body as Record<string, unknown>;
  throw new ToolError(
    'provider_error',
    `The provider's answer for ${what} was not the expected JSON object.`,
    {
      retryable: true,
    },
  );
}

/** An opaque cursor holding the arguments of the next page. */
export function encodeCursor(state: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

/** The post in a get answer, or provider_error when the provider's fields are not there. */
export function parsePost<T>(schema: z.ZodType<T>, body: unknown, provider: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new ToolError('provider_error', `${provider} returned a post without the expected fields.`);
  return parsed.data;
}

/** The rows of a list answer that parse as posts, summarized; a malformed row is skipped, not fatal. */
export function summarizeRows<T, S>(rows: unknown, schema: z.ZodType<T>, summarize: (post: T) => S): S[] {
  if (!Array.isArray(rows)) return [];
  return rows.flatMap((row) => {
    const parsed = schema.safeParse(row);
    return parsed.success ? [summarize(parsed.data)] : [];
  });
}

/** The list state a cursor carries, checked against `schema`: cursors come back from the agent, untrusted. */
export function readCursor<S extends z.ZodType>(schema: S, cursor: string, provider: string): z.output<S> {
  const state = schema.safeParse(decodeCursor(cursor));
  if (!state.success)
    throw new ToolError('invalid_input', `cursor: not a ${provider} cursor; pass next_cursor as returned`, {
      field: 'cursor',
    });
  return state.data;
}

/** Decodes a cursor made by encodeCursor; invalid_input naming `cursor` otherwise. */
function decodeCursor(cursor: string): Record<string, unknown> {
  try {
    const state: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (state && typeof state === 'object' && !Array.isArray(state)) return state as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new ToolError('invalid_input', 'cursor: must be a next_cursor returned by the previous list call', {
    field: 'cursor',
  });
}
