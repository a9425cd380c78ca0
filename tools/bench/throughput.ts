import { Agent, request } from 'undici';
import { learnDirectCall } from './direct.js';
import {
  callOk,
  connectStdio,
  envInt,
  machine,
  percentile,
  printTable,
  round,
  serverEnv,
  spawnHttp,
  spawnSandbox,
  type BenchOptions,
  type Verdict,
} from './lib.js';
import { TARGET_ARGS, TARGET_PROVIDER, TARGET_TOOL } from './target.js';

interface Load {
  calls: number;
  errors: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/** Runs `clients` loops of `call` for `seconds`; each loop starts its next call when the last ends. */
async function drive(clients: number, seconds: number, call: (i: number) => Promise<void>): Promise<Load> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      while (performance.now() < deadline) {
        const t = performance.now();
        try {
          await call(i);
          latencies.push(performance.now() - t);
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    calls: latencies.length,
    errors,
    perSecond: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/**
 * A minimal MCP client: one `tools/call` JSON-RPC POST per call over a keep-alive undici pool, so its own
 * cost matches the direct caller's and the comparison measures the server, not the SDK client's.
 */
function rawMcpCaller(url: string): { call(): Promise<void>; close(): Promise<void> } {
  const dispatcher = new Agent({ keepAliveTimeout: 30_000 });
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2025-06-18',
  };
  let id = 0;
  return {
    async call() {
      const body = JSON.stringify({
        jsonrpc: '2.0',
        id: ++id,
        method: 'tools/call',
        params: { name: TARGET_TOOL, arguments: TARGET_ARGS },
      });
      const res = await request(url, { method: 'POST', headers, body, dispatcher });
      const text = await res.body.text();
      const answer = JSON.parse(text) as { result?: { isError?: boolean } };
      if (res.statusCode !== 200 || !answer.result || answer.result.isError)
        throw new Error(`MCP call answered ${res.statusCode}: ${text.slice(0, 200)}`);
    },
    close: () => dispatcher.close(),
  };
}

/** C concurrent MCP clients over Streamable HTTP for T seconds vs C concurrent direct callers. */
export async function runThroughput(options: BenchOptions): Promise<{ data: unknown; verdicts: Verdict[] }> {
  const clients = envInt('BENCH_CLIENTS', 8);
  const seconds = envInt('BENCH_SECONDS', options.quick ? 3 : 10);
  const sandbox = await spawnSandbox();
  const http = await spawnHttp(serverEnv(sandbox.env));
  const probe = await connectStdio(serverEnv(sandbox.env));
  const direct = await learnDirectCall(
    probe.client,
    sandbox.origin,
    TARGET_PROVIDER,
    TARGET_TOOL,
    TARGET_ARGS,
  );
  await probe.close();
  let directLoad: Load;
  let mcpLoad: Load;
  let rawLoad: Load;
  const raw = rawMcpCaller(http.url);
  try {
    const mcpClients = await Promise.all(Array.from({ length: clients }, () => http.connect()));
    // Short warm-up of both paths (JIT, connection pools), then the measured runs.
    await drive(clients, 1, () => direct.run());
    await drive(clients, 1, (i) => callOk(mcpClients[i]!, TARGET_TOOL, TARGET_ARGS));
    directLoad = await drive(clients, seconds, () => direct.run());
    mcpLoad = await drive(clients, seconds, (i) => callOk(mcpClients[i]!, TARGET_TOOL, TARGET_ARGS));
    await drive(clients, 1, () => raw.call());
    rawLoad = await drive(clients, seconds, () => raw.call());
  } finally {
    await raw.close();
    await direct.close();
    await http.close();
    await sandbox.close();
  }
  // The verdict compares like with like: both sides driven by the same minimal undici caller.
  const ratio = rawLoad.perSecond / directLoad.perSecond;
  const row = (path: string, l: Load) => ({
    path,
    clients,
    seconds,
    calls: l.calls,
    errors: l.errors,
    calls_per_s: round(l.perSecond, 1),
    p50_ms: round(l.p50),
    p99_ms: round(l.p99),
    rate_vs_direct: round(l.perSecond / directLoad.perSecond, 3),
  });
  const rows = [
    row('direct (undici)', directLoad),
    row('MCP Streamable HTTP, raw JSON-RPC caller', rawLoad),
    row('MCP Streamable HTTP, SDK Client', mcpLoad),
  ];
  printTable(`throughput: ${clients} concurrent clients for ${seconds}s on ${machine().cpus} cpus`, rows);
  return {
    data: { clients, seconds, tool: TARGET_TOOL, rows, ratio: round(ratio, 3) },
    verdicts: [
      {
        metric: 'throughput HTTP vs direct',
        value: round(ratio * 100, 1),
        unit: '%',
        target: '>= 50',
        pass: ratio >= 0.5 && rawLoad.errors === 0 && mcpLoad.errors === 0,
      },
    ],
  };
}
