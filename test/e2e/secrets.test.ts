import { randomInt } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../src/providers/index.js';
import { EMULATORS } from '../../src/sandbox/index.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import {
  baseEnv,
  connectStdio,
  startHttpServer,
  startTestSandbox,
  type HttpServer,
  type StdioServer,
} from '../helpers/harness.js';
import { findWriteTarget, postIds, providersOf, toolExamples, versionOf } from '../helpers/targets.js';

// Secrets never leave the process (issue 5): every tool, happy and error paths (auth failures,
// provider bodies that echo the credential, dry runs, confirmations, reverts), run with distinctive
// credential values; then every tool result, the debug logs on stderr, the --log-file and the
// journal are scanned for them.

/** A random value shaped like the original (same length and character classes), so format checks pass. */
function lookalike(value: string): string {
  const pick = (chars: string) => chars[randomInt(chars.length)]!;
  let out = '';
  for (const ch of value) {
    if (/[a-z]/.test(ch)) out += pick('abcdefghijklmnopqrstuvwxyz');
    else if (/[A-Z]/.test(ch)) out += pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    else if (/[0-9]/.test(ch)) out += pick('0123456789');
    else out += ch;
  }
  return out === value || out.length < 12 ? lookalike(`${value}-extra-distinctive`) : out;
}

const secretNames = new Set(PROVIDERS.flatMap((p) => p.env.filter((v) => v.secret).map((v) => v.name)));
const defaults: Record<string, string> = Object.assign(
  {},
  ...EMULATORS.map((spec) => spec.env(`http://127.0.0.1:1/${spec.id}`)),
);
/** Characters that read differently once serialized: JSON escapes them, URLs encode them (issue 11). */
const AWKWARD = '"q\\z';
/** Credentials the sandbox accepts (it maps them to its defaults); two of them hold `"` and `\`. */
const good = Object.fromEntries(
  Object.entries(defaults)
    .filter(([k]) => secretNames.has(k))
    .map(([k, v]) => [
      k,
      k === 'REBELMOUSE_API_KEY' || k === 'BUTTERCMS_WRITE_TOKEN' ? lookalike(v) + AWKWARD : lookalike(v),
    ]),
);
/** Credentials no emulator accepts: every provider call fails with auth_failed. */
const bad = Object.fromEntries(Object.entries(good).map(([k, v]) => [k, lookalike(v)]));
const HTTP_TOKEN = lookalike('http-bearer-token-0123456789abcdef');
const CONFIRM_SECRET = lookalike('confirm-secret-0123456789abcdef');
const SECRETS = [...Object.values(good), ...Object.values(bad), HTTP_TOKEN, CONFIRM_SECRET];

let sandbox: Sandbox;
let stdio: StdioServer;
let http: HttpServer;
const dataDirs: string[] = [];
const logFile = join(mkdtempSync(join(tmpdir(), 'pe-secrets-')), 'server.log');
const outputs: string[] = [];
let examples: Map<string, Record<string, unknown>>;

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pe-secrets-data-'));
  dataDirs.push(dir);
  return dir;
}

beforeAll(async () => {
  sandbox = await startTestSandbox({ credentials: good });
  examples = await toolExamples(sandbox.env);
  stdio = await connectStdio(
    {
      ...baseEnv({ ...sandbox.env, POST_EDITOR_CONFIRM_SECRET: CONFIRM_SECRET }),
      LOG_LEVEL: 'debug',
      POST_EDITOR_DATA_DIR: dataDir(),
      POST_EDITOR_MAX_RETRIES: '1',
    },
    ['--log-file', logFile],
  );
  http = await startHttpServer({
    ...baseEnv({ ...sandbox.env, ...bad, MCP_HTTP_TOKEN: HTTP_TOKEN }),
    LOG_LEVEL: 'debug',
    POST_EDITOR_DATA_DIR: dataDir(),
  });
});
afterAll(async () => {
  await stdio?.close();
  await http?.close();
  await sandbox?.close();
});

