import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Fault } from '../../src/sandbox/emulator.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { PROVIDERS } from '../../src/providers/index.js';
import {
  baseEnv,
  callOk,
  connectStdio,
  startTestSandbox,
  toolError,
  type StdioServer,
} from '../helpers/harness.js';
import { findWriteTarget, postIds, toolExamples, versionOf, type WriteTarget } from '../helpers/targets.js';

// Upstream faults (issue 5): every fault class ends in a clear tool error or a safe retry, the server
// stays up, nothing hangs past the time budget, and a write that may have landed is never sent twice.
// Runs for every provider whose emulator is in the sandbox.

const BUDGET_MS = 1500;
/** A hang bound, not a benchmark: a timed-out call must come back well before this. */
const HANG_BOUND_MS = 3 * BUDGET_MS;
const MAX_RESPONSE_BYTES = 64 * 1024;

let sandbox: Sandbox;
let server: StdioServer;
let examples: Map<string, Record<string, unknown>>;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  const env = {
    ...sandbox.env,
    POST_EDITOR_TIMEOUT_MS: String(BUDGET_MS),
    POST_EDITOR_MAX_RETRIES: '2',
    POST_EDITOR_MAX_RESPONSE_BYTES: String(MAX_RESPONSE_BYTES),
  };
  examples = await toolExamples(env);
  server = await connectStdio(baseEnv(env));
});
afterAll(async () => {
  await server?.close();
  await sandbox?.close();
});
beforeEach(() => sandbox.emulators.forEach((e) => e.reset()));

const call = (name: string, args: Record<string, unknown>) =>
  server.client.callTool({ name, arguments: args });

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

describe.each(PROVIDERS.map((p) => p.id))('%s: read faults', (provider) => {
  const emulator = () => sandbox.emulator(provider);
  const get = `${provider}_get_post`;
  let id: string;

  beforeEach(async () => {
    id ??= (await postIds(server.client, provider))[0]!;
    emulator().reset();
  });

  async function expectAlive(): Promise<void> {
    const post = await callOk(server.client, get, { id });
    expect(post.id).toBe(id);
  }

  async function readError(fault: Fault) {
    emulator().inject({ method: 'GET', ...fault });
    const { value, ms } = await timed(() => call(get, { id }));
    const error = toolError(value);
    expect(ms).toBeLessThan(HANG_BOUND_MS);
    expect(error.message).not.toMatch(/<[a-z]/i);
    emulator().reset(); // drop what is left of the fault
    await expectAlive();
    return error;
  }

  it('retries a read after a 502 without Retry-After then a reset connection, and succeeds', async () => {
    emulator().inject({ method: 'GET', status: 502, body: { error: 'bad gateway' } });
    emulator().inject({ method: 'GET', reset: true });
    await expectAlive();
    expect(
      emulator()
        .seen('GET')
        .slice(0, 3)
        .map((r) => r.status),
    ).toEqual([502, 0, 200]);
  });

  it('retries a read after a 429 with a short Retry-After', async () => {
    emulator().inject({ method: 'GET', status: 429, headers: { 'retry-after': '1' }, body: {} });
    await expectAlive();
    expect(
      emulator()
        .seen('GET')
        .slice(0, 2)
        .map((r) => r.status),
    ).toEqual([429, 200]);
  });

  it('surfaces a long Retry-After as rate_limited with retry_after_s, without sleeping through it', async () => {
    const error = await readError({ status: 429, headers: { 'retry-after': '120' }, body: {}, times: 5 });
    expect(error).toMatchObject({ code: 'rate_limited', retry_after_s: 120, retryable: true });
  });

  it('gives up on a 5xx that persists: provider_unavailable naming the status', async () => {
    const error = await readError({ status: 503, body: {}, times: 10 });
    expect(error).toMatchObject({ code: 'provider_unavailable', provider_status: 503 });
  });

  it('reports a 500 as provider_error without retrying it', async () => {
    const error = await readError({ status: 500, body: {} });
    expect(error).toMatchObject({ code: 'provider_error', provider_status: 500 });
  });

  it('answers timeout soon after POST_EDITOR_TIMEOUT_MS when the provider hangs', async () => {
    const error = await readError({ delayMs: 10 * BUDGET_MS, times: 5 });
    expect(error).toMatchObject({ code: 'timeout', retryable: true });
  });

  it('reports connection resets that persist as provider_unavailable', async () => {
    const error = await readError({ reset: true, times: 10 });
    expect(error).toMatchObject({ code: 'provider_unavailable', retryable: true });
  });

  it('reports truncated JSON as provider_error', async () => {
    const error = await readError({ status: 200, truncated: true });
    expect(error.code).toBe('provider_error');
  });

  it('reports an HTML error page by its title, not its markup', async () => {
    const error = await readError({ status: 502, html: true, times: 10 });
    expect(error).toMatchObject({ code: 'provider_unavailable', provider_status: 502 });
    expect(error.message).toContain('502 Bad Gateway');
  });

  it('drops an oversized body with provider_error', async () => {
    const error = await readError({ status: 200, oversizeBytes: 4 * MAX_RESPONSE_BYTES });
    expect(error.code).toBe('provider_error');
    expect(error.message).toMatch(/exceeded/);
  });
});

