import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createLogger } from '../../src/core/log.js';
import { Redactor } from '../../src/core/redact.js';
import { openStore } from '../../src/store/open.js';
import type { JournalEntry } from '../../src/store/types.js';
import {
  connectStdio,
  envInt,
  percentile,
  printTable,
  round,
  rssMb,
  serverEnv,
  spawnSandbox,
  type BenchOptions,
  type Verdict,
} from './lib.js';

// Growth: a journal of 100k entries / ~1 GB of pre-images, then post_history through the built server.
// Targets (issue 11): p99 ≤ 20 ms, RSS ≤ +20 MB over 1,000 calls, 60 concurrent calls all answered.

const POSTS = 1000;
const PROVIDERS = ['buttercms', 'flowcms', 'infinipost', 'partoo', 'rebelmouse'];

interface StoreFigures {
  store: string;
  entries: number;
  preimageMb: number;
  buildS: number;
  p50Ms: number;
  p99Ms: number;
  rssStartMb: number;
  rssEndMb: number;
  concurrentAnswered: number;
}

/** Fills a store with `entries` journal entries of ~`bytes` of pre-image each, in bulk transactions. */
async function build(dataDir: string, databaseUrl: string | undefined, entries: number, bytes: number) {
  const store = await openStore(
    { dataDir, databaseUrl, retentionDays: 0 },
    (t) => t,
    createLogger('silent', new Redactor()),
  );
  const started = Date.now() - entries * 1000;
  try {
    for (let done = 0; done < entries;) {
      const batch: JournalEntry[] = [];
      for (let i = 0; i < 2000 && done < entries; i++, done++) {
        const post = done % POSTS;
        // Incompressible text, so PostgreSQL's TOAST compression cannot shrink the ~1 GB.
        const body = randomBytes(Math.floor((bytes * 3) / 4)).toString('base64');
        batch.push({
          journal_id: `j_${(started + done * 1000).toString(36)}_${randomBytes(5).toString('hex')}`,
          at: new Date(started + done * 1000).toISOString(),
          provider: PROVIDERS[post % PROVIDERS.length]!,
          post_id: `post-${post}`,
          tool: 'bench_update_post',
          version_before: randomBytes(8).toString('hex'),
          before: { title: `Title ${done}`, content: body },
          after: { title: `Title ${done + 1}` },
          request: { method: 'PATCH', path: `/posts/post-${post}`, body: { title: `Title ${done + 1}` } },
          title_before: `Title ${done}`,
          url_before: `https://example.test/post-${post}`,
          outcome: 'applied',
          outcome_detail: null,
          completed_at: new Date(started + done * 1000 + 200).toISOString(),
          reverts: null,
          reverted_by: null,
          actor: null,
        });
      }
      await store.importEntries(batch);
    }
  } finally {
    await store.close();
  }
}

async function measure(
  label: string,
  env: Record<string, string>,
  calls: number,
  entries: number,
  bytes: number,
): Promise<Omit<StoreFigures, 'store' | 'entries' | 'preimageMb' | 'buildS'>> {
  const sandbox = await spawnSandbox();
  const server = await connectStdio(serverEnv(sandbox.env, { ...env, LOG_LEVEL: 'warn' }));
  try {
    const args = (i: number) =>
      i % 3 === 0
        ? { limit: 10 } // newest entries of every post
        : { provider: PROVIDERS[i % PROVIDERS.length]!, post_id: `post-${(i * 7919) % POSTS}`, limit: 10 };
    const history = async (i: number) => {
      const result = await server.client.callTool({ name: 'post_history', arguments: args(i) });
      if (result.isError) throw new Error(`post_history failed: ${JSON.stringify(result.content)}`);
    };
    for (let i = 0; i < 1000; i++) await history(i); // warm-up: JIT, SQLite page cache, V8 heap sizing
    // RSS saws with garbage collection (each page of 10 pre-images is ~100 KB of JSON): growth is judged
    // on the troughs, the lowest sample of the last fifth against the lowest of the first fifth.
    const samples: number[] = [await rssMb(server.pid)];
    const times: number[] = [];
    for (let i = 0; i < calls; i++) {
      const t0 = performance.now();
      await history(i);
      times.push(performance.now() - t0);
      if ((i + 1) % 20 === 0) samples.push(await rssMb(server.pid));
    }
    const fifth = Math.max(1, Math.floor(samples.length / 5));
    const rssStartMb = Math.min(...samples.slice(0, fifth));
    const rssEndMb = Math.min(...samples.slice(-fifth));
    const answered = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        history(i + 1).then(
          () => 1,
          () => 0,
        ),
      ),
    );
    console.log(`${label}: ${entries} entries of ~${bytes} B, ${calls} post_history calls measured`);
    return {
      p50Ms: round(percentile(times, 50), 2),
      p99Ms: round(percentile(times, 99), 2),
      rssStartMb: round(rssStartMb, 1),
      rssEndMb: round(rssEndMb, 1),
      concurrentAnswered: answered.reduce<number>((a, b) => a + b, 0),
    };
  } finally {
    await server.close();
    await sandbox.close();
  }
}

