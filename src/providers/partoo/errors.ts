import type { ErrorClassification, ProviderErrorData } from '../../pipeline/client.js';
import { earliestScheduleTime } from './time.js';
import { isRecord } from '../../core/record.js';

/**
 * Partoo error bodies use `errors` (seed OpenAPI: 401/403/404, and 415) or `error` (errors guide: 400…),
 * with string or nested values, e.g. {"error":{"json":{"summary":["Too long"]}}}: both are flattened;
 * `field` is the first name Partoo keyed a message by.
 */
export function parsePartooError(body: unknown): ProviderErrorData | undefined {
  if (!isRecord(body)) return undefined;
  const detail = body.errors ?? body.error ?? body.message;
  if (detail === undefined) return undefined;
  const parts = flatten(detail, '');
  if (!parts.length) return undefined;
  const field = parts.find((p) => p.field)?.field;
  return { message: parts.map((p) => p.text).join('; '), ...(field && { field }) };
}

/** Partoo's own 400 on schedule_time means its clock disagrees with ours about the 2-hour rule. */
export function classifyPartooError(
  status: number,
  error: ProviderErrorData,
): ErrorClassification | undefined {
  if (status !== 400 || error.field !== 'schedule_time') return undefined;
  return {
    code: 'invalid_input',
    prefix: 'Partoo refused schedule_time.',
    field: 'schedule_time',
    hint: `Partoo's clock put it under 2 hours ahead of the request; send a later time (at least ${earliestScheduleTime(Date.now() + 60_000)} UTC).`,
  };
}

const LOCATIONS = new Set(['json', 'query']);

interface Part {
  field: string;
  text: string;
}

function flatten(value: unknown, path: string): Part[] {
  if (value === null || value === undefined) return [];
  // {"errors":{"json":"Resource not found"}}: "json" is where webargs looked, not a field, so it is dropped.
  const field = path && !LOCATIONS.has(path) ? path : '';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return [{ field, text: field ? `${field}: ${String(value)}` : String(value) }];
  }
  if (Array.isArray(value)) {
    const items = value.flatMap((v) => flatten(v, '')).map((p) => p.text);
    return items.length ? [{ field, text: field ? `${field}: ${items.join(' ')}` : items.join(' ') }] : [];
  }
  if (!isRecord(value)) return [];
  // The outer "json"/"query" keys only say where webargs found the problem: keep the inner field names.
  return Object.entries(value).flatMap(([k, v]) => flatten(v, field ? `${field}.${k}` : k));
}
