import type { Actor, JournalEntry } from '../store/types.js';
import { html, type SafeHtml } from './html.js';

/** Where the page lives; every link and form action is built from it. */
export const BASE = '/review';

export interface PageChrome {
  title: string;
  /** The logged-in principal and the CSRF token for the logout form; absent on the login page. */
  session?: { principal: string; csrf: string };
}

/** The document around every view: no script, one same-origin stylesheet, a skip link, a header. */
export function layout(chrome: PageChrome, body: SafeHtml): SafeHtml {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>${chrome.title} · Post editor review</title>
        <link rel="stylesheet" href="${BASE}/assets/review.css" />
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="top">
          <a class="brand" href="${BASE}">Post editor <span>review</span></a>
          ${
            chrome.session
              ? html`<div class="who">
                  <span>Signed in as <strong>${chrome.session.principal}</strong></span>
                  <form method="post" action="${BASE}/logout">
                    <input type="hidden" name="csrf" value="${chrome.session.csrf}" /><button
                      class="link"
                      type="submit"
                    >
                      Sign out
                    </button>
                  </form>
                </div>`
              : ''
          }
        </header>
        <main id="main">${body}</main>
      </body>
    </html>`;
}

/** The login form (the bearer token of the HTTP server, or the one-time token printed on stderr). */
export function loginView(
  csrf: string,
  message: { text: string; kind: 'bad' | 'warn' } | null,
  localToken: boolean,
): SafeHtml {
  return layout(
    { title: 'Sign in' },
    html`<div class="login panel">
      <h1>Sign in</h1>
      <p>
        ${
          localToken
            ? 'Paste the one-time login token that post-editor-mcp printed on its standard error when it started (each token works once; a new one is printed after each sign-in).'
            : 'Paste your bearer token (the value of MCP_HTTP_TOKEN or one of MCP_HTTP_TOKENS). Writes you revert here are recorded under its label.'
        }
      </p>
      ${message ? html`<div class="notice ${message.kind}" role="alert">${message.text}</div>` : ''}
      <form method="post" action="${BASE}/login">
        <input type="hidden" name="csrf" value="${csrf}" />
        <label for="token">Token</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="current-password"
          required
          autofocus
          spellcheck="false"
        />
        <button type="submit">Sign in</button>
      </form>
    </div>`,
  );
}

/** "2026-12-01 22:04:05 UTC" */
export function formatTime(iso: string | null): string {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

/** "5 min ago", computed on the server (there is no script on the page). */
export function ago(iso: string, now: number = Date.now()): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (!Number.isFinite(s)) return '';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

/** Who asked for a write: the client with its version, the token label, the transport. */
export function whoOf(actor: Actor | null): {
  client: string;
  principal: string | null;
  transport: string | null;
} {
  if (!actor) return { client: 'unknown client', principal: null, transport: null };
  const client = actor.client_name
    ? `${actor.client_name}${actor.client_version ? ` ${actor.client_version}` : ''}`
    : 'unknown client';
  return { client, principal: actor.principal, transport: actor.transport };
}

/** The outcome as shown: reverted wins over how the write itself ended. */
export function outcomeOf(entry: JournalEntry): 'applied' | 'accepted' | 'failed' | 'pending' | 'reverted' {
  return entry.reverted_by ? 'reverted' : entry.outcome;
}

export function badge(entry: JournalEntry): SafeHtml {
  const outcome = outcomeOf(entry);
  return html`<span class="badge ${outcome}">${outcome}</span>`;
}
