import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import type { SandboxOptions } from '../../src/sandbox/index.js';

export const SERVER_ENTRY = resolve(import.meta.dirname, '../../dist/index.js');

/** The emulators in this test process (so tests can read their request logs and inject faults). */
export async function startTestSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ applyDelayMs: 100, ...options });
}

/** A fresh journal directory per server. */
export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'pe-test-'));
}

/** Base environment for a spawned server: PATH etc., no provider credentials from the developer's shell. */
export function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  const keep = ['PATH', 'HOME', 'SYSTEMROOT', 'TMPDIR', 'TEMP', 'TMP'];
  const env: Record<string, string> = {};
  for (const k of keep) if (process.env[k]) env[k] = process.env[k]!;
  // An empty config directory: a developer's ~/.config/post-editor-mcp/.env must not reach the tests.
  return {
    ...env,
    LOG_LEVEL: 'warn',
    POST_EDITOR_DATA_DIR: tempDataDir(),
    XDG_CONFIG_HOME: tempDataDir(),
    ...extra,
  };
}

export interface StdioServer {
  client: Client;
  stderr: () => string;
  close(): Promise<void>;
}

/** Spawns the built server over stdio and connects a real SDK client. */
export async function connectStdio(env: Record<string, string>, args: string[] = []): Promise<StdioServer> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [SERVER_ENTRY, ...args],
    env,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const client = new Client({ name: 'e2e-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr, close: () => client.close() };
}

export interface HttpServer {
  url: string;
  child: ChildProcess;
  stderr: () => string;
  connect(headers?: Record<string, string>): Promise<Client>;
  close(): Promise<void>;
}

/** Spawns the built server in HTTP mode on an ephemeral port. */
export async function startHttpServer(env: Record<string, string>, args: string[] = []): Promise<HttpServer> {
  const child = spawn(process.execPath, [SERVER_ENTRY, '--http', '--port', '0', ...args], {
    // The start-up line is logged at info: keep debug if asked, else raise to info.
    env: { ...env, LOG_LEVEL: env.LOG_LEVEL === 'debug' ? 'debug' : 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const url = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stderr}`)), 15_000);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const match = /"msg":"listening","url":"([^"]+)"/.exec(stderr);
      if (match?.[1]) {
        clearTimeout(timer);
        resolvePromise(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${stderr}`));
    });
  });
  const clients: Client[] = [];
  return {
    url,
    child,
    stderr: () => stderr,
    async connect(headers = {}) {
      const client = new Client({ name: 'e2e-http-test', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      // A child killed by a signal has a null exitCode but a signalCode: it is gone already.
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/** The JSON a tool result carries as text. */
export function resultJson(result: unknown): Record<string, unknown> {
  const r = result as CallToolResult;
  const first = r.content[0];
  if (!first || first.type !== 'text') throw new Error('no text content');
  return JSON.parse(first.text) as Record<string, unknown>;
}

/** The error object of an error result (fails the test if the call succeeded). */
export function toolError(result: unknown): Record<string, unknown> & { code: string; message: string } {
  const r = result as CallToolResult;
  if (!r.isError) throw new Error(`expected an error result, got ${JSON.stringify(r.structuredContent)}`);
  return resultJson(r).error as Record<string, unknown> & { code: string; message: string };
}

/** Calls a tool and returns its structured content (fails the test on an error result). */
export async function callOk(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(resultJson(result))}`);
  return result.structuredContent as Record<string, unknown>;
}

/** Waits until `check` passes or the time is up (for async applies). */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met in time');
}

/** A data directory on a tiny tmpfs the test can fill up: a real "disk full" for the journal. */
export interface FullDisk {
  dir: string;
  /** Fills the file system to the last byte. */
  fill(): void;
  /** Frees what fill() took. */
  release(): void;
  unmount(): void;
}

/** Mounts a 4 MB tmpfs (needs root / CAP_SYS_ADMIN); undefined when this machine cannot mount one. */
export function mountFullDisk(): FullDisk | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'pe-fulldisk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  const filler = join(dir, 'filler');
  return {
    dir,
    fill() {
      // dd stops with "No space left on device": that is the point.
      spawnSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=4k'], { stdio: 'ignore' });
    },
    release() {
      rmSync(filler, { force: true });
    },
    unmount() {
      spawnSync('umount', ['-l', dir], { stdio: 'ignore' });
    },
  };
}
