import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpToken } from '../config.js';
import type { Logger } from '../core/log.js';
import { postSchema, type Post } from '../core/post.js';
import type { ToolContext, ToolRegistry } from '../core/tool.js';
import type { Actor, JournalEntry, Outcome, Store } from '../store/types.js';
import { LOGIN_COOKIE, ReviewAuth, SESSION_COOKIE, type ReviewSession } from './auth.js';
import { entryView, type RevertState } from './entry-view.js';
import { diffEntryFields } from './field-diff.js';
import { html } from './html.js';
import { cookie, readCookies, readForm, redirect, sameOriginPost, sendAsset, sendPage } from './http-util.js';
import { BASE, layout, loginView, type PageChrome } from './layout.js';
import { listView, OUTCOMES, type ListFilters } from './list-view.js';
import { revertThroughTool } from './revert.js';
import { REVIEW_CSS } from './styles.js';

/** What the review page needs of the running server. */
export interface ReviewDeps {
  store: Store;
  registry: ToolRegistry;
  /** Where an entry's post lives now (a write may have renamed its slug). */
  postIdNow(entry: JournalEntry): string;
  log: Logger;
  /** Accepted login tokens; none (a loopback server) means a generated one-time token (ADR 0121). */
  tokens: HttpToken[];
  /** Prints a generated one-time login token where the person who started the server sees it (stderr). */
  announceLoginToken(token: string): void;
  serverVersion: string;
  /** POST_EDITOR_CONFIRM: whether a forced revert asks for a confirm token. */
  confirmPolicy: 'destructive' | 'never';
  /** Behind a TLS-terminating proxy (MCP_HTTP_TRUST_PROXY): X-Forwarded-Proto https makes cookies Secure. */
  trustProxy?: boolean;
  /** Rows per page of the list. */
  pageSize?: number;
}

/** The mounted page: `handle` answers any request under /review. */
export interface ReviewPage {
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
  readonly usesLocalToken: boolean;
}

const SESSION_MAX_AGE_S = 8 * 60 * 60;
const JOURNAL_ID = /^[A-Za-z0-9_-]{1,100}$/;
const FILTER_MAX = 200;

/** True for paths the review page owns. */
export function isReviewPath(pathname: string): boolean {
  return pathname === BASE || pathname.startsWith(`${BASE}/`);
}

