import type { AirbyteMessage, MessageLine } from '../../protocol/index.js';
import type { Logger } from '../log/logger.js';
import { buildJob, type ConnectorCommand } from './argv.js';
import type { Backend, ConnectorProcess, ExitStatus, StartOptions } from './backend.js';
import { pumpInput } from './input-pump.js';
import type { LaunchSpec } from './launch-spec.js';
import { LineQueue } from './line-queue.js';
import { OutputReader, type LineConsumer, type OutputCounts } from './output-reader.js';
import { runOutcome, stopError } from './run-outcome.js';
import type { RunSummary } from './run-summary.js';
import { RunTails } from './run-tails.js';
import { readStderr } from './stderr-reader.js';
import type { Stop } from './stop.js';
import { Watchdog } from './watchdog.js';

export type { LaunchSpec, RunInput } from './launch-spec.js';
export type { LineConsumer } from './output-reader.js';

/** How a run ended: its summary always, and the typed error when it failed. */
export interface RunResult {
  summary: RunSummary;
  error?: unknown;
}

/**
 * What the platform sets for every connector and some connectors depend on: without
 * USE_STREAM_CAPABLE_STATE older Java sources fall back to LEGACY state.
 */
const PLATFORM_ENV: Readonly<Record<string, string>> = { USE_STREAM_CAPABLE_STATE: 'true', DEPLOYMENT_MODE: 'OSS' };

/**
 * One connector invocation, and the one streamer every command goes through (`read`, `write`,
 * `sync`, the facade's spec/check/discover): starts it through a backend, decodes its stdout (LOG →
 * logger, noise logged, TRACE ERROR remembered), feeds `input` to stdin with backpressure, enforces
 * the time limits, and turns the way it ended into a summary or a typed error.
 *
 * Single consumer, two ways: pull (`lines()`, `messages()`) or push (`stream(consumer)`, with
 * `pause()`/`resume()` for backpressure, what the sync's relay uses). Or just await `done()`.
 * Iteration throws the same error `done()` rejects with.
 */
export class ConnectorRun implements AsyncDisposable {
  readonly runId: string;
  readonly command: ConnectorCommand;
  readonly connectorName: string;
  readonly #spec: LaunchSpec;
  readonly #backend: Promise<Backend>;
  readonly #log: Logger;
  readonly #tails = new RunTails();
  readonly #watchdog: Watchdog;
  readonly #startedAt = Date.now();
  #backendName = '?';
  #proc: ConnectorProcess | undefined;
  #reader: OutputReader | undefined;
  #stop: Stop | undefined;
  #claimed = false;
  #running = false;
  readonly #result: Promise<RunResult>;
  #settle!: (r: RunResult) => void;
  readonly #started: Promise<void>;
  #onStarted!: (err?: unknown) => void;

  constructor(spec: LaunchSpec, backend: Backend | Promise<Backend>, runId: string, log: Logger) {
    this.#spec = spec;
    this.runId = runId;
    this.command = spec.command;
    this.connectorName = spec.connectorName;
    this.#backend = Promise.resolve(backend);
    this.#log = log;
    this.#watchdog = new Watchdog(spec, (stop) => this.#halt(stop));
    this.#result = new Promise<RunResult>((resolve) => { this.#settle = resolve; });
    this.#started = new Promise<void>((resolve, reject) => { this.#onStarted = (err) => (err === undefined ? resolve() : reject(err)); });
    // Whoever never asks must not crash the process with an unhandled rejection.
    this.#started.catch(() => {});
  }

  /** Protocol messages except LOG (which goes to the logger), with their raw bytes. */
  lines(): AsyncIterable<MessageLine> {
    this.#claim();
    return this.#pull();
  }

  async *messages(): AsyncGenerator<AirbyteMessage> {
    for await (const line of this.lines()) yield line.message;
  }

