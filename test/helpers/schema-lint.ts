/**
 * The tool-schema portability rules of MCP Inspector's `--strict` mode (its core/json/schemaLint.ts),
 * re-implemented because that Inspector needs Node 22 and is not a dependency: a bare boolean where a
 * schema is expected (error), a `type` array (warning), a schema that constrains nothing (warning) and
 * a `$ref` outside the document (warning). Walks subschema positions only, like the original.
 */
export interface SchemaFinding {
  tool: string;
  schema: 'inputSchema' | 'outputSchema';
  path: string;
  rule: 'boolean-schema' | 'type-union' | 'untyped-schema' | 'remote-ref';
  severity: 'error' | 'warning';
}

const BOOLEAN_VALUED = new Set([
  'additionalProperties',
  'unevaluatedProperties',
  'additionalItems',
  'unevaluatedItems',
]);
const SUBSCHEMA = [
  'items',
  'contains',
  'not',
  'propertyNames',
  'if',
  'then',
  'else',
  'additionalProperties',
  'unevaluatedProperties',
  'additionalItems',
  'unevaluatedItems',
  'contentSchema',
];
const SUBSCHEMA_ARRAY = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SUBSCHEMA_MAP = [
  'properties',
  'patternProperties',
  'dependentSchemas',
  'dependencies',
  '$defs',
  'definitions',
];
const CONSTRAINING = new Set([
  'type',
  'enum',
  'const',
  'multipleOf',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'format',
  'contentMediaType',
  'contentEncoding',
  'contentSchema',
  'maxItems',
  'minItems',
  'uniqueItems',
  'maxContains',
  'minContains',
  'maxProperties',
  'minProperties',
  'required',
  'dependentRequired',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'items',
  'prefixItems',
  'contains',
  'additionalItems',
  'unevaluatedItems',
  'properties',
  'patternProperties',
  'additionalProperties',
  'unevaluatedProperties',
  'propertyNames',
  'dependentSchemas',
  'dependencies',
  '$ref',
  '$dynamicRef',
  '$recursiveRef',
]);
const TYPES = new Set(['null', 'boolean', 'object', 'array', 'number', 'string', 'integer']);
const MAX_DEPTH = 64;

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

function children(node: Node, path: string, visit: (child: unknown, path: string, keyword: string) => void) {
  for (const key of SUBSCHEMA_MAP) {
    const map = node[key];
    if (isNode(map)) for (const [name, sub] of Object.entries(map)) visit(sub, `${path}.${key}.${name}`, key);
  }
  for (const key of SUBSCHEMA_ARRAY) {
    const list = node[key];
    if (Array.isArray(list)) list.forEach((sub, i) => visit(sub, `${path}.${key}[${i}]`, key));
  }
  for (const key of SUBSCHEMA) {
    if (!(key in node)) continue;
    const value = node[key];
    if (key === 'items' && Array.isArray(value))
      value.forEach((sub, i) => visit(sub, `${path}.items[${i}]`, key));
    else visit(value, `${path}.${key}`, key);
  }
}

function hasId(node: unknown, depth = 0): boolean {
  if (depth > MAX_DEPTH || !isNode(node)) return false;
  if (typeof node.$id === 'string' && node.$id !== '') return true;
  let found = false;
  children(node, '', (child) => (found ||= hasId(child, depth + 1)));
  return found;
}

/** Every portability finding in one tool's input and output schemas. */
export function lintToolSchemas(tool: {
  name: string;
  inputSchema?: unknown;
  outputSchema?: unknown;
}): SchemaFinding[] {
  const findings: SchemaFinding[] = [];
  for (const kind of ['inputSchema', 'outputSchema'] as const) {
    const root = tool[kind];
    if (root === undefined) continue;
    const ids = hasId(root);
    const add = (path: string, rule: SchemaFinding['rule'], severity: SchemaFinding['severity']) =>
      findings.push({ tool: tool.name, schema: kind, path: path.replace(/^\./, ''), rule, severity });
    const walk = (node: unknown, path: string, keyword: string | undefined, depth: number): void => {
      if (depth > MAX_DEPTH) return;
      if (typeof node === 'boolean') {
        if (keyword === undefined || !BOOLEAN_VALUED.has(keyword)) add(path, 'boolean-schema', 'error');
        return;
      }
      if (!isNode(node)) return;
      const type = node.type;
      if (
        Array.isArray(type) &&
        type.length > 0 &&
        type.every((t) => typeof t === 'string' && TYPES.has(t)) &&
        new Set(type).size === type.length
      )
        add(path, 'type-union', 'warning');
      if (typeof node.$ref === 'string' && node.$ref !== '' && !node.$ref.startsWith('#') && !ids)
        add(path, 'remote-ref', 'warning');
      const constrains =
        Object.keys(node).some((k) => CONSTRAINING.has(k)) ||
        ('if' in node && ('then' in node || 'else' in node));
      if (!constrains && keyword !== 'not') add(path, 'untyped-schema', 'warning');
      children(node, path, (child, childPath, childKeyword) =>
        walk(child, childPath, childKeyword, depth + 1),
      );
    };
    walk(root, '', undefined, 0);
  }
  return findings;
}
