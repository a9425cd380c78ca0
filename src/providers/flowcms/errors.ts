import type { ProviderErrorData } from '../../pipeline/client.js';
import { isRecord } from '../../core/record.js';

// FlowCMS documents no error body (ADR 0036): read every common shape, never fail on an odd one.

/** The provider's error from `{error:{code,message,details}}`, `{error:"…"}`, `{message}` or `{errors:[…]|{…}}`. */
export function parseFlowError(body: unknown): ProviderErrorData | undefined {
  if (!isRecord(body)) return undefined;
  const parts: string[] = [];
  let code: string | undefined;
  let field: string | undefined;
  if (typeof body.error === 'string') parts.push(body.error);
  else if (isRecord(body.error)) {
    const { message, details, retry_after } = body.error;
    if (typeof body.error.code === 'string' && body.error.code) code = body.error.code;
    if (typeof message === 'string') parts.push(message);
    if (details !== undefined) parts.push(itemsText(details));
    if (typeof retry_after === 'number') parts.push(`retry after ${retry_after} s`);
    field = firstField(details);
  }
  if (typeof body.message === 'string') parts.push(body.message);
  if (body.errors !== undefined) parts.push(itemsText(body.errors));
  field ??= firstField(body.errors);
  const message = parts.filter(Boolean).join(' — ');
  if (!message && !code) return undefined;
  return { message, ...(code && { code }), ...(field && { field }) };
}

/** The first field an item list names (`[{field,…}]` or `{field: […]}`). */
function firstField(items: unknown): string | undefined {
  if (Array.isArray(items)) {
    for (const item of items) {
      const field = isRecord(item) ? (item.field ?? item.path ?? item.param) : undefined;
      if (typeof field === 'string' && field) return field;
    }
    return undefined;
  }
  return isRecord(items) ? Object.keys(items)[0] : undefined;
}

/** `["msg"]`, `[{field,message}]` or `{field: ["msg"]}` as one line. */
function itemsText(items: unknown): string {
  if (typeof items === 'string') return items;
  if (Array.isArray(items)) return items.map(itemText).filter(Boolean).join('; ');
  if (isRecord(items)) {
    return Object.entries(items)
      .map(([field, v]) => `${field}: ${Array.isArray(v) ? v.map(itemText).join(' ') : itemText(v)}`)
      .join('; ');
  }
  return '';
}

function itemText(item: unknown): string {
  if (typeof item === 'string') return item;
  if (!isRecord(item)) return '';
  const field = item.field ?? item.path ?? item.param;
  const message = item.message ?? item.msg ?? item.detail;
  const text = typeof message === 'string' ? message : '';
  return typeof field === 'string' && field ? `${field}: ${text}` : text;
}
