/**
 * The base of every error airdock raises on purpose.
 *
 * Design (from undici, PyAirbyte and Meltano): a stable `code` to match on, a static message that
 * never interpolates config values, a `context` of safe facts (names, counts, paths, never secrets),
 * a `hint` saying what the user should do, a `failureType` in Airbyte's vocabulary, and whether a
 * retry can help. Wrapping always keeps the original in `cause`.
 */
export type FailureType = 'config_error' | 'system_error' | 'transient_error';
export type ErrorFamily = 'config' | 'protocol' | 'connector' | 'backend' | 'state' | 'catalog' | 'sync';
export type ErrorContext = Readonly<Record<string, unknown>>;

export interface AirdockErrorOptions {
  cause?: unknown;
  context?: Record<string, unknown>;
  /** Overrides the class's default hint for this instance. */
  hint?: string;
}

const BRAND = Symbol.for('airdock.error');

export abstract class AirdockError extends Error {
  abstract readonly code: string;
  abstract readonly family: ErrorFamily;
  abstract readonly failureType: FailureType;
  abstract readonly retryable: boolean;
  readonly context: ErrorContext;
  readonly #hint: string | undefined;

  constructor(message: string, options: AirdockErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.context = Object.freeze({ ...(options.context ?? {}) });
    this.#hint = options.hint;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** What the user should do next; subclasses give a default. */
  get hint(): string | undefined {
    return this.#hint ?? this.defaultHint();
  }

  protected defaultHint(): string | undefined {
    return undefined;
  }

  /** One line for a terminal: code, what happened, what to do. */
  describe(): string {
    const facts = Object.entries(this.context)
      .filter(([, v]) => v !== undefined && (typeof v !== 'object' || v === null))
      .map(([k, v]) => `${k}=${typeof v === 'string' ? JSON.stringify(v) : String(v)}`);
    const what = facts.length > 0 ? `${this.message} (${facts.join(', ')})` : this.message;
    return this.hint ? `${this.code}: ${what}. ${this.hint}` : `${this.code}: ${what}`;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      family: this.family,
      message: this.message,
      failureType: this.failureType,
      retryable: this.retryable,
      context: this.context,
      hint: this.hint,
      ...(this.cause !== undefined ? { cause: summarizeCause(this.cause) } : {}),
    };
  }
}

/** Works across duplicate copies of this module (npm can install two), unlike `instanceof`. */
export function isAirdockError(value: unknown): value is AirdockError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

function summarizeCause(cause: unknown): unknown {
  if (isAirdockError(cause)) return cause.toJSON();
  if (cause instanceof Error) return { name: cause.name, message: cause.message, ...codeOf(cause) };
  return String(cause);
}

function codeOf(e: Error): { code?: unknown } {
  const code = (e as { code?: unknown }).code;
  return code === undefined ? {} : { code };
}
