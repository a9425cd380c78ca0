import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import { baseEnv, connectStdio, startTestSandbox, type StdioServer } from '../helpers/harness.js';

// Structured logs (issue 5): JSON lines on stderr at LOG_LEVEL, one line per tool call with tool,
// provider, duration, outcome and upstream status, no bodies; --log-file gets the same lines.

let sandbox: Sandbox;
let server: StdioServer;
const logFile = join(mkdtempSync(join(tmpdir(), 'pe-log-')), 'calls.log');

beforeAll(async () => {
  sandbox = await startTestSandbox();
  server = await connectStdio({ ...baseEnv(sandbox.env), LOG_LEVEL: 'info' }, ['--log-file', logFile]);
});
afterAll(async () => {
  await server?.close();
  await sandbox?.close();
});

const lines = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('structured logging', () => {
  it('logs one JSON line per tool call with tool, provider, duration, outcome and upstream status', async () => {
    const call = (name: string, args: Record<string, unknown>) =>
      server.client.callTool({ name, arguments: args });
    await call('buttercms_get_post', { id: 'cold-brew-at-home' });
    await call('buttercms_get_post', { id: 'no-such-post' });
    await call('buttercms_list_posts', { page_size: 1000 });
    sandbox.emulator('buttercms').inject({ status: 429, headers: { 'retry-after': '600' }, body: {} });
    await call('buttercms_get_post', { id: 'cold-brew-at-home' });

    // Info lines are written in batches (ADR 0170): they follow the answers within a few tens of ms.
    const calls = await vi.waitFor(() => {
      const logged = lines(server.stderr()).filter((l) => l.msg === 'tool call');
      expect(logged).toHaveLength(4);
      return logged;
    });
    for (const line of lines(server.stderr()))
      expect(line).toMatchObject({ time: expect.any(String), level: expect.any(String) });
    expect(calls[0]).toMatchObject({
      level: 'info',
      tool: 'buttercms_get_post',
      provider: 'buttercms',
      outcome: 'ok',
      upstream_status: 200,
      duration_ms: expect.any(Number),
    });
    expect(calls[1]).toMatchObject({ outcome: 'not_found', upstream_status: 404 });
    expect(calls[2]).toMatchObject({ tool: 'buttercms_list_posts', outcome: 'invalid_input' });
    expect(calls[2]).not.toHaveProperty('upstream_status'); // nothing was sent
    expect(calls[3]).toMatchObject({ outcome: 'rate_limited', upstream_status: 429 });
    // Arguments and bodies stay out of the logs.
    expect(server.stderr()).not.toContain('Cold Brew at Home');
    expect(server.stderr()).not.toContain('no-such-post');
  });

  it('writes the same lines to --log-file', () => {
    const fromFile = lines(readFileSync(logFile, 'utf8')).filter((l) => l.msg === 'tool call');
    const fromStderr = lines(server.stderr()).filter((l) => l.msg === 'tool call');
    expect(fromFile).toEqual(fromStderr);
  });

  it('honours LOG_LEVEL: at error, a tool call writes nothing', async () => {
    const quiet = await connectStdio({ ...baseEnv(sandbox.env), LOG_LEVEL: 'error' });
    try {
      await quiet.client.callTool({ name: 'buttercms_get_post', arguments: { id: 'cold-brew-at-home' } });
    } finally {
      // Closed first: the server writes whatever it still holds when it exits.
      await quiet.close();
    }
    expect(quiet.stderr()).toBe('');
  });
});
