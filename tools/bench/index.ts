import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runContext } from './context.js';
import { ENTRY, machine, printTable, writeResult, type BenchOptions, type Verdict } from './lib.js';
import { runJournal } from './journal.js';
import { runMemory } from './memory.js';
import { runOverhead } from './overhead.js';
import { runSideBySide } from './sidebyside.js';

const BENCHES = {
  context: runContext,
  sides: runSideBySide,
  overhead: runOverhead,
  memory: runMemory,
  journal: runJournal,
} satisfies Record<string, (o: BenchOptions) => Promise<{ data: unknown; verdicts: Verdict[] }>>;

const USAGE = `npm run bench [-- [--quick] [--update] [${Object.keys(BENCHES).join('|')} ...]]
  --quick    smaller N / shorter runs (about a minute in all)
  --update   (context) record the current tools/list cost as the budget
  env: BENCH_N, BENCH_CLIENTS, BENCH_SECONDS, BENCH_ROUNDS, BENCH_COLD_RUNS, BENCH_MEMORY_CALLS,
       BENCH_MEMORY_TRANSPORTS=stdio,http, BENCH_TOOL, BENCH_ARGS, BENCH_LOG_LEVEL (server, default info),
       BENCH_NODE_ARGS (sides: node flags for our server only, e.g. --cpu-prof --cpu-prof-dir=DIR),
       BENCH_JOURNAL_ENTRIES (100000), BENCH_JOURNAL_BYTES (10000), BENCH_JOURNAL_CALLS (1000),
       BENCH_DATABASE_URL (journal on PostgreSQL too; default POST_EDITOR_TEST_DATABASE_URL)`;

// The SDK's HTTP client passes one AbortSignal to every fetch, and undici warns once it holds many
// listeners (they are released by GC). That is the benchmark client's noise, not the server's: say it once.
process.removeAllListeners('warning');
let warnedListeners = false;
process.on('warning', (warning) => {
  if (warning.name === 'MaxListenersExceededWarning') {
    if (!warnedListeners)
      console.error(`(bench client, pid ${process.pid}: ${warning.message}; further ones hidden)`);
    warnedListeners = true;
    return;
  }
  console.error(warning);
});

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      quick: { type: 'boolean' },
      update: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return console.log(USAGE);
  if (!existsSync(ENTRY)) throw new Error('dist/index.js is missing: run npm run build first');
  const unknown = positionals.filter((p) => !(p in BENCHES));
  if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(', ')}\n${USAGE}`);
  const selected = (positionals.length ? positionals : Object.keys(BENCHES)) as (keyof typeof BENCHES)[];
  const options: BenchOptions = { quick: values.quick === true, update: values.update === true };
  console.log(`post-editor-mcp benchmarks ${JSON.stringify({ ...machine(), quick: options.quick })}`);
  const verdicts: Verdict[] = [];
  for (const name of selected) {
    const result = await BENCHES[name](options);
    const file = writeResult(name, {
      machine: machine(),
      quick: options.quick,
      ...(result.data as object),
      verdicts: result.verdicts,
    });
    console.log(`→ ${file}`);
    verdicts.push(...result.verdicts);
  }
  printTable(
    'summary: every figure against its target',
    verdicts.map((v) => ({
      metric: v.metric,
      value: `${v.value} ${v.unit}`,
      target: `${v.target} ${v.unit}`,
      result: v.pass ? 'ok' : 'MISSED',
    })),
  );
  writeResult('summary', { machine: machine(), quick: options.quick, verdicts });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
