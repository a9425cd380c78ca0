import type { ErrorClassification, ProviderErrorData } from '../../pipeline/client.js';

/** Infinipost errors are `{"error": {"code", "message"}}` (or `{"error": "…"}`). */
export function parseInfinipostError(body: unknown): ProviderErrorData | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const error = (body as Record<string, unknown>).error;
  if (typeof error === 'string') return { message: error };
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as Record<string, unknown>;
  const text = typeof message === 'string' ? message : '';
  if (typeof code === 'string' && code) return { message: text, code };
  return text ? { message: text } : undefined;
}

/** The API's cannot_edit is not_editable whatever HTTP status carries it (the docs give none; ADR 0022). */
export function classifyInfinipostError(
  _status: number,
  error: ProviderErrorData,
): ErrorClassification | undefined {
  if (error.code !== 'cannot_edit') return undefined;
  return {
    code: 'not_editable',
    message: `Infinipost refused: ${error.message || error.code}`,
    retryable: false,
    hint: "Call infinipost_get_post to see the post's status; a post already posted cannot be changed.",
  };
}
