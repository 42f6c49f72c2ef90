import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createOwnedTempDir } from './owned-temp-dir.js';

const parent = mkdtempSync(join(tmpdir(), 'airdock-owned-sweep-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

describe('createOwnedTempDir', () => {
  it('removes the folders of its prefix that a killed process left, and keeps those of running ones', () => {
    // A pid that surely ended: a child that already exited.
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const left = join(parent, `airdock-duckdb-stage-${dead}-abc123`);
    mkdirSync(left);
    writeFileSync(join(left, 'batch-0.jsonl'), '{"a":1}\n');
    const live = join(parent, `airdock-duckdb-stage-${process.ppid}-def456`);
    mkdirSync(live);
    const otherPrefix = join(parent, `airdock-parquet-${dead}-ghi789`);
    mkdirSync(otherPrefix);
    const other = join(parent, 'something-else');
    mkdirSync(other);

    const mine = createOwnedTempDir('airdock-duckdb-stage-', parent);

    expect(existsSync(left)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(otherPrefix)).toBe(true);
    expect(existsSync(other)).toBe(true);
    expect(mine).toMatch(new RegExp(`airdock-duckdb-stage-${process.pid}-`));
    expect(existsSync(mine)).toBe(true);
  });
});
