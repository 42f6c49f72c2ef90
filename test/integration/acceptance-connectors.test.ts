/**
 * `airdock test` on real connectors: the real Airbyte faker image with Airbyte's own acceptance file
 * (adapted to faker 7.2.1), and every native connector as a local process and as its image
 * (`airdock images build --all`, run by `npm test` after the build), with its acceptance file under
 * test/fixtures/acceptance/native/<name>/ (the spec suite alone for one that has none yet).
 * Connectors are found in native-connectors/, not listed here; the tests run side by side.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateJunit } from '../support/junit-xsd.js';
import { repoRoot } from '../support/repo-paths.js';
import { runCli } from '../support/run-cli.js';
import { promisify } from 'node:util';
import { fakerImage, requireDocker, requireImage, servicesEnv } from '../support/services.js';

const fixtures = join(repoRoot, 'test/fixtures/acceptance');
const tmp = mkdtempSync(join(tmpdir(), 'airdock-acceptance-it-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Native connectors: every folder of native-connectors/ with a built main.js. */
const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
const imageOf = (name: string) => `airdock/${name}:${version}`;
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

  const cases = natives.flatMap((name) => [{ name, as: 'process' }, { name, as: 'image' }]);
  it.concurrent.for(cases)('native $name as a $as passes its acceptance suites', async ({ name, as }, { expect }) => {
    const file = join(fixtures, 'native', name, 'acceptance-test-config.yml');
    const args = existsSync(file) ? ['--acceptance', file] : ['--suite', 'spec'];
    const ref = as === 'process' ? `native:${name}` : await requireImage(imageOf(name));
    // inside the image, the destination files go to the container's own /tmp
    const dir = as === 'process' ? mkdtempSync(join(tmp, `${name}-`)) : '/tmp';
    // the whole name: source-s3 and destination-s3 run side by side and must not share a bucket
    const id = `airdock-acc-${process.pid}-${name}-${as}`;
    const seedFile = join(fixtures, 'native', name, 'seed.ts');
    const cleanup = existsSync(seedFile) ? await ((await import(seedFile)) as { seed(id: string): Promise<() => Promise<void>> }).seed(id) : undefined;
    try {
      const r = await runCli(['test', ref, ...args, '--json', '--pull', 'never'], { env: { ...servicesEnv(), AIRDOCK_ACCEPTANCE_TMP: dir, AIRDOCK_ACCEPTANCE_ID: id, AIRDOCK_ACCEPTANCE_DB: id.replace(/-/g, '_') }, timeoutMs: 170_000 });
      const report = JSON.parse(r.stdout || '{}') as Report;
      expect(failures(report), r.stderr).toEqual([]);
      expect(r.code).toBe(0);
      expect(report.counts.passed).toBeGreaterThan(0);
    } finally {
      await cleanup?.();
    }
  });

  it('native images run as Airbyte images do: docker run --rm <image> spec, non-root, AIRBYTE_ENTRYPOINT = the entrypoint', async () => {
    const docker = await requireDocker();
    for (const name of natives) {
      const info = await docker.getImage(await requireImage(imageOf(name))).inspect();
      expect(info.Config.User).toBe('node');
      const entrypoint = (info.Config.Env ?? []).find((e) => e.startsWith('AIRBYTE_ENTRYPOINT='))?.slice('AIRBYTE_ENTRYPOINT='.length);
      expect(entrypoint).toBe((info.Config.Entrypoint as string[]).join(' '));
      expect(info.Config.Labels).toMatchObject({ 'io.airbyte.name': `airdock/${name}`, 'io.airbyte.version': version });
    }
    const { stdout } = await promisify(execFile)('docker', ['run', '--rm', imageOf('source-faker'), 'spec'], { timeout: 60_000 });
    expect(JSON.parse(stdout.trim().split('\n')[0]!)).toMatchObject({ type: 'SPEC', spec: { connectionSpecification: { properties: { count: {} } } } });
  });

  it('airdock images build keeps an image whose content did not change (content hash) and reports sizes', async () => {
    const r = await runCli(['images', 'build', 'source-faker', 'destination-dev-null', '--json'], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { images: { name: string; tag: string; built: boolean; sizeBytes: number; addedBytes: number }[] };
    expect(doc.images.map((i) => [i.name, i.tag, i.built])).toEqual([['source-faker', imageOf('source-faker'), false], ['destination-dev-null', imageOf('destination-dev-null'), false]]);
    for (const i of doc.images) expect(i.addedBytes).toBeGreaterThan(0);
    const bad = await runCli(['images', 'build', 'source-nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/error AIRDOCK_USAGE: No native connector has that name in this build \(name="source-nope"\)/);
  });
});
