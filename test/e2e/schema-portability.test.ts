import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, connectStdio, type StdioServer } from '../helpers/harness.js';
import { lintToolSchemas } from '../helpers/schema-lint.js';

// MCP Inspector's --strict mode reported 113 portability findings on our tools/list (issue 15), mostly
// ["string","null"] type arrays in output schemas. The Inspector that has --strict needs Node 22, so
// its rules are re-implemented in test/helpers/schema-lint.ts and run on the served list.
let server: StdioServer;

beforeAll(async () => {
  server = await connectStdio(baseEnv(), ['--sandbox']);
});
afterAll(() => server?.close());

describe('tool schemas MCP Inspector --strict accepts', () => {
  it('has no strict finding (error or warning) in any input or output schema', async () => {
    const { tools } = await server.client.listTools();
    expect(tools.length).toBeGreaterThanOrEqual(20);
    const findings = tools.flatMap((tool) => lintToolSchemas(tool));
    expect(findings).toEqual([]);
  });

  it('still describes nullable fields as nullable (anyOf with a null branch)', async () => {
    const { tools } = await server.client.listTools();
    const get = tools.find((t) => t.name === 'buttercms_get_post')!;
    const title = (get.outputSchema?.properties as Record<string, { anyOf?: { type: string }[] }>).title;
    expect(title?.anyOf?.map((b) => b.type)).toEqual(['string', 'null']);
  });

  it('flags what the Inspector flags (the check itself can fail)', () => {
    const findings = lintToolSchemas({
      name: 'bad',
      inputSchema: { type: 'object', properties: { a: true, b: { type: ['string', 'null'] }, c: {} } },
      outputSchema: { type: 'object', properties: { d: { $ref: 'https://example.com/x.json' } } },
    });
    expect(findings.map((f) => `${f.schema} ${f.path} ${f.rule} ${f.severity}`)).toEqual([
      'inputSchema properties.a boolean-schema error',
      'inputSchema properties.b type-union warning',
      'inputSchema properties.c untyped-schema warning',
      'outputSchema properties.d remote-ref warning',
    ]);
  });
});
