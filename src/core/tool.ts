import { z } from 'zod';
import { AskPending, type PersonAsker } from './ask.js';
import { ToolError } from './errors.js';
import type { Logger } from './log.js';
import { recordToolCall, recordUpstream } from './metrics.js';
import type { Redactor } from './redact.js';
import type { Actor } from '../store/types.js';
import { invalidInputFromIssues } from './validation.js';
import { MAX_ARGUMENT_DEPTH, pathDeeperThan } from './depth.js';
import { portableSchema } from './portable-schema.js';
import { PREBUILT_LISTINGS } from './listings-data.js';

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** A tools/list entry as the protocol carries it (the SDK stays in src/mcp, ADR 0110). */
export interface Tool {
  name: string;
  title: string;
  description: string;
  inputSchema: { type: 'object'; [key: string]: unknown };
  outputSchema: { type: 'object'; [key: string]: unknown };
  annotations: ToolAnnotations & { title: string };
}

/** A tools/call result as the protocol carries it. */
export interface CallToolResult {
  [key: string]: unknown;
  content: { type: 'text'; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: true;
}

/** What a handler gets besides its arguments. */
export interface ToolContext {
  signal: AbortSignal;
  /** Told each upstream HTTP status and its latency; set by the registry for the call's log line and metrics. */
  onUpstreamStatus?: (status: number, seconds?: number) => void;
  /** Sends an MCP progress notification when the client asked for them; a no-op otherwise. */
  progress(progress: number, total?: number, message?: string): Promise<void>;
  /** Present only when the client can ask the person (elicitation) during this call. */
  ask?: PersonAsker;
  /** Who asked (set by the transport); journaled with every write, null when unknown. */
  actor?: Actor;
}

export interface ToolSpec<I extends z.ZodObject, O extends z.ZodType> {
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  annotations: ToolAnnotations;
  /** A valid argument object: quoted in invalid_input errors and in the generated docs. */
  example: z.input<I>;
  /** Fields refused before validation, each with the reason the agent needs (e.g. a field the API ignores). */
  refusedFields?: Record<string, string>;
  /** Provider name for logs (tools that are not a provider's leave it out). */
  provider?: string;
  /**
   * What this tool's tools/list entry depends on besides its name (e.g. whether expected_version is
   * required), so that its entry prebuilt at bundle time is found under `name#variant` (ADR 0160).
   */
  listingVariant?: string;
  handler(args: z.output<I>, ctx: ToolContext): Promise<z.output<O>>;
}

/** A tool with its types erased at the boundary: arguments are parsed inside `call`. */
export interface DefinedTool {
  readonly name: string;
  readonly provider: string | undefined;
  readonly annotations: ToolAnnotations;
  readonly example: Record<string, unknown>;
  /** The tools/list entry: prebuilt at bundle time, else built from the schemas on first use. */
  readonly listing: Tool;
  /** Where its prebuilt entry is filed: `name`, or `name#variant` when the entry depends on configuration. */
  readonly listingKey: string;
  call(rawArgs: unknown, ctx: ToolContext): Promise<unknown>;
}

const TOOL_NAME = /^[a-z0-9_]{1,64}$/;

/** Declares a tool: schemas are turned into JSON Schema once (or at bundle time), not per call. */
export function defineTool<I extends z.ZodObject, O extends z.ZodType>(spec: ToolSpec<I, O>): DefinedTool {
  if (!TOOL_NAME.test(spec.name)) throw new Error(`Tool name ${spec.name} does not match ${TOOL_NAME}`);
  const example = spec.example as Record<string, unknown>;
  const listingKey = spec.listingVariant === undefined ? spec.name : `${spec.name}#${spec.listingVariant}`;
  // z.toJSONSchema over every tool was the largest part of the cold start: the bundle carries the
  // entries computed at build time from these same schemas (ADR 0160).
  const prebuilt = Object.hasOwn(PREBUILT_LISTINGS, listingKey) ? PREBUILT_LISTINGS[listingKey] : undefined;
  let listing: Tool | undefined;
  return {
    name: spec.name,
    provider: spec.provider,
    annotations: spec.annotations,
    example,
    listingKey,
    get listing() {
      return (listing ??= prebuilt === undefined ? listingOf(spec) : (JSON.parse(prebuilt) as Tool));
    },
    async call(rawArgs, ctx) {
      const args = parseArguments(spec, rawArgs, example);
      return spec.handler(args, ctx);
    },
  };
}

function parseArguments<I extends z.ZodObject, O extends z.ZodType>(
  spec: ToolSpec<I, O>,
  rawArgs: unknown,
  example: Record<string, unknown>,
): z.output<I> {
  const args = decodeArguments(rawArgs);
  refuseDeepNesting(args);
  for (const [field, reason] of Object.entries(spec.refusedFields ?? {})) {
    if (Object.hasOwn(args, field)) throw new ToolError('invalid_input', `${field}: ${reason}`, { field });
  }
  const parsed = spec.input.safeParse(args);
  if (parsed.success) return parsed.data;
  // Some clients send an object/array field as a string holding its JSON: decode it where the
  // schema wanted an object or array there (never where a string is allowed) and validate once more.
  const decoded = decodeStringFields(args, parsed.error.issues);
  if (decoded) {
    refuseDeepNesting(decoded);
    const retried = spec.input.safeParse(decoded);
    if (retried.success) return retried.data;
    throw invalidInputFromIssues(retried.error.issues, example);
  }
  throw invalidInputFromIssues(parsed.error.issues, example);
}

/** invalid_input naming the field when an argument nests deeper than MAX_ARGUMENT_DEPTH objects/arrays. */
function refuseDeepNesting(args: Record<string, unknown>): void {
  // +1: the arguments object itself is the first level.
  const path = pathDeeperThan(args, MAX_ARGUMENT_DEPTH + 1);
  if (!path) return;
  const field = String(path[0]);
  const shown = path.slice(0, 4).join('.') + (path.length > 4 ? '.…' : '');
  throw new ToolError(
    'invalid_input',
    `${field}: nests deeper than ${MAX_ARGUMENT_DEPTH} levels of objects/arrays (at ${shown}); flatten it. Example: ${field}: {"key": "value"}`,
    { field },
  );
}

/** Accepts an argument object, or (unambiguously) a string holding one: some clients double-encode. */
function decodeArguments(rawArgs: unknown): Record<string, unknown> {
  if (rawArgs === undefined || rawArgs === null) return {};
  let args: unknown = rawArgs;
  if (typeof args === 'string') {
    try {
      args = JSON.parse(args) as unknown;
    } catch {
      // not JSON: refused below
    }
  }
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    throw new ToolError('invalid_input', 'arguments: must be a JSON object', { field: 'arguments' });
  }
  // Arguments come from JSON: anything but a plain object (e.g. one whose prototype was set through a
  // "__proto__" key) is refused rather than read through its prototype chain.
  const proto: unknown = Object.getPrototypeOf(args);
  if (proto !== Object.prototype && proto !== null) {
    throw new ToolError('invalid_input', '__proto__: unknown field "__proto__"; remove it', {
      field: '__proto__',
    });
  }
  return args as Record<string, unknown>;
}

