import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { learnDirectCall } from './direct.js';
import {
  callOk,
  connectStdio,
  envInt,
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

type Mode = 'direct' | 'stdio' | 'http';

/**
 * N sequential get_post calls through the server (stdio and HTTP) vs the same upstream GET made directly.
 * The modes run interleaved in rounds so background load on a shared machine hits all three alike.
 */
export async function runOverhead(options: BenchOptions): Promise<{ data: unknown; verdicts: Verdict[] }> {
  const n = envInt('BENCH_N', options.quick ? 600 : 3000);
  const rounds = 6;
  const warmup = Math.min(300, Math.ceil(n / 10));
  const sandbox = await spawnSandbox();
  const stdio = await connectStdio(serverEnv(sandbox.env));
  const http = await spawnHttp(serverEnv(sandbox.env));
  const httpClient = await http.connect();
  const direct = await learnDirectCall(
    stdio.client,
    sandbox.origin,
    TARGET_PROVIDER,
    TARGET_TOOL,
    TARGET_ARGS,
  );
  const runners: Record<Mode, () => Promise<void>> = {
    direct: () => direct.run(),
    stdio: () => callOk(stdio.client, TARGET_TOOL, TARGET_ARGS),
    http: () => callOk(httpClient as Client, TARGET_TOOL, TARGET_ARGS),
  };
  const samples: Record<Mode, number[]> = { direct: [], stdio: [], http: [] };
  try {
    for (const mode of Object.keys(runners) as Mode[]) {
      for (let i = 0; i < warmup; i++) await runners[mode]();
    }
    for (let r = 0; r < rounds; r++) {
      for (const mode of Object.keys(runners) as Mode[]) {
        for (let i = 0; i < Math.ceil(n / rounds); i++) {
          const started = performance.now();
          await runners[mode]();
          samples[mode].push(performance.now() - started);
        }
      }
    }
  } finally {
    await direct.close();
    await stdio.close();
    await http.close();
    await sandbox.close();
  }

  const stat = (mode: Mode) => ({
    p50: percentile(samples[mode], 50),
    p99: percentile(samples[mode], 99),
    mean: samples[mode].reduce((a, b) => a + b, 0) / samples[mode].length,
  });
  const d = stat('direct');
  const rows = (['direct', 'stdio', 'http'] as Mode[]).map((mode) => {
    const s = stat(mode);
    return {
      mode,
      calls: samples[mode].length,
      p50_ms: round(s.p50),
      p99_ms: round(s.p99),
      mean_ms: round(s.mean),
      added_p50_ms: round(s.p50 - d.p50),
      added_p99_ms: round(s.p99 - d.p99),
      p50_ratio: round(s.p50 / d.p50, 2),
    };
  });
  printTable(
    `overhead: ${TARGET_TOOL} sequential, vs ${direct.method} ${new URL(direct.url).pathname} direct`,
    rows,
  );
  const stdioRow = rows[1]!;
  const verdicts: Verdict[] = [
    {
      metric: 'overhead stdio added p50',
      value: stdioRow.added_p50_ms,
      unit: 'ms',
      target: '<= 1',
      pass: stdioRow.added_p50_ms <= 1,
    },
    {
      metric: 'overhead stdio added p99',
      value: stdioRow.added_p99_ms,
      unit: 'ms',
      target: '<= 3',
      pass: stdioRow.added_p99_ms <= 3,
    },
  ];
  return { data: { n, rounds, warmup, tool: TARGET_TOOL, upstream: direct.url, rows }, verdicts };
}
