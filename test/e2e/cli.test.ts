import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import { baseEnv, SERVER_ENTRY, startTestSandbox } from '../helpers/harness.js';

// Most runs use the CLI's own --sandbox; the write runs use emulators in this process so that state
// (versions) carries over between invocations and the test can read what reached the provider.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(() => sandbox?.close());

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI against its embedded sandbox and collects both streams and the exit code. */
function cli(...args: string[]): Promise<Run> {
  return run(baseEnv({ LOG_LEVEL: 'info' }), args);
}

/** The CLI configured with the test's own emulators, as a script would run it against real accounts. */
function configuredCall(tool: string, args: Record<string, unknown>): Promise<Run> {
  return run(baseEnv({ ...sandbox.env, LOG_LEVEL: 'info' }), ['call', tool, JSON.stringify(args)]);
}

function run(env: Record<string, string>, args: string[], cwd?: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [SERVER_ENTRY, ...args],
      { env, cwd, timeout: 20_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const sandboxCall = (tool: string, json?: string) =>
  cli('--sandbox', 'call', tool, ...(json === undefined ? [] : [json]));

/** stdout must hold exactly one JSON document (logs go to stderr). */
function onlyJson(run: Run): Record<string, unknown> {
  expect(run.stdout.endsWith('\n')).toBe(true);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

describe('post-editor-mcp call', () => {
  it('prints the tool result as JSON on stdout, logs on stderr, and exits 0', async () => {
    const run = await sandboxCall('buttercms_get_post', '{"id":"cold-brew-at-home"}');
    expect(run.code).toBe(0);
    const post = onlyJson(run);
    expect(post).toMatchObject({ provider: 'buttercms', id: 'cold-brew-at-home', status: 'published' });
    expect(post.version).toEqual(expect.any(String));
    expect(run.stderr).toContain('"msg":"tool call"');
    expect(run.stdout).not.toContain('"level"');
  });

  it('goes through the same safety: a dry run returns the diff and writes nothing', async () => {
    const post = onlyJson(await sandboxCall('buttercms_get_post', '{"id":"cold-brew-at-home"}'));
    const run = await sandboxCall(
      'buttercms_update_post',
      JSON.stringify({
        id: 'cold-brew-at-home',
        title: 'Cold Brew, Revised',
        expected_version: post.version,
        dry_run: true,
      }),
    );
    expect(run.code).toBe(0);
    const result = onlyJson(run);
    expect(result.dry_run).toBe(true);
    expect(result.changed_fields).toEqual(['title']);
  });

  it('asks for confirmation before unpublishing: error JSON on stdout and exit 1', async () => {
    const post = onlyJson(await configuredCall('buttercms_get_post', { id: 'cold-brew-at-home' }));
    const run = await configuredCall('buttercms_unpublish_post', {
      id: 'cold-brew-at-home',
      expected_version: post.version,
    });
    expect(run.code).toBe(1);
    const { error } = onlyJson(run) as { error: { code: string; confirm_token?: string } };
    expect(error.code).toBe('confirmation_required');
    expect(
      sandbox
        .emulator('buttercms')
        .seen()
        .filter((r) => r.method !== 'GET'),
    ).toEqual([]);
  });

  it('reports a provider error as error JSON with a non-zero exit', async () => {
    const run = await sandboxCall('buttercms_get_post', '{"id":"no-such-post"}');
    expect(run.code).toBe(1);
    expect(onlyJson(run)).toMatchObject({ error: { code: 'not_found' } });
  });

  it('refuses arguments that break a rule with invalid_input naming the field', async () => {
    const run = await sandboxCall('buttercms_get_post', '{"id":"not a slug!"}');
    expect(run.code).toBe(1);
    expect(onlyJson(run)).toMatchObject({ error: { code: 'invalid_input', field: 'id' } });
  });

  it('refuses arguments that are not valid JSON', async () => {
    const run = await sandboxCall('buttercms_get_post', '{"id": cold-brew');
    expect(run.code).toBe(1);
    expect(onlyJson(run)).toMatchObject({ error: { code: 'invalid_input', field: 'arguments' } });
  });

  it('refuses JSON that is not an object', async () => {
    const run = await sandboxCall('buttercms_get_post', '["cold-brew-at-home"]');
    expect(run.code).toBe(1);
    expect(onlyJson(run)).toMatchObject({ error: { code: 'invalid_input', field: 'arguments' } });
  });

  it('names the available tools when the tool does not exist', async () => {
    const run = await sandboxCall('buttercms_publish_everything', '{}');
    expect(run.code).toBe(1);
    const { error } = onlyJson(run) as { error: { code: string; field: string; hint: string } };
    expect(error).toMatchObject({ code: 'invalid_input', field: 'name' });
    expect(error.hint).toContain('buttercms_get_post');
  });

  it('prints usage on stderr and exits 2 without a tool name', async () => {
    const run = await cli('--sandbox', 'call');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Usage: post-editor-mcp call TOOL');
  });

  it('stops with how to configure a provider, or try --sandbox, when none is configured', async () => {
    const run = await cli('call', 'buttercms_get_post', '{"id":"cold-brew-at-home"}');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/no provider is configured/);
    expect(lines[0]).toContain('BUTTERCMS_WRITE_TOKEN');
    expect(lines[0]).toContain('--sandbox');
    expect(lines[0]).toMatch(/No \.env file was found \(looked for .*\.env and .*post-editor-mcp\/\.env\)/);
    expect(lines[0]).not.toContain('POST_EDITOR_PROVIDERS');
  });
});

describe('post-editor-mcp tools', () => {
  it('lists every tool with its description, annotations and input schema as JSON', async () => {
    const run = await cli('--sandbox', 'tools');
    expect(run.code).toBe(0);
    const tools = JSON.parse(run.stdout) as {
      name: string;
      description: string;
      annotations: { readOnlyHint: boolean };
      inputSchema: { type: string; properties: Record<string, unknown> };
    }[];
    const names = tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['buttercms_get_post', 'post_history', 'revert_post']));
    for (const tool of tools) {
      expect(tool.description.length).toBeGreaterThan(10);
      expect(tool.inputSchema.type).toBe('object');
      expect(typeof tool.annotations.readOnlyHint).toBe('boolean');
    }
    const get = tools.find((t) => t.name === 'buttercms_get_post')!;
    expect(Object.keys(get.inputSchema.properties)).toContain('id');
  });

  it('honours --read-only: no write tool is listed', async () => {
    const tools = JSON.parse((await cli('--sandbox', '--read-only', 'tools')).stdout) as { name: string }[];
    expect(tools.map((t) => t.name)).not.toContain('buttercms_update_post');
    expect(tools.map((t) => t.name)).toContain('buttercms_get_post');
  });
});

