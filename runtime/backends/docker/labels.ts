import { hostname } from 'node:os';

/** Labels on every container we create: who started it, so the orphan sweep can tell ours from others. */
export const LABEL_RUN_ID = 'airdock.run-id';
export const LABEL_CONNECTOR = 'airdock.connector';
export const LABEL_PID = 'airdock.pid';
export const LABEL_HOST = 'airdock.host';

export function containerLabels(runId: string, connector: string): Record<string, string> {
  return { [LABEL_RUN_ID]: runId, [LABEL_CONNECTOR]: connector, [LABEL_PID]: String(process.pid), [LABEL_HOST]: hostname() };
}
