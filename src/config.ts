import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { LOG_LEVELS, type LogLevel } from './core/log.js';
import { ConfigError, isLoopbackHost, type Env } from './core/env.js';
import type { RegisteredProvider } from './pipeline/define.js';

/** Command-line flags that override the environment. */
export interface Flags {
  http?: boolean;
  host?: string;
  port?: number;
  sandbox?: boolean;
  readOnly?: boolean;
  providers?: string;
  stateful?: boolean;
  logFile?: string;
}

export interface EnabledProvider {
  provider: RegisteredProvider;
  settings: unknown;
}

/** A bearer token and the label recorded as the principal of what its holder does. */
export interface HttpToken {
  label: string;
  token: string;
}

export interface Config {
  transport: 'stdio' | 'http';
  http: {
    host: string;
    port: number;
    /** The first bearer token (MCP_HTTP_TOKEN, else the first of MCP_HTTP_TOKENS); kept for the one-token callers. */
    token: string | undefined;
    /** Every accepted bearer token with the principal label it authenticates (ADR 0120). */
    tokens: HttpToken[];
    /** Serve the review page at /review (MCP_HTTP_REVIEW, default true). */
    review: boolean;
    allowedOrigins: string[];
    stateful: boolean;
    maxBodyBytes: number;
    rateLimitPerMinute: number;
    /** Failed bearer tokens a client may send per minute before it gets 429 (0: unlimited). */
    authFailuresPerMinute: number;
    /** Rate-limit by the last X-Forwarded-For hop (set only behind a reverse proxy that sets it). */
    trustProxy: boolean;
    sessionTtlMs: number;
    maxSessions: number;
  };
  sandbox: boolean;
  readOnly: boolean;
  providers: EnabledProvider[];
  confirm: 'destructive' | 'never';
  /** Who confirms a destructive write: the person through the client (elicitation) or a confirm token. */
  confirmVia: 'auto' | 'user' | 'token';
  confirmSecret: string | undefined;
  requireVersion: boolean;
  dataDir: string;
  /** postgres://… to share one journal, secret and lock space between instances; unset: SQLite in dataDir. */
  databaseUrl: string | undefined;
  /** Journal entries older than this many days are pruned in the background (0: never). */
  journalRetentionDays: number;
  timeoutMs: number;
  maxRetries: number;
  /** Largest upstream response body accepted. */
  maxResponseBytes: number;
  applyTimeoutMs: number;
  logLevel: LogLevel;
  logFile: string | undefined;
  /** Every credential value, for redaction. */
  secrets: string[];
}

const bool = (name: string) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: `${name}: must be true or false` })
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: `${name}: must be a whole number` })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { error: `${name}: must be at least ${min}` })
        .max(max, { error: `${name}: must be at most ${max}` }),
    );

function read<T>(env: Env, name: string, schema: z.ZodType<T, string>, fallback: T): T {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? 'is invalid';
    throw new ConfigError(name, message.startsWith(`${name}: `) ? message.slice(name.length + 2) : message);
  }
  return parsed.data;
}

/** The user's state directory for the journal (XDG on Linux, the usual places elsewhere). */
export function defaultDataDir(env: Env): string {
  if (process.platform === 'win32')
    return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'post-editor-mcp');
  if (process.platform === 'darwin')
    return join(homedir(), 'Library', 'Application Support', 'post-editor-mcp');
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'post-editor-mcp');
}

