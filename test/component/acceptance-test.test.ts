/**
 * `airdock test` over the misbehave fixture as a local program (process backend, no Docker): our own
 * CAT-format acceptance-test-config.yml passes; each acceptance fault fails exactly its suite with a
 * message saying why; JUnit (validated against the JUnit XSD) and --json; exit codes 0/1/2.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateJunit } from '../support/junit-xsd.js';
import { repoRoot } from '../support/repo-paths.js';
import { runCli } from '../support/run-cli.js';

const program = './test/fixtures/connectors/misbehave.mjs';
const fixture = join(repoRoot, 'test/fixtures/acceptance/misbehave');
const acceptance = join(fixture, 'acceptance-test-config.yml');
const dir = mkdtempSync(join(tmpdir(), 'airdock-acceptance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface JsonReport { ok: boolean; counts: Record<string, number>; connectorMs: number; durationMs: number; suites: { name: string; tests: { name: string; status: string; message?: string; durationMs: number }[] }[] }
/** Processes of the misbehave program started in mode hang (their environment says so). */
function hangingPrograms(): string[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('misbehave.mjs') && readFileSync(`/proc/${pid}/environ`, 'utf8').includes('MISBEHAVE_MODE=hang');
    } catch { return false; }
  });
}
const failed = (r: JsonReport) => r.suites.flatMap((s) => s.tests.filter((t) => t.status === 'failed').map((t) => ({ suite: s.name, ...t })));

