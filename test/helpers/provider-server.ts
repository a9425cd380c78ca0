import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Emulator } from '../../src/sandbox/emulator.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { baseEnv, connectStdio, startTestSandbox, type StdioServer } from './harness.js';

/** What a provider's e2e file reads once the hooks have run (getters: the values exist only inside tests). */
export interface ProviderServer {
  readonly sandbox: Sandbox;
  readonly server: StdioServer;
  /** The provider's emulator (request log, fault injection), reset before every test. */
  emulator(): Emulator;
}

/**
 * Registers the hooks every provider e2e file shared: the sandbox emulators in this process, the built
 * server over stdio with only `provider` enabled and two retries, and a fresh emulator before each test.
 */
export function useProviderServer(
  provider: string,
  envOverrides: Record<string, string> = {},
): ProviderServer {
  let sandbox: Sandbox | undefined;
  let server: StdioServer | undefined;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
    server = await connectStdio(
      baseEnv({
        ...sandbox.env,
        POST_EDITOR_PROVIDERS: provider,
        POST_EDITOR_MAX_RETRIES: '2',
        ...envOverrides,
      }),
    );
  });
  afterAll(async () => {
    await server?.close();
    await sandbox?.close();
  });
  beforeEach(() => {
    ready().sandbox.emulator(provider).reset();
  });
  const ready = () => {
    if (!sandbox || !server) throw new Error(`useProviderServer('${provider}'): used outside a test`);
    return { sandbox, server };
  };
  return {
    get sandbox() {
      return ready().sandbox;
    },
    get server() {
      return ready().server;
    },
    emulator: () => ready().sandbox.emulator(provider),
  };
}
