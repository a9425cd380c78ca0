import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Env } from '../core/env.js';

/**
 * Where a .env may live, in order: the working directory (a project's own), then the user's config
 * directory, which is the one desktop clients can use since they do not start us in the project.
 */
export function envFileCandidates(env: Env, cwd = process.cwd()): string[] {
  const configHome =
    env.XDG_CONFIG_HOME?.trim() ||
    (process.platform === 'win32' && env.APPDATA ? env.APPDATA : join(homedir(), '.config'));
  return [resolve(cwd, '.env'), join(configHome, 'post-editor-mcp', '.env')];
}

/** The one .env to read: the first candidate that exists (the working directory's wins), or undefined. */
export function findEnvFile(env: Env, cwd?: string): string | undefined {
  return envFileCandidates(env, cwd).find((path) => existsSync(path));
}
