import { appendFileSync } from 'node:fs';
import type { Redactor } from './redact.js';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** JSON-lines logger on stderr (stdout belongs to the MCP protocol), secrets redacted. */
export function createLogger(level: LogLevel, redactor: Redactor, file?: string): Logger {
  const min = RANK[level];
  const write = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    if (RANK[lvl] < min) return;
    // Values redacted before serialization, then the line for any serialized form.
    const line = redactor.redact(
      JSON.stringify(redactor.redactValue({ time: new Date().toISOString(), level: lvl, msg, ...fields })),
    );
    process.stderr.write(line + '\n');
    if (file) {
      try {
        appendFileSync(file, line + '\n');
      } catch {
        // A broken log file must never break a tool call; stderr still has the line.
      }
    }
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
