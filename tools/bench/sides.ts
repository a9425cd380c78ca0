import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { Agent, request } from 'undici';
import { ENTRY, RESULTS_DIR, ROOT, serverEnv, type SandboxProcess } from './lib.js';

// The contenders of the side-by-side bench (../shared/bench/README.md): our server, the peer (a
// generic OpenAPI→MCP bridge, installed into a scratch folder, never shipped) and the floor relay,
// all reading the same Partoo post from the same emulator, all driven by the same minimal JSON-RPC
// caller so the client's own cost is equal for the three.

export type Side = 'ours' | 'peer' | 'floor';
export const SIDES: Side[] = ['ours', 'peer', 'floor'];
const PEER = '@ivotoby/openapi-mcp-server@1.16.1';
const PEER_DIR = join(RESULTS_DIR, 'peer');
const PEER_BIN = join(PEER_DIR, 'node_modules/@ivotoby/openapi-mcp-server/bin/mcp-server.js');
// Partoo's published spec plus a GET /posts/{post_id} so the bridge can read (copied from ../shared/bench).
const SPEC = join(ROOT, 'tools/bench/partoo-openapi.yaml');
const FLOOR_JS = join(RESULTS_DIR, 'floor.mjs');
const POST_ID = 3411;

/** Installs the peer into bench-results/peer and bundles the floor relay (once). */
export function prepareSides(): void {
  mkdirSync(PEER_DIR, { recursive: true });
  if (!existsSync(PEER_BIN)) {
    writeFileSync(join(PEER_DIR, 'package.json'), '{"name":"bench-peer","private":true}\n');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', PEER], { cwd: PEER_DIR, stdio: 'inherit' });
  }
  if (!existsSync(SPEC)) throw new Error(`the peer's OpenAPI spec is missing: ${SPEC}`);
  buildSync({
    entryPoints: [join(ROOT, 'tools/bench/floor.ts')],
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    outfile: FLOOR_JS,
    logLevel: 'warning',
  });
}

/** The tools/call each side answers, as JSON-RPC params. */
export function callParams(side: Side): { name: string; arguments: Record<string, unknown> } {
  if (side === 'ours') return { name: 'partoo_get_post', arguments: { id: String(POST_ID) } };
  if (side === 'peer') return { name: 'get-pst', arguments: { post_id: POST_ID } };
  return { name: 'get_post', arguments: { post_id: POST_ID } };
}

/** argv for a side over stdio, or over HTTP on `port`. */
export function command(side: Side, sandbox: SandboxProcess, port?: number): string[] {
  const base = sandbox.env.PARTOO_BASE_URL ?? '';
  const key = sandbox.env.PARTOO_API_KEY ?? '';
  if (side === 'ours')
    return [...ourNodeArgs(), ENTRY, ...(port === undefined ? [] : ['--http', '--port', String(port)])];
  if (side === 'floor') return [FLOOR_JS, base, key, ...(port === undefined ? [] : ['--http', String(port)])];
  return [
    PEER_BIN,
    ...['--openapi-spec', SPEC, '--api-base-url', base, '--headers', `x-APIKey:${key}`],
    ...(port === undefined
      ? ['--transport', 'stdio']
      : ['--transport', 'http', '--port', String(port), '--host', '127.0.0.1']),
  ];
}

/** Extra node flags for our server only (BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/p"). */
const ourNodeArgs = (): string[] => (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

/** The environment a side runs with: ours gets the sandbox's provider variables (info logs, as shipped). */
export function sideEnv(side: Side, sandbox: SandboxProcess): Record<string, string> {
  return side === 'ours'
    ? serverEnv(sandbox.env, { MCP_HTTP_RATE_LIMIT: '0' })
    : { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
}

/** A free loopback port (the peer takes a fixed one). */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => ok(port));
    });
  });
}

/** A JSON-RPC endpoint over a child's stdin/stdout: line-delimited, many requests in flight. */
export class StdioRpc {
  private buffer = '';
  private nextId = 0;
  private readonly pending = new Map<number, (message: Record<string, unknown>) => void>();
  readonly child: ChildProcess;

  constructor(argv: string[], env: Record<string, string>) {
    this.child = spawn(process.execPath, argv, { env, stdio: ['pipe', 'pipe', 'ignore'] });
    this.child.stdout?.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, nl).trim();
        this.buffer = this.buffer.slice(nl + 1);
        if (!line.startsWith('{')) continue;
        const message = JSON.parse(line) as Record<string, unknown>;
        const done = typeof message.id === 'number' ? this.pending.get(message.id) : undefined;
        if (done) {
          this.pending.delete(message.id as number);
          done(message);
        }
      }
    });
  }

  /** Sends a request and resolves with its answer (throws on a JSON-RPC or tool error). */
  call(method: string, params?: unknown): Promise<Record<string, unknown>> {
    const id = ++this.nextId;
    return new Promise((ok, fail) => {
      this.pending.set(id, (m) => {
        const result = m.result as { isError?: boolean } | undefined;
        if (!result || result.isError) fail(new Error(JSON.stringify(m).slice(0, 300)));
        else ok(m);
      });
      this.child.stdin?.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n');
    });
  }

  notify(method: string): void {
    this.child.stdin?.write(JSON.stringify({ jsonrpc: '2.0', method }) + '\n');
  }

  /** initialize (2025-06-18, which all three speak) then notifications/initialized. */
  async open(): Promise<void> {
    await this.call('initialize', {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'bench', version: '1' },
    });
    this.notify('notifications/initialized');
  }

  close(): Promise<void> {
    return stopChild(this.child);
  }
}

