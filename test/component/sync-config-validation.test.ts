import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSyncCli } from '../support/sync-harness.js';

// `airdock sync` checks both configs against their connector's spec before anything runs, as the
// single-connector commands do: every problem at once, which side it is, and never a value.
describe('airdock sync: configs are validated against the connectors\' specs first', () => {
  it('a bad source and destination config fail with exit 2, listing every problem, before any data moves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'airdock-sync-config-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, `name: bad-config
source: { connector: native:source-faker, config: { count: "a-SECRET-looking-value", seed: 1 } }
destination: { connector: native:destination-duckdb, config: { destination_path: ${join(dir, 'out.duckdb')}, schema: 42 } }
`);
    const r = await runSyncCli(file, dir, { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/AIRDOCK_CONFIG_INVALID/);
    expect(r.stderr).toMatch(/\/count must be integer/);
    expect(r.stderr).not.toContain('a-SECRET-looking-value');
    expect(existsSync(join(dir, 'out.duckdb'))).toBe(false);
  });
});

// A destination gets only the destination sync modes its spec declares (local-json: overwrite, append).
describe('airdock sync: destination sync modes come from the destination spec', () => {
  const connection = (streams: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'airdock-sync-modes-'));
    const file = join(dir, 'modes.yaml');
    writeFileSync(file, `name: modes-${process.pid}-${Date.now().toString(36)}
source: { connector: native:source-faker, config: { count: 5, seed: 1 } }
destination: { connector: native:destination-local-json, config: { destination_path: ${join(dir, 'out')} } }
${streams}
`);
    return { dir, file };
  };

  it('a keyed incremental stream is written append, not append_dedup, when the destination lacks dedup', async () => {
    const { dir, file } = connection('streams: [users]');
    const r = await runSyncCli(file, dir, { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/users \(incremental\/append\)/);
  });

  it('a stream configured with a mode the destination lacks fails before any data moves, listing the supported modes', async () => {
    const { dir, file } = connection('streams: [{ name: users, destination_sync_mode: append_dedup }]');
    const r = await runSyncCli(file, dir, { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/AIRDOCK_CONNECTION_INVALID: The destination does not support this destination_sync_mode/);
    expect(r.stderr).toMatch(/Use one of: overwrite, append/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
