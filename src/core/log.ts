import { appendFileSync } from 'node:fs';
import type { Redactor } from './redact.js';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  /** Whether debug lines are written: callers check it before building costly debug fields. */
  readonly debugging: boolean;
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** How long debug/info lines may wait to be written together (ADR 0170). */
const FLUSH_AFTER_MS = 20;
/** A batch this large is written at once rather than waiting. */
const FLUSH_AT_CHARS = 32 * 1024;

/** Where log lines go: stderr, and the log file when one is set. */
type Sink = (text: string) => void;

/** Buffers holding lines not yet written: flushed on exit, or by flushLogs() before a direct stderr write. */
const unwritten = new Set<LineBuffer>();
let exitHookInstalled = false;

/** Writes every pending log line now (call before writing to stderr directly, so lines keep their order). */
export function flushLogs(): void {
  for (const buffer of unwritten) buffer.flush();
}

/**
 * Lines of one short window written together: one write per ~20 ms instead of one per tool call (a
 * write per call was ~8% of the server's CPU under load). warn and error are written at once, after
 * what is pending, and everything pending is written when the process exits.
 */
class LineBuffer {
  private pending = '';
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly sink: Sink) {}

  add(line: string, now: boolean): void {
    this.pending += line + '\n';
    if (now || this.pending.length >= FLUSH_AT_CHARS) return this.flush();
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), FLUSH_AFTER_MS).unref();
    unwritten.add(this);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.once('exit', flushLogs);
    }
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    unwritten.delete(this);
    if (!this.pending) return;
    const text = this.pending;
    this.pending = '';
    this.sink(text);
  }
}

/** JSON-lines logger on stderr (stdout belongs to the MCP protocol), secrets redacted. */
export function createLogger(level: LogLevel, redactor: Redactor, file?: string): Logger {
  const min = RANK[level];
  const buffer = new LineBuffer((text) => {
    process.stderr.write(text);
    if (file) {
      try {
        appendFileSync(file, text);
      } catch {
        // A broken log file must never break a tool call; stderr still has the line.
      }
    }
  });
  const write = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    if (RANK[lvl] < min) return;
    // Values redacted before serialization, and the line for any serialized form.
    const line = redactor.render({ time: new Date().toISOString(), level: lvl, msg, ...fields }).json;
    buffer.add(line, RANK[lvl] >= RANK.warn);
  };
  return {
    debugging: min <= RANK.debug,
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
