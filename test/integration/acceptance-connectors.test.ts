/**
 * `airdock test` on real connectors: the real Airbyte faker image with Airbyte's own acceptance file
 * (adapted to faker 7.2.1), and every native connector as a local process with its acceptance file
 * under test/fixtures/acceptance/native/<name>/ (the spec suite alone for one that has none yet).
 * Connectors are found in native-connectors/, not listed here.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateJunit } from '../support/junit-xsd.js';
import { repoRoot } from '../support/repo-paths.js';
import { runCli } from '../support/run-cli.js';
import { fakerImage, requireImage, servicesEnv } from '../support/services.js';

const fixtures = join(repoRoot, 'test/fixtures/acceptance');
const tmp = mkdtempSync(join(tmpdir(), 'airdock-acceptance-it-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Native connectors: every folder of native-connectors/ with a built main.js. */
const natives = readdirSync(join(repoRoot, 'native-connectors')).filter((n) => n !== 'sdk' && existsSync(join(repoRoot, 'native-connectors', n, 'main.ts')));

interface Report { ok: boolean; counts: { passed: number; failed: number; skipped: number }; suites: { name: string; tests: { name: string; status: string; message?: string }[] }[] }
const failures = (r: Report) => r.suites.flatMap((s) => s.tests.filter((t) => t.status === 'failed').map((t) => `${s.name}/${t.name}: ${t.message}`));

describe('airdock test on real connectors', () => {
  it.concurrent('the real Airbyte faker image passes every suite of its acceptance file; JUnit is valid', async ({ expect }) => {
    const image = await requireImage(fakerImage());
    const junit = join(tmp, 'faker.xml');
    const r = await runCli(['test', image, '--acceptance', join(fixtures, 'source-faker/acceptance-test-config.yml'), '--json', '--junit', junit, '--pull', 'never'], { timeoutMs: 170_000 });
    const report = JSON.parse(r.stdout || '{}') as Report;
    expect(failures(report), r.stderr).toEqual([]);
    expect(r.code).toBe(0);
    expect(report.counts.passed).toBeGreaterThanOrEqual(25);
    expect(report.suites.map((s) => s.name)).toEqual(['spec', 'connection', 'discovery', 'basic_read', 'full_refresh', 'incremental']);
    expect(() => validateJunit(readFileSync(junit, 'utf8'))).not.toThrow();
  });

  it.concurrent.for(natives)('native:%s as a local process passes its acceptance suites', async (name: string, { expect }) => {
    const file = join(fixtures, 'native', name, 'acceptance-test-config.yml');
    const args = existsSync(file) ? ['--acceptance', file] : ['--suite', 'spec'];
    const r = await runCli(['test', `native:${name}`, ...args, '--json'], { env: { ...servicesEnv(), AIRDOCK_ACCEPTANCE_TMP: mkdtempSync(join(tmp, `${name}-`)), AIRDOCK_ACCEPTANCE_ID: `airdock-acceptance-${process.pid}` }, timeoutMs: 170_000 });
    const report = JSON.parse(r.stdout || '{}') as Report;
    expect(failures(report), r.stderr).toEqual([]);
    expect(r.code).toBe(0);
    expect(report.counts.passed).toBeGreaterThan(0);
  });
});
