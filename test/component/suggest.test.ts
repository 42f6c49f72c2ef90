import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConnection } from '../../runtime/sync/connection-file.js';
import { repoRoot } from '../support/repo-paths.js';
import { runCli } from '../support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'airdock-suggest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { AIRDOCK_OFFLINE: '1', AIRDOCK_HOME: join(dir, 'home') };

interface Out { suggestions: Array<{ id: string; category: string; severity: string; safe: boolean; message: string; change: { file?: Array<{ path: unknown[]; value: unknown }>; sql?: string } }>; notes: string[]; applied?: string[] }

describe('airdock suggest', () => {
  it('on the quickstart: pins the streams discover gives (safe) and flags always_updated; --apply keeps comments and the file still syncs', async () => {
    const file = join(dir, 'faker-to-duckdb.yaml');
    copyFileSync(join(repoRoot, 'examples/faker-to-duckdb.yaml'), file);
    const before = readFileSync(file, 'utf8');
    const r = await runCli(['suggest', file, '--json'], { env, cwd: dir });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Out;
    expect(out.suggestions.map((s) => [s.id, s.category, s.safe])).toEqual([
      ['performance.always-updated', 'performance', false],
      ['correctness.pin-streams', 'correctness', true],
    ]);
    expect(out.suggestions[0]!.message).toContain('re-emits all 10000 users');
    expect(out.suggestions[1]!.change.file![0]!.value).toEqual([
      { name: 'users', sync_mode: 'incremental', destination_sync_mode: 'append_dedup', cursor_field: ['updated_at'], primary_key: [['id']] },
      { name: 'products', sync_mode: 'incremental', destination_sync_mode: 'append_dedup', cursor_field: ['updated_at'], primary_key: [['id']] },
      { name: 'purchases', sync_mode: 'incremental', destination_sync_mode: 'append_dedup', cursor_field: ['updated_at'], primary_key: [['id']] },
    ]);
    expect(readFileSync(file, 'utf8')).toBe(before);

    const applied = await runCli(['suggest', file, '--apply'], { env, cwd: dir });
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('applied 1 safe suggestion');
    const after = readFileSync(file, 'utf8');
    // Comments and the original lines are kept; the streams are added after them.
    for (const line of before.split('\n').filter(Boolean)) expect(after).toContain(line);
    expect(after).toContain('  - { name: users, sync_mode: incremental, destination_sync_mode: append_dedup, cursor_field: [ updated_at ], primary_key: [ [ id ] ] }');
    expect(parseConnection(after, file, {}).streams?.map((s) => s.name)).toEqual(['users', 'products', 'purchases']);
    const again = JSON.parse((await runCli(['suggest', file, '--json'], { env, cwd: dir })).stdout) as Out;
    expect(again.suggestions.map((s) => s.id)).toEqual(['performance.always-updated']);
    const sync = await runCli(['sync', file, '--state-dir', join(dir, 'state')], { env, cwd: dir, timeoutMs: 120_000 });
    expect(sync.code, sync.stderr).toBe(0);
  });

  it('on a fixture file: secrets, SSL, CDC, dedup, compression, partitioning, versions; never prints the secret', async () => {
    const file = join(dir, 'postgres-to-s3.yaml');
    copyFileSync(join(repoRoot, 'test/fixtures/assist/suggest/postgres-to-s3.yaml'), file);
    const r = await runCli(['suggest', file, '--no-live'], { env, cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain('hunter2-in-clear');
    for (const id of ['security.secret-in-clear', 'correctness.cdc-publication', 'security.ssl-mode', 'performance.compression', 'performance.s3-partitioning', 'monitoring.image-behind']) {
      expect(r.stdout).toContain(`] ${id} (`);
    }
    expect(r.stdout).toContain('run on the database: CREATE PUBLICATION airbyte_publication FOR ALL TABLES;');
    expect(r.stdout).toContain('change: set destination.connector = "airbyte/destination-s3:1.9.7"');
    const applied = await runCli(['suggest', file, '--no-live', '--apply', '--json'], { env, cwd: dir });
    expect((JSON.parse(applied.stdout) as Out).applied).toEqual(['performance.compression', 'monitoring.image-behind']);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# TODO move out of the file');
    expect(text).toContain('password: hunter2-in-clear');
    expect(text).toContain('compression_codec: ZSTD');
    expect(text).toContain('connector: airbyte/destination-s3:1.9.7');
  });

  it('fails with one coded line on a file that is not a connection', async () => {
    const r = await runCli(['suggest', join(dir, 'missing.yaml')], { env, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error AIRDOCK_CONFIG_FILE: The connection file cannot be read/);
  });
});