describe('airdock test on a local connector program', () => {
  it('our CAT-format file (every key real connectors use) passes: exit 0, one line per test with its time, valid JUnit', async () => {
    const junit = join(dir, 'ok.xml');
    const r = await runCli(['test', program, '--acceptance', acceptance, '--junit', junit]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').filter((l) => /^(PASS|FAIL|SKIP) /.test(l));
    expect(lines.length).toBe(32);
    for (const l of lines) expect(l).toMatch(/^(PASS|SKIP) {2}[a-z_]+\/test_[a-z_]+(\[\d+\])? +\d+\.\ds$/);
    expect(r.stdout).toMatch(/misbehave: 28 passed, 0 failed, 4 skipped in \d+\.\ds \(connector \d+\.\ds over \d+ runs\)/);
    expect(r.stderr).toContain('client_container_config is accepted but its setup/teardown containers are not run');
    const xml = readFileSync(junit, 'utf8');
    expect(() => validateJunit(xml)).not.toThrow();
    expect(xml).toMatch(/<testsuites name="airdock test \.\/test\/fixtures\/connectors\/misbehave\.mjs" tests="32" failures="0"/);
    expect(r.stdout + r.stderr + xml).not.toContain('misbehave-secret-api-key');
  });

  it.concurrent.for([
    ['spec_secret_unmarked', 'spec', /test_secret_is_properly_marked: these properties hold secrets and must be marked airbyte_secret: \/properties\/password/],
    ['check_crash', 'connection', /test_check\[0\]: `check` printed no CONNECTION_STATUS \(expected SUCCEEDED\): it crashed with exit 1/],
    ['discover_closed_schema', 'discovery', /test_additional_properties_is_true: additionalProperties, when set, must be true .*stream users: \/additionalProperties/],
    ['read_bad_record', 'basic_read', /test_read: stream users: 1 record break its json_schema: record #3: \/name must be string \(got 12345\)/],
    ['read_nondeterministic', 'full_refresh', /test_sequential_reads: two full refresh reads must return the same records .*stream users: 10 records of the first read not in the second/],
    ['read_ignores_state', 'incremental', /test_two_sequential_reads: reading from the first read's state returned records older than that state: stream users: record cursor 1 vs state cursor 10/],
  ] as [string, string, RegExp][])('mode %s fails the %s suite, saying why, and nothing else', async ([mode, suite, why], { expect }) => {
    const r = await runCli(['test', program, '--acceptance', acceptance, '--json'], { env: { MISBEHAVE_MODE: mode! } });
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport;
    const fails = failed(report);
    expect(fails.length).toBeGreaterThan(0);
    expect(fails.filter((f) => f.suite !== suite)).toEqual([]);
    expect(fails.map((f) => `${f.name}: ${f.message}`).join('\n')).toMatch(why!);
    expect(r.stderr).toMatch(new RegExp(`FAIL {2}${suite}/`));
  });

  it('a destination that drops STATEs fails the write suite only', async () => {
    const config = join(fixture, 'secrets/config.json');
    const ok = await runCli(['test', program, '--kind', 'destination', '--config', config]);
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/PASS {2}write\/test_write_every_declared_sync_mode/);
    const r = await runCli(['test', program, '--kind', 'destination', '--config', config, '--json'], { env: { MISBEHAVE_MODE: 'write_drops_state' } });
    expect(r.code).toBe(1);
    const fails = failed(JSON.parse(r.stdout) as JsonReport);
    expect(fails.map((f) => f.suite)).toEqual(['write', 'write', 'write']);
    expect(fails[0]!.message).toMatch(/^expected 6 STATE echoes, got 0/);
  });

  it('--json is the documented document: counts, times, the connector share of the time', async () => {
    const r = await runCli(['test', program, '--acceptance', acceptance, '--suite', 'spec,connection', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as JsonReport & Record<string, unknown>;
    expect(doc).toMatchObject({ airdockTest: 1, ref: program, connector: 'misbehave', kind: 'source', ok: true, counts: { tests: 14, passed: 13, failed: 0, skipped: 1 }, warnings: [] });
    expect(doc.suites.map((s) => s.name)).toEqual(['spec', 'connection']);
    expect(doc.connectorMs).toBeGreaterThan(0);
    expect(doc.durationMs).toBeGreaterThanOrEqual(doc.connectorMs);
  });

  it('--json and --junit stay valid when a secret is a word of their syntax ("test"): values masked, keys and elements kept', async () => {
    const config = join(dir, 'word-secret.json');
    const junit = join(dir, 'word-secret.xml');
    writeFileSync(config, JSON.stringify({ mode: 'ok', total: 3, api_key: 'test' }));
    const r = await runCli(['test', program, '--config', config, '--suite', 'spec,connection', '--json', '--junit', junit]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as JsonReport;
    expect(doc.counts).toMatchObject({ passed: expect.any(Number), failed: 0 });
    expect(doc.suites.map((s) => s.tests.length)).toEqual([11, 1]);
    const values: string[] = [];
    JSON.parse(r.stdout, (_k, v: unknown) => { if (typeof v === 'string') values.push(v); return v; });
    expect(values.filter((v) => v.includes('test'))).toEqual([]);
    const xml = readFileSync(junit, 'utf8');
    expect(() => validateJunit(xml)).not.toThrow();
    expect(xml).toContain('<testcase classname="airdock.misbehave.spec" name="**********_spec"');
  });

  it('a test that runs out of time fails saying so, and leaves nothing running', async () => {
    const r = await runCli(['test', program, '--suite', 'spec', '--timeout', '1', '--json'], { env: { MISBEHAVE_MODE: 'hang' } });
    expect(r.code).toBe(1);
    const fails = failed(JSON.parse(r.stdout) as JsonReport);
    expect(fails[0]).toMatchObject({ name: 'test_spec', message: expect.stringMatching(/^timed out after 1 s \(timeout_seconds\)/) });
    expect(fails[0]!.durationMs).toBeLessThan(15_000);
    expect(hangingPrograms()).toEqual([]);
  });

  it('bad invocations exit 2 with one line: unknown suite, missing file, wrong key type, no connector', async () => {
    const bad = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };
    const cases: [string[], RegExp][] = [
      [['test', program, '--suite', 'nope'], /error AIRDOCK_USAGE: Unknown suite \(suite="nope"\)/],
      [['test', program, '--acceptance', join(dir, 'missing.yml')], /error AIRDOCK_CONFIG_FILE: The acceptance test config cannot be read/],
      [['test', program, '--acceptance', bad('type.yml', 'acceptance_tests:\n  connection:\n    tests:\n      - status: maybe\n')], /error AIRDOCK_ACCEPTANCE_CONFIG: .*problem="acceptance_tests.connection.tests\[0\].status must be one of succeed, failed, exception"/],
      [['test', program, '--acceptance', bad('nofile.yml', 'acceptance_tests:\n  connection:\n    tests:\n      - config_path: nowhere.json\n')], /error AIRDOCK_ACCEPTANCE_CONFIG: A file the acceptance test config names does not exist \(key="config_path"/],
      [['test', '--acceptance', bad('noimage.yml', 'acceptance_tests: {}\n')], /error AIRDOCK_USAGE: Name the connector to test/],
    ];
    for (const [args, line] of cases) {
      const r = await runCli(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(line);
    }
  });
});
