import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { pruneNativeBuilds } from '../../tools/mcpb-stage.js';
import { PROVIDERS } from '../../src/providers/index.js';
import type { serverJson } from '../../tools/packaging.js';
import {
  mcpbManifest,
  packagedVars,
  packagingFiles,
  ROOT,
  SERVER_SCHEMA,
  smitheryConfig,
} from '../../tools/packaging.js';

const read = (name: string) => readFileSync(join(ROOT, name), 'utf8');
const pkg = JSON.parse(read('package.json')) as {
  name: string;
  version: string;
  mcpName: string;
  bin: Record<string, string>;
};
const providerVars = PROVIDERS.flatMap((p) => p.env);

describe('packaging files', () => {
  it('are in sync with the providers’ definitions (run `npm run docs` when this fails)', () => {
    for (const [name, text] of Object.entries(packagingFiles())) {
      expect(read(name) === text, `${name} is stale: run npm run docs`).toBe(true);
    }
  });

  it('offer every provider variable, secrets marked as such', () => {
    const names = packagedVars().map((v) => v.name);
    for (const v of providerVars) {
      expect(names).toContain(v.name);
      expect(packagedVars().find((p) => p.name === v.name)?.secret).toBe(v.secret);
    }
    expect(providerVars.filter((v) => v.secret).length).toBeGreaterThan(0);
  });

  it('server.json: registry schema, npm package over stdio, the same name as package.json mcpName', () => {
    const server = JSON.parse(read('server.json')) as ReturnType<typeof serverJson> & {
      name: string;
      description: string;
      version: string;
      packages: {
        registryType: string;
        identifier: string;
        version: string;
        transport: { type: string };
        environmentVariables: { name: string; isSecret: boolean }[];
      }[];
    };
    expect(server.$schema).toBe(SERVER_SCHEMA);
    expect(server.name).toBe(pkg.mcpName);
    expect(server.name).toMatch(/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/);
    expect(server.description.length).toBeLessThanOrEqual(100);
    expect(server.version).toBe(pkg.version);
    const [npm] = server.packages;
    expect(npm).toMatchObject({
      registryType: 'npm',
      identifier: pkg.name,
      version: pkg.version,
      transport: { type: 'stdio' },
    });
    const env = new Map(npm!.environmentVariables.map((v) => [v.name, v.isSecret]));
    for (const v of providerVars) expect(env.get(v.name), v.name).toBe(v.secret);
    expect(new Set(env.keys())).toEqual(new Set(packagedVars().map((v) => v.name)));
  });

  it('manifest.json (.mcpb): node entry point, every variable from user_config, credentials sensitive', () => {
    const manifest = JSON.parse(read('manifest.json')) as ReturnType<typeof mcpbManifest> & {
      manifest_version: string;
      server: {
        type: string;
        entry_point: string;
        mcp_config: { command: string; args: string[]; env: Record<string, string> };
      };
      user_config: Record<
        string,
        { type: string; sensitive?: boolean; required: boolean; default?: unknown }
      >;
    };
    expect(manifest.manifest_version).toBe('0.3');
    expect(manifest.server).toMatchObject({ type: 'node', entry_point: pkg.bin['post-editor-mcp'] });
    expect(manifest.server.mcp_config.args).toEqual(['${__dirname}/dist/index.js']);
    for (const v of packagedVars()) {
      const ref = /^\$\{user_config\.([a-z0-9_]+)\}$/.exec(manifest.server.mcp_config.env[v.name] ?? '');
      expect(ref, v.name).not.toBeNull();
      const field = manifest.user_config[ref![1]!]!;
      expect(field.sensitive === true, `${v.name} sensitive`).toBe(v.secret);
      expect(field.required).toBe(false);
      // Without a default, Claude Desktop would pass the literal "${user_config.x}" as the value.
      expect(field.default, `${v.name} default`).toBeDefined();
    }
    expect(Object.keys(manifest.user_config)).toHaveLength(packagedVars().length);
  });

  it('smithery.yaml: a config field for every variable, mapped to its env var by the stdio start command', () => {
    const config = smitheryConfig() as {
      startCommand: {
        type: string;
        configSchema: { properties: Record<string, unknown> };
        commandFunction: string;
      };
    };
    expect(config.startCommand.type).toBe('stdio');
    const yaml = read('smithery.yaml');
    expect(yaml).toContain('startCommand:');
    expect(yaml).toContain('configSchema:');
    const start = new Function(`return ${config.startCommand.commandFunction}`)() as (c: object) => {
      command: string;
      args: string[];
      env: Record<string, string>;
    };
    const given = Object.fromEntries(
      Object.keys(config.startCommand.configSchema.properties).map((k) => [k, `v-${k}`]),
    );
    const launched = start(given);
    expect(launched).toMatchObject({ command: 'node', args: ['dist/index.js'] });
    expect(Object.keys(launched.env).sort()).toEqual(
      packagedVars()
        .map((v) => v.name)
        .sort(),
    );
    expect(start({ postEditorReadOnly: false, buttercmsBaseUrl: '' }).env).toEqual({
      POST_EDITOR_READ_ONLY: 'false',
    });
  });

  it('Dockerfile: multi-stage node:20-slim, non-root, HTTP on 0.0.0.0, health check on /healthz', () => {
    const docker = read('Dockerfile');
    expect(docker.match(/^FROM node:20-slim/gm)).toHaveLength(2);
    expect(docker).toMatch(/^USER node$/m);
    expect(docker.indexOf('USER node')).toBeLessThan(docker.indexOf('CMD ['));
    expect(docker).toMatch(/^HEALTHCHECK .*\n?.*\/healthz/m);
    expect(docker).toContain('CMD ["node", "dist/index.js", "--http", "--host", "0.0.0.0"]');
    const ignore = read('.dockerignore').split('\n');
    expect(ignore).toEqual(expect.arrayContaining(['.env', 'node_modules', '.git']));
  });

  it('Dockerfile: the `# syntax=` line comes first (BuildKit ignores it anywhere else)', () => {
    expect(read('Dockerfile').split('\n')[0]).toMatch(/^# syntax=docker\/dockerfile:1$/);
  });

  it('Dockerfile: CMD and HEALTHCHECK take the port from MCP_HTTP_PORT, none is hard-coded', () => {
    const docker = read('Dockerfile');
    const cmd = /^CMD (\[.*\])$/m.exec(docker)![1]!;
    const health = /^HEALTHCHECK [^\n]*\\\n\s*CMD (\[.*\])$/m.exec(docker)![1]!;
    for (const line of [cmd, health]) expect(line).not.toMatch(/\b3000\b/);
    expect(JSON.parse(cmd)).not.toContain('--port');
    expect(health).toContain('process.env.MCP_HTTP_PORT');
    expect(docker).toMatch(/^ENV [^]*MCP_HTTP_PORT=3000/m);
  });

  it("the image's CMD listens on MCP_HTTP_PORT and its HEALTHCHECK command passes against it", async () => {
    const docker = read('Dockerfile');
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(docker)![1]!) as string[];
    const health = JSON.parse(/^HEALTHCHECK [^\n]*\\\n\s*CMD (\[.*\])$/m.exec(docker)![1]!) as string[];
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const env = {
      PATH: process.env.PATH ?? '',
      MCP_HTTP_PORT: String(port),
      MCP_HTTP_TOKEN: 'docker-test-token-0123456789',
      POST_EDITOR_DATA_DIR: mkdtempSync(join(tmpdir(), 'pe-docker-')),
    };
    const server = spawn(process.execPath, [join(ROOT, cmd[1]!), ...cmd.slice(2), '--sandbox'], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    try {
      let stderr = '';
      await new Promise<void>((resolve, reject) => {
        server.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString('utf8');
          if (stderr.includes('"msg":"listening"')) resolve();
        });
        server.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
      });
      expect(stderr).toContain(`"url":"http://0.0.0.0:${port}/mcp"`);
      const check = await new Promise<number | null>((resolve) => {
        execFile(
          health[0] === 'node' ? process.execPath : health[0]!,
          health.slice(1),
          { env, timeout: 10_000 },
          (err) => resolve(err ? Number(err.code ?? 1) : 0),
        );
      });
      expect(check).toBe(0);
    } finally {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
  });

  it("the image's command refuses to serve on 0.0.0.0 without MCP_HTTP_TOKEN", async () => {
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(read('Dockerfile'))![1]!) as string[];
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [join(ROOT, cmd[1]!), ...cmd.slice(2), '--sandbox'],
        { env: { PATH: process.env.PATH ?? '' }, timeout: 10_000 },
        (err, _stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stderr }),
      );
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('MCP_HTTP_TOKEN');
  });
});

