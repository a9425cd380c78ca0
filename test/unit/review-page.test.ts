import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/core/log.js';
import { Redactor } from '../../src/core/redact.js';
import { ToolRegistry } from '../../src/core/tool.js';
import { PROVIDERS } from '../../src/providers/index.js';
import { ReviewAuth } from '../../src/review/auth.js';
import { originIsThisHost, sameOriginPost } from '../../src/review/http-util.js';
import { createReviewPage } from '../../src/review/page.js';
import type { Actor } from '../../src/store/types.js';
import { MemoryStore } from '../helpers/memory-store.js';

const TOKEN = 'reviewer-token-0123456789';
const log = createLogger('silent', new Redactor());

describe('review page logic (in-memory store double)', () => {
  let server: Server;
  let base: string;
  const store = new MemoryStore();

  beforeAll(async () => {
    const actors: Actor[] = [
      { client_name: 'claude-code', client_version: '2', transport: 'http', principal: 'alice' },
      { client_name: 'cursor', client_version: null, transport: 'stdio', principal: null },
    ];
    for (let i = 0; i < 30; i++) {
      const id = await store.append({
        provider: i % 3 === 0 ? 'rebelmouse' : 'buttercms',
        post_id: `post-${i % 5}`,
        tool: 'buttercms_update_post',
        version_before: `v${i}`,
        before: { title: `Title ${i}` },
        after: { title: `Title ${i} edited` },
        request: { method: 'PATCH', path: `/posts/post-${i % 5}/`, body: { title: `Title ${i} edited` } },
        title_before: `Title ${i}`,
        url_before: i === 0 ? 'javascript:alert(1)' : `https://blog.example/post-${i % 5}`,
        reverts: null,
        actor: actors[i % 2] ?? null,
      });
      await store.complete(id, i === 7 ? 'failed' : 'applied');
    }
    const page = await createReviewPage({
      store,
      registry: new ToolRegistry([], new Redactor(), log),
      postIdNow: (entry) => entry.post_id,
      log,
      tokens: [{ label: 'ops', token: TOKEN }],
      announceLoginToken: () => undefined,
      serverVersion: 'test',
      confirmPolicy: 'destructive',
      pageSize: 12,
    });
    server = createServer((req, res) => void page.handle(req, res, new URL(req.url ?? '/', 'http://x')));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  async function login(): Promise<string> {
    const form = await fetch(`${base}/review/login`);
    const loginCookie = form.headers.get('set-cookie')!.split(';')[0]!;
    const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    const res = await fetch(`${base}/review/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf, token: TOKEN }),
    });
    expect(res.status).toBe(303);
    const session = res.headers.getSetCookie().find((c) => c.startsWith('pe_review='))!;
    expect(session).toMatch(/HttpOnly; SameSite=Strict/);
    return session.split(';')[0]!;
  }

  it('sends every page with a CSP that allows no script and no outside load', async () => {
    const res = await fetch(`${base}/review/login`);
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('redirects to the login page without a valid session cookie, and rejects a tampered one', async () => {
    const res = await fetch(`${base}/review`, { redirect: 'manual' });
    expect(res.headers.get('location')).toBe('/review/login');
    const cookie = await login();
    const tampered = cookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect(
      (await fetch(`${base}/review`, { redirect: 'manual', headers: { cookie: tampered } })).status,
    ).toBe(303);
    expect((await fetch(`${base}/review`, { headers: { cookie } })).status).toBe(200);
  });

  it('refuses a login without its CSRF token, and a form post from another origin', async () => {
    const res = await fetch(`${base}/review/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: TOKEN }),
    });
    expect(res.status).toBe(403);
    const cookie = await login();
    const revert = await fetch(`${base}/review/writes/${store.entries[1]!.journal_id}/revert`, {
      method: 'POST',
      headers: {
        cookie,
        origin: 'https://evil.example',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'csrf=x',
    });
    expect(revert.status).toBe(403);
    const noCsrf = await fetch(`${base}/review/writes/${store.entries[1]!.journal_id}/revert`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'csrf=forged',
    });
    expect(noCsrf.status).toBe(403);
  });

  it('pages newest first by keyset cursor and filters by provider, post, who and outcome', async () => {
    const cookie = await login();
    const titles = (text: string) => [...text.matchAll(/>Title (\d+)</g)].map((m) => Number(m[1]));
    const first = await (await fetch(`${base}/review`, { headers: { cookie } })).text();
    expect(titles(first)).toEqual([29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18]);
    const older = /href="(\/review\?cursor=[^"]+)" rel="next"/.exec(first)![1]!.replace(/&amp;/g, '&');
    const second = await (await fetch(`${base}${older}`, { headers: { cookie } })).text();
    expect(titles(second)[0]).toBe(17);
    const byWho = await (
      await fetch(`${base}/review?principal=alice&provider=rebelmouse`, { headers: { cookie } })
    ).text();
    expect(titles(byWho)).toEqual([24, 18, 12, 6, 0]);
    const failed = await (await fetch(`${base}/review?outcome=failed`, { headers: { cookie } })).text();
    expect(titles(failed)).toEqual([7]);
    const byPost = await (
      await fetch(`${base}/review?post=post-2&client=cursor`, { headers: { cookie } })
    ).text();
    expect(titles(byPost)).toEqual([27, 17, 7]);
    // The javascript: URL of entry 0 is never a link.
    expect(byWho).not.toContain('javascript:');
  });

  it('shows a write even when its provider is not enabled here, without a revert button', async () => {
    const cookie = await login();
    const page = await (
      await fetch(`${base}/review/writes/${store.entries[3]!.journal_id}`, { headers: { cookie } })
    ).text();
    expect(page).toContain('Title 3 edited');
    expect(page).toContain('PATCH /posts/post-3/');
    expect(page).toContain('not enabled on this server');
    expect(page).not.toContain('Revert this write');
  });
});

