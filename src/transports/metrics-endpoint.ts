import type { ServerResponse } from 'node:http';
import { enableMetrics } from '../core/metrics.js';

/** GET /metrics in the Prometheus text format; `inFlight` is the transport's live request count. */
export async function createMetricsEndpoint(
  inFlight: () => number,
): Promise<(res: ServerResponse) => Promise<void>> {
  const registry = await enableMetrics(inFlight);
  return async (res) => {
    const text = await registry.metrics();
    res.writeHead(200, { 'content-type': registry.contentType, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
}
