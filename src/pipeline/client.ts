import type { z } from 'zod';
import { ToolError, type ErrorCode } from '../core/errors.js';
import { errorFromResponse, type HttpClient, type HttpResponse } from '../core/http.js';
import type { Redactor } from '../core/redact.js';
import type { CallContext, PlannedRequest } from './types.js';

export interface ProviderClientOptions {
  baseUrl: string;
  http: HttpClient;
  redactor: Redactor;
  /** The auth headers for a read or a write (never put in a URL). */
  authHeaders(kind: 'read' | 'write'): Record<string, string>;
  /** Reads the provider's error body as data (never throws on an odd shape; undefined when unreadable). */
  parseError(body: unknown): ProviderErrorData | undefined;
  /** Overrides the status-based error code from the provider's own error data (e.g. its error code). */
  classifyError?(status: number, error: ProviderErrorData): ErrorClassification | undefined;
  /** Extra request headers (e.g. a content type the provider insists on). */
  headers?: Record<string, string>;
}

/** A provider's error body as data: its own message, and its own error code and field when it names them. */
export interface ProviderErrorData {
  message: string;
  code?: string;
  field?: string;
}

/** What a provider's classifier decides: our code, and how the error reads (`message` replaces the text, `prefix` leads it). */
export interface ErrorClassification {
  code: ErrorCode;
  message?: string;
  prefix?: string;
  field?: string;
  hint?: string;
  retryable?: boolean;
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
  read(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    ctx: CallContext,
  ): Promise<HttpResponse> {
    return this.request({ method: 'GET', path }, query, 'read', ctx);
  }

  /** A write, sent once. */
  send(req: PlannedRequest, ctx: CallContext): Promise<HttpResponse> {
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
    const error = safeParse(this.opts.parseError, res.body);
    const base = errorFromResponse(res, error && errorText(error), this.opts.redactor, kind);
    const decided = error && this.opts.classifyError?.(res.status, error);
    if (!decided) throw base;
    const { code, message, prefix, field, hint, retryable } = decided;
    throw new ToolError(
      code,
      this.opts.redactor.redact(message ?? (prefix ? `${prefix} ${base.message}` : base.message)),
      {
        ...base.details,
        ...(field !== undefined && { field }),
        ...(hint !== undefined && { hint }),
        ...(retryable !== undefined && { retryable }),
      },
    );
  }
}

function safeParse(
  parse: (body: unknown) => ProviderErrorData | undefined,
  body: unknown,
): ProviderErrorData | undefined {
  // A body that is not JSON (an HTML error page, plain text) is summarized by the core, never quoted raw.
  if (typeof body === 'string') return undefined;
  try {
    const error = parse(body);
    return error && (error.message || error.code) ? error : undefined;
  } catch {
    return undefined;
  }
}

/** The provider's words as shown to the agent: its code leads, so `cannot_edit` stays visible. */
function errorText(error: ProviderErrorData): string {
  return [error.code, error.message].filter(Boolean).join(': ');
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
