import { once } from 'node:events';
import {
  AbortedError, ConnectorExitError, ConnectorFailedError, ConnectorTimeoutError, decodeLines, encodeMessage,
  isAirdockError, LineSplitter, type AirbyteErrorTraceMessage, type AirbyteMessage, type MessageLine,
} from '../../protocol/index.js';
import { levelOfAirbyte, type Logger } from '../log/logger.js';
import type { Backend, ConnectorProcess, ExitStatus, LaunchTarget, StartOptions } from './backend.js';
import { buildJob, type ConnectorCommand, type JobInputs } from './argv.js';
import type { RunSummary } from './run-summary.js';
import { TailBuffer } from './tail-buffer.js';

/** What `write` reads: messages, or lines already encoded (each ending with `\n`) to forward as is. */
export type RunInput = AsyncIterable<AirbyteMessage | Uint8Array | string> | Iterable<AirbyteMessage | Uint8Array | string>;

export interface LaunchSpec extends JobInputs {
  target: LaunchTarget;
  command: ConnectorCommand;
  /** For logs and labels, e.g. `source-faker`. */
  connectorName: string;
  input?: RunInput;
  signal?: AbortSignal;
  /** The whole run must end within this; default none. */
  timeoutMs?: number;
  /** No stdout line for this long stops the run with ConnectorTimeoutError; default none. */
  heartbeatMs?: number;
  /** TERM → KILL grace period when we stop it. Default 10 s. */
  graceMs?: number;
  env?: Record<string, string>;
  memoryBytes?: number;
  nanoCpus?: number;
  networkMode?: string;
  maxLineBytes?: number;
  log?: Logger;
  /** Runs before the backend starts (config validation needs the spec, which is async). */
  preflight?: () => Promise<void>;
}

type Stop = { kind: 'abort'; reason: unknown } | { kind: 'timeout'; what: 'timeout' | 'heartbeat'; ms: number } | { kind: 'consumer' };

const STDERR_IN_ERROR = 20;
/**
 * What the platform sets for every connector and some connectors depend on: without
 * USE_STREAM_CAPABLE_STATE older Java sources fall back to LEGACY state.
 */
const PLATFORM_ENV: Readonly<Record<string, string>> = { USE_STREAM_CAPABLE_STATE: 'true', DEPLOYMENT_MODE: 'OSS' };

/**
 * One connector invocation: starts it through a backend, decodes its stdout (LOG → logger, noise
 * logged, TRACE ERROR remembered), feeds `input` to stdin respecting backpressure, and turns the way
 * it ended into a summary or a typed error. Single consumer: iterate `lines()` or `messages()` once,
 * or just await `done()`. Iteration throws the same error `done()` rejects with.
 */
export class ConnectorRun implements AsyncDisposable {
  readonly runId: string;
  readonly command: ConnectorCommand;
  readonly connectorName: string;
  readonly #spec: LaunchSpec;
  readonly #backend: Promise<Backend>;
  readonly #log: Logger;
  readonly #stderr = new TailBuffer(200);
  readonly #counts: Record<string, number> = {};
  readonly #traceErrors: AirbyteErrorTraceMessage[] = [];
  readonly #started = Date.now();
  #records = 0;
  #messageBytes = 0;
  #noise = 0;
  #invalid = 0;
  #proc: ConnectorProcess | undefined;
  #stop: Stop | undefined;
  #iterating = false;
  #resolve!: (s: RunSummary) => void;
  #reject!: (e: unknown) => void;
  readonly #result: Promise<RunSummary>;
  #backendName = '?';
  #beat: () => void = () => {};

  constructor(spec: LaunchSpec, backend: Backend | Promise<Backend>, runId: string, log: Logger) {
    this.#spec = spec;
    this.runId = runId;
    this.command = spec.command;
    this.connectorName = spec.connectorName;
    this.#backend = Promise.resolve(backend);
    this.#log = log;
    this.#result = new Promise<RunSummary>((res, rej) => { this.#resolve = res; this.#reject = rej; });
    // Whoever never asks for done() must not crash the process with an unhandled rejection.
    this.#result.catch(() => {});
  }

