import type { ProviderErrorData } from '../../pipeline/client.js';

/** ButterCMS errors are {"detail": "..."}, {"error": "..."} or {"field": ["msg", ...]} (the first one is `field`). */
export function parseButterError(body: unknown): ProviderErrorData | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const b = body as Record<string, unknown>;
  if (typeof b.detail === 'string') return { message: b.detail };
  if (typeof b.error === 'string') return { message: b.error };
  const fields = Object.entries(b).flatMap(([k, v]) =>
    Array.isArray(v) ? [[k, v.map(String).join(' ')] as const] : [],
  );
  const first = fields[0];
  if (!first) return undefined;
  return { message: fields.map(([k, text]) => `${k}: ${text}`).join('; '), field: first[0] };
}
