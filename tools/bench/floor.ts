// The floor relay (../shared/bench/README.md): the least any Node MCP hop can do per tools/call —
// parse the JSON-RPC request, make the same upstream GET through a keep-alive undici pool, parse the
// JSON, answer {content, structuredContent}. No protocol, no validation: a yardstick, never shipped.
// Usage: node floor.js <upstream base URL> <api key> [--http PORT]
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { Agent, request } from 'undici';

const [base = '', key = '', flag, port] = process.argv.slice(2);
const pool = new Agent({ keepAliveTimeout: 30_000, connections: 64 });
const TOOLS = [
  { name: 'get_post', inputSchema: { type: 'object', properties: { post_id: { type: 'number' } } } },
];

async function answer(message: {
  id?: unknown;
  method?: string;
  params?: { arguments?: { post_id?: number } };
}) {
  if (message.method === 'initialize')
    return {
      protocolVersion: '2025-06-18',
      capabilities: { tools: {} },
      serverInfo: { name: 'floor', version: '0' },
    };
  if (message.method === 'tools/list') return { tools: TOOLS };
  const res = await request(`${base}/posts/${message.params?.arguments?.post_id}`, {
    headers: { 'x-APIKey': key },
    dispatcher: pool,
  });
  const post = (await res.body.json()) as Record<string, unknown>;
  return { content: [{ type: 'text', text: JSON.stringify(post) }], structuredContent: post };
}

const reply = async (text: string) => {
  const message = JSON.parse(text) as { id?: unknown; method?: string };
  if (message.id === undefined) return undefined; // a notification
  return JSON.stringify({ jsonrpc: '2.0', id: message.id, result: await answer(message) });
};

if (flag === '--http') {
  createServer((req, res) => {
    let body = '';
    req
      .on('data', (c: Buffer) => (body += c.toString()))
      .on(
        'end',
        () =>
          void reply(body).then((out) => {
            res.writeHead(out ? 200 : 202, { 'content-type': 'application/json' }).end(out);
          }),
      );
  }).listen(Number(port), '127.0.0.1', () => process.stderr.write('listening\n'));
} else {
  createInterface({ input: process.stdin }).on(
    'line',
    (line) => void reply(line).then((out) => out && process.stdout.write(out + '\n')),
  );
}
