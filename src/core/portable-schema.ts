import { isRecord } from './record.js';

/**
 * Rewrites a JSON Schema made by z.toJSONSchema into the portable subset MCP Inspector's `--strict`
 * mode accepts (ADR 0084): a `type` array becomes `anyOf` branches of one type each (clients that map
 * schemas onto a single-type dialect reject or drop the array form), and a free-form object's
 * `additionalProperties: {}` (a schema that constrains nothing) becomes `true`, its redundant
 * `propertyNames: {type: string}` dropped. Meaning is unchanged. Only schema positions are visited,
 * never `enum`/`const`/`default` values.
 */
export function portableSchema(node: unknown): unknown {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return node;
  const source = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (MAP_KEYWORDS.has(key) && isRecord(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, portableSchema(v)]));
    } else if (LIST_KEYWORDS.has(key) && Array.isArray(value)) {
      out[key] = value.map(portableSchema);
    } else if (key === 'additionalProperties' && isRecord(value) && Object.keys(value).length === 0) {
      out[key] = true;
    } else if (key === 'propertyNames' && isRecord(value) && onlyStringType(value)) {
      continue; // JSON object keys are strings already
    } else if (SCHEMA_KEYWORDS.has(key)) {
      out[key] = portableSchema(value);
    } else {
      out[key] = value;
    }
  }
  return Array.isArray(out.type) ? splitTypeUnion(out) : out;
}

const MAP_KEYWORDS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
const LIST_KEYWORDS = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems']);
const SCHEMA_KEYWORDS = new Set([
  'items',
  'additionalProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedProperties',
  'unevaluatedItems',
]);
/** Keywords that describe rather than constrain: they stay on the union, not in its branches. */
const ANNOTATIONS = new Set([
  'title',
  'description',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
]);

function splitTypeUnion(node: Record<string, unknown>): Record<string, unknown> {
  const union: Record<string, unknown> = {};
  const constraints: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'type') continue;
    (ANNOTATIONS.has(key) ? union : constraints)[key] = value;
  }
  // A constraint of another type is ignored by JSON Schema, so each non-null branch may carry them all.
  // An enum that lists null belongs to the null branch: the other branches keep only their own values.
  const values = Array.isArray(constraints.enum) ? (constraints.enum as unknown[]) : undefined;
  if (values) constraints.enum = values.filter((v) => v !== null);
  const branches = (node.type as string[]).map((type) =>
    type === 'null' ? { type } : { type, ...constraints },
  );
  return { anyOf: branches, ...union };
}

function onlyStringType(value: Record<string, unknown>): boolean {
  return Object.keys(value).length === 1 && value.type === 'string';
}
