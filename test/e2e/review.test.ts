import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import { browserAvailable, launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { createTestStore, storeKinds } from '../helpers/stores.js';
import {
  baseEnv,
  callOk,
  SERVER_ENTRY,
  startHttpServer,
  startTestSandbox,
  type HttpServer,
} from '../helpers/harness.js';

const ALICE = `alice-${randomBytes(12).toString('hex')}`;
const BOT = `bot-${randomBytes(12).toString('hex')}`;
const SHOTS = process.env.REVIEW_SCREENSHOTS === '1';
const DOCS = resolve(import.meta.dirname, '../../docs');

describe.runIf(browserAvailable()).each(storeKinds())('review page in a real browser (%s store)', (kind) => {
  let sandbox: Sandbox;
  let server: HttpServer;
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  let claude: Client;
  let cursor: Client;
  let browser: TestBrowser;
  let page: Page;
  let base: string;
  const dialogs: string[] = [];
  const journal: Record<string, string> = {};

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    const store = await createTestStore(kind);
    drop = store.drop;
    env = baseEnv({
      ...sandbox.env,
      ...store.env,
      MCP_HTTP_TOKENS: `alice:${ALICE},ci-bot:${BOT}`,
    });
    server = await startHttpServer(env, ['--stateful']);
    base = server.url.replace(/\/mcp$/, '');
    // Two different clients: an HTTP agent authenticated as "alice" and a stdio agent of another name,
    // each its own process, journaling to the same store.
    claude = new Client({ name: 'claude-code', version: '2.1.4' });
    await claude.connect(
      new StreamableHTTPClientTransport(new URL(server.url), {
        requestInit: { headers: { authorization: `Bearer ${ALICE}` } },
      }),
    );
    cursor = new Client({ name: 'cursor-agent', version: '0.9.1' });
    await cursor.connect(
      new StdioClientTransport({ command: process.execPath, args: [SERVER_ENTRY], env, stderr: 'pipe' }),
    );
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await claude?.close();
    await cursor?.close();
    await server?.close();
    await sandbox?.close();
    await drop?.();
  });

  async function update(client: Client, tool: string, id: string, fields: Record<string, unknown>) {
    const provider = tool.split('_')[0];
    const post = await callOk(client, `${provider}_get_post`, { id });
    const result = await callOk(client, tool, { id, ...fields, expected_version: post.version });
    return result.journal_id as string;
  }

  it('makes writes through the MCP tools from two clients, and post_history says who asked', async () => {
    journal.butter = await update(claude, 'buttercms_update_post', 'spring-single-origin-lineup', {
      title: 'Our Spring Single-Origin Lineup, Roasted Light',
      body: '<p>Three new lots from Ethiopia, Colombia and Kenya, and exactly how we roast them light.</p><p>Read on for tasting notes from the Northwind team.</p>',
      wait_for_apply: true,
    });
    journal.rebel = await update(cursor, 'rebelmouse_update_post', '2668412345', {
      subheadline: 'Crews expect the bridge to reopen by Friday.',
    });
    journal.flowFirst = await update(claude, 'flowcms_update_post', 'c4d5e6f7-a8b9-4c0d-9e1f-2a3b4c5d6e7f', {
      title: 'Webinar: Dashboards People Actually Read',
    });
    // A later change by the other client: reverting the first one must ask first.
    journal.flowLater = await update(cursor, 'flowcms_update_post', 'c4d5e6f7-a8b9-4c0d-9e1f-2a3b4c5d6e7f', {
      title: 'Webinar: Dashboards That Get Read (new date)',
    });
    const history = await callOk(cursor, 'post_history', { limit: 10 });
    const entries = history.entries as { journal_id: string; actor: Record<string, unknown> | null }[];
    expect(entries.find((e) => e.journal_id === journal.butter)?.actor).toMatchObject({
      client_name: 'claude-code',
      client_version: '2.1.4',
      transport: 'http',
      principal: 'alice',
    });
    expect(entries.find((e) => e.journal_id === journal.rebel)?.actor).toMatchObject({
      client_name: 'cursor-agent',
      transport: 'stdio',
      principal: null,
    });
  });

  it('refuses a wrong token on the login form', async () => {
    await page.goto(`${base}/review`);
    expect(new URL(page.url()).pathname).toBe('/review/login');
    await page.fill('#token', 'not-the-token-0123456789');
    const response = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    expect(response[0]?.status()).toBe(401);
    await expect.poll(() => page.textContent('[role=alert]')).toContain('That token is not valid');
    const cookies = await browser.context.cookies();
    expect(cookies.find((c) => c.name === 'pe_review')).toBeUndefined();
  });

  it('logs in with a bearer token and lists both clients writes, newest first', async () => {
    await page.fill('#token', BOT);
    await Promise.all([page.waitForURL(`${base}/review`), page.click('button[type=submit]')]);
    const session = (await browser.context.cookies()).find((c) => c.name === 'pe_review');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/review' });
    await expect.poll(() => page.textContent('header.top')).toContain('ci-bot');
    const rows = page.locator('table.writes tbody tr');
    await expect.poll(() => rows.count()).toBe(4);
    const first = await rows.nth(0).innerText();
    expect(first).toContain('cursor-agent 0.9.1');
    expect(first).toContain('title');
    const text = await page.locator('table.writes').innerText();
    expect(text).toContain('claude-code 2.1.4');
    expect(text).toContain('alice');
    expect(text).toContain('stdio');
    expect(text).toContain('Our Spring Single-Origin Lineup');
    // Filter by who: only alice's writes.
    await page.fill('#f-principal', 'alice');
    await Promise.all([page.waitForURL(/principal=alice/), page.click('form.filters button[type=submit]')]);
    await expect.poll(() => rows.count()).toBe(2);
  });

  it('opens one write: word and rendered-text diffs, the request sent, the post now', async () => {
    await page.goto(`${base}/review/writes/${journal.butter}`);
    const changed = page.locator('section[aria-labelledby=h-diff]');
    await expect.poll(() => changed.locator('ins').allInnerTexts()).toContain('exactly ');
    expect(await changed.innerText()).toContain('rendered text of the HTML');
    const request = await page.locator('pre.request').innerText();
    expect(request).toMatch(/^PATCH \/posts\/spring-single-origin-lineup/);
    expect(request).toContain('Roasted Light');
    for (const secret of Object.entries(sandbox.env).filter(([k]) => /TOKEN|KEY/.test(k))) {
      expect(await page.content()).not.toContain(secret[1]);
    }
    expect(await page.locator('aside').innerText()).toContain(
      'Our Spring Single-Origin Lineup, Roasted Light',
    );
    if (SHOTS) await page.screenshot({ path: `${DOCS}/review-diff.png`, fullPage: true });
  });

  it('reverts a write with one click and shows the result in place', async () => {
    await page.goto(`${base}/review/writes/${journal.rebel}`);
    // By keyboard: the button is a native one, reachable and pressed without a mouse.
    await page.focus('button.danger');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('#result')).toContain('Reverted');
    expect(await page.textContent('#result')).toContain('subheadline');
    const post = await callOk(cursor, 'rebelmouse_get_post', { id: '2668412345', include_raw: true });
    expect((post.raw as Record<string, unknown>).subheadline).not.toBe(
      'Crews expect the bridge to reopen by Friday.',
    );
    // The list marks it, and the revert itself is journaled under the reviewer's token label.
    await page.goto(`${base}/review?provider=rebelmouse`);
    const text = await page.locator('table.writes').innerText();
    expect(text).toContain('reverted');
    expect(text).toContain('post-editor-mcp review');
    expect(text).toContain('ci-bot');
  });

  it('finds a post whose slug a write renamed, and reverts the rename', async () => {
    const renamed = await update(claude, 'buttercms_update_post', 'cold-brew-at-home', {
      slug: 'cold-brew-guide',
      wait_for_apply: true,
    });
    await page.goto(`${base}/review/writes/${renamed}`);
    // The post now: read under the slug the write gave it, not the one the journal was keyed by.
    expect(await page.locator('aside').innerText()).toContain('Cold Brew at Home');
    await page.click('button.danger');
    await expect.poll(() => page.textContent('#result')).toContain('Reverted');
    await expect
      .poll(
        async () =>
          (await cursor.callTool({ name: 'buttercms_get_post', arguments: { id: 'cold-brew-at-home' } }))
            .isError,
      )
      .toBeFalsy();
  });

  it('asks before reverting over later changes, then reverts anyway', async () => {
    await page.goto(`${base}/review/writes/${journal.flowFirst}`);
    await page.click('text=Revert this write');
    const notice = page.locator('#result');
    await expect.poll(() => notice.innerText()).toContain('The post changed since this write');
    expect(await notice.innerText()).toContain('Dashboards That Get Read (new date)');
    // Nothing was written yet.
    const still = await callOk(cursor, 'flowcms_get_post', { id: 'c4d5e6f7-a8b9-4c0d-9e1f-2a3b4c5d6e7f' });
    expect(still.title).toBe('Webinar: Dashboards That Get Read (new date)');
    if (SHOTS) {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.mouse.wheel(0, -10_000);
      await page.screenshot({ path: `${DOCS}/review-phone.png` });
      await page.setViewportSize({ width: 1280, height: 900 });
    }
    await page.click('text=Revert anyway');
    await expect.poll(() => page.textContent('#result')).toContain('Reverted');
    const after = await callOk(cursor, 'flowcms_get_post', { id: 'c4d5e6f7-a8b9-4c0d-9e1f-2a3b4c5d6e7f' });
    expect(after.title).toBe('Webinar: Dashboards That Get Read');
    if (SHOTS) {
      await page.goto(`${base}/review`);
      await page.screenshot({ path: `${DOCS}/review-list.png` });
    }
  });

  it('shows hostile post content as text: no script, handler or javascript: link runs', async () => {
    const hostile = {
      headline:
        '<script>window.__pwned="title";alert("title")</script>Bridge <img src=x onerror="window.__pwned=1">',
      body: '<p>Hello<script>window.__pwned="body";alert(1)</script><img src="x" onerror="window.__pwned=\'img\';alert(2)"><a href="javascript:window.__pwned=\'link\';alert(3)">click me</a><iframe src="javascript:alert(4)"></iframe><svg onload="alert(5)"></svg></p>',
    };
    journal.hostile = await update(claude, 'rebelmouse_update_post', '2668409871', hostile);
    for (const path of ['/review', `/review/writes/${journal.hostile}`]) {
      const response = await page.goto(`${base}${path}`);
      expect(response?.headers()['content-security-policy']).toContain("script-src 'none'");
      expect(await page.locator('script, img, iframe, svg').count()).toBe(0);
      expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    }
    // The write's own page shows the hostile values, as text.
    expect(await page.locator('body').innerText()).toContain('<script>window.__pwned="title"');
    for (const summary of await page.locator('details summary').all()) await summary.click();
    expect(await page.locator('body').innerText()).toContain('href="javascript:');
    expect(await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
  });

  it('post-editor-mcp review serves the same store on loopback with a one-time login token', async () => {
    // A stdio user: no HTTP token configured.
    const { MCP_HTTP_TOKENS: _tokens, ...stdioEnv } = env;
    const child = spawn(process.execPath, [SERVER_ENTRY, 'review', '--port', '0'], {
      env: stdioEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const { url, token } = await reviewStarted(child);
      await browser.context.clearCookies();
      await page.goto(url);
      await page.fill('#token', token);
      await Promise.all([page.waitForURL(url), page.click('button[type=submit]')]);
      expect(await page.textContent('header.top')).toContain('local');
      expect(await page.locator('table.writes tbody tr').count()).toBeGreaterThanOrEqual(5);
      // The token worked once: a second browser session cannot reuse it.
      await browser.context.clearCookies();
      await page.goto(url);
      await page.fill('#token', token);
      await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
      expect(await page.textContent('[role=alert]')).toContain('That token is not valid');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});

function reviewStarted(child: ChildProcess): Promise<{ url: string; token: string }> {
  let stderr = '';
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`review did not start:\n${stderr}`)), 15_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const token = /one-time login token: (\S+)/.exec(stderr)?.[1];
      const url = /Review page: (http:\/\/\S+)/.exec(stderr)?.[1];
      if (token && url) {
        clearTimeout(timer);
        resolvePromise({ url, token });
      }
    });
    child.once('exit', (code) => reject(new Error(`review exited with ${code}:\n${stderr}`)));
  });
}
