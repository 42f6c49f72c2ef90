import { describe, expect, it } from 'vitest';
import { AbortedError, ConfigValidationError, ConnectorExitError, ConnectorFailedError, ConnectorTimeoutError, LineTooLongError } from '../../protocol/index.js';
import { runOutcome, type RunFacts } from './run-outcome.js';

const facts = (f: Partial<RunFacts>): RunFacts => ({
  stop: undefined, started: true, exit: { code: 0 }, traceErrors: [], stderrTail: [], context: { connector: 'c', command: 'read' }, ...f,
});

describe('runOutcome: how a run ended, as the user hears it', () => {
  it('exit 0 is success; a non-zero exit is ConnectorExitError with the stderr tail', () => {
    expect(runOutcome(facts({}))).toBeUndefined();
    const err = runOutcome(facts({ exit: { code: 3 }, stderrTail: Array.from({ length: 30 }, (_, i) => `l${i}`) }));
    expect(err).toBeInstanceOf(ConnectorExitError);
    expect(err).toMatchObject({ message: 'The connector exited with an error', context: { exitCode: 3, connector: 'c', command: 'read' } });
    expect((err as ConnectorExitError).context.stderrTail).toHaveLength(20);
  });

  it('names out-of-memory and signal kills', () => {
    expect(runOutcome(facts({ exit: { code: 137, oomKilled: true } }))).toMatchObject({ message: 'The connector was killed: out of memory', context: { oomKilled: true } });
    expect(runOutcome(facts({ exit: { code: null, signal: 'SIGKILL' } }))).toMatchObject({ message: 'The connector was killed by a signal' });
  });

  it('a TRACE ERROR wins over the exit code and keeps its failure_type', () => {
    const err = runOutcome(facts({ exit: { code: 1 }, traceErrors: [{ message: 'bad key', failure_type: 'config_error' }, { message: 'later' }] }));
    expect(err).toBeInstanceOf(ConnectorFailedError);
    expect(err).toMatchObject({ message: 'bad key', failureType: 'config_error', context: { exitCode: 1 } });
  });

  it('our own stops come first: abort, then time limits', () => {
    expect(runOutcome(facts({ stop: { kind: 'abort', reason: undefined }, exit: { code: 143, terminated: true } }))).toBeInstanceOf(AbortedError);
    const typed = new ConfigValidationError([]);
    expect(runOutcome(facts({ stop: { kind: 'abort', reason: typed }, traceErrors: [{ message: 'x' }] }))).toBe(typed);
    const hb = runOutcome(facts({ stop: { kind: 'timeout', what: 'heartbeat', ms: 300 } }));
    expect(hb).toBeInstanceOf(ConnectorTimeoutError);
    expect(hb).toMatchObject({ message: 'The connector sent no message for too long', context: { heartbeatMs: 300 } });
    expect(runOutcome(facts({ stop: { kind: 'timeout', what: 'timeout', ms: 5 } }))).toMatchObject({ context: { timeoutMs: 5 } });
  });

  it('a stop we asked for is clean, whatever the exit code of the stopped process', () => {
    expect(runOutcome(facts({ stop: { kind: 'consumer' }, exit: { code: 1, terminated: true } }))).toBeUndefined();
    expect(runOutcome(facts({ exit: { code: 143, terminated: true } }))).toBeUndefined();
    expect(runOutcome(facts({ stop: { kind: 'abandoned' }, exit: { code: 1, terminated: true }, traceErrors: [{ message: 'x' }] }))).toBeUndefined();
    expect(runOutcome(facts({ stop: { kind: 'consumer' }, started: false, exit: { code: null } }))).toBeUndefined();
  });

  it('our own failures (decoding, start) come before what the connector said', () => {
    const tooLong = new LineTooLongError('A line is longer than the maximum line length');
    expect(runOutcome(facts({ failure: tooLong, traceErrors: [{ message: 'x' }], exit: { code: 1 } }))).toBe(tooLong);
  });
});
