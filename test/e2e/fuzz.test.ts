import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { loadConfig } from '../../src/config.js';
import { isQuietNull } from '../../src/core/tool.js';
import { PROVIDERS } from '../../src/providers/index.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { createApp, type App } from '../../src/server.js';
import {
  baseEnv,
  callOk,
  connectStdio,
  resultJson,
  startTestSandbox,
  toolError,
  type StdioServer,
} from '../helpers/harness.js';
import { violates, type Schema } from '../helpers/json-schema.js';

// Property-based fuzzing of every tool in tools/list (issue 5): hostile arguments never crash the
// server, never reach a provider, and always come back as invalid_input naming the field.
// The bulk runs in-process through app.registry.call (the exact path the MCP handler takes), the rest
// through a real stdio client. FUZZ_RUNS raises the total; FUZZ_SEED replays another sequence.

const TOTAL_RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const STDIO_RUNS = Math.min(300, Math.floor(TOTAL_RUNS / 10));
const SEED = Number(process.env.FUZZ_SEED ?? 424242);

let sandbox: Sandbox;
let app: App;
let server: StdioServer;
let tools: Tool[];
let examples: Map<string, Record<string, unknown>>;
const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();

beforeAll(async () => {
  sandbox = await startTestSandbox();
  const dataDir = mkdtempSync(join(tmpdir(), 'pe-fuzz-'));
  app = await createApp(
    loadConfig({ ...sandbox.env, LOG_LEVEL: 'silent', POST_EDITOR_DATA_DIR: dataDir }, {}, PROVIDERS),
  );
  tools = app.registry.listing;
  examples = new Map(tools.map((t) => [t.name, app.registry.get(t.name)!.example]));
  server = await connectStdio(baseEnv({ ...sandbox.env, LOG_LEVEL: 'silent' }));
});
afterAll(async () => {
  await server?.close();
  await app?.close();
  await sandbox?.close();
});

const requestsSeen = () => sandbox.emulators.reduce((n, e) => n + e.requests.length, 0);

// ---- hostile values -------------------------------------------------------------------------

const TRAVERSAL = [
  '../',
  '../../etc/passwd',
  '..',
  '.',
  'a/../b',
  '%2e%2e%2f',
  'a%2Fb',
  '..%2F..%2Fadmin',
  'a?b=1',
  'a#frag',
  'a\\b',
  '//evil.example/x',
  'http://evil.example/',
  'posts/1?auth_token=x',
  '%00',
  'a\u0000b',
  ' ',
  '',
];
const PROTO_WORDS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '__defineGetter__',
];
const NAN_LIKE = [
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-0',
  '0x1F',
  '1_000',
  ' 12',
  '١٢',
  'null',
  'true',
  '[]',
  '{}',
];
const UNICODE_TRAPS = [
  '\u202Eevil',
  'zero\u200Bwidth',
  '\uD800',
  '\uDFFF',
  '🚀'.repeat(60),
  'e\u0301'.repeat(150),
  '\uFEFF',
];

const nest = (kind: 'array' | 'object', depth: number): unknown => {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { a: v };
  return v;
};

const hostileString = fc.oneof(
  fc.constantFrom(...TRAVERSAL, ...PROTO_WORDS, ...NAN_LIKE, ...UNICODE_TRAPS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(1_001, 10_001, 100_001, 1_000_001).map((n) => 'x'.repeat(n)),
);
const keyArb = fc.oneof(
  fc.constantFrom(...PROTO_WORDS, 'isAdmin', 'scheduled'),
  fc.string({ maxLength: 12 }),
);
const pollutedObject = fc
  .constant(null)
  .map(
    () =>
      JSON.parse(
        '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}',
      ) as unknown,
  );
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 2 ** 53, 1e308, -1),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.integer()), { maxLength: 60 }),
  fc.dictionary(keyArb, fc.string({ maxLength: 5 }), { maxKeys: 4 }),
  fc
    .tuple(fc.constantFrom<'array' | 'object'>('array', 'object'), fc.integer({ min: 20, max: 3000 }))
    .map(([kind, depth]) => nest(kind, depth)),
  pollutedObject,
);

/** A value for one property: anything hostile, or a string just over its length limit. */
function badValueFor(schema: Schema): fc.Arbitrary<unknown> {
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : undefined;
  return max === undefined ? anyValue : fc.oneof(anyValue, fc.constant('é'.repeat(max + 1)));
}

