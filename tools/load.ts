/**
 * Bounded load test over HTTP against the sandbox: N concurrent MCP clients for T seconds.
 *
 *   npm run load -- [--clients 50] [--seconds 20] [--stateful] [--json]
 *   (or LOAD_CLIENTS / LOAD_SECONDS / LOAD_STATEFUL=1)
 *
 * Starts the emulators in this process and the built server (dist/index.js, run `npm run build`
 * first) on 127.0.0.1 with the rate limit off, then reports calls/s, p50/p99 latency, errors, the
 * server's RSS before/after and its open sockets/sessions at the peak and after the clients left.
 * Loopback only; clients ≤ 500 and seconds ≤ 600.
 */
import { existsSync } from 'node:fs';
import { get } from 'node:http';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Agent, fetch as undiciFetch } from 'undici';
import { startSandbox } from '../src/sandbox/server.js';
import { ENTRY, percentile, round, rssMb, serverEnv, spawnHttp } from './bench/lib.js';

export interface LoadOptions {
  clients: number;
  seconds: number;
  stateful: boolean;
}

export interface LoadReport extends LoadOptions {
  calls: number;
  errors: number;
  errorSamples: string[];
  callsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  rssBeforeKb: number | null;
  rssAfterKb: number | null;
  peakConnections: number;
  peakSessions: number;
  /** After every client closed (its own probe connection excluded). */
  connectionsAfter: number;
  sessionsAfter: number;
}

const MAX_CLIENTS = 500;
const MAX_SECONDS = 600;

