import { describe, expect, it } from 'vitest';
import { containerExit, terminateOnAbort } from './container-exit.js';

describe('containerExit', () => {
  it('reads an exit code above 128 as the signal that killed the program', () => {
    expect(containerExit(137, true, false)).toEqual({ code: 137, signal: 'SIGKILL', oomKilled: true, terminated: false });
    expect(containerExit(143, false, true)).toMatchObject({ signal: 'SIGTERM', terminated: true });
    expect(containerExit(1, false, false).signal).toBeNull();
    expect(containerExit(null, false, false)).toMatchObject({ code: null, signal: null });
  });
});

describe('terminateOnAbort', () => {
  it('terminates on abort, and not once the process has ended', async () => {
    let calls = 0;
    const process = { terminate: async () => { calls++; return containerExit(143, false, true); } };
    const running = new AbortController();
    terminateOnAbort(running.signal, process, new Promise(() => {}));
    running.abort();
    expect(calls).toBe(1);

    const ended = new AbortController();
    const exited = Promise.resolve();
    terminateOnAbort(ended.signal, process, exited);
    await exited;
    await new Promise((r) => setImmediate(r));
    ended.abort();
    expect(calls).toBe(1);
  });
});