/** Environment + flags → one validated Config over the given providers; throws ConfigError naming the variable. */
export function loadConfig(env: Env, flags: Flags, catalog: readonly RegisteredProvider[]): Config {
  const transport = flags.http ? 'http' : 'stdio';
  const host = flags.host ?? env.MCP_HTTP_HOST ?? '127.0.0.1';
  const port = flags.port ?? read(env, 'MCP_HTTP_PORT', int('MCP_HTTP_PORT', 0, 65535), 3000);
  const tokens = readHttpTokens(env);
  const token = tokens[0]?.token;
  if (transport === 'http' && !isLoopbackHost(host) && !token) {
    throw new ConfigError(
      'MCP_HTTP_TOKEN',
      `is required when the HTTP server binds to a non-loopback host (${host}); or MCP_HTTP_TOKENS=label:token,…`,
    );
  }
  const allowedOrigins = (env.MCP_ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  for (const origin of allowedOrigins) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new ConfigError(
        'MCP_ALLOWED_ORIGINS',
        `has an invalid origin ${JSON.stringify(origin)} (e.g. https://app.example.com)`,
      );
    }
  }

  const providers = enabledProviders(catalog, env, flags.providers ?? env.POST_EDITOR_PROVIDERS);
  const secrets = providers
    .flatMap((p) => p.provider.secrets(p.settings))
    .filter((s): s is string => Boolean(s));
  secrets.push(...tokens.map((t) => t.token));
  const confirmSecret = env.POST_EDITOR_CONFIRM_SECRET?.trim() || undefined;
  if (confirmSecret) secrets.push(confirmSecret);
  const databaseUrl = env.POST_EDITOR_DATABASE_URL?.trim() || undefined;
  if (databaseUrl !== undefined) {
    if (!/^postgres(ql)?:\/\/./.test(databaseUrl)) {
      throw new ConfigError(
        'POST_EDITOR_DATABASE_URL',
        'must be a PostgreSQL URL, e.g. postgres://user:password@db.internal:5432/post_editor',
      );
    }
    secrets.push(databaseUrl);
    const password = passwordOf(databaseUrl);
    if (password) secrets.push(password);
  }

  return {
    transport,
    http: {
      host,
      port,
      token,
      tokens,
      review: read(env, 'MCP_HTTP_REVIEW', bool('MCP_HTTP_REVIEW'), true),
      allowedOrigins,
      stateful: flags.stateful ?? read(env, 'MCP_HTTP_STATEFUL', bool('MCP_HTTP_STATEFUL'), false),
      maxBodyBytes: read(
        env,
        'MCP_HTTP_MAX_BODY_BYTES',
        int('MCP_HTTP_MAX_BODY_BYTES', 1024, 64 * 1024 * 1024),
        1024 * 1024,
      ),
      rateLimitPerMinute: read(env, 'MCP_HTTP_RATE_LIMIT', int('MCP_HTTP_RATE_LIMIT', 0, 1_000_000), 600),
      authFailuresPerMinute: read(
        env,
        'MCP_HTTP_AUTH_FAILURE_LIMIT',
        int('MCP_HTTP_AUTH_FAILURE_LIMIT', 0, 1_000_000),
        10,
      ),
      trustProxy: read(env, 'MCP_HTTP_TRUST_PROXY', bool('MCP_HTTP_TRUST_PROXY'), false),
      sessionTtlMs: read(
        env,
        'MCP_HTTP_SESSION_TTL_MS',
        int('MCP_HTTP_SESSION_TTL_MS', 1000, 86_400_000),
        15 * 60_000,
      ),
      maxSessions: read(env, 'MCP_HTTP_MAX_SESSIONS', int('MCP_HTTP_MAX_SESSIONS', 1, 100_000), 100),
    },
    sandbox: flags.sandbox === true,
    readOnly: flags.readOnly ?? read(env, 'POST_EDITOR_READ_ONLY', bool('POST_EDITOR_READ_ONLY'), false),
    providers,
    confirm: read(
      env,
      'POST_EDITOR_CONFIRM',
      z.enum(['destructive', 'never'], { error: 'must be destructive or never' }),
      'destructive',
    ),
    confirmVia: read(
      env,
      'POST_EDITOR_CONFIRM_VIA',
      z.enum(['auto', 'user', 'token'], { error: 'must be auto, user or token' }),
      'auto',
    ),
    confirmSecret,
    requireVersion: read(env, 'POST_EDITOR_REQUIRE_VERSION', bool('POST_EDITOR_REQUIRE_VERSION'), true),
    dataDir:
      env.POST_EDITOR_DATA_DIR?.trim() ||
      (flags.sandbox ? join(tmpdir(), `post-editor-mcp-sandbox-${process.pid}`) : defaultDataDir(env)),
    databaseUrl,
    journalRetentionDays: read(
      env,
      'POST_EDITOR_JOURNAL_RETENTION_DAYS',
      int('POST_EDITOR_JOURNAL_RETENTION_DAYS', 0, 36_500),
      90,
    ),
    timeoutMs: read(env, 'POST_EDITOR_TIMEOUT_MS', int('POST_EDITOR_TIMEOUT_MS', 100, 600_000), 30_000),
    maxRetries: read(env, 'POST_EDITOR_MAX_RETRIES', int('POST_EDITOR_MAX_RETRIES', 0, 10), 2),
    maxResponseBytes: read(
      env,
      'POST_EDITOR_MAX_RESPONSE_BYTES',
      int('POST_EDITOR_MAX_RESPONSE_BYTES', 1024, 256 * 1024 * 1024),
      8 * 1024 * 1024,
    ),
    applyTimeoutMs: read(
      env,
      'POST_EDITOR_APPLY_TIMEOUT_MS',
      int('POST_EDITOR_APPLY_TIMEOUT_MS', 0, 600_000),
      30_000,
    ),
    logLevel: read(
      env,
      'LOG_LEVEL',
      z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }),
      'info',
    ),
    logFile: flags.logFile ?? (env.POST_EDITOR_LOG_FILE?.trim() || undefined),
    secrets,
  };
}

