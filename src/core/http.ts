import { EventEmitter } from 'node:events';
import type { Agent } from 'undici';
import type { Logger } from './log.js';
import { recordRetry } from './metrics.js';
import type { Redactor } from './redact.js';
import { MAX_RESPONSE_DEPTH, pathDeeperThan } from './depth.js';
import { remembered } from './memo.js';
import { ToolError, codeForStatus } from './errors.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  /** Absolute URL: the provider's base URL with the endpoint path appended. */
  url: string;
  headers?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  signal?: AbortSignal;
  /** Told the HTTP status and latency (seconds) of each answer (the call's log line reports the last one). */
  onStatus?: (status: number, seconds: number) => void;
  /** Reads may be retried; writes are sent once unless the provider certainly did not process them. */
  kind: 'read' | 'write';
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the body is JSON, else the text (possibly empty). */
  body: unknown;
  text: string;
}

export interface HttpClientOptions {
  timeoutMs: number;
  maxRetries: number;
  maxResponseBytes?: number;
  /** Longest Retry-After we sleep through; longer ones are surfaced as rate_limited. */
  maxRetryAfterMs?: number;
  redactor: Redactor;
  log: Logger;
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
/** Network failures where the request certainly never reached the provider's application. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);
const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

/** Upstream HTTP with a shared keep-alive pool, one time budget per call, bounded retries and size cap. */
export class HttpClient {
  private agent: Promise<Agent> | undefined;
  /** The pool once created: later calls take it without awaiting. */
  private ready: Agent | undefined;
  private readonly opts: Required<HttpClientOptions>;

  constructor(options: HttpClientOptions) {
    this.opts = {
      maxResponseBytes: DEFAULT_MAX_BYTES,
      maxRetryAfterMs: Math.min(options.timeoutMs, 10_000),
      ...options,
    };
  }

  /** Sends a request within the time budget; throws ToolError for network failures, never for HTTP statuses. */
  async send(req: HttpRequest): Promise<HttpResponse> {
    const deadline = Date.now() + this.opts.timeoutMs;
    let attempt = 0;
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw this.timeoutError(req);
      try {
        const sentAt = performance.now();
        const res = await this.once(req, remaining);
        const seconds = (performance.now() - sentAt) / 1000;
        req.onStatus?.(res.status, seconds);
        if (this.opts.log.debugging)
          this.opts.log.debug('upstream', {
            method: req.method,
            // Path only: the query may carry search terms (personal data); credentials are never in URLs.
            url: urlWithoutQuery(req.url),
            status: res.status,
            duration_ms: Math.round(seconds * 1000),
          });
        if (!RETRYABLE_STATUS.has(res.status)) return res;
        const retryAfterMs = parseRetryAfter(res.headers['retry-after']);
        const mayRetry =
          attempt < this.opts.maxRetries &&
          (req.kind === 'read' || (retryAfterMs !== undefined && (res.status === 429 || res.status === 503)));
        if (!mayRetry) return res;
        const delay = retryAfterMs ?? backoff(attempt);
        if (retryAfterMs !== undefined && retryAfterMs > this.opts.maxRetryAfterMs) return res;
        if (Date.now() + delay >= deadline) return res;
        this.opts.log.debug('upstream retry', { status: res.status, attempt, delay_ms: delay });
        recordRetry('status');
        await sleep(delay, req.signal);
      } catch (err) {
        if (err instanceof ToolError) throw err;
        const code = errorCode(err);
        if (req.signal?.aborted) throw new ToolError('timeout', 'The request was cancelled by the client.');
        const timedOut =
          code === 'TIMEOUT' || (code?.startsWith('UND_ERR_') === true && code.includes('TIMEOUT'));
        if (timedOut && Date.now() >= deadline - 5) throw this.timeoutError(req);
        const safeToRepeat = req.kind === 'read' || (code !== undefined && NOT_SENT_CODES.has(code));
        const delay = backoff(attempt);
        if (!safeToRepeat || attempt >= this.opts.maxRetries || Date.now() + delay >= deadline) {
          throw this.networkError(req, code, timedOut);
        }
        this.opts.log.debug('upstream retry after network error', { code, attempt });
        recordRetry('network');
        await sleep(delay, req.signal);
      }
      attempt++;
    }
  }

  /** Closes the pool (graceful shutdown). */
  async close(): Promise<void> {
    if (this.agent) await (await this.agent).close();
  }

  /**
   * The keep-alive pool, created on the first upstream call: undici takes ~70 ms to load, which would
   * otherwise delay every cold start (initialize and tools/list need no upstream call).
   */
  private pool(): Promise<Agent> {
    const timeoutMs = this.opts.timeoutMs;
    this.agent ??= import('undici').then(
      ({ Agent }) =>
        new Agent({
          keepAliveTimeout: 30_000,
          keepAliveMaxTimeout: 120_000,
          connections: 128,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
          connect: { timeout: Math.min(timeoutMs, 10_000) },
        }),
    );
    return this.agent;
  }

