import { writeFileSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { processIdentity, readStartTicks, type ProcessIdentity } from '../host/process-identity.js';
import type { JobFile } from './backend.js';

/** Beside the job files: who made the dir and which connector runs from it, for the sweep of dead runs. */
export const JOB_OWNER_FILE = '.owner.json';

export interface JobOwner {
  airdock: ProcessIdentity;
  connector?: { pid: number; startTicks?: number };
}

/**
 * Writes job files into a fresh private directory (0700, files 0600) under a private root (0700):
 * configs hold secrets, and the directory must not be shared with another run. `recursive: false`
 * makes an existing dir an error. The owner file goes first, so a dir is never ownerless for long.
 */
export async function writeJobDir(dir: string, files: readonly JobFile[]): Promise<void> {
  const root = join(dir, '..');
  const created = await mkdir(root, { recursive: true, mode: 0o700 });
  if (created !== undefined) await chmod(root, 0o700);
  await mkdir(dir, { mode: 0o700 });
  await chmod(dir, 0o700);
  const owner: JobOwner = { airdock: processIdentity() };
  await writeFile(join(dir, JOB_OWNER_FILE), JSON.stringify(owner), { mode: 0o600, flag: 'wx' });
  for (const f of files) await writeFile(join(dir, f.name), f.contents, { mode: 0o600, flag: 'wx' });
}

/**
 * Records the connector's pid right after spawn, synchronously: the window in which airdock could die
 * with a running connector that no file names is as short as it can be.
 */
export function recordJobConnector(dir: string, pid: number): void {
  const owner: JobOwner = { airdock: processIdentity(), connector: { pid, ...optional(readStartTicks(pid)) } };
  try {
    writeFileSync(join(dir, JOB_OWNER_FILE), JSON.stringify(owner), { mode: 0o600 });
  } catch { /* the dir is gone: the connector has already exited */ }
}

export async function readJobOwner(dir: string): Promise<JobOwner | undefined> {
  try {
    const owner = JSON.parse(await readFile(join(dir, JOB_OWNER_FILE), 'utf8')) as JobOwner;
    return typeof owner?.airdock?.pid === 'number' ? owner : undefined;
  } catch {
    return undefined;
  }
}

export async function removeJobDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

function optional(startTicks: number | undefined): { startTicks?: number } {
  return startTicks === undefined ? {} : { startTicks };
}
