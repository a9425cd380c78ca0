#!/usr/bin/env node
import dotenv from 'dotenv';
import { parseCli, UsageError } from './cli/args.js';
import { envFileCandidates, findEnvFile } from './cli/env-file.js';
import { loadConfig, type Flags } from './config.js';
import { PROVIDERS } from './providers/index.js';
import { ConfigError, isLoopbackHost, type Env } from './core/env.js';
import { flushLogs } from './core/log.js';
import type { startSandbox as StartSandbox } from './sandbox/server.js';
import { createApp, SERVER_VERSION } from './server.js';
import { serveStdio } from './transports/stdio.js';

// The HTTP transport, the emulators and the one-shot CLI are loaded only when used: every module
// loaded up front delays the stdio cold start (spawn → tools/list) that MCP clients wait for.
const startSandbox: typeof StartSandbox = async (...args) =>
  (await import('./sandbox/server.js')).startSandbox(...args);

const HELP = `post-editor-mcp ${SERVER_VERSION}: read and edit posts on Partoo, Infinipost, FlowCMS, ButterCMS and RebelMouse over MCP.

Usage:
  post-editor-mcp [options]                 serve MCP over stdio (the default)
  post-editor-mcp --http [--host H] [--port N]   serve Streamable HTTP at POST /mcp
  post-editor-mcp call TOOL '{json}'        one tool call; JSON result on stdout, exit 1 on error
  post-editor-mcp tools                     list the tools with their input schemas
  post-editor-mcp sandbox [--port N]        run only the provider emulators
  post-editor-mcp review [--port N]         the review page on loopback (default port 3001): what agents
                                            changed, with diffs and one-click revert, from the local store

Options:
  --sandbox            use the embedded emulators (sample data, nothing leaves this machine)
  --read-only          register no write tool
  --providers a,b      only these providers
  --log-file FILE      also append the JSON logs to FILE
  --help, --version
HTTP only (an error without --http):
  --host H             bind address (default 127.0.0.1)
  --port N             port (default 3000; also for the sandbox command)
  --stateful           HTTP sessions (default: stateless)

Configuration comes from the environment and one .env file: ./.env if it exists, else
$XDG_CONFIG_HOME/post-editor-mcp/.env (default ~/.config/post-editor-mcp/.env); the file used is
named on stderr at start-up. Provider credentials: see README.md, or try --sandbox first.`;

async function main(): Promise<void> {
  const { values, command, rest } = parseCli(process.argv.slice(2));
  if (values.help) return void process.stderr.write(HELP + '\n');
  if (values.version) return void process.stderr.write(SERVER_VERSION + '\n');

  // One file, never merged (ADR 0083). quiet: dotenv must print nothing; stdout belongs to MCP in stdio mode.
  const envFile = findEnvFile(process.env);
  if (envFile) dotenv.config({ path: envFile, quiet: true });
  const port = values.port === undefined ? undefined : parsePort(values.port);

  if (command === 'sandbox') {
    const sandbox = await startSandbox({ port: port ?? 0 });
    process.stderr.write(
      `Sandbox emulators on ${sandbox.origin} (sample data only). Point the server at them with:\n` +
        Object.entries(sandbox.env)
          .map(([k, v]) => `  ${k}=${v}`)
          .join('\n') +
        '\n',
    );
    await waitForSignal();
    await sandbox.close();
    return;
  }

  const flags: Flags = {
    http: values.http,
    host: values.host,
    port,
    sandbox: values.sandbox,
    readOnly: values['read-only'],
    providers: values.providers,
    stateful: values.stateful,
    logFile: values['log-file'],
  };
  let env: Env = process.env;
  const sandbox = flags.sandbox ? await startSandbox() : undefined;
  if (sandbox) {
    // Real credentials never mix with the sandbox: every provider variable is replaced.
    const providerVars = new Set(PROVIDERS.flatMap((p) => p.env.map((v) => v.name)));
    env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !providerVars.has(k)));
    Object.assign(env, sandbox.env);
  }
  const config = withEnvFileHint(() => loadConfig(env, flags, PROVIDERS), envFile);
  const app = await createApp(config);
  // The path only, never the content (it holds credentials).
  if (envFile) app.log.info('configuration file', { env_file: envFile });
  if (sandbox)
    app.log.warn('SANDBOX mode: local emulators with sample posts; nothing reaches a real provider', {
      emulators: sandbox.origin,
    });

  const shutdown = async (closeServer: () => Promise<void>) => {
    await closeServer();
    await sandbox?.close();
  };

  if (command === 'call' || command === 'tools') {
    const cli = await import('./cli/call.js');
    const code = command === 'call' ? await cli.runCall(app, rest) : cli.listTools(app);
    await shutdown(() => app.close());
    process.exitCode = code;
    return;
  }
  if (command === 'review') {
    const { serveReview } = await import('./review/serve.js');
    const host = values.host ?? '127.0.0.1';
    if (!isLoopbackHost(host))
      throw new ConfigError('--host', 'review serves on loopback only (e.g. 127.0.0.1)');
    const say = (line: string) => {
      flushLogs();
      process.stderr.write(line + '\n');
    };
    const handle = await serveReview(app, { host, port: port ?? REVIEW_PORT }, say);
    say(`Review page: ${handle.url} (store: ${app.store.kind}). Press Ctrl+C to stop.`);
    await waitForSignal();
    await shutdown(() => handle.close());
    return;
  }

  if (config.transport === 'http') {
    const { serveHttp } = await import('./transports/http.js');
    const handle = await serveHttp(app);
    if (config.sandbox) printSandboxBanner(handle.url, Boolean(config.http.token));
    await waitForSignal();
    app.log.info('shutting down');
    await shutdown(() => handle.close());
    return;
  }
  await serveStdio(app);
  await shutdown(() => app.close());
}

