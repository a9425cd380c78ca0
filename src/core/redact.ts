const MIN_SECRET_LENGTH = 4;

/** Removes known secret values from any text before it leaves the process. */
export class Redactor {
  private secrets: string[] = [];

  /** Registers secret values (credentials); short or empty values are ignored. */
  add(...values: (string | undefined)[]): void {
    for (const value of values) {
      if (value && value.length >= MIN_SECRET_LENGTH && !this.secrets.includes(value)) {
        this.secrets.push(value);
        // Longest first, so a secret that contains another is removed whole.
        this.secrets.sort((a, b) => b.length - a.length);
        const encoded = encodeURIComponent(value);
        if (encoded !== value) this.secrets.push(encoded);
      }
    }
  }

  /** Returns the text with every registered secret replaced. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join('[REDACTED]');
    }
    return out;
  }

  /** Deep-redacts a JSON-able value (strings only; structure unchanged). */
  redactValue<T>(value: T): T {
    if (this.secrets.length === 0) return value;
    return JSON.parse(this.redact(JSON.stringify(value))) as T;
  }
}
