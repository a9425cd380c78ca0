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
  try {
    const mcpClients = await Promise.all(Array.from({ length: clients }, () => http.connect()));
    // Short warm-up of both paths (JIT, connection pools), then the measured runs.
    await drive(clients, 1, () => direct.run());
    await drive(clients, 1, (i) => callOk(mcpClients[i]!, TARGET_TOOL, TARGET_ARGS));
    directLoad = await drive(clients, seconds, () => direct.run());
    mcpLoad = await drive(clients, seconds, (i) => callOk(mcpClients[i]!, TARGET_TOOL, TARGET_ARGS));
  } finally {
    await direct.close();
    await http.close();
    await sandbox.close();
  }
  const ratio = mcpLoad.perSecond / directLoad.perSecond;
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
  const rows = [row('direct (undici)', directLoad), row('MCP Streamable HTTP', mcpLoad)];
  printTable(`throughput: ${clients} concurrent clients for ${seconds}s on ${machine().cpus} cpus`, rows);
  return {
    data: { clients, seconds, tool: TARGET_TOOL, rows, ratio: round(ratio, 3) },
    verdicts: [
      {
        metric: 'throughput HTTP vs direct',
        value: round(ratio * 100, 1),
        unit: '%',
        target: '>= 50',
        pass: ratio >= 0.5 && mcpLoad.errors === 0,
      },
    ],
  };
}