  /** Push mode: lines go to `consumer` as they are read; resolves like `done()`. */
  async stream(consumer: LineConsumer): Promise<RunSummary> {
    this.#claim();
    return unwrap(await this.#execute(consumer));
  }

  /** Resolves with the summary once the connector has exited; rejects with a typed error. */
  async done(): Promise<RunSummary> {
    return unwrap(await this.settled());
  }

  /** Like `done()`, but never rejects: the summary always, the error when there is one. */
  settled(): Promise<RunResult> {
    if (!this.#claimed) {
      this.#claimed = true;
      void this.#execute({ onLine: () => {} });
    }
    return this.#result;
  }

  /** Resolves once the connector process runs; rejects when it could not be started (or was stopped first). */
  started(): Promise<void> {
    return this.#started;
  }

  /** Holds the connector's output back (push mode backpressure); its silence then does not count as a hang. */
  pause(): void {
    // Once we are stopping it, its output must drain so that it can exit.
    if (this.#stop) return;
    this.#watchdog.pause();
    this.#reader?.pause();
  }

  resume(): void {
    this.#watchdog.resume();
    this.#reader?.resume();
  }

  /** Last stderr lines seen so far. */
  stderrTail(n = 200): string[] {
    return this.#tails.stderr.last(n);
  }

  /** Last log lines seen so far: LOG messages, TRACE errors and stderr, in order. */
  logTail(n = 20): string[] {
    return this.#tails.log.last(n);
  }

  /** Stops the connector (TERM, grace, KILL) and waits for the outcome, which is then clean. */
  async cancel(graceMs = this.#spec.graceMs): Promise<void> {
    this.#halt({ kind: 'consumer' }, graceMs);
    await this.#proc?.terminate(graceMs);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.#claimed) this.#stop ??= { kind: 'consumer' };
    await this.#proc?.terminate(this.#spec.graceMs);
    await this.settled();
  }

  #claim(): void {
    if (this.#claimed) throw new Error('A ConnectorRun can be iterated only once');
    this.#claimed = true;
  }

  async *#pull(): AsyncGenerator<MessageLine> {
    const queue = new LineQueue({ hold: () => this.pause(), release: () => this.resume() });
    const result = this.#execute({ onLine: (line) => queue.push(line) });
    void result.then(() => queue.end());
    let finished = false;
    try {
      yield* queue;
      finished = true;
    } finally {
      if (!finished) {
        // The consumer stopped early (break, return, a throw): the connector must not outlive it.
        queue.close();
        this.#halt({ kind: 'abandoned' });
      }
      const { error } = await result;
      if (finished && error !== undefined) throw error;
    }
  }

  #execute(consumer: LineConsumer): Promise<RunResult> {
    if (!this.#running) {
      this.#running = true;
      void this.#run(consumer).then(this.#settle);
    }
    return this.#result;
  }

