import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  callOk,
  connectStdio,
  envInt,
  printTable,
  round,
  rssMb,
  serverEnv,
  spawnHttp,
  spawnSandbox,
  type BenchOptions,
  type Verdict,
} from './lib.js';
import { TARGET_ARGS, TARGET_TOOL } from './target.js';

const SAMPLES = 20;
const IN_FLIGHT = 8;
/**
 * RSS saws up and down with garbage collection, so the trend is judged on the troughs: the lowest RSS
 * of the last third of the run against the lowest of the middle third. More than this is a trend.
 */
const GROWTH_LIMIT_MB = 5;

interface Series {
  transport: string;
  idleMb: number;
  samples: { calls: number; rssMb: number }[];
  slopeMbPer10k: number;
  troughGrowthMb: number;
}

/** Least-squares slope of rss over calls, in MB per 10k calls. */
function slope(points: { calls: number; rssMb: number }[]): number {
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.calls, 0) / n;
  const my = points.reduce((a, p) => a + p.rssMb, 0) / n;
  const num = points.reduce((a, p) => a + (p.calls - mx) * (p.rssMb - my), 0);
  const den = points.reduce((a, p) => a + (p.calls - mx) ** 2, 0);
  return den === 0 ? 0 : (num / den) * 10_000;
}

async function measure(transport: string, client: Client, pid: number, calls: number): Promise<Series> {
  await new Promise((r) => setTimeout(r, 1000));
  const idleMb = await rssMb(pid);
  const samples: Series['samples'] = [];
  const every = Math.ceil(calls / SAMPLES);
  let done = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < calls) {
        next++;
        await callOk(client, TARGET_TOOL, TARGET_ARGS);
        done++;
        if (done % every === 0) samples.push({ calls: done, rssMb: await rssMb(pid) });
      }
    }),
  );
  // The first fifth is warm-up (JIT, pools, heap sizing); the trend is judged on the rest.
  const steady = samples.filter((s) => s.calls > calls / 5);
  const trough = (from: number, to: number) =>
    Math.min(...samples.filter((s) => s.calls > from && s.calls <= to).map((s) => s.rssMb));
  const troughGrowthMb = trough((2 * calls) / 3, calls) - trough(calls / 3, (2 * calls) / 3);
  return { transport, idleMb, samples, slopeMbPer10k: slope(steady), troughGrowthMb };
}

/** RSS idle and over many calls, per transport; judges idle size and the growth trend. */
export async function runMemory(options: BenchOptions): Promise<{ data: unknown; verdicts: Verdict[] }> {
  const calls = envInt('BENCH_MEMORY_CALLS', options.quick ? 5000 : 50_000);
  const transports = (process.env.BENCH_MEMORY_TRANSPORTS ?? 'stdio,http').split(',').map((t) => t.trim());
  const sandbox = await spawnSandbox();
  const series: Series[] = [];
  try {
    if (transports.includes('stdio')) {
      const stdio = await connectStdio(serverEnv(sandbox.env));
      try {
        series.push(await measure('stdio', stdio.client, stdio.pid, calls));
      } finally {
        await stdio.close();
      }
    }
    if (transports.includes('http')) {
      const http = await spawnHttp(serverEnv(sandbox.env));
      try {
        series.push(await measure('http (stateless)', await http.connect(), http.pid, calls));
      } finally {
        await http.close();
      }
    }
  } finally {
    await sandbox.close();
  }
  const rows = series.map((s) => ({
    transport: s.transport,
    idle_mb: round(s.idleMb, 1),
    after_mb: round(s.samples.at(-1)?.rssMb ?? NaN, 1),
    peak_mb: round(Math.max(...s.samples.map((p) => p.rssMb)), 1),
    calls,
    slope_mb_per_10k: round(s.slopeMbPer10k, 2),
    trough_growth_mb: round(s.troughGrowthMb, 1),
    trend: s.troughGrowthMb > GROWTH_LIMIT_MB ? 'GROWING' : 'flat',
  }));
  printTable(`memory: RSS of the server process, ${calls} calls (${IN_FLIGHT} in flight)`, rows);
  const verdicts: Verdict[] = series.flatMap((s, i) => [
    {
      metric: `memory idle RSS (${s.transport})`,
      value: rows[i]!.idle_mb,
      unit: 'MB',
      target: '<= 80',
      pass: s.idleMb <= 80,
    },
    {
      metric: `memory trough growth, last vs middle third (${s.transport})`,
      value: rows[i]!.trough_growth_mb,
      unit: 'MB',
      target: `<= ${GROWTH_LIMIT_MB} (no trend)`,
      pass: s.troughGrowthMb <= GROWTH_LIMIT_MB,
    },
  ]);
  return { data: { calls, inFlight: IN_FLIGHT, series, rows }, verdicts };
}
