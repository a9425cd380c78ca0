import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import {
  SERVER_ENTRY,
  baseEnv,
  connectStdio,
  startTestSandbox,
  type StdioServer,
} from '../helpers/harness.js';
import { checkToolsnaps } from '../helpers/toolsnaps.js';

const TOOLSNAPS = fileURLToPath(new URL('__toolsnaps__', import.meta.url));
// Field names that say all a description could ("caption", "credit", "crops" only repeated them); the
// model pays for every description on every turn, so these go without (ADR 0165). Every other field has one.
const SELF_DESCRIBING =
  /^(subheadline|tags|og_title|og_description|roar_author_ids|((social_)?teaser_)?(image_id|photo_credit|photo_caption|manual_image_crops))$/;

let sandbox: Sandbox;
let server: StdioServer;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  server = await connectStdio(baseEnv(sandbox.env));
});
afterAll(async () => {
  await server?.close();
  await sandbox?.close();
});

describe('the tool surface', () => {
  it('gives every tool a title, a description, all four annotations and an output schema', async () => {
    const { tools } = await server.client.listTools();
    expect(tools.length).toBeGreaterThanOrEqual(6);
    for (const tool of tools) {
      expect(tool.name).toMatch(/^[a-z0-9_]{1,64}$/);
      expect(tool.title, tool.name).toBeTruthy();
      expect(tool.description?.length, tool.name).toBeGreaterThan(20);
      for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) {
        expect(typeof tool.annotations?.[hint], `${tool.name}.${hint}`).toBe('boolean');
      }
      expect(tool.outputSchema?.type, tool.name).toBe('object');
      expect(tool.inputSchema.type).toBe('object');
      for (const [field, schema] of Object.entries(tool.inputSchema.properties ?? {})) {
        if (SELF_DESCRIBING.test(field)) continue;
        const s = schema as { description?: string; anyOf?: { description?: string }[] };
        expect(
          s.description ?? s.anyOf?.find((a) => a.description)?.description,
          `${tool.name}.${field}`,
        ).toBeTruthy();
      }
    }
  });

  it('marks reads read-only and writes destructive, and never names a tool for what it does not do', async () => {
    const { tools } = await server.client.listTools();
    for (const tool of tools) {
      if (/_(get|list)_posts?$|^post_history$/.test(tool.name))
        expect(tool.annotations?.readOnlyHint).toBe(true);
      if (/_(update|unpublish|delete)_post$|^revert_post$/.test(tool.name)) {
        expect(tool.annotations?.readOnlyHint).toBe(false);
        expect(tool.annotations?.destructiveHint).toBe(true);
      }
    }
  });

  it('matches the reviewed per-tool snapshots (UPDATE_TOOLSNAPS=1 rewrites them, never in CI)', async () => {
    const { tools } = await server.client.listTools();
    const report = checkToolsnaps(TOOLSNAPS, tools, {
      update: process.env.UPDATE_TOOLSNAPS === '1',
      ci: Boolean(process.env.CI) && process.env.CI !== 'false',
    });
    expect(
      { missing: report.missing, stale: report.stale, orphaned: report.orphaned },
      'run UPDATE_TOOLSNAPS=1 npx vitest run test/e2e/surface.test.ts, then review the diff',
    ).toEqual({ missing: [], stale: [], orphaned: [] });
  });

  it('says plainly in its instructions that it is a sandbox when run with --sandbox', async () => {
    const sandboxed = await connectStdio(baseEnv(), ['--sandbox']);
    try {
      expect(sandboxed.client.getInstructions()).toMatch(/^SANDBOX/);
      expect(server.client.getInstructions()).not.toMatch(/SANDBOX/);
    } finally {
      await sandboxed.close();
    }
  });
});

describe('stdio hygiene', () => {
  it('writes nothing but JSON-RPC messages to stdout, logs go to stderr', async () => {
    const child = spawn(process.execPath, [SERVER_ENTRY, '--sandbox'], {
      env: baseEnv({ LOG_LEVEL: 'debug' }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const messages = [
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
      },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      {
        jsonrpc: '2.0',
        id: 3,
        method: 'tools/call',
        params: { name: 'buttercms_get_post', arguments: { id: 'cold-brew-at-home' } },
      },
      {
        jsonrpc: '2.0',
        id: 4,
        method: 'tools/call',
        params: { name: 'buttercms_get_post', arguments: { id: '../etc' } },
      },
    ];
    child.stdin.write(messages.map((m) => JSON.stringify(m)).join('\n') + '\n');
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (stdout.split('\n').filter(Boolean).length >= 4) {
          clearInterval(check);
          resolve();
        }
      }, 20);
    });
    child.stdin.end();
    await new Promise((r) => child.once('exit', r));
    const lines = stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
    expect(stderr).toContain('"msg":"tool call"');
    expect(stderr).toContain('SANDBOX');
  });

  it('stops at start-up with one line naming a bad variable', async () => {
    const child = spawn(process.execPath, [SERVER_ENTRY], {
      env: baseEnv({ BUTTERCMS_WRITE_TOKEN: 'abcd1234', BUTTERCMS_BASE_URL: 'http://api.buttercms.com/v2' }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/BUTTERCMS_BASE_URL: must use https:\/\//);
  });
});
