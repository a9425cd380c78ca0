import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const ENTRY = join(ROOT, 'dist/index.js');
export const RESULTS_DIR = join(ROOT, 'bench-results');

/** Settings every benchmark reads: `--quick` shrinks the defaults, BENCH_* env vars override them. */
export interface BenchOptions {
  quick: boolean;
  update: boolean;
}

/** A positive integer from the environment, else the fallback. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

/** The emulators in their own process (so the client under test does not share their event loop). */
export interface SandboxProcess {
  origin: string;
  env: Record<string, string>;
  close(): Promise<void>;
}

const SANDBOX_CHILD = `
import { startSandbox } from ${JSON.stringify(join(ROOT, 'dist/sandbox/server.js'))};
const sandbox = await startSandbox({ noRateLimit: true });
process.stdout.write(JSON.stringify({ origin: sandbox.origin, env: sandbox.env }) + '\\n');
process.on('SIGTERM', () => void sandbox.close().then(() => process.exit(0)));
`;

/** Starts every registered emulator (from the built dist) in a child process. */
export async function spawnSandbox(): Promise<SandboxProcess> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', SANDBOX_CHILD], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const info = await new Promise<{ origin: string; env: Record<string, string> }>((ok, fail) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('\n')) ok(JSON.parse(out) as { origin: string; env: Record<string, string> });
    });
    child.once('exit', (code) => fail(new Error(`sandbox exited with ${code}`)));
  });
  return { ...info, close: () => stop(child) };
}

/** Environment for a spawned server: PATH and the sandbox's provider variables, nothing from the shell. */
export function serverEnv(sandboxEnv: Record<string, string>, extra: Record<string, string> = {}) {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    POST_EDITOR_DATA_DIR: mkdtempSync(join(tmpdir(), 'pe-bench-')),
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    ...sandboxEnv,
    ...extra,
  };
}

export interface StdioSession {
  client: Client;
  pid: number;
  close(): Promise<void>;
}

/** Spawns the built server over stdio and connects the SDK client (stderr is discarded). */
export async function connectStdio(env: Record<string, string>, args: string[] = []): Promise<StdioSession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [ENTRY, ...args],
    env,
    stderr: 'ignore',
  });
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(transport);
  return { client, pid: transport.pid ?? 0, close: () => client.close() };
}

export interface HttpProcess {
  url: string;
  pid: number;
  connect(): Promise<Client>;
  close(): Promise<void>;
}

/** Spawns the built server in Streamable HTTP mode on an ephemeral loopback port. */
export async function spawnHttp(env: Record<string, string>, args: string[] = []): Promise<HttpProcess> {
  const child = spawn(process.execPath, [ENTRY, '--http', '--port', '0', ...args], {
    // The rate limiter would throttle the benchmark itself; LOG_LEVEL info so the URL is logged.
    env: { ...env, MCP_HTTP_RATE_LIMIT: '0', LOG_LEVEL: env.LOG_LEVEL === 'silent' ? 'info' : env.LOG_LEVEL },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await new Promise<string>((ok, fail) => {
    let err = '';
    const onData = (chunk: Buffer) => {
      err += chunk.toString('utf8');
      const match = /"msg":"listening","url":"([^"]+)"/.exec(err);
      if (match?.[1]) {
        // Keep draining stderr (one log line per call) without holding it in memory.
        child.stderr.off('data', onData);
        child.stderr.resume();
        ok(match[1]);
      }
    };
    child.stderr.on('data', onData);
    child.once('exit', (code) => fail(new Error(`server exited with ${code}: ${err}`)));
  });
  const clients: Client[] = [];
  return {
    url,
    pid: child.pid ?? 0,
    async connect() {
      const client = new Client({ name: 'bench-http', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      await stop(child);
    },
  };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  child.kill('SIGTERM');
  return exited;
}

/** Calls a tool and throws if the result is an error (a benchmark of failures measures nothing). */
export async function callOk(client: Client, name: string, args: Record<string, unknown>): Promise<void> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  if (result.isError) {
    const first = result.content[0];
    throw new Error(`${name} failed: ${first?.type === 'text' ? first.text : 'no text'}`);
  }
}

/** Resident set size of a process in MB (Linux /proc, else `ps`). */
export async function rssMb(pid: number): Promise<number> {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
    if (kb) return Number(kb) / 1024;
  } catch {
    // not Linux: fall back to ps
  }
  const out = await new Promise<string>((ok, fail) => {
    const ps = spawn('ps', ['-o', 'rss=', '-p', String(pid)]);
    let text = '';
    ps.stdout.on('data', (c: Buffer) => (text += c.toString()));
    ps.once('exit', (code) => (code === 0 ? ok(text) : fail(new Error('ps failed'))));
  });
  return Number(out.trim()) / 1024;
}

/** The p-th percentile (0-100) of a list of numbers, nearest rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Median of a list. */
export const median = (values: number[]): number => percentile(values, 50);

/** Rounds for display and JSON. */
export const round = (value: number, digits = 3): number => Number(value.toFixed(digits));

/** A figure compared with its target, for the summary. */
export interface Verdict {
  metric: string;
  value: number;
  unit: string;
  target: string;
  pass: boolean;
}

/** Prints rows as an aligned text table. */
export function printTable(title: string, rows: Record<string, string | number | boolean>[]): void {
  console.log(`\n${title}`);
  if (rows.length === 0) return;
  const headers = Object.keys(rows[0]!);
  const cells = rows.map((r) => headers.map((h) => String(r[h] ?? '')));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join('  ');
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells) console.log(line(c));
}

/** Writes a benchmark's figures to bench-results/<name>.json. */
export function writeResult(name: string, data: unknown): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      { name, at: new Date().toISOString(), node: process.version, ...(data as object) },
      null,
      2,
    ) + '\n',
  );
  return file;
}

/** Machine facts printed with every run (figures mean little without them). */
export function machine(): Record<string, unknown> {
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: availableParallelism(),
  };
}