/** A side served over HTTP, with one minimal caller per concurrent client. */
export interface HttpSide {
  pid: number;
  caller(): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

const pool = new Agent({ keepAliveTimeout: 30_000, connections: 64 });
const HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': '2025-06-18',
};

async function post(url: string, body: object, headers: Record<string, string> = {}) {
  const res = await request(url, {
    method: 'POST',
    headers: { ...HEADERS, ...headers },
    body: JSON.stringify(body),
    dispatcher: pool,
  });
  const text = await res.body.text();
  // SSE answers (the peer's) carry the JSON in a data: line.
  const json = text.startsWith('{') ? text : (/^data: (.*)$/m.exec(text)?.[1] ?? '');
  return {
    status: res.statusCode,
    headers: res.headers,
    answer: json ? (JSON.parse(json) as Record<string, unknown>) : {},
  };
}

/** Starts a side in HTTP mode; ours and the floor are stateless, the peer needs a session per client. */
export async function startHttpSide(side: Side, sandbox: SandboxProcess): Promise<HttpSide> {
  const port = await freePort();
  const child = spawn(process.execPath, command(side, sandbox, port), {
    env: { ...sideEnv(side, sandbox), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.resume();
  const url = side === 'floor' ? `http://127.0.0.1:${port}/` : `http://127.0.0.1:${port}/mcp`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      await new Promise<void>((ok, fail) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.end();
          ok();
        });
        socket.once('error', fail);
      });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`${side} did not start listening on ${port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const params = callParams(side);
  let id = 0;
  return {
    pid: child.pid ?? 0,
    async caller() {
      const session: Record<string, string> = {};
      if (side === 'peer') {
        const init = await post(url, {
          jsonrpc: '2.0',
          id: ++id,
          method: 'initialize',
          params: {
            protocolVersion: '2025-06-18',
            capabilities: {},
            clientInfo: { name: 'bench', version: '1' },
          },
        });
        session['mcp-session-id'] = String(init.headers['mcp-session-id']);
        await post(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, session);
        // The peer answers a tools/call POST with 202 and sends the result on the session's GET stream.
        const waiting = await openStream(url, session);
        return async () => {
          const callId = ++id;
          const answered = new Promise<Record<string, unknown>>((ok) => waiting.set(callId, ok));
          const { status } = await post(
            url,
            { jsonrpc: '2.0', id: callId, method: 'tools/call', params },
            session,
          );
          if (status !== 202 && status !== 200) throw new Error(`peer answered ${status}`);
          const answer = await answered;
          const result = answer.result as { isError?: boolean } | undefined;
          if (!result || result.isError) throw new Error(`peer: ${JSON.stringify(answer).slice(0, 200)}`);
        };
      }
      return async () => {
        const { status, answer } = await post(
          url,
          { jsonrpc: '2.0', id: ++id, method: 'tools/call', params },
          session,
        );
        const result = answer.result as { isError?: boolean } | undefined;
        if (status !== 200 || !result || result.isError)
          throw new Error(`${side} answered ${status}: ${JSON.stringify(answer).slice(0, 200)}`);
      };
    },
    close: () => stopChild(child),
  };
}

/** Opens a session's SSE stream and routes each JSON-RPC answer on it to the call waiting for its id. */
async function openStream(url: string, session: Record<string, string>) {
  const waiting = new Map<number, (answer: Record<string, unknown>) => void>();
  // Not awaited: the peer may hold the stream's headers until its first event.
  void request(url, {
    method: 'GET',
    headers: { accept: 'text/event-stream', ...session },
    dispatcher: pool,
  }).then(
    (res) => {
      let buffer = '';
      res.body.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          if (!line.startsWith('data: ')) continue;
          const answer = JSON.parse(line.slice(6)) as Record<string, unknown>;
          const done = typeof answer.id === 'number' ? waiting.get(answer.id) : undefined;
          if (done) {
            waiting.delete(answer.id as number);
            done(answer);
          }
        }
      });
      res.body.on('error', () => undefined);
    },
    () => undefined,
  );
  await new Promise((r) => setTimeout(r, 100));
  return waiting;
}

/** CPU time (user + system) a process has used, in microseconds (Linux /proc). */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1_000_000) / 100; // USER_HZ is 100 on Linux
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  child.kill('SIGTERM');
  return exited;
}
