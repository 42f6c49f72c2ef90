import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobFile } from './backend.js';

/**
 * Writes job files into a fresh private directory (0700, files 0600): configs hold secrets, and the
 * directory must not be shared with another run. `recursive: false` makes an existing dir an error.
 */
export async function writeJobDir(dir: string, files: readonly JobFile[]): Promise<void> {
  await mkdir(dir, { mode: 0o700 });
  await chmod(dir, 0o700);
  for (const f of files) await writeFile(join(dir, f.name), f.contents, { mode: 0o600, flag: 'wx' });
}

export async function removeJobDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
