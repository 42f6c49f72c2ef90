import { writeJson } from '../format/write-json.js';
import { loadCircuit } from '../../runtime/circuit/guarded-sync.js';
import { openFor } from './state-command.js';

export async function circuitStatus(conn: string, flags: { stateDir?: string; json?: boolean }): Promise<void> {
  const { name, store } = await openFor(conn, flags);
  try {
    const r = await loadCircuit(store, name);
    if (flags.json) {
      await writeJson({ connection: name, ...r });
      return;
    }
    const last = r.lastFailure ? `; last failure ${r.lastFailure.code ?? r.lastFailure.failureType} (${r.lastFailure.failureType}) at ${r.lastFailure.at}` : '';
    const what = r.state === 'open' ? `open since ${r.openedAt}, fails syncs fast until ${r.retryAt}`
      : r.state === 'half_open' ? 'half-open: the next sync is the trial' : 'closed';
    process.stdout.write(`${name}: ${what} (${r.consecutiveFailures} consecutive failed sync${r.consecutiveFailures === 1 ? '' : 's'}${last})\n`);
  } finally {
    await store.close();
  }
}

export async function circuitReset(conn: string, flags: { stateDir?: string }): Promise<void> {
  const { name, store } = await openFor(conn, flags);
  try {
    await store.saveRecord(name, 'circuit', undefined);
    process.stderr.write(`circuit of ${name} closed (${store.describe})\n`);
  } finally {
    await store.close();
  }
}
