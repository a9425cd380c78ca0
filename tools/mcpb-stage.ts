import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { mcpbManifest, ROOT as REPO_ROOT } from './packaging.js';

// The .mcpb bundle for Claude Desktop is packed from a staging folder under the OS temp dir, never
// from the working copy: only the compiled server, its production dependencies (installed there,
// so a native module is built for this platform) and the manifest go in. tools/mcpb.ts packs it;
// test/e2e/install.test.ts checks what is staged.

/** The pinned bundler, run through npx (not a dependency: only release builds need it). */
export const MCPB_CLI = '@anthropic-ai/mcpb@2.1.2';

/** Files at the top of the bundle besides dist/ and node_modules/. */
export const TOP_LEVEL_FILES = ['package.json', 'manifest.json', 'README.md', 'LICENSE'];

export interface StagedBundle {
  /** The staging folder (pack this). */
  dir: string;
  /** Every staged file, relative to `dir`, with forward slashes. */
  files: string[];
  /** Native addons (`*.node`) among the production dependencies. */
  nativeModules: string[];
  /** `post-editor-mcp-<version>.mcpb`, or `…-<platform>-<arch>.mcpb` when a native module ties it to one. */
  bundleName: string;
}

interface PackageJson {
  name: string;
  version: string;
  scripts?: Record<string, string>;
  devDependencies?: Record<string, string>;
  [key: string]: unknown;
}

function walk(dir: string, root = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return walk(path, root);
    return [relative(root, path).split(sep).join('/')];
  });
}