/** Sets a key as an own property, even "__proto__" (as JSON.parse would). */
function withKey(base: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy = { ...base };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

interface Case {
  tool: string;
  args: unknown;
  /** The field the error must name (or start with). */
  field: string;
}

function casesFor(tool: Tool): fc.Arbitrary<Case> {
  const schema = tool.inputSchema as Schema;
  const props = Object.keys((schema.properties ?? {}) as Record<string, Schema>);
  const required = (schema.required ?? []) as string[];
  const example = examples.get(tool.name)!;
  const kinds: fc.Arbitrary<Case>[] = [
    fc
      .tuple(
        keyArb.filter((k) => !props.includes(k)),
        anyValue,
      )
      .map(([key, value]) => ({
        tool: tool.name,
        args: withKey(example, key, value),
        field: key,
      })),
    fc.oneof(hostileString, fc.integer(), fc.boolean(), fc.array(anyValue, { maxLength: 3 })).map((args) => ({
      tool: tool.name,
      args,
      field: 'arguments',
    })),
    pollutedObject.map((polluted) => ({
      tool: tool.name,
      args: withKey(example, '__proto__', (polluted as Record<string, unknown>)['__proto__']),
      field: '__proto__',
    })),
  ];
  if (props.length > 0) {
    kinds.push(
      fc.constantFrom(...props).chain((p) =>
        badValueFor((schema.properties as Record<string, Schema>)[p]!).map((value) => ({
          tool: tool.name,
          args: withKey(example, p, value),
          field: p,
        })),
      ),
    );
  }
  if (required.length > 0) {
    kinds.push(
      fc.constantFrom(...required).map((p) => {
        const { [p]: _dropped, ...rest } = example;
        return { tool: tool.name, args: rest, field: p };
      }),
    );
  }
  return fc.oneof(...kinds);
}

const anyCase = () => fc.constantFrom(...tools).chain(casesFor);

// House rule, whatever a tool's schema says: an id never carries what could leave its URL segment.
// eslint-disable-next-line no-control-regex -- control characters are part of what is unsafe
const UNSAFE_ID = /[/?#%\\\u0000-\u001f]|^\.{1,2}$|^$/;

/** Whether the server must refuse these arguments (top-level null/absent means "no arguments"). */
function mustRefuse(c: Case): boolean {
  if (c.args === null || c.args === undefined) return false;
  if (quietNullCleared(c)) return false;
  if (c.field === 'id' && typeof c.args === 'object') {
    const id = (c.args as Record<string, unknown>).id;
    if (typeof id === 'string' && UNSAFE_ID.test(id)) return true;
  }
  return violates(toolSchema(c.tool), c.args);
}
// An update field whose null is accepted but not advertised (ADR 0165): null clears it, as "" or [] does.
function quietNullCleared(c: Case): boolean {
  const args = c.args as Record<string, unknown>;
  if (typeof args !== 'object' || !Object.hasOwn(args, c.field) || args[c.field] !== null) return false;
  const provider = PROVIDERS.find((p) => c.tool === `${p.id}_update_post`);
  const shape = provider?.updateInput.shape ?? {};
  return Object.hasOwn(shape, c.field) && isQuietNull(shape[c.field] as z.ZodType);
}
const toolSchema = (name: string) => tools.find((t) => t.name === name)!.inputSchema as Schema;

function checkRefusal(c: Case, result: CallToolResult, requestsBefore: number): void {
  expect(result.isError, `${c.tool} accepted ${preview(c.args)}`).toBe(true);
  const error = resultJson(result).error as { code: string; field?: string; message: string };
  expect(error.code, `${c.tool} ${preview(c.args)}: ${error.message}`).toBe('invalid_input');
  const field = error.field ?? '';
  const named = field === c.field || field.startsWith(`${c.field}.`) || field.startsWith(`${c.field}[`);
  expect(named, `${c.tool}: expected the error to name ${c.field}, got ${JSON.stringify(error)}`).toBe(true);
  expect(error.message).toContain(c.field);
  expect(requestsSeen() - requestsBefore, `${c.tool} ${preview(c.args)} reached a provider`).toBe(0);
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

const ctx = () => ({ signal: new AbortController().signal, progress: async () => undefined });

describe('fuzzing every tool with hostile arguments', () => {
  it('has a valid example for every tool (the base the fuzzer mutates)', () => {
    expect(tools.length).toBeGreaterThan(0);
    for (const tool of tools)
      expect(violates(tool.inputSchema as Schema, examples.get(tool.name)), tool.name).toBe(false);
  });

  it(`refuses ${TOTAL_RUNS - STDIO_RUNS} hostile calls in-process with invalid_input naming the field, sending nothing`, async () => {
    sandbox.emulators.forEach((e) => e.reset());
    await fc.assert(
      fc.asyncProperty(anyCase(), async (c) => {
        fc.pre(mustRefuse(c));
        const before = requestsSeen();
        checkRefusal(c, await app.registry.call(c.tool, c.args, ctx()), before);
      }),
      { numRuns: TOTAL_RUNS - STDIO_RUNS, seed: SEED, maxSkipsPerRun: 1000 },
    );
  }, 180_000);

  it(`refuses ${STDIO_RUNS} hostile calls through a real stdio client the same way`, async () => {
    sandbox.emulators.forEach((e) => e.reset());
    await fc.assert(
      fc.asyncProperty(anyCase(), async (c) => {
        // What actually travels: JSON (NaN becomes null, "__proto__" stays an own key).
        const wire = { ...c, args: JSON.parse(JSON.stringify(c.args) ?? 'null') as unknown };
        fc.pre(mustRefuse(wire));
        const before = requestsSeen();
        const result = await server.client.callTool({
          name: wire.tool,
          arguments: wire.args as Record<string, unknown>,
        });
        checkRefusal(wire, result as CallToolResult, before);
      }),
      { numRuns: STDIO_RUNS, seed: SEED + 1, maxSkipsPerRun: 1000 },
    );
    // Still serving after all that.
    const client: Client = server.client;
    expect((await client.listTools()).tools.length).toBe(tools.length);
  }, 120_000);
});

describe('double-encoded and prototype-polluting arguments over the wire', () => {
  const call = (name: string, args: unknown) =>
    server.client.callTool({ name, arguments: args as Record<string, unknown> });

  it('accepts the whole argument object sent as a JSON string', async () => {
    sandbox.emulators.forEach((e) => e.reset());
    const firstGet = tools.find((t) => t.name.endsWith('_get_post'))!;
    const result = (await call(firstGet.name, JSON.stringify(examples.get(firstGet.name)))) as CallToolResult;
    // The example id may not exist in every emulator; what matters is that it was understood.
    if (result.isError) expect(toolError(result).code).not.toBe('invalid_input');
    else expect(result.structuredContent).toHaveProperty('version');
  });

  it('decodes an object or array field sent as a JSON string, and leaves string fields alone', async () => {
    if (!tools.some((t) => t.name === 'buttercms_update_post')) return;
    sandbox.emulators.forEach((e) => e.reset());
    const post = await callOk(server.client, 'buttercms_get_post', { id: 'cold-brew-at-home' });
    const preview = await callOk(server.client, 'buttercms_update_post', {
      id: 'cold-brew-at-home',
      tags: '["cold brew", "summer"]',
      author: '{"slug": "maya-lindqvist"}',
      title: '{"not": "decoded"}',
      expected_version: post.version,
      dry_run: true,
    });
    const diff = preview.diff as Record<string, { after: unknown }>;
    expect(diff.tags?.after).toEqual(['cold brew', 'summer']);
    expect(diff.author?.after).toEqual({ slug: 'maya-lindqvist' });
    expect(diff.title?.after).toBe('{"not": "decoded"}');
  });

  it('refuses a JSON string that decodes to the wrong shape, naming the field', async () => {
    const update = tools.find((t) => t.name.endsWith('_update_post'));
    if (!update) return;
    const schema = update.inputSchema as { properties: Record<string, Schema> };
    const arrayField = Object.entries(schema.properties).find(([, s]) => s.type === 'array')?.[0];
    if (!arrayField) return;
    const err = toolError(
      await call(update.name, { ...examples.get(update.name), [arrayField]: '{"a": 1}' }),
    );
    expect(err).toMatchObject({ code: 'invalid_input', field: arrayField });
  });

  it('refuses a "__proto__" key as an unknown field and pollutes nothing', async () => {
    sandbox.emulators.forEach((e) => e.reset());
    for (const tool of tools) {
      const args = JSON.parse(
        `{"__proto__": {"polluted": "yes", "id": "../admin"}, ${JSON.stringify(examples.get(tool.name)).slice(1)}`,
      ) as Record<string, unknown>;
      const err = toolError(await call(tool.name, args));
      expect(err).toMatchObject({ code: 'invalid_input', field: '__proto__' });
    }
    expect(requestsSeen()).toBe(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