/** Adds where configuration was looked for to a "no provider is configured" error. */
function withEnvFileHint<T>(load: () => T, envFile: string | undefined): T {
  try {
    return load();
  } catch (err) {
    if (!(err instanceof ConfigError) || err.variable !== 'credentials') throw err;
    const where = envFile
      ? `The .env read was ${envFile}.`
      : `No .env file was found (looked for ${envFileCandidates(process.env).join(' and ')}).`;
    throw new ConfigError('', `${err.message.slice(err.variable.length + 2)} ${where}`);
  }
}

const REVIEW_PORT = 3001;

function parsePort(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535)
    throw new ConfigError('--port', 'must be a port number 0-65535');
  return Number(value);
}

/**
 * The Inspector command for a URL. On Node 20, npx resolves `@modelcontextprotocol/inspector` to 0.15,
 * the last release whose engines accept it, which lacks --transport/--server-url and crashes
 * ("Option '--env' argument is ambiguous"); a pinned release run on npx's own Node 22 works.
 */
function inspectorCommand(url: string): string {
  return `npx -y -p node@22 -p @modelcontextprotocol/inspector@0.17.5 mcp-inspector --transport http --server-url ${url}`;
}

function printSandboxBanner(url: string, auth: boolean): void {
  flushLogs();
  const config = { mcpServers: { 'post-editor-sandbox': { type: 'http', url } } };
  process.stderr.write(
    `\npost-editor-mcp is serving the SANDBOX (sample posts, nothing leaves this machine) at\n\n  ${url}\n\n` +
      `Paste into your MCP client's configuration${auth ? ' (add the Authorization: Bearer header)' : ''}:\n\n` +
      JSON.stringify(config, null, 2) +
      `\n\nOr try it in the MCP Inspector (it needs Node 22: npx fetches it for this one command):\n` +
      `  ${inspectorCommand(url)}\n` +
      `See what agents changed, and revert: ${url.replace(/\/mcp$/, '/review')}\nPress Ctrl+C to stop.\n\n`,
  );
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

main().catch((err: unknown) => {
  flushLogs();
  if (err instanceof UsageError) {
    process.stderr.write(`post-editor-mcp: ${err.message}\n`);
    process.exit(2);
  }
  const message =
    err instanceof ConfigError
      ? `Configuration error: ${err.message}`
      : `Fatal: ${err instanceof Error ? err.message : String(err)}`;
  process.stderr.write(message + '\n');
  process.exit(1);
});
