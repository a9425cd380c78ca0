import type { App } from '../server.js';
import { SERVER_VERSION } from '../server.js';
import { createReviewPage, type ReviewPage } from './page.js';

/** The review page over a running app's store and tools; a generated login token is announced on stderr. */
export function reviewPageFor(app: App, announce: (line: string) => void): Promise<ReviewPage> {
  return createReviewPage({
    store: app.store,
    registry: app.registry,
    postIdNow: (entry) => app.postIdNow(entry),
    log: app.log,
    tokens: app.config.http.tokens,
    // stderr, not the logger: the token must not land in a log file, and in stdio mode stdout is the protocol.
    announceLoginToken: (token) => announce(`Review page one-time login token: ${token}`),
    serverVersion: SERVER_VERSION,
    confirmPolicy: app.config.confirm,
    trustProxy: app.config.http.trustProxy,
  });
}