describe('a command line it cannot run', () => {
  /** Exit 2, nothing on stdout, exactly one line on stderr. */
  function oneLine(run: Run): string {
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    return lines[0]!;
  }

  it('names an unknown command and points at --help (not at a provider variable)', async () => {
    const line = oneLine(await cli('serve'));
    expect(line).toMatch(/unknown command "serve"/);
    expect(line).toMatch(/--http/);
    expect(line).toMatch(/see post-editor-mcp --help/);
  });

  it('names an unknown flag and points at --help', async () => {
    const line = oneLine(await cli('--sandbox', '--verbose'));
    expect(line).toMatch(/unknown option --verbose/);
    expect(line).toMatch(/--help/);
    expect(line).not.toMatch(/positional argument/);
  });

  it('says which flag needs a value', async () => {
    expect(oneLine(await cli('--http', '--port'))).toMatch(/option --port needs a value/);
  });

  it('refuses HTTP-only flags without --http instead of silently serving stdio', async () => {
    const line = oneLine(await cli('--sandbox', '--port', '3432'));
    expect(line).toMatch(/--port only applies with --http/);
    expect(oneLine(await cli('--sandbox', '--stateful', '--host', '0.0.0.0'))).toMatch(/--host, --stateful/);
    expect(oneLine(await cli('--sandbox', 'tools', '--port', '1'))).toMatch(
      /--port does not apply to the tools command/,
    );
  });

  it('documents the HTTP-only flags and where .env is read in --help', async () => {
    const run = await cli('--help');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/HTTP only \(an error without --http\)/);
    expect(run.stderr).toContain('~/.config/post-editor-mcp/.env');
  });
});

describe('.env in the user config directory', () => {
  const butter = () =>
    Object.entries(sandbox.env)
      .filter(([k]) => k.startsWith('BUTTERCMS_'))
      .map(([k, v]) => `${k}=${v}`)
      .join('\n');

  it('is read from $XDG_CONFIG_HOME/post-editor-mcp/.env, named on stderr, its content never shown', async () => {
    const configHome = mkdtempSync(join(tmpdir(), 'pe-xdg-'));
    mkdirSync(join(configHome, 'post-editor-mcp'));
    const file = join(configHome, 'post-editor-mcp', '.env');
    writeFileSync(file, butter() + '\n');
    const emptyCwd = mkdtempSync(join(tmpdir(), 'pe-cwd-'));
    const result = await run(
      baseEnv({ LOG_LEVEL: 'info', XDG_CONFIG_HOME: configHome }),
      ['call', 'buttercms_get_post', '{"id":"cold-brew-at-home"}'],
      emptyCwd,
    );
    expect(result.code).toBe(0);
    expect(onlyJson(result)).toMatchObject({ id: 'cold-brew-at-home' });
    expect(result.stderr).toContain(`"env_file":${JSON.stringify(file)}`);
    expect(result.stderr).not.toContain(sandbox.env.BUTTERCMS_WRITE_TOKEN);
  });

  it("loses to the working directory's .env, which is then the one named", async () => {
    const configHome = mkdtempSync(join(tmpdir(), 'pe-xdg-'));
    mkdirSync(join(configHome, 'post-editor-mcp'));
    writeFileSync(join(configHome, 'post-editor-mcp', '.env'), butter() + '\n');
    const cwd = mkdtempSync(join(tmpdir(), 'pe-cwd-'));
    // The project's file configures no provider: had the two been merged, ButterCMS would work.
    writeFileSync(join(cwd, '.env'), 'LOG_LEVEL=info\n');
    const result = await run(
      baseEnv({ XDG_CONFIG_HOME: configHome }),
      ['call', 'buttercms_get_post', '{"id":"cold-brew-at-home"}'],
      cwd,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`The .env read was ${join(cwd, '.env')}.`);
  });
});