/** Runs one bounded load test and returns its report. */
export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const clients = Math.min(Math.max(1, Math.floor(options.clients)), MAX_CLIENTS);
  const seconds = Math.min(Math.max(0.5, options.seconds), MAX_SECONDS);
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run npm run build first`);
  const sandbox = await startSandbox({ applyDelayMs: 50 });
  const server = await spawnHttp(
    serverEnv(sandbox.env, { LOG_LEVEL: 'info', MCP_HTTP_MAX_SESSIONS: String(MAX_CLIENTS + 10) }),
    options.stateful ? ['--stateful'] : [],
  );
  const agent = new Agent({ connections: clients + 4 });
  const fetchVia = ((url: string | URL, init?: RequestInit) =>
    undiciFetch(url, { ...(init as object), dispatcher: agent })) as unknown as typeof fetch;
  const base = server.url.replace(/\/mcp$/, '');
  let peakConnections = 0;
  let peakSessions = 0;
  // One probe at a time: each is its own connection, and the server's count is "the clients' sockets
  // + this probe's". Fired on a timer, a probe that took over 250 ms (a busy server on a busy machine)
  // overlapped the next, whose count then held two probe sockets: peaks of clients + 5 that were our
  // own probes, not the clients' (issue 15).
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await probe(`${base}/readyz`)
        .then((r) => {
          peakConnections = Math.max(peakConnections, r.connections - 1);
          peakSessions = Math.max(peakSessions, r.sessions);
        })
        .catch(() => undefined);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();

  try {
    const connected = await Promise.all(
      Array.from({ length: clients }, async (_, i) => {
        const client = new Client({ name: `load-${i}`, version: '1.0.0' });
        const transport = new StreamableHTTPClientTransport(new URL(server.url), { fetch: fetchVia });
        await client.connect(transport);
        return { client, transport };
      }),
    );
    const ids = await postIds(connected[0]!.client);
    const rssBeforeKb = await rssKb(server.pid);
    const latencies: number[] = [];
    const errorSamples: string[] = [];
    let errors = 0;
    const deadline = Date.now() + seconds * 1000;
    const started = performance.now();
    await Promise.all(
      connected.map(async ({ client }, i) => {
        for (let n = i; Date.now() < deadline; n++) {
          const [name, args] =
            n % 4 === 3
              ? ['buttercms_list_posts', { page_size: 5 }]
              : ['buttercms_get_post', { id: ids[n % ids.length] }];
          const t0 = performance.now();
          try {
            const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
            if (result.isError) throw new Error(JSON.stringify(result.content[0]));
            latencies.push(performance.now() - t0);
          } catch (err) {
            errors++;
            if (errorSamples.length < 5) errorSamples.push(err instanceof Error ? err.message : String(err));
          }
        }
      }),
    );
    const elapsedS = (performance.now() - started) / 1000;
    const rssAfterKb = await rssKb(server.pid);
    await Promise.all(
      connected.map(async ({ client, transport }) => {
        if (options.stateful) await transport.terminateSession().catch(() => undefined);
        await client.close();
      }),
    );
    await agent.close();
    const after = await settle(base);
    return {
      clients,
      seconds,
      stateful: options.stateful,
      calls: latencies.length + errors,
      errors,
      errorSamples,
      callsPerSecond: Math.round((latencies.length + errors) / elapsedS),
      p50Ms: latencies.length ? round(percentile(latencies, 50), 1) : 0,
      p99Ms: latencies.length ? round(percentile(latencies, 99), 1) : 0,
      rssBeforeKb,
      rssAfterKb,
      peakConnections,
      peakSessions,
      connectionsAfter: after.connections,
      sessionsAfter: after.sessions,
    };
  } finally {
    sampling = false;
    await sampler;
    await agent.close().catch(() => undefined);
    await server.close();
    await sandbox.close();
  }
}

async function postIds(client: Client): Promise<string[]> {
  const result = (await client.callTool({
    name: 'buttercms_list_posts',
    arguments: { page_size: 100 },
  })) as CallToolResult;
  const posts = (result.structuredContent as { posts?: { id: string }[] } | undefined)?.posts ?? [];
  if (posts.length === 0) throw new Error('the sandbox listed no posts');
  return posts.map((p) => p.id);
}

/** Waits (≤ 5 s) for the server to drop the clients' sockets and sessions; returns what is left. */
async function settle(base: string): Promise<{ connections: number; sessions: number }> {
  const until = Date.now() + 5000;
  for (;;) {
    const r = await probe(`${base}/readyz`);
    const left = { connections: r.connections - 1, sessions: r.sessions };
    if ((left.connections <= 0 && left.sessions === 0) || Date.now() > until) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** GET /readyz on a fresh connection (agent: false), so our own probe counts as exactly one socket. */
function probe(url: string): Promise<{ connections: number; sessions: number }> {
  return new Promise((resolvePromise, reject) => {
    get(url, { agent: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () => {
        try {
          resolvePromise(JSON.parse(text) as { connections: number; sessions: number });
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    }).on('error', reject);
  });
}

/** Resident set size of a process in KB; null where it cannot be read. */
async function rssKb(pid: number): Promise<number | null> {
  const mb = await rssMb(pid).catch(() => Number.NaN);
  return Number.isFinite(mb) ? Math.round(mb * 1024) : null;
}

function formatReport(r: LoadReport): string {
  const mb = (kb: number | null) => (kb === null ? 'n/a' : `${(kb / 1024).toFixed(1)} MB`);
  return [
    `post-editor-mcp load: ${r.clients} clients × ${r.seconds} s over HTTP (${r.stateful ? 'stateful' : 'stateless'}), sandbox`,
    `  calls        ${r.calls} (${r.callsPerSecond}/s), errors ${r.errors}`,
    `  latency      p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms`,
    `  server RSS   before ${mb(r.rssBeforeKb)}, after ${mb(r.rssAfterKb)}`,
    `  sockets      peak ${r.peakConnections}, after ${r.connectionsAfter}`,
    `  sessions     peak ${r.peakSessions}, after ${r.sessionsAfter}`,
    ...r.errorSamples.map((e) => `  error sample ${e.slice(0, 200)}`),
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string' },
      seconds: { type: 'string' },
      stateful: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  const clients = Number(values.clients ?? process.env.LOAD_CLIENTS ?? 50);
  const seconds = Number(values.seconds ?? process.env.LOAD_SECONDS ?? 20);
  if (!Number.isFinite(clients) || !Number.isFinite(seconds))
    throw new Error('--clients and --seconds take numbers');
  const stateful = values.stateful ?? ['1', 'true'].includes(process.env.LOAD_STATEFUL ?? '');
  const report = await runLoad({ clients, seconds, stateful });
  console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
  if (report.errors > 0 || report.sessionsAfter > 0 || report.connectionsAfter > 0) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
