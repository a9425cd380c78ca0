/**
 * A conservative JSON Schema check for the fuzz test: `violates` is true only when a value certainly
 * breaks the schema (type, enum, length, pattern, bounds, items, required, additionalProperties), so
 * the server must refuse it. Anything unsure (formats, whitespace a zod .trim() would remove, a JSON
 * string where an object is expected, which the server may decode) counts as possibly valid.
 */
export type Schema = Record<string, unknown>;

export function violates(schema: Schema, value: unknown): boolean {
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Schema[]).every((s) => violates(s, value));
  if (Array.isArray(schema.oneOf)) return (schema.oneOf as Schema[]).every((s) => violates(s, value));
  if (Array.isArray(schema.allOf) && (schema.allOf as Schema[]).some((s) => violates(s, value))) return true;
  if ('const' in schema && !sameAsAny(value, [schema.const])) return true;
  if (Array.isArray(schema.enum) && !sameAsAny(value, schema.enum)) return true;
  const type = schema.type;
  if (type === undefined) return false;
  const types = Array.isArray(type) ? (type as string[]) : [type as string];
  if (!types.some((t) => hasType(t, value))) {
    // A string holding JSON of the expected container may be decoded by the server.
    return !(typeof value === 'string' && types.some((t) => decodesTo(t, value)));
  }
  if (typeof value === 'string') return stringViolates(schema, value);
  if (typeof value === 'number') return numberViolates(schema, value);
  if (Array.isArray(value)) return arrayViolates(schema, value);
  if (isObject(value)) return objectViolates(schema, value);
  return false;
}

function hasType(type: string, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
    default:
      return true;
  }
}

function decodesTo(type: string, text: string): boolean {
  if (type !== 'object' && type !== 'array') return false;
  try {
    const decoded: unknown = JSON.parse(text);
    return type === 'array' ? Array.isArray(decoded) : isObject(decoded);
  } catch {
    return false;
  }
}

function stringViolates(schema: Schema, value: string): boolean {
  const trimmed = value.trim();
  // zod counts UTF-16 units, JSON Schema code points; a trim may shorten: compare the safe way round.
  if (typeof schema.maxLength === 'number' && [...trimmed].length > schema.maxLength) return true;
  if (typeof schema.minLength === 'number' && value.length < schema.minLength) return true;
  if (typeof schema.pattern === 'string') {
    const variants = [value, trimmed, value.toLowerCase(), trimmed.toLowerCase()];
    return variants.every((v) => patternFails(schema.pattern as string, v));
  }
  return false;
}

/** True when the text fails the pattern under every flag set it compiles with (flags are lost in JSON Schema). */
function patternFails(pattern: string, text: string): boolean {
  let compiled = 0;
  for (const flags of ['u', 'iu', '', 'i']) {
    let re: RegExp;
    try {
      re = new RegExp(pattern, flags);
    } catch {
      continue;
    }
    compiled++;
    if (re.test(text)) return false;
  }
  return compiled > 0;
}

function numberViolates(schema: Schema, value: number): boolean {
  const n = (k: string) => (typeof schema[k] === 'number' ? (schema[k] as number) : undefined);
  const [min, max, xmin, xmax] = [n('minimum'), n('maximum'), n('exclusiveMinimum'), n('exclusiveMaximum')];
  return (
    (min !== undefined && value < min) ||
    (max !== undefined && value > max) ||
    (xmin !== undefined && value <= xmin) ||
    (xmax !== undefined && value >= xmax)
  );
}

function arrayViolates(schema: Schema, value: unknown[]): boolean {
  if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) return true;
  if (typeof schema.minItems === 'number' && value.length < schema.minItems) return true;
  const items = schema.items;
  return isObject(items) && value.some((v) => violates(items, v));
}

function objectViolates(schema: Schema, value: Record<string, unknown>): boolean {
  const props = (isObject(schema.properties) ? schema.properties : {}) as Record<string, Schema>;
  const keys = Object.keys(value).filter((k) => value[k] !== undefined);
  if (Array.isArray(schema.required) && (schema.required as string[]).some((k) => !keys.includes(k)))
    return true;
  if (schema.additionalProperties === false && keys.some((k) => !Object.hasOwn(props, k))) return true;
  return keys.some((k) => Object.hasOwn(props, k) && violates(props[k]!, value[k]));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameAsAny(value: unknown, options: unknown[]): boolean {
  const text = JSON.stringify(value);
  const trimmed =
    typeof value === 'string' ? [JSON.stringify(value.trim()), JSON.stringify(value.toLowerCase())] : [];
  return options.some((o) => {
    const t = JSON.stringify(o);
    return t === text || trimmed.includes(t);
  });
}
