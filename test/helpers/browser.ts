import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's chromium: the only browser the tests drive (playwright-core never downloads one). */
export const CHROMIUM = process.env.POST_EDITOR_TEST_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Whether the browser tests can run: Debian's chromium is there. In CI it must be (.ci/run installs it),
 * so its absence fails loudly; on a developer machine without it they are skipped with one line.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true')
    throw new Error(
      `CI=true but ${CHROMIUM} is missing: the browser tests must run in CI (.ci/run installs chromium)`,
    );
  process.stderr.write(`Browser tests skipped: ${CHROMIUM} is missing (apt-get install chromium)\n`);
  return false;
}

export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Headless chromium with a fresh profile directory, no network chatter of its own. */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'pe-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
