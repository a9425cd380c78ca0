const MIN_SECRET_LENGTH = 4;
const MASK = '[REDACTED]';

/** The string inside JSON quotes: how `value` reads once serialized. */
function jsonEscaped(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

/**
 * Removes known secret values before anything leaves the process. Values are redacted raw, before
 * serialization (redactValue); text is also searched for every form a secret takes once serialized
 * (JSON-escaped once or twice, URL-encoded), so a secret holding `"` or `\` cannot slip through.
 */
export class Redactor {
  private needles: string[] = [];

  /** Registers secret values (credentials); short or empty values are ignored. */
  add(...values: (string | undefined)[]): void {
    for (const value of values) {
      if (!value || value.length < MIN_SECRET_LENGTH) continue;
      const forms = [value, jsonEscaped(value), jsonEscaped(jsonEscaped(value)), encodeURIComponent(value)];
      for (const form of forms) if (!this.needles.includes(form)) this.needles.push(form);
      // Longest first, so a secret that contains another (or its own escaped form) is removed whole.
      this.needles.sort((a, b) => b.length - a.length);
    }
  }

  /** Returns the text with every registered secret, in any of its forms, replaced. */
  redact(text: string): string {
    let out = text;
    for (const needle of this.needles) {
      if (out.includes(needle)) out = out.split(needle).join(MASK);
    }
    return out;
  }

  /** Whether the text holds any registered secret in any of its forms (a JSON text holds a secret's escaped form). */
  finds(text: string): boolean {
    for (const needle of this.needles) if (text.includes(needle)) return true;
    return false;
  }

  /**
   * The value and its JSON text, both with secrets removed. The common case (no secret anywhere) costs one
   * JSON.stringify and a search: JSON escapes each character on its own, so a secret inside any string
   * or key shows in the text as its escaped form, which is a needle. Only then is the value copied.
   */
  render<T>(value: T): { value: T; json: string } {
    const json = JSON.stringify(value);
    if (!this.finds(json)) return { value, json };
    const clean = this.redactValue(value);
    return { value: clean, json: this.redact(JSON.stringify(clean)) };
  }

  /**
   * A copy of a JSON-able value with secrets removed from every string (keys included); other values
   * are kept as they are. Callers bound the depth (arguments and provider answers are depth-checked).
   */
  redactValue<T>(value: T): T {
    if (this.needles.length === 0) return value;
    return this.copy(value) as T;
  }

  private copy(value: unknown): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) return value.map((v) => this.copy(v));
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const key = this.redact(k);
      // A "__proto__" key from JSON is data: define it, never let the assignment set a prototype.
      if (key === '__proto__')
        Object.defineProperty(out, key, {
          value: this.copy(v),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else out[key] = this.copy(v);
    }
    return out;
  }
}