/** Builds the page over the store and the tool registry (the cookie key derives from the store's secret). */
export async function createReviewPage(deps: ReviewDeps): Promise<ReviewPage> {
  const auth = ReviewAuth.create(await deps.store.confirmSecret(), deps.tokens, deps.announceLoginToken);
  const providers = deps.registry.names
    .filter((n) => n.endsWith('_get_post'))
    .map((n) => n.slice(0, -'_get_post'.length));
  const pageSize = deps.pageSize ?? 25;

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname.replace(/\/+$/, '') || BASE;
    const secure = isTls(req) || (deps.trustProxy === true && forwardedHttps(req));
    if (path === `${BASE}/assets/review.css` && req.method === 'GET')
      return sendAsset(res, 'text/css', REVIEW_CSS);
    if (req.method === 'POST' && !sameOriginPost(req)) {
      return sendPage(res, 403, message('Refused', 'This form was not sent from the review page.'));
    }
    const session = auth.readSession(readCookies(req)[SESSION_COOKIE]);

    if (path === `${BASE}/login`) {
      if (req.method === 'GET') return session ? redirect(res, BASE) : showLogin(res, secure, null, 200);
      if (req.method === 'POST') return login(req, res, secure);
      return notAllowed(res);
    }
    if (!session) {
      return req.method === 'GET'
        ? redirect(res, `${BASE}/login`)
        : showLogin(res, secure, { text: 'Sign in first.', kind: 'warn' }, 401);
    }
    const chrome: PageChrome = {
      title: 'Writes',
      session: { principal: session.principal, csrf: auth.csrfFor(session) },
    };
    if (req.method === 'POST') {
      const form = await readForm(req);
      if (!form || !auth.csrfValid(session, form.get('csrf') ?? undefined)) {
        return sendPage(
          res,
          403,
          message(
            'Refused',
            'The form expired or was not sent from this page. Reload it and try again.',
            chrome,
          ),
        );
      }
      if (path === `${BASE}/logout`) {
        return redirect(res, `${BASE}/login`, { 'set-cookie': cookie(SESSION_COOKIE, '', 0, secure) });
      }
      const match = /^\/review\/writes\/([^/]+)\/revert$/.exec(path);
      if (match?.[1]) return revert(res, decodeURIComponent(match[1]), form, session, chrome);
      return notFound(res, chrome);
    }
    if (req.method !== 'GET') return notAllowed(res);
    if (path === BASE) return list(res, url, chrome);
    const match = /^\/review\/writes\/([^/]+)$/.exec(path);
    if (match?.[1]) return showEntry(res, decodeURIComponent(match[1]), chrome, null, session);
    return notFound(res, chrome);
  }

  function showLogin(
    res: ServerResponse,
    secure: boolean,
    note: Parameters<typeof loginView>[1],
    status: number,
  ): void {
    const { nonce, csrf } = auth.newLoginNonce();
    sendPage(res, status, loginView(csrf, note, auth.usesLocalToken), {
      'set-cookie': cookie(LOGIN_COOKIE, nonce, 30 * 60, secure),
    });
  }

  async function login(req: IncomingMessage, res: ServerResponse, secure: boolean): Promise<void> {
    const form = await readForm(req);
    const nonce = readCookies(req)[LOGIN_COOKIE];
    if (!form || !auth.loginCsrfValid(nonce, form.get('csrf') ?? undefined)) {
      return showLogin(res, secure, { text: 'The sign-in form expired. Try again.', kind: 'warn' }, 403);
    }
    const outcome = auth.login(form.get('token') ?? '', req.socket.remoteAddress ?? 'unknown');
    if (outcome === 'throttled') {
      return showLogin(
        res,
        secure,
        { text: 'Too many failed attempts. Wait a minute and try again.', kind: 'bad' },
        429,
      );
    }
    if (outcome === 'refused') {
      deps.log.warn('review login refused', { peer: req.socket.remoteAddress });
      return showLogin(res, secure, { text: 'That token is not valid.', kind: 'bad' }, 401);
    }
    deps.log.info('review login', { principal: outcome.session.principal });
    redirect(res, BASE, {
      'set-cookie': [
        cookie(SESSION_COOKIE, outcome.cookie, SESSION_MAX_AGE_S, secure),
        cookie(LOGIN_COOKIE, '', 0, secure),
      ],
    });
  }

  async function list(res: ServerResponse, url: URL, chrome: PageChrome): Promise<void> {
    const q = url.searchParams;
    const text = (name: string) => q.get(name)?.trim().slice(0, FILTER_MAX) || undefined;
    const provider = text('provider');
    const outcome = text('outcome');
    const filters: ListFilters = {
      // Any provider id, not only the enabled ones: the journal may hold writes from another configuration.
      provider: provider && /^[a-z0-9_]{1,40}$/.test(provider) ? provider : undefined,
      post_id: text('post'),
      client_name: text('client'),
      principal: text('principal'),
      outcome: OUTCOMES.includes(outcome as Outcome) ? (outcome as Outcome) : undefined,
    };
    const cursor = text('cursor');
    let page;
    try {
      page = await deps.store.query({ ...filters, cursor, limit: pageSize });
    } catch (err) {
      // A cursor from another filter or a stale link: show the newest page rather than an error.
      if (!cursor) throw err;
      page = await deps.store.query({ ...filters, limit: pageSize });
    }
    const choices =
      filters.provider && !providers.includes(filters.provider)
        ? [...providers, filters.provider]
        : providers;
    sendPage(res, 200, listView(chrome, page, filters, choices, Boolean(cursor)));
  }

  async function showEntry(
    res: ServerResponse,
    journalId: string,
    chrome: PageChrome,
    revert: RevertState | null,
    session: ReviewSession,
  ): Promise<void> {
    const entry = JOURNAL_ID.test(journalId) ? await deps.store.find(journalId) : undefined;
    if (!entry) return notFound(res, chrome);
    const current = await readPost(entry, session);
    const post = 'post' in current ? current.post : null;
    const model = {
      entry,
      diffs: diffEntryFields(
        entry.before,
        entry.after,
        post ? { format: post.body_format, value: post.body } : undefined,
      ),
      current,
      revert: revert ?? revertAvailability(entry, post),
      csrf: auth.csrfFor(session),
    };
    sendPage(res, 200, entryView({ ...chrome, title: entry.title_before ?? entry.post_id }, model));
  }

  function revertAvailability(entry: JournalEntry, post: Post | null): RevertState {
    if (!deps.registry.get('revert_post'))
      return { kind: 'unavailable', reason: 'This server is read-only: revert_post is not available.' };
    if (entry.tool.endsWith('_delete_post')) {
      return {
        kind: 'unavailable',
        reason: 'The post was deleted; the provider cannot restore it. Its previous content is shown above.',
      };
    }
    if (entry.reverted_by) return { kind: 'unavailable', reason: 'This write has been reverted already.' };
    if (entry.outcome === 'failed') {
      return {
        kind: 'unavailable',
        reason: 'This write failed: the provider did not apply it, so there is nothing to revert.',
      };
    }
    if (!providers.includes(entry.provider))
      return { kind: 'unavailable', reason: `${entry.provider} is not enabled on this server.` };
    return { kind: 'ready', version: post?.version ?? null };
  }

  async function revert(
    res: ServerResponse,
    journalId: string,
    form: URLSearchParams,
    session: ReviewSession,
    chrome: PageChrome,
  ): Promise<void> {
    const entry = JOURNAL_ID.test(journalId) ? await deps.store.find(journalId) : undefined;
    if (!entry) return notFound(res, chrome);
    const before = await readPost(entry, session);
    const state = await revertThroughTool(
      deps.registry,
      entry,
      {
        version: form.get('version')?.slice(0, 200) || null,
        force: form.get('force') === '1',
        confirm_token: form.get('confirm_token')?.slice(0, 500) || null,
      },
      context(session),
      'post' in before ? before.post : null,
      deps.confirmPolicy,
    );
    deps.log.info('review revert', {
      journal_id: journalId,
      principal: session.principal,
      result: state.kind,
    });
    return showEntry(res, journalId, chrome, state, session);
  }

  async function readPost(
    entry: JournalEntry,
    session: ReviewSession,
  ): Promise<{ post: Post } | { error: string }> {
    const tool = `${entry.provider}_get_post`;
    if (!deps.registry.get(tool)) return { error: `${entry.provider} is not enabled on this server.` };
    const result = await deps.registry.call(
      tool,
      { id: deps.postIdNow(entry), include_raw: true },
      context(session),
    );
    const first = result.content[0];
    if (result.isError) {
      try {
        const parsed = JSON.parse(first?.type === 'text' ? first.text : '{}') as {
          error?: { message?: string };
        };
        return { error: parsed.error?.message ?? 'the provider did not answer.' };
      } catch {
        return { error: 'the provider did not answer.' };
      }
    }
    const post = postSchema.safeParse(result.structuredContent);
    return post.success ? { post: post.data } : { error: 'the provider answered with an unexpected shape.' };
  }

  function context(session: ReviewSession): ToolContext {
    const actor: Actor = {
      client_name: 'post-editor-mcp review',
      client_version: deps.serverVersion,
      transport: 'review',
      principal: session.principal,
    };
    return { signal: AbortSignal.timeout(120_000), progress: async () => undefined, actor };
  }

  return {
    handle: (req, res, url) =>
      handle(req, res, url).catch((err: unknown) => {
        deps.log.error('review page failed', { error: err instanceof Error ? err.message : String(err) });
        if (!res.headersSent)
          sendPage(
            res,
            500,
            message('Something went wrong', 'The page could not be built; the server log says why.'),
          );
        else res.end();
      }),
    get usesLocalToken() {
      return auth.usesLocalToken;
    },
  };
}

function message(title: string, text: string, chrome?: PageChrome) {
  return layout(
    chrome ?? { title },
    html`<h1>${title}</h1>
      <p>${text}</p>
      <p><a href="${BASE}">Back to the writes</a></p>`,
  );
}

function notFound(res: ServerResponse, chrome: PageChrome): void {
  sendPage(res, 404, message('Not found', 'There is no such page or journal entry.', chrome));
}

function notAllowed(res: ServerResponse): void {
  sendPage(res, 405, message('Not allowed', 'This page does not answer that method.'), {
    allow: 'GET, POST',
  });
}

function forwardedHttps(req: IncomingMessage): boolean {
  const proto = req.headers['x-forwarded-proto'];
  return (Array.isArray(proto) ? proto[0] : proto)?.split(',')[0]?.trim() === 'https';
}

function isTls(req: IncomingMessage): boolean {
  return 'encrypted' in req.socket && Boolean((req.socket as { encrypted?: boolean }).encrypted);
}
