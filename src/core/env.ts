export type Env = Record<string, string | undefined>;

/** Thrown by readSettings: stops start-up with one line naming the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(variable ? `${variable}: ${message}` : message);
    this.name = 'ConfigError';
  }
}

// IPv6 loopback as a URL writes it ([::1]) and as a --host value (::1).
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\]|::1)$/;

/** True for loopback host names and bind addresses (sandbox and tests may use plain http there). */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}

/** A base URL from the environment: https, or http only on loopback; no trailing slash. */
export function readBaseUrl(env: Env, name: string, fallback?: string): string {
  const value = env[name]?.trim() || fallback;
  if (!value) throw new ConfigError(name, 'is required (e.g. https://www.example.com/api/1.3)');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(name, `must be an absolute URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new ConfigError(name, 'must use https:// (plain http is allowed only for loopback addresses)');
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new ConfigError(name, 'must not contain credentials, a query or a fragment');
  }
  return url.href.replace(/\/+$/, '');
}

/** A credential from the environment, trimmed; undefined when unset or blank. */
export function readSecret(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what we refuse
  if (/[\s\u0000-\u001f]/.test(value))
    throw new ConfigError(name, 'must not contain whitespace or control characters');
  return value;
}