/** Copies the runtime files into a fresh temp folder and installs the production dependencies there. */
export function stageBundle(options: { log?: (line: string) => void; root?: string } = {}): StagedBundle {
  const log = options.log ?? (() => undefined);
  // Another checkout (e.g. a branch with a native dependency) can be staged the same way.
  const ROOT = options.root ?? REPO_ROOT;
  if (!existsSync(join(ROOT, 'dist', 'index.js')))
    throw new Error('dist/index.js is missing: run `npm run build`');
  const dir = join(mkdtempSync(join(tmpdir(), 'post-editor-mcpb-')), 'bundle');
  mkdirSync(dir);

  // Compiled JavaScript only: no source maps, declarations, incremental build state or build data
  // (dist/tool-listings.json, which the bundle already carries).
  cpSync(join(ROOT, 'dist'), join(dir, 'dist'), {
    recursive: true,
    filter: (src) => statSync(src).isDirectory() || src.endsWith('.js'),
  });
  for (const name of ['README.md', 'LICENSE']) cpSync(join(ROOT, name), join(dir, name));

  // npm ci needs the lockfile and a package.json that agrees with it (devDependencies included, though
  // --omit=dev skips them); without `scripts`, `prepare` cannot try to build with tools not installed.
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
  const { scripts: _scripts, ...withoutScripts } = pkg;
  writeFileSync(join(dir, 'package.json'), JSON.stringify(withoutScripts, null, 2) + '\n');
  cpSync(join(ROOT, 'package-lock.json'), join(dir, 'package-lock.json'));
  log(`installing production dependencies in ${dir}`);
  execFileSync(
    'npm',
    ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'],
    {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  finishInstall(join(dir, 'node_modules'), join(ROOT, 'node_modules'), dir, log);
  // The lockfiles are install-time files; the shipped package.json lists runtime dependencies only.
  rmSync(join(dir, 'package-lock.json'));
  rmSync(join(dir, 'node_modules', '.package-lock.json'), { force: true });
  const { devDependencies: _dev, ...runtime } = withoutScripts;
  writeFileSync(join(dir, 'package.json'), JSON.stringify(runtime, null, 2) + '\n');

  pruneNativeBuilds(join(dir, 'node_modules'));
  const files = walk(dir);
  const nativeModules = files.filter((f) => f.startsWith('node_modules/') && f.endsWith('.node'));
  const manifest = mcpbManifest() as { compatibility: { platforms: string[] } };
  // A compiled addon runs on the platform it was built for only: say so, and name the bundle after it.
  if (nativeModules.length) manifest.compatibility.platforms = [process.platform];
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  const suffix = nativeModules.length ? `-${process.platform}-${process.arch}` : '';
  return {
    dir,
    files: [...files, 'manifest.json'].sort(),
    nativeModules,
    bundleName: `${pkg.name}-${pkg.version}${suffix}.mcpb`,
  };
}

/**
 * Runs the install scripts an `--ignore-scripts` install skipped, except that a native addon already
 * compiled in `built` (the working copy's node_modules: same package, same version, this platform) is
 * copied instead of compiled again: a source build of better-sqlite3 takes minutes. Anything else with
 * an install script is rebuilt by npm as usual.
 */
export function finishInstall(
  nodeModules: string,
  built: string,
  cwd: string,
  log: (line: string) => void = () => undefined,
): void {
  const rebuild: string[] = [];
  for (const name of packagesIn(nodeModules)) {
    const pkg = join(nodeModules, name);
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as PackageJson & {
      scripts?: Record<string, string>;
    };
    const scripts = manifest.scripts ?? {};
    if (!scripts.preinstall && !scripts.install && !scripts.postinstall) continue;
    const from = join(built, name);
    const fromManifest = existsSync(join(from, 'package.json'))
      ? (JSON.parse(readFileSync(join(from, 'package.json'), 'utf8')) as PackageJson)
      : undefined;
    const release = join(from, 'build', 'Release');
    if (
      existsSync(join(pkg, 'binding.gyp')) &&
      fromManifest?.version === manifest.version &&
      existsSync(release) &&
      readdirSync(release).some((f) => f.endsWith('.node'))
    ) {
      log(`reusing the compiled addon of ${name}@${manifest.version}`);
      mkdirSync(join(pkg, 'build', 'Release'), { recursive: true });
      for (const f of readdirSync(release).filter((f) => f.endsWith('.node')))
        cpSync(join(release, f), join(pkg, 'build', 'Release', f));
    } else rebuild.push(name);
  }
  if (rebuild.length === 0) return;
  log(`running the install scripts of ${rebuild.join(', ')}`);
  execFileSync('npm', ['rebuild', ...rebuild, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Package names (scoped ones as `@scope/name`) directly under a node_modules folder. */
function packagesIn(nodeModules: string): string[] {
  if (!existsSync(nodeModules)) return [];
  return readdirSync(nodeModules, { withFileTypes: true }).flatMap((d) => {
    if (!d.isDirectory() || d.name.startsWith('.')) return [];
    if (!d.name.startsWith('@')) return existsSync(join(nodeModules, d.name, 'package.json')) ? [d.name] : [];
    return readdirSync(join(nodeModules, d.name), { withFileTypes: true })
      .filter((s) => s.isDirectory() && existsSync(join(nodeModules, d.name, s.name, 'package.json')))
      .map((s) => `${d.name}/${s.name}`);
  });
}

/**
 * Deletes what node-gyp leaves next to a compiled addon (object files, makefiles) in every package that
 * has a binding.gyp: a source build of better-sqlite3 leaves ~15 MB of them. The addons themselves
 * (`build/Release/*.node`) and the package's own files stay.
 */
export function pruneNativeBuilds(nodeModules: string): string[] {
  const removed: string[] = [];
  const visit = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      if (!d.isDirectory()) continue;
      const pkg = join(dir, d.name);
      if (d.name.startsWith('@')) visit(pkg);
      else {
        if (existsSync(join(pkg, 'binding.gyp')) && existsSync(join(pkg, 'build'))) {
          for (const entry of readdirSync(join(pkg, 'build'), { withFileTypes: true })) {
            if (entry.name === 'Release' && entry.isDirectory()) continue;
            removed.push(join(pkg, 'build', entry.name));
          }
          const release = join(pkg, 'build', 'Release');
          for (const entry of existsSync(release) ? readdirSync(release, { withFileTypes: true }) : []) {
            if (!(entry.isFile() && entry.name.endsWith('.node'))) removed.push(join(release, entry.name));
          }
        }
        visit(join(pkg, 'node_modules'));
      }
    }
  };
  visit(nodeModules);
  for (const path of removed) rmSync(path, { recursive: true, force: true });
  return removed;
}

/** Runs the pinned mcpb CLI (validate, pack…) and returns its output. */
export function runMcpb(args: string[], cwd: string): string {
  return execFileSync('npx', ['-y', MCPB_CLI, ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
