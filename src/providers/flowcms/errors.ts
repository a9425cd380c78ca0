// FlowCMS documents no error body (ADR 0036): read every common shape, never fail on an odd one.

/** The provider's message from `{error:{code,message,details}}`, `{error:"…"}`, `{message}` or `{errors:[…]|{…}}`. */
export function flowErrorMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof b.error === 'string') parts.push(b.error);
  else if (isRecord(b.error)) {
    const { code, message, details, retry_after } = b.error;
    parts.push([code, message].filter((v) => typeof v === 'string' && v).join(': '));
    if (details !== undefined) parts.push(itemsText(details));
    if (typeof retry_after === 'number') parts.push(`retry after ${retry_after} s`);
  }
  if (typeof b.message === 'string') parts.push(b.message);
  if (b.errors !== undefined) parts.push(itemsText(b.errors));
  const text = parts.filter(Boolean).join(' — ');
  return text || undefined;
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
