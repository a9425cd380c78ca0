import { describe, expect, it } from 'vitest';
import { runLoad } from '../../tools/load.js';

// A short run of tools/load.ts (issue 5): many concurrent HTTP clients, zero errors, and every socket
// and session released once they leave. Nothing here is a timing: the numbers are only reported.

describe('load over HTTP', () => {
  it('serves 10 concurrent stateless clients with zero errors and leaks no socket', async () => {
    const report = await runLoad({ clients: 10, seconds: 2, stateful: false });
    console.log(`stateless: ${report.calls} calls, ${report.callsPerSecond}/s, p99 ${report.p99Ms} ms`);
    expect(report.errorSamples).toEqual([]);
    expect(report.errors).toBe(0);
    expect(report.calls).toBeGreaterThan(10);
    // The load client's undici Agent caps its sockets at clients + 4 (while connecting, each client's
    // notifications/initialized POST and its SSE GET run side by side, so 10 clients want up to 20);
    // the probe's own socket is subtracted and probes never overlap (tools/load.ts).
    expect(report.peakConnections).toBeLessThanOrEqual(10 + 4);
    expect(report.connectionsAfter).toBeLessThanOrEqual(0);
  }, 60_000);

  it('serves 10 concurrent stateful clients and frees every session when they end them', async () => {
    const report = await runLoad({ clients: 10, seconds: 1, stateful: true });
    expect(report.errors).toBe(0);
    expect(report.peakSessions).toBeLessThanOrEqual(10);
    expect(report.sessionsAfter).toBe(0);
    expect(report.connectionsAfter).toBeLessThanOrEqual(0);
  }, 60_000);
});
