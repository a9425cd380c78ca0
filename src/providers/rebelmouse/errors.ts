import type { ErrorClassification, ProviderErrorData } from '../../pipeline/client.js';

/** RebelMouse errors: `{"status": {"code": …, "messages": ["…"]}, "data": null}`, else `{detail}` / `{error}`. */
export function parseRebelmouseError(body: unknown): ProviderErrorData | undefined {
  const status = asObject(asObject(body).status);
  const messages = Array.isArray(status.messages) ? status.messages.filter((m) => typeof m === 'string') : [];
  const code =
    typeof status.code === 'string' || typeof status.code === 'number' ? String(status.code) : undefined;
  if (messages.length) return { message: messages.join('; '), ...(code && { code }) };
  const detail = asObject(body).detail ?? asObject(body).error;
  return typeof detail === 'string' ? { message: detail } : undefined;
}

/**
 * RebelMouse answers a bad key with 403 `{"status":{"code":null,"messages":["API key is not valid"]}}`
 * (authorization docs): that is an authentication failure, not a permission one (ADR 0042). The hint
 * naming REBELMOUSE_API_KEY is added for every auth_failed by the pipeline (error-hints.ts).
 */
export function classifyRebelmouseError(
  status: number,
  error: ProviderErrorData,
): ErrorClassification | undefined {
  return status === 403 && /API key is not valid/i.test(error.message) ? { code: 'auth_failed' } : undefined;
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