  async #run(consumer: LineConsumer): Promise<RunResult> {
    const spec = this.#spec;
    const onAbort = () => this.#halt({ kind: 'abort', reason: spec.signal?.reason });
    spec.signal?.addEventListener('abort', onAbort, { once: true });
    if (spec.signal?.aborted) onAbort();
    let failure: unknown;
    let exit: ExitStatus | undefined;
    try {
      exit = await this.#follow(await this.#start(), consumer);
    } catch (err) {
      if (err !== NOT_STARTED) failure = err;
    } finally {
      this.#watchdog.stop();
      spec.signal?.removeEventListener('abort', onAbort);
    }
    // Whatever went wrong, or whoever left early, the connector must not outlive the run.
    if (exit === undefined && this.#proc) exit = await this.#proc.terminate(spec.graceMs);
    exit ??= { code: null };
    const stats = this.#reader?.stats;
    const error = runOutcome({
      stop: this.#stop, failure, started: this.#proc !== undefined, exit, traceErrors: stats?.traceErrors ?? [],
      stderrTail: this.#tails.stderr.last(), context: { connector: this.connectorName, command: this.command },
    });
    return { summary: this.#summary(exit, stats), ...(error === undefined ? {} : { error }) };
  }

  /** Preflight, job files, argv, backend start. */
  async #start(): Promise<ConnectorProcess> {
    const spec = this.#spec;
    const context = { connector: this.connectorName, command: this.command };
    if (this.#stop) {
      this.#onStarted(stopError(this.#stop, context) ?? new Error('The run was stopped before it started'));
      throw NOT_STARTED;
    }
    try {
      if (spec.preflight) await spec.preflight();
      const backend = await this.#backend;
      this.#backendName = backend.name;
      const { argv, files } = buildJob(spec.command, backend.jobDir(this.runId), spec);
      this.#log.debug(`starting ${spec.command} (${backend.name}, run ${this.runId})`);
      this.#proc = await backend.start(spec.target, this.#startOptions(argv, files));
    } catch (err) {
      this.#onStarted(err);
      throw err;
    }
    this.#onStarted();
    if (this.#stop) void this.#proc.terminate(spec.graceMs);
    return this.#proc;
  }

  #startOptions(argv: string[], files: StartOptions['files']): StartOptions {
    const spec = this.#spec;
    return {
      argv, files, stdin: spec.input !== undefined, runId: this.runId, connectorName: spec.connectorName,
      env: { ...PLATFORM_ENV, ...spec.env }, ...(spec.signal ? { signal: spec.signal } : {}),
      ...(spec.limits ? { limits: spec.limits } : {}), ...(spec.networkMode ? { networkMode: spec.networkMode } : {}), log: this.#log,
    };
  }

  /** Reads stdout and stderr to the end, feeds the input, and waits for the exit. */
  async #follow(proc: ConnectorProcess, consumer: LineConsumer): Promise<ExitStatus> {
    const spec = this.#spec;
    const beat = () => this.#watchdog.beat();
    this.#watchdog.start();
    const stderrDone = readStderr(proc.stderr, this.#log, this.#tails);
    const reader = new OutputReader(proc.stdout, {
      log: this.#log, tails: this.#tails, consumer, onActivity: beat, ...(spec.maxLineBytes ? { maxLineBytes: spec.maxLineBytes } : {}),
    });
    this.#reader = reader;
    const pumped = spec.input ? pumpInput(proc, spec.input, {
      onActivity: beat,
      onFailure: (err) => {
        this.#log.error(`input failed: ${err instanceof Error ? err.message : String(err)}`);
        this.#halt({ kind: 'abort', reason: err });
      },
    }) : undefined;
    const failure = await reader.done;
    if (failure !== undefined) throw failure;
    // An input that never ends (an idle pipe) must not keep us waiting once the connector is gone.
    if (pumped) await Promise.race([pumped, proc.wait()]);
    const exit = await proc.wait();
    await stderrDone;
    return exit;
  }

  #halt(stop: Stop, graceMs = this.#spec.graceMs): void {
    this.#stop ??= stop;
    // Its output must drain (nobody holds it back any more) so that it can exit.
    this.#reader?.resume();
    void this.#proc?.terminate(graceMs);
  }

  #summary(exit: ExitStatus, stats: OutputCounts | undefined): RunSummary {
    return {
      runId: this.runId, connector: this.connectorName, command: this.command, backend: this.#backendName, exit,
      durationMs: Date.now() - this.#startedAt, counts: { ...stats?.counts }, records: stats?.records ?? 0,
      messageBytes: stats?.messageBytes ?? 0, noiseLines: stats?.noiseLines ?? 0, invalidLines: stats?.invalidLines ?? 0,
      traceErrors: [...(stats?.traceErrors ?? [])], stderrTail: this.#tails.stderr.last(),
    };
  }
}

/** Thrown by #start when the run was stopped before anything started: not a failure. */
const NOT_STARTED = Symbol('not started');

function unwrap(r: RunResult): RunSummary {
  if (r.error !== undefined) throw r.error;
  return r.summary;
}
