import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { runSyncCli } from '../support/sync-harness.js';

// Issue 10 item 1: a destination on a disk that fills up. The sync must fail, acknowledge nothing it
// did not write completely, and a rerun (with space again) must end with every record and a valid
// file. Each case mounts a small tmpfs of its own (root is required, as for the rest of the suite).
const mounts: string[] = [];

function mountTmpfs(dir: string, size: string): void {
  if (process.getuid?.() !== 0) throw new Error('the full-disk tests mount a tmpfs and must run as root (npm test runs as root in CI)');
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'airdock-full-disk-test', dir]);
  mounts.push(dir);
}
const resize = (dir: string, size: string) => execFileSync('mount', ['-o', `remount,size=${size}`, dir]);

afterAll(() => {
  for (const m of mounts) {
    try { execFileSync('umount', [m]); } catch { /* reported by the test that failed */ }
    rmSync(m, { recursive: true, force: true });
  }
});

function connection(dir: string, name: string, count: number, destination: string, destConfig: Record<string, unknown>): string {
  const file = join(dir, 'connection.yaml');
  writeFileSync(file, `name: ${name}
source: { connector: native:source-faker, config: { count: ${count}, seed: 5, records_per_slice: 250, always_updated: false } }
destination: { connector: ${destination}, config: ${JSON.stringify(destConfig)} }
streams:
  - { name: users, sync_mode: incremental, destination_sync_mode: append }
retry: { attempts: 1 }
`);
  return file;
}

async function fillThenRerun(dir: string, mnt: string, file: string, count: number) {
  const first = await runSyncCli(file, dir, { timeoutMs: 120_000 });
  expect(first.code, first.stderr).toBe(1);
  expect(first.summary?.status).toBe('failed');
  expect(first.stderr + JSON.stringify(first.summary)).toMatch(/ENOSPC|No space left|disk is full|out of disk/i);
  const committedFirst = first.summary?.recordsCommitted ?? 0;
  expect(committedFirst).toBeGreaterThan(0);
  expect(committedFirst).toBeLessThan(count);
  resize(mnt, '256m');
  const second = await runSyncCli(file, dir, { timeoutMs: 120_000 });
  expect(second.code, second.stderr).toBe(0);
  return { first, second };
}

describe('a destination whose disk fills up loses no acknowledged record', () => {
  it('native:destination-local-json: the rerun ends with every id and a valid JSONL file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'airdock-fulldisk-json-'));
    const mnt = join(dir, 'mnt');
    mountTmpfs(mnt, '600k');
    const count = 6000;
    const file = connection(dir, `fulldisk-json-${process.pid}`, count, 'native:destination-local-json', { destination_path: join(mnt, 'out') });
    await fillThenRerun(dir, mnt, file, count);
    const lines = readFileSync(join(mnt, 'out', '_airbyte_raw_users.jsonl'), 'utf8').split('\n');
    expect(lines.pop()).toBe(''); // ends with a newline: no torn tail
    const ids = new Set<number>();
    for (const [i, line] of lines.entries()) {
      let row: { _airbyte_data: { id: number } };
      try { row = JSON.parse(line); } catch { throw new Error(`line ${i + 1} of the JSONL file is not JSON: ${line.slice(0, 80)}`); }
      ids.add(row._airbyte_data.id);
    }
    const missing = Array.from({ length: count }, (_, i) => i + 1).filter((id) => !ids.has(id));
    expect(missing).toEqual([]);
  });

  it('native:destination-duckdb: the rerun ends with every id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'airdock-fulldisk-duckdb-'));
    const mnt = join(dir, 'mnt');
    mountTmpfs(mnt, '28m');
    const db = join(mnt, 'full.duckdb');
    const count = 300_000;
    const file = connection(dir, `fulldisk-duckdb-${process.pid}`, count, 'native:destination-duckdb', { destination_path: db });
    await fillThenRerun(dir, mnt, file, count);
    const inst = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
    const conn = await inst.connect();
    try {
      const rows = (await conn.runAndReadAll('SELECT id FROM users')).getRows().map(([id]) => Number(id));
      const ids = new Set(rows);
      expect(Array.from({ length: count }, (_, i) => i + 1).filter((id) => !ids.has(id))).toEqual([]);
    } finally {
      conn.closeSync();
      inst.closeSync();
    }
  });
});
