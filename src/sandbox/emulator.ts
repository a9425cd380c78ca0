import type { IncomingHttpHeaders } from 'node:http';

export interface EmulatorRequest {
  method: string;
  /** Path below the emulator's prefix, without the query (e.g. /v2/posts/my-slug/). */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, undefined when absent, or the raw text when it is not JSON. */
  body: unknown;
  rawBody: string;
}

export interface EmulatorResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type RouteHandler = (
  req: EmulatorRequest,
  params: Record<string, string>,
) => EmulatorResponse | Promise<EmulatorResponse>;

/** One request as the emulator saw it (for tests: "no request reached the provider"). */
export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  status: number;
  at: number;
}

/** A fault the emulator injects instead of (or before) its normal answer. */
export interface Fault {
  method?: string;
  /** Substring or regular expression matched against the path. */
  path?: string | RegExp;
  /** How many matching requests it hits (default 1). */
  times?: number;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait before answering (past the client's timeout to test hangs); alone, the normal answer comes late. */
  delayMs?: number;
  /** Destroy the socket without answering. */
  reset?: boolean;
  /** Send this exact body text as JSON (e.g. nested deeper than the emulator could serialize). */
  text?: string;
  /** Send a 200 with a truncated JSON body. */
  truncated?: boolean;
  /** Send an HTML error page with this status. */
  html?: boolean;
  /** Send a body of this many bytes. */
  oversizeBytes?: number;
  /** Apply the request normally, then answer with the fault (a write that landed but looked failed). */
  afterApply?: boolean;
}

/** Knobs tests and benchmarks turn on the emulators. */
export interface SandboxOptions {
  /** Delay before an async write (ButterCMS 202, Partoo) becomes visible; default 300 ms. */
  applyDelayMs?: number;
  /**
   * Credential values to use instead of the emulators' defaults, keyed by env var name (e.g. a test's
   * distinctive tokens). The sandbox maps them back to the defaults on the way in, so every emulator
   * accepts them without knowing about it.
   */
  credentials?: Record<string, string>;
  /** Turns the emulated per-minute rate limits off (the benchmarks read far more than 300/min). */
  noRateLimit?: boolean;
}

/** How the sandbox starts one provider's emulator and points the provider at it. */
export interface EmulatorSpec {
  id: string;
  create(options: SandboxOptions): Emulator;
  /** The provider's env vars pointing at this emulator (base is http://127.0.0.1:PORT/<id>). */
  env(base: string): Record<string, string>;
}

const LOG_CAP = 2000;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: RouteHandler;
}

/** A provider emulator: routes, a request log and a fault queue. */
export class Emulator {
  readonly requests: LoggedRequest[] = [];
  private readonly routes: Route[] = [];
  private faults: (Fault & { left: number })[] = [];
  private fallback: RouteHandler = () => ({ status: 404, body: { detail: 'Not found.' } });

  constructor(
    readonly id: string,
    /** Seeds or re-seeds the emulator's data. */
    private readonly onReset: () => void = () => undefined,
  ) {}

  /** Adds a route; `:name` segments become params (a trailing slash is significant). */
  route(method: string, path: string, handler: RouteHandler): this {
    const names: string[] = [];
    const source = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_m, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), names, handler });
    return this;
  }

  /** Handler for requests no route matches. */
  otherwise(handler: RouteHandler): this {
    this.fallback = handler;
    return this;
  }

  /** Queues a fault for the next matching request(s). */
  inject(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  /** Clears the log and faults and re-seeds the data. */
  reset(): void {
    this.requests.length = 0;
    this.faults = [];
    this.onReset();
  }

  /** Requests seen, optionally only those of one method. */
  seen(method?: string): LoggedRequest[] {
    return method ? this.requests.filter((r) => r.method === method) : [...this.requests];
  }

  /** Takes the first queued fault matching this request, if any. */
  takeFault(method: string, path: string): Fault | undefined {
    const index = this.faults.findIndex(
      (f) =>
        (!f.method || f.method === method) &&
        (!f.path || (typeof f.path === 'string' ? path.includes(f.path) : f.path.test(path))),
    );
    const fault = this.faults[index];
    if (!fault) return undefined;
    if (--fault.left <= 0) this.faults.splice(index, 1);
    return fault;
  }

  /** Dispatches a request to its route. */
  async dispatch(req: EmulatorRequest): Promise<EmulatorResponse> {
    for (const route of this.routes) {
      if (route.method !== req.method) continue;
      const match = route.pattern.exec(req.path);
      if (!match) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = decodeURIComponent(match[i + 1] ?? '');
      });
      return route.handler(req, params);
    }
    return this.fallback(req, {});
  }

  /** Records a request (the log is capped so long load runs stay bounded). */
  record(entry: LoggedRequest): void {
    this.requests.push(entry);
    if (this.requests.length > LOG_CAP) this.requests.splice(0, this.requests.length - LOG_CAP);
  }
}

/** Reads the credential a request carries in a header, for the emulators' auth checks. */
export function headerValue(req: EmulatorRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** A whole number from the query, or the fallback; NaN when present but not a whole number. */
export function queryInt(req: EmulatorRequest, name: string, fallback: number): number {
  const raw = req.query.get(name);
  if (raw === null || raw === '') return fallback;
  return /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
}

/**
 * The clock seeds are laid out from: the start of the current UTC hour, so seeds look recent in every
 * run yet are identical (same versions) across processes started within the hour, as `call --sandbox`
 * scripts need.
 */
export function seedNow(): number {
  return Math.floor(Date.now() / 3_600_000) * 3_600_000;
}

/** ISO time `minutes` before the seed clock. */
export function isoMinutesAgo(minutes: number): string {
  return new Date(seedNow() - minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
