import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseEnv, SERVER_ENTRY } from '../helpers/harness.js';

// `npm start`'s banner: the URL, a client entry, and an MCP Inspector command that runs on the Node
// the README asks for. On Node 20, a bare `npx @modelcontextprotocol/inspector` resolves to 0.15 (the
// last release whose engines accept Node 20), which has no --server-url and crashes on it; the
// banner pins a release and lets npx fetch Node 22 for it.
const INSPECTOR =
  /npx -y -p node@22 -p @modelcontextprotocol\/inspector@\d+\.\d+\.\d+ mcp-inspector --transport http --server-url (\S+)/;

function banner(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVER_ENTRY, '--sandbox', '--http', '--port', '0'], {
      env: baseEnv(),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`no banner:\n${stderr}`));
    }, 15_000);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      if (stderr.includes('Press Ctrl+C to stop.')) {
        clearTimeout(timer);
        child.once('exit', () => resolve(stderr));
        child.kill('SIGTERM');
      }
    });
  });
}

describe('sandbox start banner', () => {
  it('prints the URL, a client entry and a pinned Inspector command for that URL', async () => {
    const text = await banner();
    const url = /\n {2}(http:\/\/127\.0\.0\.1:\d+\/mcp)\n/.exec(text)?.[1];
    expect(url).toBeDefined();
    expect(text).toContain(`"url": "${url}"`);
    expect(INSPECTOR.exec(text)?.[1]).toBe(url);
    expect(text).not.toMatch(/npx @modelcontextprotocol\/inspector --transport/);
  });

  it('matches the command the README tells newcomers to run', async () => {
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    const shown = INSPECTOR.exec(readme);
    expect(shown?.[1]).toBe('http://127.0.0.1:3000/mcp');
    const printed = INSPECTOR.exec(await banner())!;
    expect(shown![0].replace(shown![1]!, 'URL')).toBe(printed[0].replace(printed[1]!, 'URL'));
  });
});
