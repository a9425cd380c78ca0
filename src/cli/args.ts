import { parseArgs } from 'node:util';

/** A command line we cannot run: one line for the user, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(`${message} (see post-editor-mcp --help)`);
    this.name = 'UsageError';
  }
}

const OPTIONS = {
  http: { type: 'boolean' },
  host: { type: 'string' },
  port: { type: 'string' },
  sandbox: { type: 'boolean' },
  'read-only': { type: 'boolean' },
  providers: { type: 'string' },
  stateful: { type: 'boolean' },
  'log-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

export const COMMANDS = ['call', 'tools', 'sandbox', 'review'] as const;
type Command = (typeof COMMANDS)[number];

export interface CliArgs {
  values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];
  command: Command | undefined;
  rest: string[];
}

/**
 * Parses argv, refusing what we would otherwise silently ignore: unknown commands and flags, and
 * HTTP-only flags without --http (stdio would start and the flag would do nothing; ADR 0083).
 */
export function parseCli(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(describeParseError(err));
  }
  const { values, positionals } = parsed;
  const [first, ...rest] = positionals;
  if (first !== undefined && !(COMMANDS as readonly string[]).includes(first)) {
    const hint = first === 'serve' || first === 'http' ? '; to serve over HTTP use --http' : '';
    throw new UsageError(
      `unknown command ${JSON.stringify(first)}: the commands are ${COMMANDS.join(', ')}, or none to serve MCP over stdio${hint}`,
    );
  }
  const command = first as Command | undefined;
  if (!values.help && !values.version) {
    const httpOnly = (['host', 'port', 'stateful'] as const).filter((f) => values[f] !== undefined);
    // The sandbox and review commands listen too: --port picks the port (review also takes a loopback --host).
    const listening = command === 'sandbox' ? ['port'] : command === 'review' ? ['port', 'host'] : [];
    const misplaced = httpOnly.filter((f) => !listening.includes(f));
    if (misplaced.length > 0 && !(values.http && command === undefined)) {
      const flags = misplaced.map((f) => `--${f}`).join(', ');
      throw new UsageError(
        command === undefined
          ? `${flags} only applies with --http (without it the server speaks stdio); add --http`
          : `${flags} does not apply to the ${command} command`,
      );
    }
  }
  return { values, command, rest };
}

function describeParseError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: string }).code;
  const option = /'(-{1,2}[^'\s]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option ${option}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    return /argument missing/.test(message)
      ? `option ${option} needs a value`
      : `option ${option} takes no value`;
  }
  return message.split('\n')[0] ?? message;
}