type Issue = z.core.$ZodIssue;

/** A copy of args with each JSON string that sits where an object/array was expected decoded, or undefined. */
function decodeStringFields(
  args: Record<string, unknown>,
  issues: readonly Issue[],
): Record<string, unknown> | undefined {
  let copy: Record<string, unknown> | undefined;
  for (const issue of issues) {
    const [key, ...rest] = issue.path;
    // Top-level fields only: nested double encoding is not something clients do.
    if (typeof key !== 'string' || rest.length > 0 || !Object.hasOwn(args, key)) continue;
    const wanted = expectedContainer(issue);
    const value = args[key];
    if (!wanted || typeof value !== 'string') continue;
    const inner = parseJsonContainer(value);
    if (inner === undefined || (wanted === 'array') !== Array.isArray(inner)) continue;
    copy ??= { ...args };
    copy[key] = inner;
  }
  return copy;
}

/** 'object' or 'array' when the issue says only a container fits here (a plain type or a union of them). */
function expectedContainer(issue: Issue): 'object' | 'array' | undefined {
  if (issue.code === 'invalid_type') {
    if (issue.expected === 'object' || issue.expected === 'record') return 'object';
    if (issue.expected === 'array' || issue.expected === 'tuple') return 'array';
    return undefined;
  }
  if (issue.code === 'invalid_union') {
    const kinds = new Set(
      issue.errors.map((branch) => (branch[0] ? expectedContainer(branch[0]) : undefined)),
    );
    const [only] = kinds;
    return kinds.size === 1 ? only : undefined;
  }
  return undefined;
}

