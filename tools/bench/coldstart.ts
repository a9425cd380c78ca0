import { spawn } from 'node:child_process';
import {
  ENTRY,
  envInt,
  median,
  printTable,
  round,
  serverEnv,
  spawnSandbox,
  type BenchOptions,
  type Verdict,
} from './lib.js';

interface Start {
  initialize: number;
  toolsList: number;
  tools: number;
}

/**
 * One cold start measured with raw JSON-RPC lines over the child's pipes, so the figure is the
 * server's alone (an SDK client would add its own result validation to tools/list).
 */
function coldStart(env: Record<string, string>): Promise<Start> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [ENTRY], { env, stdio: ['pipe', 'pipe', 'ignore'] });
    const send = (message: object) => child.stdin.write(JSON.stringify(message) + '\n');
    let buffer = '';
    let initialize = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const message = JSON.parse(buffer.slice(0, newline)) as {
          id?: number;
          result?: { tools?: unknown[] };
        };
        buffer = buffer.slice(newline + 1);
        if (message.id === 1) {
          initialize = performance.now() - started;
          send({ jsonrpc: '2.0', method: 'notifications/initialized' });
          send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
        } else if (message.id === 2) {
          const toolsList = performance.now() - started;
          child.once('exit', () =>
            resolve({ initialize, toolsList, tools: message.result?.tools?.length ?? 0 }),
          );
          child.stdin.end();
        }
      }
    });
    child.once('error', reject);
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'bench', version: '1' },
      },
    });
  });
}

/** Spawn → initialize answered → tools/list answered, over stdio with every provider configured. */
export async function runColdStart(options: BenchOptions): Promise<{ data: unknown; verdicts: Verdict[] }> {
  const runs = envInt('BENCH_COLD_RUNS', options.quick ? 5 : 10);
  const sandbox = await spawnSandbox();
  const starts: Start[] = [];
  try {
    for (let i = 0; i < runs; i++) starts.push(await coldStart(serverEnv(sandbox.env)));
  } finally {
    await sandbox.close();
  }
  const row = (step: string, values: number[]) => ({
    step,
    median_ms: round(median(values), 1),
    min_ms: round(Math.min(...values), 1),
    max_ms: round(Math.max(...values), 1),
  });
  const initialize = starts.map((s) => s.initialize);
  const toolsList = starts.map((s) => s.toolsList);
  const rows = [row('initialize answered', initialize), row('tools/list answered', toolsList)];
  printTable(
    `cold start: spawn of node dist/index.js over stdio, ${starts[0]?.tools} tools, ${runs} runs`,
    rows,
  );
  const value = rows[1]!.median_ms;
  return {
    data: {
      runs,
      tools: starts[0]?.tools,
      initialize_ms: initialize.map((v) => round(v, 1)),
      tools_list_ms: toolsList.map((v) => round(v, 1)),
      rows,
    },
    verdicts: [
      {
        metric: 'cold start to tools/list (median)',
        value,
        unit: 'ms',
        target: '<= 300',
        pass: value <= 300,
      },
    ],
  };
}
