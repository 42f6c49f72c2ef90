import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, repoRoot } from '../support/repo-paths.js';

/**
 * `airdock catalog` as a user runs it: the built CLI (npm run build first), offline, with a fresh
 * AIRDOCK_HOME, so it reads the bundled seed exactly as a fresh clone does.
 */
let home: string;
beforeAll(() => {
  expect(existsSync(resolve(repoRoot, 'dist/catalog/index.js')), 'run `npm run build` before these tests').toBe(true);
  home = mkdtempSync(join(tmpdir(), 'airdock-cli-'));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

function airdock(...args: string[]) {
  const r = spawnSync(cliPath, args, {
    encoding: 'utf8', timeout: 20_000,
    env: { ...process.env, AIRDOCK_OFFLINE: '1', AIRDOCK_HOME: home, AIRDOCK_REGISTRY: '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('airdock catalog (offline, bundled seed)', () => {
  it('search postgres lists source-postgres first, in a table that fits 80 columns', () => {
    const r = airdock('catalog', 'search', 'postgres');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+DISPLAY NAME\s+VERSION\s+SUPPORT\s+NATIVE$/);
    expect(lines[1]).toMatch(/^source-postgres\s+Postgres\s+3\.7\.2\s+certified\s+yes$/);
    expect(lines[2]).toMatch(/^destination-postgres\s/);
    expect(r.stdout).toMatch(/Registry: bundled seed; data as of 2026-03-19/);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
  });

  it('list says where the data came from and how many connectors it has, every line ≤ 80 columns', () => {
    const r = airdock('catalog', 'list');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/647 connectors \(591 sources, 56 destinations\)\.\nRegistry: bundled seed; data as of 2026-03-19 \(\d+ days old\)/);
    for (const l of r.stdout.split('\n')) expect([...l].length).toBeLessThanOrEqual(80);
  });

  it('list --json --native --type destination gives the documented shape', () => {
    const r = airdock('catalog', 'list', '--json', '--native', '--type', 'destination');
    const doc = JSON.parse(r.stdout) as { source: { origin: string }; count: number; entries: Array<Record<string, unknown>> };
    expect(doc.source.origin).toBe('seed');
    // every native destination of the overlay (helpers add theirs; the shape is what this test is about)
    const overlay = JSON.parse(readFileSync(`${repoRoot}/catalog/data/native-overlay.json`, 'utf8')) as { name: string }[];
    expect(doc.count).toBe(overlay.filter((e) => e.name.startsWith('destination-')).length);
    expect(Object.keys(doc.entries[0]!)).toEqual(['definitionId', 'type', 'name', 'technicalName', 'dockerRepository',
      'dockerImageTag', 'image', 'supportLevel', 'releaseStage', 'language', 'license', 'documentationUrl', 'sourceType',
      'tags', 'tombstone', 'public', 'native', 'pypiPackage', 'manifestOnly', 'executors']);
  });

  it('search --json carries the match kind and a typo still finds the connector', () => {
    const doc = JSON.parse(airdock('catalog', 'search', 'postgress', '--json', '--limit', '1').stdout) as {
      total: number; results: Array<{ technicalName: string; match: string; image: string }>;
    };
    expect(doc.total).toBe(2);
    expect(doc.results).toEqual([expect.objectContaining({ technicalName: 'source-postgres', match: 'fuzzy', image: 'airbyte/source-postgres:3.7.2' })]);
  });

  it('show source-faker shows both the image and the native implementation', () => {
    const r = airdock('catalog', 'show', 'source-faker');
    expect(r.stdout).toMatch(/^Image:\s+airbyte\/source-faker:6\.2\.24$/m);
    expect(r.stdout).toMatch(/^Native:\s+native:source-faker /m);
    expect(r.stdout).toMatch(/^Runs as:\s+native:source-faker$/m);
    const img = JSON.parse(airdock('catalog', 'show', 'source-faker', '--json', '--prefer', 'image').stdout) as { entries: Array<{ runsAs: unknown }> };
    expect(img.entries[0]!.runsAs).toEqual({ kind: 'image', image: 'airbyte/source-faker:6.2.24' });
  });

  it('show lists the executors a connector has and which one a bare name uses', () => {
    const faker = airdock('catalog', 'show', 'source-faker');
    expect(faker.stdout).toMatch(/^PyPI:\s+airbyte-source-faker$/m);
    expect(faker.stdout).toMatch(/^Executors:\s+native, python, image$/m);
    const rc = airdock('catalog', 'show', 'source-rocket-chat');
    expect(rc.stdout).toMatch(/^Executors:\s+manifest, image$/m);
    expect(rc.stdout).toMatch(/^Runs as:\s+manifest \(airbyte\/source-rocket-chat 0\.2\.25\)$/m);
    const py = JSON.parse(airdock('catalog', 'show', 'source-faker', '--json', '--executor', 'python').stdout) as { entries: Array<{ runsAs: unknown; executors: string[] }> };
    expect(py.entries[0]!.runsAs).toEqual({ kind: 'python', package: 'airbyte-source-faker', version: '6.2.24' });
    const pg = airdock('catalog', 'show', 'source-mysql', '--executor', 'python');
    expect(pg.code).toBe(2);
    expect(pg.stderr).toMatch(/^error AIRDOCK_EXECUTOR_UNAVAILABLE: .*available="image"/);
  });

  it('list --executor python lists the connectors published on PyPI', () => {
    const doc = JSON.parse(airdock('catalog', 'list', '--json', '--executor', 'python').stdout) as { count: number; entries: Array<{ pypiPackage: string; executors: string[] }> };
    expect(doc.count).toBe(64);
    expect(doc.entries.every((e) => e.pypiPackage.startsWith('airbyte-') && e.executors.includes('python'))).toBe(true);
  });

  it('show of an unknown name fails with one line, exit 2 and suggestions', () => {
    const r = airdock('catalog', 'show', 'source-postgrs');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/AIRDOCK_CONNECTOR_NOT_FOUND.*Did you mean source-postgres/);
  });

  it('a malformed registry file is one clear error line, exit 1', () => {
    const r = airdock('catalog', 'list', '--registry', cliPath);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error AIRDOCK_REGISTRY_INVALID: The connector registry is malformed .*not valid JSON/);
  });

  it('rejects an unknown --type as a usage error (exit 2)', () => {
    const r = airdock('catalog', 'list', '--type', 'sink');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Allowed choices are source, destination/);
  });

  it('refresh refuses to run offline', () => {
    const r = airdock('catalog', 'refresh');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/offline mode is on/);
  });
});
