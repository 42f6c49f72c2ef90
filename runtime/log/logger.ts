/**
 * A small leveled logger writing one line per entry to stderr (stdout belongs to the protocol).
 * Tags say who is speaking (`[source]`, `[destination]`) so interleaved connector output stays readable.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  level?: LogLevel;
  tag?: string;
  /** Where lines go; default process.stderr. Tests pass a collector. */
  write?: (line: string) => void;
  /** Applied to every line before it is written (see SecretRedactor). */
  redact?: (text: string) => string;
}

export class Logger {
  readonly level: LogLevel;
  readonly tag: string | undefined;
  readonly #write: (line: string) => void;
  readonly #redact: ((text: string) => string) | undefined;

  constructor(options: LoggerOptions = {}) {
    this.level = options.level ?? 'info';
    this.tag = options.tag;
    this.#write = options.write ?? ((line) => process.stderr.write(line));
    this.#redact = options.redact;
  }

  /** The same sink and level, another tag: `log.child('source')`. */
  child(tag: string): Logger {
    return new Logger({ level: this.level, tag, write: this.#write, ...(this.#redact ? { redact: this.#redact } : {}) });
  }

  enabled(level: LogLevel): boolean {
    return RANK[level] >= RANK[this.level];
  }

  log(level: LogLevel, message: string): void {
    if (!this.enabled(level)) return;
    const prefix = this.tag ? `[${this.tag}] ` : '';
    const lvl = level === 'info' ? '' : `${level.toUpperCase()} `;
    this.#write(`${prefix}${lvl}${this.#redact ? this.#redact(message) : message}\n`);
  }

  debug(message: string): void { this.log('debug', message); }
  info(message: string): void { this.log('info', message); }
  warn(message: string): void { this.log('warn', message); }
  error(message: string): void { this.log('error', message); }
}

/** Maps Airbyte LOG levels (FATAL, ERROR, WARN, INFO, DEBUG, TRACE) onto ours. */
export function levelOfAirbyte(level: string | undefined): LogLevel {
  switch (level) {
    case 'FATAL': case 'ERROR': return 'error';
    case 'WARN': return 'warn';
    case 'DEBUG': case 'TRACE': return 'debug';
    default: return 'info';
  }
}

/** Discards everything; the default when a library caller gives no logger. */
export const silentLogger = new Logger({ level: 'error', write: () => {} });