describe('review origin checks', () => {
  const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
  it("accepts the page's own origin wherever it is deployed, and only that for form posts", () => {
    expect(originIsThisHost(req({ host: 'mcp.example.com', origin: 'https://mcp.example.com' }))).toBe(true);
    expect(originIsThisHost(req({ host: 'mcp.example.com', origin: 'https://evil.example' }))).toBe(false);
    expect(originIsThisHost(req({ host: 'mcp.example.com', origin: 'null' }))).toBe(false);
    expect(sameOriginPost(req({ host: 'mcp.example.com', origin: 'https://mcp.example.com' }))).toBe(true);
    expect(sameOriginPost(req({ host: 'mcp.example.com', 'sec-fetch-site': 'cross-site' }))).toBe(false);
    expect(
      sameOriginPost(req({ host: 'mcp.example.com', origin: 'https://mcp.example.com.evil.example' })),
    ).toBe(false);
  });
});

describe('review login tokens', () => {
  it('accepts configured tokens by label, and a token removed from the configuration logs its sessions out', () => {
    const secret = Buffer.alloc(32, 7);
    const auth = ReviewAuth.create(secret, [{ label: 'ops', token: TOKEN }], () => undefined);
    const ok = auth.login(TOKEN, 'peer');
    if (typeof ok === 'string') throw new Error(ok);
    expect(auth.readSession(ok.cookie)?.principal).toBe('ops');
    expect(auth.login('wrong-token-0123456789', 'peer')).toBe('refused');
    const rotated = ReviewAuth.create(
      secret,
      [{ label: 'ops', token: 'another-token-0123456789' }],
      () => undefined,
    );
    expect(rotated.readSession(ok.cookie)).toBeUndefined();
  });

  it('without a configured token, prints a one-time token and a fresh one after each sign-in', () => {
    const printed: string[] = [];
    const auth = ReviewAuth.create(Buffer.alloc(32, 1), [], (t) => printed.push(t));
    expect(printed).toHaveLength(1);
    const first = auth.login(printed[0]!, 'peer');
    expect(typeof first).toBe('object');
    expect(printed).toHaveLength(2);
    expect(auth.login(printed[0]!, 'peer')).toBe('refused');
    expect(typeof auth.login(printed[1]!, 'peer')).toBe('object');
    if (typeof first === 'object') expect(auth.readSession(first.cookie)?.principal).toBe('local');
  });

  it('slows down guessing: after 10 failures a minute, even the right token waits', () => {
    let now = 1_000_000;
    const auth = ReviewAuth.create(
      Buffer.alloc(32, 2),
      [{ label: 'ops', token: TOKEN }],
      () => undefined,
      () => now,
    );
    for (let i = 0; i < 10; i++) expect(auth.login(`guess-${i}-0123456789abc`, 'peer')).toBe('refused');
    expect(auth.login(TOKEN, 'peer')).toBe('throttled');
    expect(typeof auth.login(TOKEN, 'other-peer')).toBe('object');
    now += 61_000;
    expect(typeof auth.login(TOKEN, 'peer')).toBe('object');
  });
});

describe('MCP_HTTP_TOKENS', () => {
  const butter = { BUTTERCMS_WRITE_TOKEN: 'write-token-123' };
  it('reads label:token pairs beside MCP_HTTP_TOKEN (label "default"), all registered as secrets', () => {
    const config = loadConfig(
      {
        ...butter,
        MCP_HTTP_TOKEN: 'single-token-0123456789',
        MCP_HTTP_TOKENS: 'ci-bot:bot-token-0123456789, alice:alice-token-0123456789',
      },
      {},
      PROVIDERS,
    );
    expect(config.http.tokens.map((t) => t.label)).toEqual(['default', 'ci-bot', 'alice']);
    expect(config.http.token).toBe('single-token-0123456789');
    expect(config.secrets).toEqual(
      expect.arrayContaining(['bot-token-0123456789', 'alice-token-0123456789']),
    );
  });

  it('names the rule a bad list breaks', () => {
    const load = (tokens: string) => () => loadConfig({ ...butter, MCP_HTTP_TOKENS: tokens }, {}, PROVIDERS);
    expect(load('alice:short')).toThrow(/MCP_HTTP_TOKENS \(alice\): must be at least 16 characters/);
    expect(load('no-colon-token-0123456789')).toThrow(/label:token pairs/);
    expect(load('a:token-one-0123456789,a:token-two-0123456789')).toThrow(/label "a" is used twice/);
    expect(load('a:token-one-0123456789,b:token-one-0123456789')).toThrow(/the token of "b" is used twice/);
    expect(() =>
      loadConfig(
        { ...butter, MCP_HTTP_TOKENS: 'a:token-one-0123456789' },
        { http: true, host: '0.0.0.0' },
        PROVIDERS,
      ),
    ).not.toThrow();
  });
});
