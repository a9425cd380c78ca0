import { envInt, median, printTable, round, spawnSandbox, type BenchOptions, type Verdict } from './lib.js';
import {
  SIDES,
  StdioRpc,
  callParams,
  command,
  cpuMicros,
  prepareSides,
  sideEnv,
  startHttpSide,
  type Side,
} from './sides.js';

// Ours, the peer and the floor relay measured in one run, interleaved round-robin with a rotating
// order so a noisy neighbour on the shared machine hits all three alike; figures are ratios.

interface Tally {
  calls: number;
  errors: number;
  seconds: number;
  cpuMicros: number;
}

/** The order of round r: the sides rotated by r. */
const order = (r: number): Side[] => SIDES.map((_, i) => SIDES[(i + r) % SIDES.length]!);

/** `clients` loops each calling `call` back to back for `seconds`. */
async function drive(clients: number, seconds: number, call: (i: number) => Promise<void>, t: Tally) {
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      while (performance.now() < deadline) {
        try {
          await call(i);
          t.calls++;
        } catch (err) {
          if (t.errors++ === 0)
            console.error(`first error: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }),
  );
  t.seconds += (performance.now() - started) / 1000;
}

const empty = (): Record<Side, Tally> => ({
  ours: { calls: 0, errors: 0, seconds: 0, cpuMicros: 0 },
  peer: { calls: 0, errors: 0, seconds: 0, cpuMicros: 0 },
  floor: { calls: 0, errors: 0, seconds: 0, cpuMicros: 0 },
});

async function coldStarts(runs: number, sandbox: Awaited<ReturnType<typeof spawnSandbox>>) {
  const times: Record<Side, number[]> = { ours: [], peer: [], floor: [] };
  for (let r = 0; r < runs; r++) {
    for (const side of order(r)) {
      const started = performance.now();
      const rpc = new StdioRpc(command(side, sandbox), sideEnv(side, sandbox));
      await rpc.open();
      await rpc.call('tools/list');
      times[side].push(performance.now() - started);
      await rpc.close();
    }
  }
  return times;
}

async function stdioThroughput(
  clients: number,
  rounds: number,
  slice: number,
  sandbox: Awaited<ReturnType<typeof spawnSandbox>>,
) {
  const tally = empty();
  const rpcs = {} as Record<Side, StdioRpc>;
  for (const side of SIDES) {
    rpcs[side] = new StdioRpc(command(side, sandbox), sideEnv(side, sandbox));
    await rpcs[side].open();
  }
  try {
    for (const side of SIDES)
      await drive(
        clients,
        1,
        () => rpcs[side].call('tools/call', callParams(side)).then(() => undefined),
        empty()[side],
      );
    for (let r = 0; r < rounds; r++) {
      for (const side of order(r)) {
        const pid = rpcs[side].child.pid ?? 0;
        const cpu = cpuMicros(pid);
        await drive(
          clients,
          slice,
          () => rpcs[side].call('tools/call', callParams(side)).then(() => undefined),
          tally[side],
        );
        tally[side].cpuMicros += cpuMicros(pid) - cpu;
      }
    }
  } finally {
    await Promise.all(SIDES.map((s) => rpcs[s].close()));
  }
  return tally;
}

async function httpThroughput(
  clients: number,
  rounds: number,
  slice: number,
  sandbox: Awaited<ReturnType<typeof spawnSandbox>>,
) {
  const tally = empty();
  const servers = await Promise.all(SIDES.map((s) => startHttpSide(s, sandbox)));
  const by = Object.fromEntries(SIDES.map((s, i) => [s, servers[i]!])) as Record<
    Side,
    (typeof servers)[number]
  >;
  try {
    const callers = {} as Record<Side, (() => Promise<void>)[]>;
    for (const side of SIDES)
      callers[side] = await Promise.all(Array.from({ length: clients }, () => by[side].caller()));
    for (const side of SIDES) await drive(clients, 1, (i) => callers[side][i]!(), empty()[side]);
    for (let r = 0; r < rounds; r++) {
      for (const side of order(r)) {
        const cpu = cpuMicros(by[side].pid);
        await drive(clients, slice, (i) => callers[side][i]!(), tally[side]);
        tally[side].cpuMicros += cpuMicros(by[side].pid) - cpu;
      }
    }
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
  return tally;
}

/** The side-by-side figures and their verdicts (issue 13 targets). */
export async function runSideBySide(options: BenchOptions): Promise<{ data: unknown; verdicts: Verdict[] }> {
  const clients = envInt('BENCH_CLIENTS', 8);
  const rounds = envInt('BENCH_ROUNDS', options.quick ? 2 : 4);
  const seconds = envInt('BENCH_SECONDS', options.quick ? 6 : 20);
  const coldRuns = envInt('BENCH_COLD_RUNS', options.quick ? 5 : 10);
  const slice = seconds / rounds;
  prepareSides();
  const sandbox = await spawnSandbox();
  let cold: Record<Side, number[]>;
  let stdio: Record<Side, Tally>;
  let http: Record<Side, Tally>;
  try {
    cold = await coldStarts(coldRuns, sandbox);
    stdio = await stdioThroughput(clients, rounds, slice, sandbox);
    http = await httpThroughput(clients, rounds, slice, sandbox);
  } finally {
    await sandbox.close();
  }
  const rate = (t: Tally) => t.calls / t.seconds;
  const cpu = (t: Tally) => t.cpuMicros / Math.max(1, t.calls);
  const rows = SIDES.map((side) => ({
    side,
    cold_start_ms: round(median(cold[side]), 1),
    stdio_calls_per_s: round(rate(stdio[side]), 0),
    stdio_cpu_us_per_call: round(cpu(stdio[side]), 0),
    http_calls_per_s: round(rate(http[side]), 0),
    http_cpu_us_per_call: round(cpu(http[side]), 0),
    errors: stdio[side].errors + http[side].errors,
  }));
  printTable(
    `side by side: ${clients} callers, ${rounds} interleaved rounds, ${seconds}s per side per transport`,
    rows,
  );
  const ratio = (a: number, b: number) => round(a / b, 2);
  const httpPeer = ratio(rate(http.ours), rate(http.peer));
  const httpFloor = ratio(rate(http.ours), rate(http.floor));
  const stdioPeer = ratio(rate(stdio.ours), rate(stdio.peer));
  const coldPeer = ratio(median(cold.ours), median(cold.peer));
  const cpuOurs = round(cpu(http.ours), 0);
  const clean = rows.every((r) => r.errors === 0);
  return {
    data: { clients, rounds, seconds, rows, ratios: { httpPeer, httpFloor, stdioPeer, coldPeer } },
    verdicts: [
      {
        metric: 'stateless HTTP throughput, ours/peer',
        value: httpPeer,
        unit: '×',
        target: '>= 2',
        pass: clean && httpPeer >= 2,
      },
      {
        metric: 'stateless HTTP throughput, ours/floor',
        value: httpFloor,
        unit: '×',
        target: '>= 0.65',
        pass: clean && httpFloor >= 0.65,
      },
      {
        metric: 'server CPU per HTTP call',
        value: cpuOurs,
        unit: 'µs',
        target: '<= 300',
        pass: cpuOurs <= 300,
      },
      {
        metric: 'stdio throughput, ours/peer',
        value: stdioPeer,
        unit: '×',
        target: '>= 2',
        pass: clean && stdioPeer >= 2,
      },
      {
        metric: 'cold start to tools/list, ours/peer',
        value: coldPeer,
        unit: '×',
        target: '<= 0.6',
        pass: coldPeer <= 0.6,
      },
    ],
  };
}