describe('npm package', () => {
  it('names its repository, homepage and issue tracker (the same repository the manifests use)', () => {
    const meta = JSON.parse(read('package.json')) as {
      repository: { type: string; url: string };
      homepage: string;
      bugs: { url: string };
    };
    const repo = (mcpbManifest() as { repository: { url: string } }).repository.url;
    expect(meta.repository).toEqual({ type: 'git', url: `git+${repo}.git` });
    expect(meta.homepage).toBe(`${repo}#readme`);
    expect(meta.bugs.url).toBe(`${repo}/issues`);
  });

  it('contains only what is needed to run: compiled JavaScript, README, LICENSE, package.json', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const files = (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'LICENSE',
        'dist/index.js',
        'dist/sandbox/server.js',
      ]),
    );
    const unexpected = files.filter(
      (f) => !['package.json', 'README.md', 'LICENSE'].includes(f) && !/^dist\/.+\.js$/.test(f),
    );
    expect(unexpected).toEqual([]);
  });

  it('starts with a shebang so `npx post-editor-mcp` runs it', () => {
    expect(read(pkg.bin['post-editor-mcp']!).startsWith('#!/usr/bin/env node')).toBe(true);
  });
});

describe('configuration from installers', () => {
  it('treats a blank POST_EDITOR_PROVIDERS (an unset installer field) as every configured provider', () => {
    const config = loadConfig(
      { BUTTERCMS_WRITE_TOKEN: 'write-token-123', POST_EDITOR_PROVIDERS: '' },
      {},
      PROVIDERS,
    );
    expect(config.providers.map((p) => p.provider.id)).toEqual(['buttercms']);
  });
});