function parseJsonContainer(text: string): object | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

function listingOf<I extends z.ZodObject, O extends z.ZodType>(spec: ToolSpec<I, O>): Tool {
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    inputSchema: jsonSchemaOf(spec.input, 'input') as Tool['inputSchema'],
    outputSchema: jsonSchemaOf(spec.output, 'output') as Tool['outputSchema'],
    annotations: { title: spec.title, ...spec.annotations },
  };
}

function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return portableSchema(io === 'output' ? compactOutput(json) : compactInput(json)) as Record<
    string,
    unknown
  >;
}

const QUIET_NULL = 'x-quiet-null';

/**
 * A nullable input field whose null is accepted but not advertised (ADR 0165): its input JSON Schema
 * shows only the other type. For fields that an empty value ("" or []) clears as well, so a client
 * that validates arguments against the schema can still clear them; the tool description says how.
 */
export function quietNull<T extends z.ZodType>(schema: T): z.ZodNullable<T> {
  return schema.nullable().meta({ [QUIET_NULL]: true });
}

/** Whether an (optional) input field was made with quietNull: it takes a null its JSON Schema does not show. */
export function isQuietNull(schema: z.ZodType): boolean {
  const inner = schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
  return inner.meta()?.[QUIET_NULL] === true;
}

/**
 * Drops what an input schema says by default and the model pays for on every turn: string keys and
 * "any value" of records, the safe-integer bounds zod adds to every integer, and a quiet null.
 */
function compactInput(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(compactInput);
  if (typeof node !== 'object' || node === null) return node;
  if (QUIET_NULL in node) return compactInput(withoutNull(node));
  const nullable = nullableOf(node as Record<string, unknown>);
  if (nullable) return compactInput(nullable);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'propertyNames' && isStringKeys(value)) continue;
    if (key === 'additionalProperties' && isEmpty(value)) continue;
    if ((key === 'maximum' || key === 'minimum') && Math.abs(Number(value)) === Number.MAX_SAFE_INTEGER)
      continue;
    out[key] = compactInput(value);
  }
  return out;
}

/**
 * Drops what an output schema says by default (string keys, open objects, no extras): every tools/list
 * carries these schemas, and they only describe results we build ourselves.
 */
function compactOutput(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(compactOutput);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'propertyNames' && isStringKeys(value)) continue;
    if (key === 'additionalProperties' && (value === false || isEmpty(value))) continue;
    if (key === 'properties' && isEmpty(value)) continue;
    out[key] = compactOutput(value);
  }
  return out;
}

/** A quiet-null field as its non-null type: `type: [X, "null"]` or `anyOf: [{…X}, {type: "null"}]` → X. */
function withoutNull(node: object): Record<string, unknown> {
  const { [QUIET_NULL]: _quiet, anyOf, ...rest } = node as Record<string, unknown>;
  if (Array.isArray(rest.type)) {
    const types = (rest.type as unknown[]).filter((t) => t !== 'null');
    return { ...rest, type: types.length === 1 ? types[0] : types };
  }
  if (!Array.isArray(anyOf)) return rest;
  const branches = (anyOf as unknown[]).filter((b) => JSON.stringify(b) !== '{"type":"null"}');
  return branches.length === 1 ? { ...rest, ...(branches[0] as object) } : { ...rest, anyOf: branches };
}

