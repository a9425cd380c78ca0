import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../src/providers/index.js';
import { baseEnv } from '../helpers/harness.js';

// The README as a newcomer uses it: the quick start's three commands, and every client snippet run
// as written from a clone (only the path placeholder and VS Code's prompted inputs filled in).
const ROOT = join(import.meta.dirname, '../..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const PLACEHOLDER = '/path/to/post-editor-mcp';

const section = (heading: string) => {
  const start = readme.indexOf(`\n## ${heading}\n`);
  expect(start, `README section "${heading}"`).toBeGreaterThan(-1);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
};
const blocks = (text: string, lang: string) =>
  [...text.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)\\n```', 'g'))].map((m) => m[1]!);

interface StdioEntry {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** Starts a client entry the way an MCP client does (its command, args, env) and lists the tools. */
async function listTools(entry: StdioEntry): Promise<string[]> {
  const client = new Client({ name: 'readme-snippet', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: entry.command,
      args: entry.args.map((a) => a.replace(PLACEHOLDER, ROOT)),
      env: { ...baseEnv(), ...entry.env },
      stderr: 'ignore',
    }),
  );
  try {
    return (await client.listTools()).tools.map((t) => t.name);
  } finally {
    await client.close();
  }
}

describe('README quick start', () => {
  it('is npm install, npm start, npm test, in that order', () => {
    const [first] = blocks(section('Quick start'), 'sh');
    const commands = first!.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim());
    expect(commands).toEqual(['npm install', 'npm start', 'npm test']);
  });

  it('npm start is the sandbox over HTTP', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.start).toBe('node dist/index.js --sandbox --http');
  });
});

describe('README client snippets, run as written from a clone', () => {
  const clients = readme.slice(
    readme.indexOf('<!-- clients:start -->'),
    readme.indexOf('<!-- clients:end -->'),
  );
  const jsonEntries = blocks(clients, 'json').flatMap((text) => {
    const config = JSON.parse(text) as {
      mcpServers?: Record<string, StdioEntry>;
      servers?: Record<string, StdioEntry>;
    };
    return Object.entries({ ...config.mcpServers, ...config.servers });
  });

  it('use the clone’s dist/index.js, not the unpublished npx package', () => {
    expect(jsonEntries.length).toBeGreaterThanOrEqual(2);
    for (const [, entry] of jsonEntries) {
      expect(entry.command).toBe('node');
      expect(entry.args[0]).toBe(`${PLACEHOLDER}/dist/index.js`);
    }
    // The npx form is only mentioned as the published one.
    for (const line of readme.split('\n').filter((l) => l.includes('npx -y post-editor-mcp'))) {
      expect(line).toMatch(/published/);
    }
  });

  it.each(jsonEntries.map(([name, entry]) => [name, entry] as const))(
    '%s starts and lists its tools',
    async (_name, entry) => {
      // VS Code fills ${input:…} from its prompt; anything non-empty stands in for the secret here.
      const env = Object.fromEntries(
        Object.entries(entry.env ?? {}).map(([k, v]) => [
          k,
          v.replace(/\$\{input:[^}]+\}/, 'prompted-secret'),
        ]),
      );
      const tools = await listTools({ ...entry, env });
      expect(tools).toEqual(expect.arrayContaining(['buttercms_get_post', 'buttercms_update_post']));
      expect(tools).toEqual(expect.arrayContaining(['post_history', 'revert_post']));
    },
  );

  it('the sandbox variant serves all five providers', async () => {
    const match = /`"args": (\[[^`]*"--sandbox"\])`/.exec(clients);
    expect(match).not.toBeNull();
    const tools = await listTools({ command: 'node', args: JSON.parse(match![1]!) as string[] });
    for (const p of PROVIDERS) expect(tools).toContain(`${p.id}_get_post`);
  });

  it('Claude Code: the command after `--` starts with the -e variables', async () => {
    const lines = clients.split('\n').filter((l) => /claude mcp add (?!--transport)/.test(l));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) {
      const text = line.replace(/^.*?`?(claude mcp add)/, '$1').replace(/`.*$/, '');
      const [options, command] = text.split(' -- ');
      const env = Object.fromEntries([...options!.matchAll(/-e (\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
      const [bin, ...args] = command!.trim().split(/\s+/);
      expect(bin).toBe('node');
      const tools = await listTools({ command: bin!, args, env });
      expect(tools).toContain('post_history');
      if (args.includes('--sandbox')) expect(tools).toContain('rebelmouse_get_post');
      else expect(tools).toContain('buttercms_update_post');
    }
  });
});

describe('README configuration', () => {
  it('names every variable the server reads', () => {
    const sources = [
      'src/config.ts',
      'src/index.ts',
      ...PROVIDERS.map((p) => `src/providers/${p.id}/index.ts`),
    ].map((f) => readFileSync(join(ROOT, f), 'utf8'));
    const names = new Set(
      sources.flatMap((s) =>
        [...s.matchAll(/\b((?:MCP|POST_EDITOR)_[A-Z_]+|LOG_LEVEL)\b/g)].map((m) => m[1]!),
      ),
    );
    for (const p of PROVIDERS) for (const v of p.env) names.add(v.name);
    const config = section('Configuration');
    const missing = [...names].filter((n) => !config.includes(`\`${n}\``));
    expect(missing).toEqual([]);
  });
});
