/** The error codes of the public contract (DESIGN.md "Errors"). */
export const ERROR_CODES = [
  'invalid_input',
  'auth_failed',
  'forbidden',
  'not_found',
  'conflict',
  'not_editable',
  'confirmation_required',
  'read_only',
  'rate_limited',
  'timeout',
  'provider_unavailable',
  'provider_error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ToolErrorDetails {
  field?: string;
  hint?: string;
  retryable?: boolean;
  retry_after_s?: number;
  provider_status?: number;
  /** Extra machine-readable facts (current version, confirm token, preview…). */
  data?: Record<string, unknown>;
  /** A result matching the tool's outputSchema, sent as structuredContent next to the error text. */
  structured?: Record<string, unknown>;
}

const RETRYABLE_BY_DEFAULT: ReadonlySet<ErrorCode> = new Set([
  'rate_limited',
  'timeout',
  'provider_unavailable',
]);

/** The one error type of the server: thrown where the failure is known, rendered in one place. */
export class ToolError extends Error {
  readonly code: ErrorCode;
  readonly details: ToolErrorDetails;

  constructor(code: ErrorCode, message: string, details: ToolErrorDetails = {}) {
    super(message);
    this.name = 'ToolError';
    this.code = code;
    this.details = details;
  }

  /** The `{ error: {...} }` body of the contract. */
  toJSON(): { error: Record<string, unknown> } {
    const { field, hint, retry_after_s, provider_status, data } = this.details;
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(field !== undefined && { field }),
        ...(hint !== undefined && { hint }),
        retryable: this.details.retryable ?? RETRYABLE_BY_DEFAULT.has(this.code),
        ...(retry_after_s !== undefined && { retry_after_s }),
        ...(provider_status !== undefined && { provider_status }),
        ...data,
      },
    };
  }
}

/** Shorthand for the commonest error: bad input naming the field, the rule and an example. */
export function invalidInput(field: string, rule: string, example?: string): ToolError {
  const message = example === undefined ? `${field}: ${rule}` : `${field}: ${rule}. Example: ${example}`;
  return new ToolError('invalid_input', message, { field });
}

/** Maps an upstream HTTP status to the contract's error code. */
export function codeForStatus(status: number): ErrorCode {
  if (status === 400 || status === 422) return 'invalid_input';
  if (status === 401) return 'auth_failed';
  if (status === 403) return 'forbidden';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 502 || status === 503) return 'provider_unavailable';
  return 'provider_error';
}