  private async once(req: HttpRequest, budgetMs: number): Promise<HttpResponse> {
    const url = this.target(req);
    // One abort per call, fired by the time budget or by the caller: a small EventEmitter, not an
    // AbortController (creating one was ~2% of a call's CPU), and a timer cleared when the call ends, not
    // AbortSignal.timeout(): that lives on for the whole budget after each call, which held ~100 MB under
    // load (npm run bench memory).
    const abort = new Abort();
    const timer = setTimeout(() => abort.fire(true), budgetMs);
    const onCallerAbort = () => abort.fire(false);
    req.signal?.addEventListener('abort', onCallerAbort, { once: true });
    if (req.signal?.aborted) abort.fire(false);
    try {
      return await this.exchange(req, url, abort);
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  /**
   * Origin and path of a request. A URL already in normal form with no query (the usual read) is split
   * by hand, its origin checked once with the URL parser; anything else is parsed, as always.
   */
  private target(req: HttpRequest): { origin: string; path: string } {
    const query = Object.entries(req.query ?? {}).filter(([, v]) => v !== undefined);
    const slash = req.url.indexOf('/', req.url.indexOf('://') + 3);
    const origin = slash > 0 ? req.url.slice(0, slash) : '';
    if (query.length === 0 && slash > 0 && PLAIN_PATH.test(req.url.slice(slash)) && isOrigin(origin))
      return { origin, path: req.url.slice(slash) };
    const url = new URL(req.url);
    for (const [k, v] of query) url.searchParams.set(k, String(v));
    return { origin: url.origin, path: url.pathname + url.search };
  }

  private async exchange(
    req: HttpRequest,
    url: { origin: string; path: string },
    abort: Abort,
  ): Promise<HttpResponse> {
    const timeout = () => Object.assign(new Error('timeout'), { code: 'TIMEOUT' });
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    let payload: string | undefined;
    if (req.body !== undefined) {
      payload = JSON.stringify(req.body);
      headers['content-type'] = 'application/json';
    }
    const agent = this.ready ?? (this.ready = await this.pool());
    let res: Collected;
    try {
      res = await collect(
        agent,
        { origin: url.origin, path: url.path, method: req.method, headers, body: payload },
        abort,
        this.opts.maxResponseBytes,
      );
    } catch (err) {
      if (err instanceof TooLarge)
        throw new ToolError(
          'provider_error',
          `The provider's response exceeded ${this.opts.maxResponseBytes} bytes and was dropped.`,
          { provider_status: err.status, retryable: false },
        );
      if (abort.timedOut) throw timeout();
      throw err;
    }
    const { chunks } = res;
    const text = Buffer.concat(chunks).toString('utf8');
    const responseHeaders: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) {
      if (v !== undefined) responseHeaders[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    }
    return { status: res.statusCode, headers: responseHeaders, body: parseBody(text, res.statusCode), text };
  }

  private timeoutError(req: HttpRequest): ToolError {
    const write = req.kind === 'write';
    return new ToolError('timeout', `The provider did not answer within ${this.opts.timeoutMs} ms.`, {
      retryable: !write,
      hint: write
        ? 'The write may or may not have been applied: call get_post and check before trying again.'
        : 'Try again later; raise POST_EDITOR_TIMEOUT_MS if the provider is slow.',
    });
  }

  private networkError(req: HttpRequest, code: string | undefined, timedOut: boolean): ToolError {
    if (timedOut) return this.timeoutError(req);
    const notSent = code !== undefined && NOT_SENT_CODES.has(code);
    const write = req.kind === 'write' && !notSent;
    return new ToolError(
      'provider_unavailable',
      `Could not reach the provider (${code ?? 'network error'}).`,
      {
        retryable: !write,
        hint: write
          ? 'The connection failed mid-request: the write may have been applied. Call get_post and check before trying again.'
          : 'Check the base URL and the network, then try again.',
      },
    );
  }
}

/** Throws the contract error for a non-2xx response, with the provider's own message trimmed and redacted. */
export function errorFromResponse(
  res: HttpResponse,
  providerMessage: string | undefined,
  redactor: Redactor,
  kind: 'read' | 'write',
): ToolError {
  const code = codeForStatus(res.status);
  const retryAfterMs = parseRetryAfter(res.headers['retry-after']);
  const detail = providerMessage ?? (res.text ? summarizeText(res.text) : undefined);
  const message = redactor.redact(
    `The provider answered HTTP ${res.status}${detail ? `: ${trim(detail, 500)}` : ''}`,
  );
  const writeUncertain = kind === 'write' && res.status >= 500;
  return new ToolError(code, message, {
    provider_status: res.status,
    ...(retryAfterMs !== undefined && { retry_after_s: Math.ceil(retryAfterMs / 1000) }),
    ...(writeUncertain && {
      retryable: false,
      hint: 'The provider failed mid-write: call get_post and check whether the change landed before retrying.',
    }),
  });
}

/** Parses Retry-After (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function urlWithoutQuery(url: string): string {
  const parsed = new URL(url);
  return parsed.origin + parsed.pathname;
}

function parseBody(text: string, status: number): unknown {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return text;
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    return text;
  }
  // Everything downstream (hashing, diffing, serializing) recurses: a pathologically deep answer is
  // refused here rather than overflowing the stack later. A text with no more opening brackets than
  // the limit cannot nest past it, which spares the walk for nearly every answer.
  if (openingsExceed(text, MAX_RESPONSE_DEPTH) && pathDeeperThan(body, MAX_RESPONSE_DEPTH)) {
    throw new ToolError(
      'provider_error',
      `The provider's answer nests deeper than ${MAX_RESPONSE_DEPTH} levels and was refused as malformed.`,
      { provider_status: status, retryable: false },
    );
  }
  return body;
}

/** Whether the text holds more than `limit` of `{` and `[` (strings included: an upper bound on nesting). */
function openingsExceed(text: string, limit: number): boolean {
  let count = 0;
  for (let i = text.indexOf('{'); i >= 0 && count <= limit; i = text.indexOf('{', i + 1)) count++;
  for (let i = text.indexOf('['); i >= 0 && count <= limit; i = text.indexOf('[', i + 1)) count++;
  return count > limit;
}

/** An HTML error page becomes its title; other text is trimmed. */
function summarizeText(text: string): string {
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1];
  if (title) return title.trim();
  if (/^\s*</.test(text)) return 'an HTML page instead of JSON';
  return text.trim();
}

function trim(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function backoff(attempt: number): number {
  const base = 200 * 2 ** attempt;
  return base / 2 + Math.random() * base;
}

function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null) {
    const e = err as { code?: unknown; cause?: { code?: unknown } };
    if (typeof e.code === 'string') return e.code;
    if (typeof e.cause?.code === 'string') return e.cause.code;
  }
  return undefined;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ToolError('timeout', 'The request was cancelled by the client.'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new ToolError('timeout', 'The request was cancelled by the client.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The abort of one upstream call; knows whether the time budget fired it. */
class Abort extends EventEmitter {
  aborted = false;
  timedOut = false;

  fire(byBudget: boolean): void {
    if (this.aborted) return;
    this.aborted = true;
    this.timedOut = byBudget;
    this.emit('abort');
  }
}

/** An answer past the size cap (with its status, for the error). */
class TooLarge extends Error {
  constructor(readonly status: number) {
    super('response too large');
  }
}

interface Collected {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  chunks: Buffer[];
}

/**
 * One request through undici's dispatch API, its body gathered as it arrives (up to `max` bytes): no
 * response stream and no async resource per call, which undici's request() creates for every answer.
 */
function collect(
  agent: Agent,
  options: {
    origin: string;
    path: string;
    method: HttpMethod;
    headers: Record<string, string>;
    body?: string;
  },
  abort: Abort,
  max: number,
): Promise<Collected> {
  return new Promise((resolve, reject) => {
    let controller: { abort(reason: Error): void } | undefined;
    let settled = false;
    const finish = (err: unknown, value?: Collected) => {
      if (settled) return;
      settled = true;
      abort.off('abort', onAbort);
      if (value) resolve(value);
      else reject(err instanceof Error ? err : new Error(String(err)));
    };
    const aborted = () => Object.assign(new Error('The request was aborted.'), { code: 'UND_ERR_ABORTED' });
    // Before the request starts (waiting for a connection) there is nothing to cancel in undici yet:
    // the promise ends now and the request is dropped when it starts.
    const onAbort = () => {
      controller?.abort(aborted());
      finish(aborted());
    };
    abort.once('abort', onAbort);
    const res: Collected = { statusCode: 0, headers: {}, chunks: [] };
    let size = 0;
    agent.dispatch(options, {
      onRequestStart(c) {
        controller = c;
        if (settled || abort.aborted) c.abort(aborted());
      },
      onResponseStart(_c, statusCode, headers) {
        res.statusCode = statusCode;
        res.headers = headers;
      },
      onResponseData(c, chunk) {
        size += chunk.length;
        if (size <= max) return void res.chunks.push(chunk);
        const tooLarge = new TooLarge(res.statusCode);
        c.abort(tooLarge);
        finish(tooLarge);
      },
      onResponseEnd() {
        finish(undefined, res);
      },
      onResponseError(_c, err) {
        finish(err);
      },
    });
    if (abort.aborted) onAbort();
  });
}

/** Whether the text is exactly the origin the URL parser would make of it (remembered per origin). */
const isOrigin = remembered((origin) => {
  try {
    return new URL(origin).origin === origin;
  } catch {
    return false;
  }
}, 64);

/** A path the URL parser would leave as it is: unreserved and sub-delim characters, escapes, no dot segments (%2E included). */
const PLAIN_PATH =
  /^(?:\/(?!\.\.?(?:\/|$))[\w\-.~!$&'()*+,;=:@]*(?:%(?!2E)[0-9A-F]{2}[\w\-.~!$&'()*+,;=:@]*)*)+$/;
