import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import {
  baseEnv,
  callOk,
  startHttpServer,
  startTestSandbox,
  toolError,
  type HttpServer,
} from '../helpers/harness.js';

// GET /metrics (issue 15): Prometheus text behind the same bearer token as /mcp, scraped after a few
// real calls and parsed.

const TOKEN = 'metrics-token-0123456789abcdef';
const AUTH = { authorization: `Bearer ${TOKEN}` };

let sandbox: Sandbox;
let server: HttpServer;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  server = await startHttpServer(
    baseEnv({
      ...sandbox.env,
      MCP_HTTP_TOKEN: TOKEN,
      MCP_HTTP_RATE_LIMIT: '30',
      MCP_HTTP_TRUST_PROXY: 'true',
    }),
  );
});
afterAll(async () => {
  await server?.close();
  await sandbox?.close();
});

const metricsUrl = () => server.url.replace(/\/mcp$/, '/metrics');

/** `name{a="x",b="y"}` → value, for every sample line of a Prometheus text exposition. */
function parse(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{.*\})?\s+(\S+)$/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    samples.set(`${match[1]}${match[2] ?? ''}`, Number(match[3]));
  }
  return samples;
}

describe('GET /metrics', () => {
  it('refuses a scrape without the bearer token', async () => {
    const res = await fetch(metricsUrl());
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('counts tool calls by outcome, upstream latency by status class, retries and rejections', async () => {
    const client = await server.connect(AUTH);
    await callOk(client, 'buttercms_get_post', { id: 'cold-brew-at-home' });
    await callOk(client, 'buttercms_get_post', { id: 'cold-brew-at-home' });
    expect(
      toolError(await client.callTool({ name: 'buttercms_get_post', arguments: { id: 'no-such-post' } }))
        .code,
    ).toBe('not_found');
    expect(
      toolError(await client.callTool({ name: 'buttercms_get_post', arguments: { id: 'not a slug!' } })).code,
    ).toBe('invalid_input');
    // A 503 on a read is retried once, then the read succeeds.
    sandbox.emulator('buttercms').inject({ method: 'GET', status: 503, headers: { 'retry-after': '0' } });
    await callOk(client, 'buttercms_get_post', { id: 'cold-brew-at-home' });
    // One wrong token, and one client past its rate limit.
    expect(
      (await fetch(server.url, { method: 'POST', headers: { authorization: 'Bearer nope-nope-nope-nope' } }))
        .status,
    ).toBe(401);
    const limited = () =>
      fetch(server.url, {
        method: 'POST',
        headers: { ...AUTH, 'content-type': 'application/json', 'x-forwarded-for': '10.9.9.9' },
        body: JSON.stringify(
          Array.from({ length: 31 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'ping' })),
        ),
      });
    expect((await limited()).status).toBe(429);

    const res = await fetch(metricsUrl(), { headers: AUTH });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = parse(await res.text());
    expect(m.get('post_editor_tool_calls_total{tool="buttercms_get_post",outcome="ok"}')).toBe(3);
    expect(m.get('post_editor_tool_calls_total{tool="buttercms_get_post",outcome="not_found"}')).toBe(1);
    expect(m.get('post_editor_tool_calls_total{tool="buttercms_get_post",outcome="invalid_input"}')).toBe(1);
    expect(
      m.get('post_editor_upstream_request_duration_seconds_count{provider="buttercms",status_class="2xx"}'),
    ).toBe(3);
    expect(
      m.get('post_editor_upstream_request_duration_seconds_count{provider="buttercms",status_class="4xx"}'),
    ).toBe(1);
    expect(
      m.get('post_editor_upstream_request_duration_seconds_count{provider="buttercms",status_class="5xx"}'),
    ).toBe(1);
    expect(
      m.get(
        'post_editor_upstream_request_duration_seconds_bucket{le="+Inf",provider="buttercms",status_class="2xx"}',
      ),
    ).toBe(3);
    expect(m.get('post_editor_upstream_retries_total{reason="status"}')).toBe(1);
    expect(m.get('post_editor_http_rejections_total{reason="auth"}')).toBeGreaterThanOrEqual(2);
    expect(m.get('post_editor_http_rejections_total{reason="rate_limit"}')).toBe(1);
    // The scrape is not an MCP request: nothing is in flight while it is answered.
    expect(m.get('post_editor_http_in_flight_requests')).toBe(0);
    expect(m.get('process_resident_memory_bytes')).toBeGreaterThan(0);
  });
});
