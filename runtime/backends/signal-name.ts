import { constants as osConstants } from 'node:os';

/** The signal behind an exit code above 128 (a container's 137 is SIGKILL), or null. */
export function signalName(n: number): NodeJS.Signals | null {
  for (const [name, value] of Object.entries(osConstants.signals)) if (value === n) return name as NodeJS.Signals;
  return null;
}
