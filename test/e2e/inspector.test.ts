import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseEnv, SERVER_ENTRY } from '../helpers/harness.js';

// A newcomer's first contact: the official MCP Inspector CLI (a Node 20 compatible release) spawning
// the built server over stdio against its embedded sandbox.
const INSPECTOR = join(
  import.meta.dirname,
  '../../node_modules/@modelcontextprotocol/inspector-cli/build/cli.js',
);

function inspector(
  ...args: string[]
): Promise<{ code: number; json: Record<string, unknown>; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [INSPECTOR, '--cli', process.execPath, SERVER_ENTRY, '--sandbox', ...args],
      // The Inspector resolves commands through PATH.
      { env: { ...baseEnv(), PATH: process.env.PATH ?? '' }, timeout: 20_000 },
      (err, stdout, stderr) => {
        try {
          resolve({
            code: err ? Number(err.code) : 0,
            json: JSON.parse(stdout) as Record<string, unknown>,
            stderr,
          });
        } catch {
          reject(new Error(`inspector printed no JSON (exit ${err?.code}):\n${stdout}\n${stderr}`));
        }
      },
    );
  });
}

describe('MCP Inspector CLI over stdio', () => {
  it('lists the tools with their schemas and annotations', async () => {
    const { code, json } = await inspector('--method', 'tools/list');
    expect(code).toBe(0);
    const tools = json.tools as {
      name: string;
      inputSchema: { type: string };
      annotations: { readOnlyHint: boolean };
    }[];
    const get = tools.find((t) => t.name === 'buttercms_get_post');
    expect(get?.inputSchema.type).toBe('object');
    expect(get?.annotations.readOnlyHint).toBe(true);
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['post_history', 'revert_post']));
  });

  it('calls get_post and gets the normalized post as structured content', async () => {
    const { code, json } = await inspector(
      '--method',
      'tools/call',
      '--tool-name',
      'buttercms_get_post',
      '--tool-arg',
      'id=cold-brew-at-home',
    );
    expect(code).toBe(0);
    expect(json.isError).not.toBe(true);
    expect(json.structuredContent).toMatchObject({
      provider: 'buttercms',
      id: 'cold-brew-at-home',
      title: 'Cold Brew at Home: A 12-Hour Recipe',
    });
  });

  it('shows a bad argument as our invalid_input error naming the field', async () => {
    const { json } = await inspector(
      '--method',
      'tools/call',
      '--tool-name',
      'buttercms_get_post',
      '--tool-arg',
      'id=not a slug!',
    );
    expect(json.isError).toBe(true);
    const [content] = json.content as { text: string }[];
    expect(JSON.parse(content!.text)).toMatchObject({ error: { code: 'invalid_input', field: 'id' } });
  });
});
