import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SafeHtml } from './html.js';

/**
 * No script at all, one same-origin stylesheet, no images, frames or connections: even markup that
 * slipped through escaping could neither run nor load anything (ADR 0122).
 */
export const REVIEW_CSP =
  "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': REVIEW_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

/** Sends a page with the security headers; extra headers (cookies, location) may be added. */
export function sendPage(
  res: ServerResponse,
  status: number,
  page: SafeHtml,
  headers: Record<string, string | string[]> = {},
): void {
  const body = page.value;
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

/** A 303 to a path on this server (after a form post, or to the login page). */
export function redirect(
  res: ServerResponse,
  location: string,
  headers: Record<string, string | string[]> = {},
): void {
  res.writeHead(303, { ...SECURITY_HEADERS, location, 'content-length': 0, ...headers });
  res.end();
}

/** A static asset with the same headers (it may be cached briefly: it never holds data). */
export function sendAsset(res: ServerResponse, type: string, body: string): void {
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'cache-control': 'private, max-age=300',
    'content-type': `${type}; charset=utf-8`,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** The request's cookies by name (first value wins). */
export function readCookies(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!(name in out)) out[name] = part.slice(eq + 1).trim();
  }
  return out;
}

/** A Set-Cookie value: HttpOnly, SameSite=Strict, scoped to the review page; Secure over TLS. */
export function cookie(name: string, value: string, maxAgeS: number, secure: boolean): string {
  return `${name}=${value}; Path=/review; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${secure ? '; Secure' : ''}`;
}

const MAX_FORM_BYTES = 16 * 1024;

/** Reads an application/x-www-form-urlencoded body (small: our forms hold a few tokens), or undefined. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) return undefined;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** Whether the request's Origin names the host it was sent to (the page's own origin, wherever it is deployed). */
export function originIsThisHost(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * A form post must come from this page: the browser's Origin (or Sec-Fetch-Site) has to name this very
 * host. Clients that send neither are not browsers, and still need the CSRF token.
 */
export function sameOriginPost(req: IncomingMessage): boolean {
  if (req.headers.origin !== undefined) return originIsThisHost(req);
  const site = req.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}
