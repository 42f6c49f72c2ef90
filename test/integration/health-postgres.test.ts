import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../support/run-cli.js';
import { postgresEnv } from '../support/services.js';

// `airdock health` against the PostgreSQL the CI setup started, with the native source-postgres: up,
// a wrong password, and a port where nothing answers.

const dir = mkdtempSync(join(tmpdir(), 'airdock-health-'));
const env = { AIRDOCK_HOME: join(dir, '.airdock') };

function pgConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const pg = postgresEnv();
  return {
    host: pg.host, port: pg.port, database: pg.database, username: pg.user, password: pg.password,
    schemas: ['public'], ssl_mode: { mode: 'disable' }, tunnel_method: { tunnel_method: 'NO_TUNNEL' }, replication_method: { method: 'Standard' },
    ...extra,
  };
}

function writeJson(name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

/** A port that accepts connections and never answers: a hung database, not a refused one. */
async function silentPort(): Promise<{ port: number; server: Server }> {
  const server = createServer(() => { /* accept, say nothing */ });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as { port: number }).port, server };
}

describe('airdock health (PostgreSQL)', () => {
  const servers: Server[] = [];
  afterAll(() => { for (const s of servers) s.close(); });

  it('a connection file: both sides checked, healthy, with latencies; exit 0', async () => {
    const file = join(dir, 'pg-to-json.yaml');
    writeFileSync(file, stringify({
      name: 'health-pg-to-json',
      source: { connector: 'native:source-postgres', config: pgConfig() },
      destination: { connector: 'native:destination-local-json', config: { destination_path: join(dir, 'out') } },
    }));
    const r = await runCli(['health', file, '--json'], { env, cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.healthy).toBe(true);
    expect(out.checks.map((c: any) => [c.name, c.side, c.status, c.healthy])).toEqual([
      ['health-pg-to-json', 'source', 'SUCCEEDED', true],
      ['health-pg-to-json', 'destination', 'SUCCEEDED', true],
    ]);
    for (const c of out.checks) expect(c.latencyMs).toBeGreaterThan(0);
    const text = await runCli(['health', file], { env, cwd: dir });
    // (The connector's name may be masked: the test database's password can be a word of it.)
    expect(text.stdout).toMatch(/^healthy {3}health-pg-to-json source \(native:source-\S+\) SUCCEEDED \d+ ms$/m);
  });

  it('a wrong password: unhealthy with the database\'s reason, never the password; exit 1', async () => {
    const cfg = writeJson('wrong.json', pgConfig({ password: 'not-the-password-9f3a' }));
    const r = await runCli(['health', 'native:source-postgres', '--config', cfg, '--json'], { env, cwd: dir });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ healthy: false, checks: [{ side: 'connector', status: 'FAILED', healthy: false }] });
    expect(out.checks[0].message).toMatch(/password|authentication/i);
    expect(r.stdout + r.stderr).not.toContain('not-the-password-9f3a');
  });

  it('ports where nothing answers: TIMEOUT at --timeout, all checked at once; a closed port: FAILED', async () => {
    const hung = await silentPort();
    servers.push(hung.server);
    const files = [1, 2, 3].map((i) => {
      const f = join(dir, `hung-${i}.yaml`);
      writeFileSync(f, stringify({
        name: `health-hung-${i}`, source: { connector: 'native:source-postgres', config: pgConfig({ port: hung.port }) },
        destination: { connector: 'native:destination-local-json', config: { destination_path: join(dir, 'out') } },
      }));
      return f;
    });
    const t0 = Date.now();
    const r = await runCli(['health', ...files, '--timeout', '3', '--json'], { env, cwd: dir });
    const took = Date.now() - t0;
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    const sources = out.checks.filter((c: any) => c.side === 'source');
    expect(sources.map((c: any) => [c.status, c.message])).toEqual([1, 2, 3].map(() => ['TIMEOUT', 'no answer within 3 s']));
    for (const c of sources) expect(c.latencyMs).toBeGreaterThanOrEqual(2900);
    for (const c of sources) expect(c.latencyMs).toBeLessThan(3500);
    expect(out.checks.filter((c: any) => c.side === 'destination').every((c: any) => c.healthy)).toBe(true);
    // One after the other, three 3 s timeouts would take at least 9 s.
    expect(took).toBeLessThan(9000);

    const closed = await silentPort();
    await new Promise<void>((res) => closed.server.close(() => res()));
    const cfg = writeJson('closed.json', pgConfig({ port: closed.port }));
    const c = await runCli(['health', 'native:source-postgres', '--config', cfg, '--json'], { env, cwd: dir });
    expect(c.code).toBe(1);
    expect(JSON.parse(c.stdout).checks[0]).toMatchObject({ status: 'FAILED', healthy: false });
  });
});
