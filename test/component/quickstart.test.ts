import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/repo-paths.js';
import { runCli } from '../support/run-cli.js';

/** The README's first command, as a newcomer runs it: from their own directory, relative output path. */
describe('quickstart: airdock sync examples/faker-to-duckdb.yaml', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'airdock-quickstart-'));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it('writes a DuckDB file, relative to where the user runs it, that can be queried', async () => {
    const r = await runCli(['sync', join(repoRoot, 'examples/faker-to-duckdb.yaml'), '--json-summary'], { cwd, env: { AIRDOCK_HOME: join(cwd, '.airdock') }, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout.trim().split('\n').pop()!) as { status: string; recordsCommitted: number; stateCommitted: boolean };
    expect(summary.status).toBe('succeeded');
    expect(summary.recordsCommitted).toBeGreaterThan(10_000);
    const file = join(cwd, 'out/faker.duckdb');
    expect(existsSync(file)).toBe(true);
    const db = await DuckDBInstance.create(file);
    const c = await db.connect();
    const rows = (await c.runAndReadAll('select count(*)::INTEGER as n, count(distinct id)::INTEGER as ids from main.users')).getRowObjects();
    expect(rows[0]).toEqual({ n: 10_000, ids: 10_000 });
    c.closeSync();
    db.closeSync();
  });
});
