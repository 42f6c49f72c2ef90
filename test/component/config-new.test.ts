import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validateConfig } from '../../protocol/index.js';
import { bundledSpec } from '../../runtime/assist/bundled-specs.js';
import { parseConnection } from '../../runtime/sync/connection-file.js';
import { corpus } from '../fixtures/assist/corpus.js';
import { cliPath } from '../support/repo-paths.js';
import { runCli } from '../support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'airdock-config-new-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const offline = { AIRDOCK_OFFLINE: '1', AIRDOCK_HOME: join(dir, 'home'), AIRDOCK_LLM_URL: undefined };
const EXAMPLE = "Connect to our production PostgreSQL database on aws-prod-db.company.com running on port 5432. Use read-only user 'analytics_reader' and enable SSL connections. Set up connection pooling for high performance.";

describe('airdock config new', () => {
  it("drafts the issue's example: source-postgres with ssl_mode require, pooling, ${POSTGRES_PASSWORD}; valid once the database is answered", async () => {
    const r = await runCli(['config', 'new', EXAMPLE, '--json'], { env: offline, cwd: dir });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { kind: string; complete: boolean; source: { connector: string; config: Record<string, unknown>; questions: Array<{ path: string }>; env: Array<{ variable: string }> } };
    expect(out.kind).toBe('config');
    expect(out.source.connector).toBe('source-postgres');
    expect(out.source.config).toEqual({
      host: 'aws-prod-db.company.com', port: 5432, username: 'analytics_reader', ssl_mode: { mode: 'require' },
      pool_size: 10, parallel_reads: 4, password: '${POSTGRES_PASSWORD}',
    });
    expect(out.source.env.map((e) => e.variable)).toEqual(['POSTGRES_PASSWORD']);
    expect(out.source.questions.map((q) => q.path)).toEqual(['database']);
    expect(out.complete).toBe(false);
    expect(r.stderr).toContain('question database: Database Name');

    const file = join(dir, 'pg.yaml');
    const done = await runCli(['config', 'new', EXAMPLE, '--set', 'database=analytics', '--out', file], { env: offline, cwd: dir });
    expect(done.code).toBe(0);
    expect(done.stderr).toContain('Valid against the spec; written to');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# source-postgres \(Postgres, source\) config drafted by/);
    expect(text).toContain('# Set before use: POSTGRES_PASSWORD');
    const config = parse(text) as Record<string, unknown>;
    expect(config).toMatchObject({ database: 'analytics', ssl_mode: { mode: 'require' }, password: '${POSTGRES_PASSWORD}' });
    expect(validateConfig(config, bundledSpec('source-postgres')!.connectionSpecification)).toEqual([]);
  });

  it('asks on a terminal with --interactive', () => {
    const file = join(dir, 'interactive.yaml');
    // `script` gives the CLI a pseudo-terminal, as a user's shell would.
    execFileSync('script', ['-qec', `${process.execPath} ${cliPath} config new -i 'Postgres on pg1.local, user app' --out ${file}`, '/dev/null'], {
      input: 'analytics\n', env: { ...process.env, AIRDOCK_OFFLINE: '1', AIRDOCK_HOME: join(dir, 'home'), AIRDOCK_LLM_URL: '' }, cwd: dir, timeout: 30_000,
    });
    expect(parse(readFileSync(file, 'utf8'))).toEqual({ host: 'pg1.local', port: 5432, username: 'app', password: '${POSTGRES_PASSWORD}', database: 'analytics' });
  });

  it('refuses --interactive without a terminal', async () => {
    const r = await runCli(['config', 'new', '-i', 'Postgres on pg1.local'], { env: offline, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error AIRDOCK_USAGE: --interactive needs a terminal/);
  });

  it('writes a connection file that airdock sync accepts when the words name a source and a destination', async () => {
    const file = join(dir, 'faker-to-duckdb.yaml');
    const r = await runCli(['config', 'new', 'Generate 10000 fake users into DuckDB at ./out/faker.duckdb', '--out', file], { env: offline, cwd: dir });
    expect(r.code).toBe(0);
    const conn = parseConnection(readFileSync(file, 'utf8'), file, {});
    expect(conn.source).toEqual({ connector: 'source-faker', config: { count: 10000 } });
    expect(conn.destination).toEqual({ connector: 'destination-duckdb', config: { destination_path: './out/faker.duckdb' } });
    const hourly = await runCli(['config', 'new', 'Copy our Postgres orders table into ClickHouse every hour', '--json'], { env: offline, cwd: dir });
    const j = JSON.parse(hourly.stdout) as { kind: string; streams: Array<{ name: string }>; schedule: { cron: string } };
    expect(j.kind).toBe('connection');
    expect(j.streams).toEqual([{ name: 'orders' }]);
    expect(j.schedule.cron).toBe('0 * * * *');
  });

  it('refuses with a coded line and exit 2 when the words do not pick one connector', async () => {
    const r = await runCli(['config', 'new', 'Pull everything from Oracle into Snowflake'], { env: offline, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error AIRDOCK_ASSIST_CONNECTOR: Several connectors fit the description .* Name one of: source-oracle, source-oracle-enterprise\n$/);
    expect(r.stdout).toBe('');
  });

  it('never writes a secret of the description to stdout, stderr or the file', async () => {
    const cases = corpus.filter((c) => c.secrets);
    expect(cases.length).toBeGreaterThanOrEqual(5);
    for (const [i, c] of cases.entries()) {
      const file = join(dir, `secret-${i}.yaml`);
      for (const args of [['--out', file, '--force'], ['--json']]) {
        const r = await runCli(['config', 'new', c.text, ...args], { env: offline, cwd: dir });
        expect(r.code, c.text).toBe(0);
        const all = r.stdout + r.stderr + (args[0] === '--out' ? readFileSync(file, 'utf8') : '');
        for (const s of c.secrets!) expect(all.includes(s), `${c.text}: secret in output`).toBe(false);
        expect(r.stderr, c.text).toContain('the description had it: it was left out');
      }
    }
    const refused = await runCli(['config', 'new', 'Postgres on pg1.local, user app', '--set', 'password=hunter2'], { env: offline, cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr + refused.stdout).not.toContain('hunter2');
  });
});
