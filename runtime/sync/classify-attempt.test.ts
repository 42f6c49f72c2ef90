import { describe, expect, it } from 'vitest';
import { classifyAttempt, type AttemptFacts } from './classify-attempt.js';

const ok = { exit: { code: 0 }, lastLogLines: [] };
const facts = (f: { source?: Partial<AttemptFacts['source']>; destination?: Partial<AttemptFacts['destination']>; aborted?: boolean }): AttemptFacts => ({
  source: { ...ok, ...f.source }, destination: { ...ok, timedOut: false, ...f.destination }, aborted: f.aborted ?? false,
});
const failuresOf = (f: AttemptFacts) => classifyAttempt(f, 0).failures.map(({ origin, failureType, retryable, message }) => ({ origin, failureType, retryable, message }));

describe('classifyAttempt', () => {
  it('both sides exiting 0 is a success', () => {
    expect(classifyAttempt(facts({}))).toEqual({ status: 'succeeded', failures: [] });
  });

  it('a TRACE ERROR gives its failure_type; only transient_error is retryable', () => {
    expect(failuresOf(facts({ source: { exit: { code: 1 }, traceError: { message: 'bad key', failure_type: 'config_error' }, lastLogLines: ['l1'] } }))).toEqual([
      { origin: 'source', failureType: 'config_error', retryable: false, message: 'bad key' },
    ]);
    expect(failuresOf(facts({ destination: { traceError: { message: 'busy', failure_type: 'transient_error' } } }))[0]).toMatchObject({ retryable: true });
    expect(failuresOf(facts({ destination: { traceError: { message: 'no type' } } }))[0]).toMatchObject({ failureType: 'system_error', retryable: false });
  });

  it('a crash without a TRACE is a transient failure of that side, with its last log lines', () => {
    const r = classifyAttempt(facts({ source: { exit: { code: 1 }, lastLogLines: ['crashing now'] } }), 0);
    expect(r.status).toBe('failed');
    expect(r.failures).toEqual([{ origin: 'source', failureType: 'transient_error', retryable: true, message: 'The source exited with code 1 without reporting an error', lastLogLines: ['crashing now'], at: 0 }]);
    expect(failuresOf(facts({ destination: { exit: { code: null, signal: 'SIGKILL' } } }))[0]!.message).toBe('The destination exited with signal SIGKILL without reporting an error');
    expect(failuresOf(facts({ destination: { exit: { code: 137, oomKilled: true } } }))[0]!.message).toMatch(/out-of-memory kill/);
  });

  it('an idle source and an unreadable source are ours to report; their exit is not blamed', () => {
    expect(failuresOf(facts({ source: { idleMs: 1000, exit: { code: 143, terminated: true } } }))).toEqual([
      { origin: 'source', failureType: 'transient_error', retryable: true, message: 'The source sent nothing for 1 s' },
    ]);
    expect(failuresOf(facts({ source: { streamFailure: 'A line is longer than the maximum line length', exit: { code: null, signal: 'SIGTERM', terminated: true } } }))).toEqual([
      { origin: 'source', failureType: 'system_error', retryable: false, message: 'A line is longer than the maximum line length' },
    ]);
  });

  it('a source we stopped because the destination died blames the destination', () => {
    expect(failuresOf(facts({ source: { exit: { code: 143, terminated: true } } }))).toEqual([
      { origin: 'destination', failureType: 'transient_error', retryable: true, message: 'The destination exited before the source finished' },
    ]);
  });

  it('a destination that outlives its grace period is a transient failure', () => {
    expect(failuresOf(facts({ destination: { timedOut: true, exit: { code: 143, terminated: true } } }))).toEqual([
      { origin: 'destination', failureType: 'transient_error', retryable: true, message: 'The destination did not finish after its input ended' },
    ]);
  });

  it('Ctrl-C: aborted, the stopped source and a stopped destination are not failures', () => {
    const r = classifyAttempt(facts({ aborted: true, source: { exit: { code: 143, terminated: true } }, destination: { exit: { code: 143, terminated: true } } }));
    expect(r).toEqual({ status: 'aborted', failures: [] });
  });

  it('orders what went wrong during the run first, then the source, then the destination', () => {
    const r = failuresOf(facts({
      source: { idleMs: 2000, exit: { code: 143, terminated: true }, traceError: { message: 'slow api', failure_type: 'transient_error' } },
      destination: { exit: { code: 2 } },
    }));
    expect(r.map((f) => f.message)).toEqual(['The source sent nothing for 2 s', 'slow api', 'The destination exited with code 2 without reporting an error']);
  });
});
