import type { Counter, Histogram, Registry } from 'prom-client';

/**
 * Process-wide Prometheus metrics for GET /metrics. Every record* function is a no-op until the HTTP
 * transport calls enableMetrics(): stdio has no endpoint to scrape, and loading prom-client there
 * would only delay the cold start. Recording is one label lookup and an add, cheap on the hot path.
 */
interface Metrics {
  registry: Registry;
  toolCalls: Counter<'tool' | 'outcome'>;
  upstream: Histogram<'provider' | 'status_class'>;
  retries: Counter<'reason'>;
  rejections: Counter<'reason'>;
  storeErrors: Counter<'operation'>;
}

let metrics: Metrics | undefined;

/** Why the HTTP transport refused a request before any tool ran. */
export type RejectionReason = 'rate_limit' | 'auth' | 'auth_rate_limit';

/** Turns recording on (idempotent) and returns the registry to expose; `inFlight` is read at scrape time. */
export async function enableMetrics(inFlight: () => number): Promise<Registry> {
  if (metrics) return metrics.registry;
  const prom = await import('prom-client');
  const registry = new prom.Registry();
  prom.collectDefaultMetrics({ register: registry });
  const registers = [registry];
  metrics = {
    registry,
    toolCalls: new prom.Counter({
      name: 'post_editor_tool_calls_total',
      help: 'Tool calls by tool and outcome (ok or the error code).',
      labelNames: ['tool', 'outcome'],
      registers,
    }),
    upstream: new prom.Histogram({
      name: 'post_editor_upstream_request_duration_seconds',
      help: 'Upstream HTTP requests to the providers, by provider and status class (2xx, 4xx, 5xx...).',
      labelNames: ['provider', 'status_class'],
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    retries: new prom.Counter({
      name: 'post_editor_upstream_retries_total',
      help: 'Upstream requests repeated after a retryable status or a network error.',
      labelNames: ['reason'],
      registers,
    }),
    rejections: new prom.Counter({
      name: 'post_editor_http_rejections_total',
      help: 'HTTP requests refused before any tool ran: rate_limit (429), auth (401), auth_rate_limit (429 after too many failed tokens).',
      labelNames: ['reason'],
      registers,
    }),
    storeErrors: new prom.Counter({
      name: 'post_editor_store_errors_total',
      help: 'Journal store operations that failed.',
      labelNames: ['operation'],
      registers,
    }),
  };
  new prom.Gauge({
    name: 'post_editor_http_in_flight_requests',
    help: 'MCP POST requests being answered.',
    registers,
    collect() {
      this.set(inFlight());
    },
  });
  return registry;
}

// The labelled children of the per-call series, kept: prom-client otherwise sorts and joins the label
// object on every record, twice per call.
const toolCallSeries = new Map<string, { inc(): void }>();
const upstreamSeries = new Map<string, { observe(value: number): void }>();

/** Counts one tool call and how it ended. */
export function recordToolCall(tool: string, outcome: string): void {
  if (!metrics) return;
  const key = `${tool}\n${outcome}`;
  let series = toolCallSeries.get(key);
  if (!series) toolCallSeries.set(key, (series = metrics.toolCalls.labels({ tool, outcome })));
  series.inc();
}

/** Observes one upstream HTTP answer. */
export function recordUpstream(provider: string, status: number, seconds: number): void {
  if (!metrics) return;
  const statusClass = `${Math.floor(status / 100)}xx`;
  const key = `${provider}\n${statusClass}`;
  let series = upstreamSeries.get(key);
  if (!series)
    upstreamSeries.set(key, (series = metrics.upstream.labels({ provider, status_class: statusClass })));
  series.observe(seconds);
}

/** Counts one upstream retry. */
export function recordRetry(reason: 'status' | 'network'): void {
  metrics?.retries.inc({ reason });
}

/** Counts one request refused by the HTTP transport. */
export function recordRejection(reason: RejectionReason): void {
  metrics?.rejections.inc({ reason });
}

/** Counts one failed journal store operation (for the store implementations to call). */
export function recordStoreError(operation = 'unknown'): void {
  metrics?.storeErrors.inc({ operation });
}
