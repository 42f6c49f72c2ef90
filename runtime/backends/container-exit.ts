import { constants as osConstants } from 'node:os';
import type { ConnectorProcess, ExitStatus } from '../launcher/backend.js';

/**
 * A container's end as the ExitStatus a local process would report. Containers only have an exit
 * code: above 128 it is the signal that killed the program (137 is SIGKILL, often the OOM killer),
 * which is what the failure classification needs to tell a crash from a kill.
 */
export function containerExit(code: number | null, oomKilled: boolean, terminated: boolean): ExitStatus {
  return { code, signal: code !== null && code > 128 ? signalName(code - 128) : null, oomKilled, terminated };
}

/**
 * Stops a container process when the caller aborts, and forgets the listener once the process has
 * ended (a long-lived signal, such as serve's, would otherwise keep every finished process alive).
 */
export function terminateOnAbort(signal: AbortSignal | undefined, process: Pick<ConnectorProcess, 'terminate'>, exited: Promise<unknown>): void {
  if (!signal) return;
  const onAbort = () => void process.terminate();
  signal.addEventListener('abort', onAbort, { once: true });
  void exited.then(() => signal.removeEventListener('abort', onAbort));
}

function signalName(n: number): NodeJS.Signals | null {
  for (const [name, value] of Object.entries(osConstants.signals)) if (value === n) return name as NodeJS.Signals;
  return null;
}
