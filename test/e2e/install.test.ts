import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, describe, expect, it } from 'vitest';
import { runMcpb, stageBundle, TOP_LEVEL_FILES, type StagedBundle } from '../../tools/mcpb-stage.js';
import { ROOT } from '../../tools/packaging.js';
import { baseEnv } from '../helpers/harness.js';

// The install paths a user without a registry release has: a packed tarball installed into an empty
// folder, and the .mcpb bundle built from a staging folder. Both are driven over stdio by a real SDK
// client on the embedded sandbox. Installing needs the npm registry (or a warm npm cache).

const run = promisify(execFile);
const temps: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** Connects an SDK client to `command args… --sandbox`, lists the tools and reads one sandbox post. */
async function driveSandbox(command: string, args: string[]): Promise<{ tools: string[]; title: unknown }> {
  const client = new Client({ name: 'install-test', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({ command, args: [...args, '--sandbox'], env: baseEnv(), stderr: 'ignore' }),
  );
  try {
    const { tools } = await client.listTools();
    const got = (await client.callTool({
      name: 'buttercms_get_post',
      arguments: { id: 'cold-brew-at-home' },
    })) as CallToolResult;
    expect(got.isError).not.toBe(true);
    return { tools: tools.map((t) => t.name), title: (got.structuredContent as { title?: unknown }).title };
  } finally {
    await client.close();
  }
}

describe('npm pack → npm install <tarball> into an empty folder', () => {
  it('installs a post-editor-mcp bin that serves the sandbox over stdio', { timeout: 240_000 }, async () => {
    const packDir = tempDir('pe-pack-');
    // dist is already built (pretest); --ignore-scripts keeps `prepare` from rebuilding the working copy.
    const { stdout } = await run(
      'npm',
      ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir, '--loglevel=error'],
      { cwd: ROOT, timeout: 60_000 },
    );
    const [packed] = JSON.parse(stdout) as { filename: string }[];
    const tarball = join(packDir, packed!.filename);
    expect(existsSync(tarball)).toBe(true);

    const app = tempDir('pe-install-');
    await run('npm', ['install', '--prefix', app, tarball, '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: app,
      timeout: 180_000,
    });
    const bin = join(app, 'node_modules', '.bin', 'post-editor-mcp');
    expect(existsSync(bin)).toBe(true);
    // Nothing of the build or test tool chain comes along.
    expect(existsSync(join(app, 'node_modules', 'typescript'))).toBe(false);
    expect(existsSync(join(app, 'node_modules', 'vitest'))).toBe(false);

    const { tools, title } = await driveSandbox(bin, []);
    expect(tools).toEqual(expect.arrayContaining(['buttercms_get_post', 'post_history', 'revert_post']));
    expect(title).toBe('Cold Brew at Home: A 12-Hour Recipe');
  });
});

describe('.mcpb bundle built from a staging folder', () => {
  let staged: StagedBundle;
  const before = {
    status: execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }),
  };

  it('stages only runtime files and leaves the working copy alone', { timeout: 180_000 }, () => {
    staged = stageBundle();
    temps.push(dirname(staged.dir));
    expect(staged.dir.startsWith(tmpdir())).toBe(true);
    const outside = staged.files.filter(
      (f) => !TOP_LEVEL_FILES.includes(f) && !/^dist\/.+\.js$/.test(f) && !f.startsWith('node_modules/'),
    );
    expect(outside).toEqual([]);
    expect(staged.files).toEqual(expect.arrayContaining([...TOP_LEVEL_FILES, 'dist/index.js']));
    for (const dev of [
      'eslint.config.js',
      'vitest.config.ts',
      'tsconfig.build.json',
      'tsconfig.json',
      '.env',
    ]) {
      expect(staged.files).not.toContain(dev);
    }
    const packages = new Set(staged.files.map((f) => f.split('/').slice(1, 3).join('/')));
    expect(packages).toContain('@modelcontextprotocol/sdk');
    for (const dev of ['typescript', 'vitest', 'eslint', 'tsx', 'prettier']) {
      expect([...packages].some((p) => p === dev || p.startsWith(`${dev}/`))).toBe(false);
    }
    const pkg = JSON.parse(readFileSync(join(staged.dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg.scripts).toBeUndefined();
    expect(pkg.devDependencies).toBeUndefined();
    expect(Object.keys(pkg.dependencies as object)).toContain('@modelcontextprotocol/sdk');

    // Named for its platform exactly when a compiled addon ties it to one.
    const manifest = JSON.parse(readFileSync(join(staged.dir, 'manifest.json'), 'utf8')) as {
      compatibility: { platforms: string[] };
    };
    if (staged.nativeModules.length) {
      expect(staged.bundleName).toBe(
        `post-editor-mcp-${pkg.version}-${process.platform}-${process.arch}.mcpb`,
      );
      expect(manifest.compatibility.platforms).toEqual([process.platform]);
    } else {
      expect(staged.bundleName).toBe(`post-editor-mcp-${pkg.version}.mcpb`);
      expect(manifest.compatibility.platforms).toEqual(['darwin', 'win32', 'linux']);
    }

    // The old one-liner pruned the working copy's dev dependencies; staging must not.
    expect(existsSync(join(ROOT, 'node_modules', 'typescript'))).toBe(true);
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' })).toBe(
      before.status,
    );
  });

  it(
    'packs into a bundle whose manifest mcpb accepts and whose server runs as Claude Desktop starts it',
    {
      timeout: 180_000,
    },
    async () => {
      expect(staged, 'the staging test must run first').toBeDefined();
      runMcpb(['validate', join(staged.dir, 'manifest.json')], staged.dir);
      const out = tempDir('pe-mcpb-');
      const bundle = join(out, staged.bundleName);
      runMcpb(['pack', staged.dir, bundle], staged.dir);
      const unpacked = join(out, 'unpacked');
      runMcpb(['unpack', bundle, unpacked], out);
      expect(existsSync(join(unpacked, 'eslint.config.js'))).toBe(false);

      const manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8')) as {
        server: { mcp_config: { command: string; args: string[] } };
      };
      const { command, args } = manifest.server.mcp_config;
      expect(command).toBe('node');
      const { tools, title } = await driveSandbox(
        process.execPath,
        args.map((a) => a.replace('${__dirname}', unpacked)),
      );
      expect(tools).toContain('flowcms_update_post');
      expect(title).toBe('Cold Brew at Home: A 12-Hour Recipe');
    },
  );
});