/** `anyOf: [{type: X, …}, {type: "null"}]` as the shorter `{type: [X, "null"], …}` (an enum gains null). */
function nullableOf(node: Record<string, unknown>): Record<string, unknown> | undefined {
  const branches = node.anyOf;
  if (!Array.isArray(branches) || branches.length !== 2) return undefined;
  const [first, second] = branches as Record<string, unknown>[];
  if (JSON.stringify(second) !== '{"type":"null"}' || typeof first?.type !== 'string') return undefined;
  const { anyOf: _anyOf, ...rest } = node;
  const merged: Record<string, unknown> = { ...rest, ...first, type: [first.type, 'null'] };
  if (Array.isArray(first.enum)) merged.enum = [...(first.enum as unknown[]), null];
  return merged;
}

function isStringKeys(value: unknown): boolean {
  return JSON.stringify(value) === '{"type":"string"}';
}

function isEmpty(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

/** The tools one server exposes, with the call path every tool goes through. */
export class ToolRegistry {
  readonly listing: Tool[];
  private readonly byName: Map<string, DefinedTool>;

  constructor(
    tools: DefinedTool[],
    private readonly redactor: Redactor,
    private readonly log: Logger,
  ) {
    this.byName = new Map();
    for (const tool of tools) {
      if (this.byName.has(tool.name)) throw new Error(`Duplicate tool ${tool.name}`);
      this.byName.set(tool.name, tool);
    }
    this.listing = tools.map((t) => t.listing);
  }

  get names(): string[] {
    return [...this.byName.keys()];
  }

  /** The tool of that name, if registered (tests and docs read its example). */
  get(name: string): DefinedTool | undefined {
    return this.byName.get(name);
  }

  /** Runs a tool and renders the result or error as the contract says; throws only AskPending. */
  async call(name: string, rawArgs: unknown, ctx: ToolContext): Promise<CallToolResult> {
    const started = performance.now();
    const tool = this.byName.get(name);
    const facts: { upstreamStatus?: number } = {};
    let outcome = 'ok';
    let providerStatus: number | undefined;
    try {
      if (!tool) {
        throw new ToolError('invalid_input', `name: unknown tool ${JSON.stringify(name)}`, {
          field: 'name',
          hint: `Available tools: ${this.names.join(', ')}`,
        });
      }
      // Passed down explicitly: AsyncLocalStorage would turn on promise hooks for the whole process
      // (~5% of CPU per call under load on Node 20).
      const result = await tool.call(rawArgs, {
        ...ctx,
        onUpstreamStatus: (status, seconds) => {
          facts.upstreamStatus = status;
          if (seconds !== undefined) recordUpstream(tool.provider ?? 'none', status, seconds);
        },
      });
      // Redacted as values (a secret holding `"` or `\` reads differently once serialized) and as text.
      const { value, json } = this.redactor.render(result as Record<string, unknown>);
      return { content: [{ type: 'text', text: json }], structuredContent: value };
    } catch (err) {
      if (err instanceof AskPending) {
        // Not a result yet: the adapter asks the client for the person's answer, and the call comes again.
        outcome = 'input_required';
        throw err;
      }
      const error = toToolError(err, this.log, name);
      outcome = error.code;
      providerStatus = error.details.provider_status;
      const structured = error.details.structured;
      return {
        isError: true,
        content: [
          {
            type: 'text',
            text: this.redactor.redact(JSON.stringify(this.redactor.redactValue(error.toJSON()))),
          },
        ],
        // Only where the error carries a result shaped like the tool's outputSchema (SDK clients check it).
        ...(structured && { structuredContent: this.redactor.redactValue(structured) }),
      };
    } finally {
      // One line per call; arguments and bodies are never logged (they may hold personal data).
      const upstream = providerStatus ?? facts.upstreamStatus;
      recordToolCall(tool ? name : '(unknown)', outcome);
      this.log.info('tool call', {
        tool: tool ? name : '(unknown)',
        provider: tool?.provider,
        outcome,
        duration_ms: Math.round(performance.now() - started),
        ...(upstream !== undefined && { upstream_status: upstream }),
      });
    }
  }
}

function toToolError(err: unknown, log: Logger, tool: string): ToolError {
  if (err instanceof ToolError) return err;
  log.error('unexpected error in tool', {
    tool,
    error: err instanceof Error ? (err.stack ?? err.message) : String(err),
  });
  return new ToolError('provider_error', 'Unexpected server error while handling the call.', {
    retryable: false,
  });
}