const TOKEN_LABEL = /^[A-Za-z0-9._-]{1,64}$/;

/** MCP_HTTP_TOKEN (principal "default") and MCP_HTTP_TOKENS=label:token,…; each token ≥ 16 characters, labels and tokens unique. */
function readHttpTokens(env: Env): HttpToken[] {
  const tokens: HttpToken[] = [];
  const single = env.MCP_HTTP_TOKEN?.trim();
  if (single) tokens.push({ label: 'default', token: checkToken('MCP_HTTP_TOKEN', single) });
  for (const item of (env.MCP_HTTP_TOKENS ?? '').split(',').map((s) => s.trim())) {
    if (!item) continue;
    const colon = item.indexOf(':');
    const label = colon > 0 ? item.slice(0, colon).trim() : '';
    if (!TOKEN_LABEL.test(label)) {
      throw new ConfigError(
        'MCP_HTTP_TOKENS',
        'must be label:token pairs separated by commas, labels of letters, digits, . _ - (e.g. ci-bot:3f9a…,alice:b71c…)',
      );
    }
    if (tokens.some((t) => t.label === label)) {
      throw new ConfigError('MCP_HTTP_TOKENS', `label ${JSON.stringify(label)} is used twice`);
    }
    const value = checkToken(`MCP_HTTP_TOKENS (${label})`, item.slice(colon + 1).trim());
    if (tokens.some((t) => t.token === value)) {
      throw new ConfigError('MCP_HTTP_TOKENS', `the token of ${JSON.stringify(label)} is used twice`);
    }
    tokens.push({ label, token: value });
  }
  return tokens;
}

function checkToken(name: string, value: string): string {
  if (value.length < 16) throw new ConfigError(name, 'must be at least 16 characters (use a random value)');
  // eslint-disable-next-line no-control-regex -- control characters are exactly what we refuse
  if (/[\s\u0000-\u001f]/.test(value))
    throw new ConfigError(name, 'must not contain whitespace or control characters');
  return value;
}

function enabledProviders(
  catalog: readonly RegisteredProvider[],
  env: Env,
  list: string | undefined,
): EnabledProvider[] {
  const names = list
    ?.split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  // Blank means "every configured one": bundles and containers pass unset fields as empty strings.
  const wanted = names?.length ? names : undefined;
  const known = new Set(catalog.map((p) => p.id));
  for (const name of wanted ?? []) {
    if (!known.has(name)) {
      throw new ConfigError(
        'POST_EDITOR_PROVIDERS',
        `unknown provider ${JSON.stringify(name)}; known: ${[...known].join(', ')}`,
      );
    }
  }
  const enabled: EnabledProvider[] = [];
  for (const provider of catalog) {
    if (wanted && !wanted.includes(provider.id)) continue;
    const settings = provider.readSettings(env);
    if (settings === null) {
      if (wanted) {
        const secret = provider.env.find((v) => v.secret);
        throw new ConfigError(
          secret?.name ?? provider.id,
          `is required: ${provider.label} is listed in POST_EDITOR_PROVIDERS`,
        );
      }
      continue;
    }
    enabled.push({ provider, settings });
  }
  if (enabled.length === 0) {
    throw new ConfigError(
      'credentials',
      `no provider is configured. Set the credentials of at least one provider (${catalog.flatMap((p) => p.env.filter((v) => v.secret).map((v) => v.name)).join(', ')}) in the environment or in a .env file, or try --sandbox to use the built-in emulators.`,
    );
  }
  return enabled;
}

function passwordOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}