  /** Protocol messages except LOG (which goes to the logger), with their raw bytes. */
  lines(): AsyncIterable<MessageLine> {
    if (this.#iterating) throw new Error('A ConnectorRun can be iterated only once');
    this.#iterating = true;
    return this.#iterate();
  }

  async *messages(): AsyncGenerator<AirbyteMessage> {
    for await (const line of this.lines()) yield line.message;
  }

  /** Resolves with the summary once the connector has exited; rejects with a typed error. */
  done(): Promise<RunSummary> {
    if (!this.#iterating) void this.#drain();
    return this.#result;
  }

  /** Last stderr lines seen so far. */
  stderrTail(n = 200): string[] {
    return this.#stderr.last(n);
  }

  /** Stops the connector (TERM, grace, KILL) and waits for the outcome, which is then clean. */
  async cancel(): Promise<void> {
    this.#stop ??= { kind: 'consumer' };
    await this.#proc?.terminate(this.#spec.graceMs);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.#iterating) this.#stop ??= { kind: 'consumer' };
    await this.#proc?.terminate(this.#spec.graceMs);
    await this.done().catch(() => {});
  }

  async #drain(): Promise<void> {
    try {
      for await (const _ of this.lines()) { /* discard */ }
    } catch { /* reported through #result */ }
  }

  async *#iterate(): AsyncGenerator<MessageLine> {
    const spec = this.#spec;
    const timers: NodeJS.Timeout[] = [];
    let heartbeat: NodeJS.Timeout | undefined;
    const onAbort = () => this.#halt({ kind: 'abort', reason: spec.signal?.reason });
    let failure: unknown;
    let finished = false;
    try {
      spec.signal?.addEventListener('abort', onAbort, { once: true });
      if (spec.signal?.aborted) onAbort();
      if (this.#stop) throw this.#stopError();
      if (spec.preflight) await spec.preflight();
      const backend = await this.#backend;
      this.#backendName = backend.name;
      const { argv, files } = buildJob(spec.command, backend.jobDir(this.runId), spec);
      const options: StartOptions = {
        argv, files, stdin: spec.input !== undefined, runId: this.runId, connectorName: spec.connectorName,
        env: { ...PLATFORM_ENV, ...spec.env }, ...(spec.signal ? { signal: spec.signal } : {}),
        ...(spec.memoryBytes ? { memoryBytes: spec.memoryBytes } : {}), ...(spec.nanoCpus ? { nanoCpus: spec.nanoCpus } : {}),
        ...(spec.networkMode ? { networkMode: spec.networkMode } : {}), log: this.#log,
      };
      this.#log.debug(`starting ${spec.command} (${backend.name}, run ${this.runId})`);
      const proc = await backend.start(spec.target, options);
      this.#proc = proc;
      if (this.#stop) void proc.terminate(spec.graceMs);
      if (spec.timeoutMs) timers.push(setTimeout(() => this.#halt({ kind: 'timeout', what: 'timeout', ms: spec.timeoutMs! }), spec.timeoutMs));
      const beat = () => {
        if (!spec.heartbeatMs) return;
        heartbeat?.refresh() ?? (heartbeat = setTimeout(() => this.#halt({ kind: 'timeout', what: 'heartbeat', ms: spec.heartbeatMs! }), spec.heartbeatMs));
      };
      // A destination may stay silent while it consumes input: reading its stdin is a sign of life too.
      this.#beat = beat;
      beat();
      const stderrDone = this.#readStderr(proc);
      const pumped = spec.input ? this.#pump(proc, spec.input) : Promise.resolve();
      for await (const line of decodeLines(proc.stdout, spec.maxLineBytes ? { maxLineBytes: spec.maxLineBytes } : {})) {
        beat();
        if (line.kind === 'noise') {
          this.#noise++;
          this.#log.info(line.raw.toString('utf8'));
          continue;
        }
        if (line.kind === 'invalid') {
          this.#invalid++;
          this.#log.warn(`dropped an invalid ${line.type} message (line ${line.line}): ${line.errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ')}`);
          continue;
        }
        this.#counts[line.type] = (this.#counts[line.type] ?? 0) + 1;
        this.#messageBytes += line.raw.length + 1;
        if (line.type === 'RECORD') {
          this.#records++;
        } else if (line.type === 'LOG') {
          const log = line.message.log!;
          this.#log.log(levelOfAirbyte(log.level), log.message);
          continue;
        } else if (line.type === 'TRACE' && line.message.trace?.type === 'ERROR' && line.message.trace.error) {
          this.#traceErrors.push(line.message.trace.error);
          this.#log.error(line.message.trace.error.message);
        }
        yield line;
      }
      await pumped;
      const exit = await proc.wait();
      await stderrDone;
      finished = true;
      const error = this.#outcome(exit);
      if (error) { failure = error; throw error; }
      this.#resolve(this.#summary(exit));
    } catch (err) {
      failure ??= err;
      throw this.#stopError() ?? err;
    } finally {
      for (const t of timers) clearTimeout(t);
      clearTimeout(heartbeat);
      spec.signal?.removeEventListener('abort', onAbort);
      if (!finished) {
        // The consumer stopped early (break, return) or decoding failed: the connector must not outlive us.
        if (failure === undefined) this.#stop ??= { kind: 'consumer' };
        const exit = this.#proc ? await this.#proc.terminate(spec.graceMs) : { code: null };
        const stopError = this.#stopError();
        if (stopError || failure !== undefined) this.#reject(stopError ?? failure);
        else this.#resolve(this.#summary(exit));
      } else if (failure !== undefined) {
        this.#reject(failure);
      }
    }
  }

  #halt(stop: Stop): void {
    this.#stop ??= stop;
    void this.#proc?.terminate(this.#spec.graceMs);
  }

  /** The error our own stop (abort, timeout) turns into; undefined when nobody stopped it, or the consumer did. */
  #stopError(): unknown {
    const stop = this.#stop;
    if (!stop || stop.kind === 'consumer') return undefined;
    if (stop.kind === 'abort') {
      return isAirdockError(stop.reason) ? stop.reason
        : new AbortedError('The run was interrupted', { context: this.#context(), ...(stop.reason === undefined ? {} : { cause: stop.reason }) });
    }
    const message = stop.what === 'heartbeat' ? 'The connector sent no message for too long' : 'The connector did not finish in time';
    return new ConnectorTimeoutError(message, { context: { ...this.#context(), [stop.what === 'heartbeat' ? 'heartbeatMs' : 'timeoutMs']: stop.ms } });
  }

  #outcome(exit: ExitStatus): unknown {
    const stopped = this.#stopError();
    if (stopped) return stopped;
    const first = this.#traceErrors[0];
    if (first) {
      return new ConnectorFailedError(first.message, first.failure_type ?? undefined, {
        context: { ...this.#context(), exitCode: exit.code, ...(first.stream_descriptor ? { stream: first.stream_descriptor.name } : {}) },
      });
    }
    const clean = exit.code === 0 || (exit.terminated === true && (exit.code === 143 || exit.signal === 'SIGTERM' || this.#stop?.kind === 'consumer'));
    if (clean) return undefined;
    const message = exit.oomKilled ? 'The connector was killed: out of memory'
      : exit.signal ? 'The connector was killed by a signal' : 'The connector exited with an error';
    return new ConnectorExitError(message, {
      context: { ...this.#context(), exitCode: exit.code, signal: exit.signal ?? undefined, ...(exit.oomKilled ? { oomKilled: true } : {}),
        stderrTail: this.#stderr.last(STDERR_IN_ERROR) },
    });
  }

  #context(): Record<string, unknown> {
    return { connector: this.connectorName, command: this.command };
  }

  #summary(exit: ExitStatus): RunSummary {
    return {
      runId: this.runId, connector: this.connectorName, command: this.command, backend: this.#backendName, exit,
      durationMs: Date.now() - this.#started, counts: { ...this.#counts }, records: this.#records, messageBytes: this.#messageBytes,
      noiseLines: this.#noise, invalidLines: this.#invalid, traceErrors: [...this.#traceErrors], stderrTail: this.#stderr.last(),
    };
  }

  async #readStderr(proc: ConnectorProcess): Promise<void> {
    const splitter = new LineSplitter({ maxLineBytes: 1024 * 1024 * 1024 });
    const onLine = (raw: Buffer) => {
      const text = raw.toString('utf8');
      this.#stderr.push(text.length > 4000 ? `${text.slice(0, 4000)}…` : text);
      this.#log.info(text);
    };
    try {
      for await (const chunk of proc.stderr) splitter.push(chunk as Buffer, onLine);
      splitter.end(onLine);
    } catch { /* destroyed when we stop it */ }
  }

  async #pump(proc: ConnectorProcess, input: RunInput): Promise<void> {
    const stdin = proc.stdin;
    const exited = proc.wait().then(() => 'exited' as const);
    try {
      for await (const item of input as AsyncIterable<AirbyteMessage | Uint8Array | string>) {
        if (stdin.destroyed || stdin.writableEnded) break;
        const chunk = typeof item === 'string' || item instanceof Uint8Array ? item : encodeMessage(item);
        this.#beat();
        if (!stdin.write(chunk)) {
          // Backpressure: wait for the connector to read, unless it dies first.
          const r = await Promise.race([once(stdin, 'drain').then(() => 'drain' as const, () => 'exited' as const), exited]);
          if (r === 'exited') break;
        }
      }
    } catch (err) {
      // The input failed (e.g. the source of a sync): stop the connector rather than let it see a truncated EOF as success.
      this.#log.error(`input failed: ${err instanceof Error ? err.message : String(err)}`);
      this.#halt({ kind: 'abort', reason: err });
    } finally {
      if (!stdin.destroyed) stdin.end();
    }
  }
}
