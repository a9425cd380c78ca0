/**
 * Partoo error bodies use `errors` (seed OpenAPI: 401/403/404, and 415) or `error` (errors guide: 400…),
 * with string or nested values, e.g. {"error":{"json":{"summary":["Too long"]}}}: both are flattened.
 */
export function partooErrorMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  const detail = b.errors ?? b.error ?? b.message;
  if (detail === undefined) return undefined;
  const parts = flatten(detail, '');
  return parts.length ? parts.join('; ') : undefined;
}

const LOCATIONS = new Set(['json', 'query']);

function flatten(value: unknown, path: string): string[] {
  if (value === null || value === undefined) return [];
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    // {"errors":{"json":"Resource not found"}}: "json" is where webargs looked, not a field, so it is dropped.
    return [path && !LOCATIONS.has(path) ? `${path}: ${String(value)}` : String(value)];
  }
  if (Array.isArray(value)) {
    const items = value.flatMap((v) => flatten(v, ''));
    return items.length ? [path ? `${path}: ${items.join(' ')}` : items.join(' ')] : [];
  }
  // The outer "json"/"query" keys only say where webargs found the problem: keep the inner field names.
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    flatten(v, path && !LOCATIONS.has(path) ? `${path}.${k}` : k),
  );
}