/** `npm run bench journal`: SQLite always; PostgreSQL too when BENCH_DATABASE_URL (or the test URL) is set. */
export async function runJournal(options: BenchOptions): Promise<{ data: unknown; verdicts: Verdict[] }> {
  const entries = envInt('BENCH_JOURNAL_ENTRIES', options.quick ? 10_000 : 100_000);
  const bytes = envInt('BENCH_JOURNAL_BYTES', 10_000);
  const calls = envInt('BENCH_JOURNAL_CALLS', 1000);
  const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.POST_EDITOR_TEST_DATABASE_URL;
  const figures: StoreFigures[] = [];
  for (const kind of pgUrl ? ['sqlite', 'postgres'] : ['sqlite']) {
    const dataDir = mkdtempSync(join(tmpdir(), 'pe-bench-journal-'));
    let databaseUrl: string | undefined;
    const dbName = `pe_bench_${randomBytes(4).toString('hex')}`;
    if (kind === 'postgres') {
      await adminQuery(pgUrl!, `CREATE DATABASE ${dbName}`);
      const url = new URL(pgUrl!);
      url.pathname = `/${dbName}`;
      databaseUrl = url.toString();
    }
    try {
      const t0 = Date.now();
      await build(dataDir, databaseUrl, entries, bytes);
      const buildS = round((Date.now() - t0) / 1000, 1);
      const env: Record<string, string> = { POST_EDITOR_DATA_DIR: dataDir };
      if (databaseUrl) env.POST_EDITOR_DATABASE_URL = databaseUrl;
      const measured = await measure(kind, env, calls, entries, bytes);
      figures.push({
        store: kind,
        entries,
        preimageMb: round((entries * bytes) / 1e6, 0),
        buildS,
        ...measured,
      });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      if (kind === 'postgres') await adminQuery(pgUrl!, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    }
  }
  printTable(
    'journal growth: post_history over a large journal (client-observed, over stdio)',
    figures.map((f) => ({
      store: f.store,
      entries: f.entries,
      'pre-images MB': f.preimageMb,
      'build s': f.buildS,
      'p50 ms': f.p50Ms,
      'p99 ms': f.p99Ms,
      'RSS start→end MB': `${f.rssStartMb}→${f.rssEndMb}`,
      '60 concurrent answered': f.concurrentAnswered,
    })),
  );
  const verdicts: Verdict[] = figures.flatMap((f) => [
    {
      metric: `journal ${f.store}: post_history p99`,
      value: f.p99Ms,
      unit: 'ms',
      target: '≤ 20',
      pass: f.p99Ms <= 20,
    },
    {
      metric: `journal ${f.store}: RSS growth over ${calls} calls`,
      value: round(f.rssEndMb - f.rssStartMb, 1),
      unit: 'MB',
      target: '≤ 20',
      pass: f.rssEndMb - f.rssStartMb <= 20,
    },
    {
      metric: `journal ${f.store}: concurrent history calls answered`,
      value: f.concurrentAnswered,
      unit: 'of 60',
      target: '60',
      pass: f.concurrentAnswered === 60,
    },
  ]);
  return { data: { entries, bytes, calls, figures }, verdicts };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