describe.each(PROVIDERS.map((p) => p.id))('%s: write faults', (provider) => {
  const emulator = () => sandbox.emulator(provider);
  let target: WriteTarget | undefined;

  beforeAll(async () => {
    target = await findWriteTarget(server.client, provider, examples);
  });

  /** Sends the update once with a fault on its write request; returns the result and the writes seen. */
  async function writeWith(fault: Fault) {
    if (!target) throw new Error(`no writable post found for ${provider}`);
    emulator().reset();
    const version = await versionOf(server.client, provider, target.id);
    emulator().inject({ method: target.method, ...fault });
    const { value, ms } = await timed(() =>
      call(`${provider}_update_post`, { id: target!.id, ...target!.update, expected_version: version }),
    );
    expect(ms).toBeLessThan(HANG_BOUND_MS);
    const writes = emulator().seen(target.method).length;
    const post = await callOk(server.client, `${provider}_get_post`, { id: target.id });
    expect(post.id).toBe(target.id); // still alive
    return { result: value, writes };
  }

  it('finds a post the update example changes (dry run)', () => {
    expect(target).toBeDefined();
  });

  it.each<[string, Fault, string]>([
    ['a connection reset', { reset: true }, 'provider_unavailable'],
    ['a hang past the timeout', { delayMs: 10 * BUDGET_MS }, 'timeout'],
    ['a 500', { status: 500, body: {} }, 'provider_error'],
    ['a 502 without Retry-After', { status: 502, body: {} }, 'provider_unavailable'],
    ['a 503 without Retry-After', { status: 503, body: {} }, 'provider_unavailable'],
    ['an HTML 502 page', { status: 502, html: true }, 'provider_unavailable'],
    ['a 500 after the write was applied', { status: 500, body: {}, afterApply: true }, 'provider_error'],
    ['a reset after the write was applied', { reset: true, afterApply: true }, 'provider_unavailable'],
  ])('never re-sends a write after %s, and says to check with get_post', async (_name, fault, code) => {
    const { result, writes } = await writeWith(fault);
    const error = toolError(result);
    expect(error).toMatchObject({ code, retryable: false });
    expect(error.hint).toMatch(/get_post/);
    expect(writes).toBe(1);
  });

  it('retries a write the provider refused with 429 or 503 and a short Retry-After (certainly not processed)', async () => {
    for (const status of [429, 503]) {
      const { result, writes } = await writeWith({ status, headers: { 'retry-after': '1' }, body: {} });
      expect((result as { isError?: boolean }).isError).toBeFalsy();
      expect(writes).toBe(2);
    }
  });

  it('surfaces a long Retry-After on a write as rate_limited, sent once', async () => {
    const { result, writes } = await writeWith({ status: 429, headers: { 'retry-after': '120' }, body: {} });
    expect(toolError(result)).toMatchObject({ code: 'rate_limited', retry_after_s: 120 });
    expect(writes).toBe(1);
  });
});