describe('.mcpb staging: native builds', () => {
  it('keeps the compiled addon and drops what node-gyp leaves beside it', () => {
    const nm = join(mkdtempSync(join(tmpdir(), 'pe-prune-')), 'node_modules');
    const touch = (path: string) => {
      mkdirSync(join(nm, path, '..'), { recursive: true });
      writeFileSync(join(nm, path), 'x');
    };
    touch('native-db/binding.gyp');
    touch('native-db/lib/index.js');
    touch('native-db/build/Makefile');
    touch('native-db/build/config.gypi');
    touch('native-db/build/Release/native_db.node');
    touch('native-db/build/Release/obj.target/native_db/src/db.o');
    touch('native-db/build/Release/sqlite3.a');
    touch('@scope/other/binding.gyp');
    touch('@scope/other/build/Release/other.node');
    touch('@scope/other/build/Release/.deps/x.d');
    touch('plain/build/Makefile'); // no binding.gyp: not a node-gyp build, left alone
    pruneNativeBuilds(nm);
    const left = (path: string) => existsSync(join(nm, path));
    expect(left('native-db/build/Release/native_db.node')).toBe(true);
    expect(left('native-db/lib/index.js')).toBe(true);
    expect(left('native-db/binding.gyp')).toBe(true);
    expect(left('@scope/other/build/Release/other.node')).toBe(true);
    expect(left('plain/build/Makefile')).toBe(true);
    for (const gone of [
      'native-db/build/Makefile',
      'native-db/build/config.gypi',
      'native-db/build/Release/obj.target',
      'native-db/build/Release/sqlite3.a',
      '@scope/other/build/Release/.deps',
    ]) {
      expect(left(gone), gone).toBe(false);
    }
  });
});