async function run(client: Client, name: string, args: unknown): Promise<CallToolResult> {
  const result = (await client.callTool({
    name,
    arguments: args as Record<string, unknown>,
  })) as CallToolResult;
  outputs.push(JSON.stringify(result));
  return result;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function leaks(text: string): string[] {
  const json = (s: string) => JSON.stringify(s).slice(1, -1);
  const needles = SECRETS.flatMap((s) => [
    s,
    json(s),
    json(json(s)),
    json(json(json(s))), // a tool result's text, itself serialized into `outputs`
    encodeURIComponent(s),
    Buffer.from(s).toString('base64'),
  ]);
  return needles.filter((n) => text.includes(n));
}

describe('credentials never appear in results, logs or the journal', () => {
  it('runs every tool on the happy path, with writes, confirmations, reverts and dry runs', async () => {
    const client = stdio.client;
    const { tools } = await client.listTools();
    let ok = 0;
    for (const provider of providersOf(tools.map((t) => t.name))) {
      const emulator = sandbox.emulator(provider);
      const [id] = await postIds(client, provider);
      await run(client, `${provider}_get_post`, { id, include_raw: true });
      const target = await findWriteTarget(client, provider, examples);
      if (target) {
        const version = await versionOf(client, provider, target.id);
        const write = await run(client, `${provider}_update_post`, {
          id: target.id,
          ...target.update,
          expected_version: version,
        });
        if (!write.isError) ok++;
        const journalId = (write.structuredContent as { journal_id?: string } | undefined)?.journal_id;
        if (journalId) {
          await new Promise((r) => setTimeout(r, 200)); // let an async write land
          const after = await versionOf(client, provider, target.id);
          await run(client, 'revert_post', { journal_id: journalId, expected_version: after, dry_run: true });
          await run(client, 'revert_post', { journal_id: journalId, expected_version: after });
        }
      }
      const removal = tools.find(
        (t) => /^.+_(unpublish|delete)_post$/.test(t.name) && t.name.startsWith(provider),
      );
      if (removal && id) {
        const version = await versionOf(client, provider, id);
        const asked = await run(client, removal.name, { id, expected_version: version });
        const token = JSON.parse((asked.content[0] as { text: string }).text)?.error?.confirm_token as
          string | undefined;
        if (token) await run(client, removal.name, { id, expected_version: version, confirm_token: token });
      }
      // The provider echoing the credential in its error bodies must not carry it out.
      for (const status of [400, 401, 403, 404, 429, 500]) {
        // (Only what this server was given: it cannot know other processes' secrets.)
        const known = [...Object.values(good), CONFIRM_SECRET].join(' ');
        emulator.inject({ status, body: { detail: `rejected ${known}`, echo: good } });
        await run(client, `${provider}_get_post`, { id });
        // A body no provider's error parser knows: its JSON text (where `"` and `\` are escaped) is quoted.
        emulator.inject({ status, body: [`rejected ${known}`, good] });
        await run(client, `${provider}_get_post`, { id });
      }
      emulator.reset();
    }
    for (const tool of tools) {
      const result = await run(client, tool.name, examples.get(tool.name) ?? {});
      if (!result.isError) ok++;
      await run(client, tool.name, { ...examples.get(tool.name), dry_run: true });
      await run(client, tool.name, { not_a_field: Object.values(good)[0] });
    }
    await run(client, 'post_history', {});
    expect(ok).toBeGreaterThan(0); // the distinctive credentials really were used and accepted
  });

  it('runs every tool with credentials the provider rejects (auth failures), over HTTP with a bearer token', async () => {
    const client = await http.connect({ authorization: `Bearer ${HTTP_TOKEN}` });
    const { tools } = await client.listTools();
    const codes = new Set<string>();
    for (const tool of tools) {
      const result = await run(client, tool.name, examples.get(tool.name) ?? {});
      if (result.isError)
        codes.add(JSON.parse((result.content[0] as { text: string }).text).error.code as string);
    }
    expect(codes).toContain('auth_failed');
    const refused = await fetch(http.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${HTTP_TOKEN}x`, 'content-type': 'application/json' },
      body: '{}',
    });
    outputs.push(await refused.text());
  });

  it('finds none of them anywhere', () => {
    const journals = dataDirs.flatMap(filesUnder).map((f) => readFileSync(f, 'utf8'));
    expect(journals.join('').length).toBeGreaterThan(0); // the writes were journaled
    const log = readFileSync(logFile, 'utf8');
    expect(log).toMatch(/"msg":"upstream"/); // debug logging really was on
    const places: Record<string, string> = {
      'tool results': outputs.join('\n'),
      'stdio server stderr': stdio.stderr(),
      'HTTP server stderr': http.stderr(),
      '--log-file': log,
      journal: journals.join('\n'),
    };
    for (const [place, text] of Object.entries(places)) expect(leaks(text), place).toEqual([]);
    // The awkward credentials were really in play (so the check above could have found them).
    expect(SECRETS.filter((s) => s.includes(AWKWARD)).length).toBeGreaterThanOrEqual(2);
  });
});
