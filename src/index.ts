#!/usr/bin/env node
import { parseArgs } from 'node:util';
import dotenv from 'dotenv';
import { loadConfig, type Flags } from './config.js';
import { PROVIDERS } from './providers/index.js';
import { ConfigError, type Env } from './core/env.js';
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

Options:
  --sandbox            use the embedded emulators (sample data, nothing leaves this machine)
  --read-only          register no write tool
  --providers a,b      only these providers
  --stateful           HTTP sessions (default: stateless)
  --log-file FILE      also append the JSON logs to FILE
  --help, --version

Configuration is read from the environment and .env; see README.md.`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      http: { type: 'boolean' },
      host: { type: 'string' },
      port: { type: 'string' },
      sandbox: { type: 'boolean' },
      'read-only': { type: 'boolean' },
      providers: { type: 'string' },
      stateful: { type: 'boolean' },
      'log-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  if (values.help) return void process.stderr.write(HELP + '\n');
  if (values.version) return void process.stderr.write(SERVER_VERSION + '\n');

  // quiet: dotenv must print nothing; stdout belongs to the MCP protocol in stdio mode.
  dotenv.config({ quiet: true });
  const [command, ...rest] = positionals;
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
  const config = loadConfig(env, flags, PROVIDERS);
  const app = await createApp(config);
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
  if (command !== undefined)
    throw new ConfigError('command', `unknown command ${JSON.stringify(command)} (see --help)`);

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

function parsePort(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535)
    throw new ConfigError('--port', 'must be a port number 0-65535');
  return Number(value);
}

function printSandboxBanner(url: string, auth: boolean): void {
  const config = { mcpServers: { 'post-editor-sandbox': { type: 'http', url } } };
  process.stderr.write(
    `\npost-editor-mcp is serving the SANDBOX (sample posts, nothing leaves this machine) at\n\n  ${url}\n\n` +
      `Paste into your MCP client's configuration${auth ? ' (add the Authorization: Bearer header)' : ''}:\n\n` +
      JSON.stringify(config, null, 2) +
      `\n\nOr try it: npx @modelcontextprotocol/inspector --transport http --server-url ${url}\nPress Ctrl+C to stop.\n\n`,
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
  const message =
    err instanceof ConfigError
      ? `Configuration error: ${err.message}`
      : `Fatal: ${err instanceof Error ? err.message : String(err)}`;
  process.stderr.write(message + '\n');
  process.exit(1);
});
