import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../test/support/repo-paths.js';
import { parseAcceptanceConfig, readAcceptanceConfig } from './acceptance-config.js';

const fixtures = join(repoRoot, 'test/fixtures/acceptance');

describe('acceptance-test-config.yml as CAT reads it', () => {
  it.each(readdirSync(join(fixtures, 'airbyte')))('real connector file %s: every key known, nothing to warn about', async (name) => {
    const c = await readAcceptanceConfig(join(fixtures, 'airbyte', name));
    expect(c.warnings).toEqual([]);
    expect(c.strictness).toBe('high');
    expect(c.connectorImage).toMatch(/^airbyte\/source-/);
    expect(c.suites.get('spec')?.tests.length).toBe(1);
  });

  it('our own file uses every key of every suite, all known', async () => {
    const c = await readAcceptanceConfig(join(fixtures, 'misbehave/acceptance-test-config.yml'));
    expect(c.warnings).toEqual([]);
    expect([...c.suites.keys()]).toEqual(['spec', 'connection', 'discovery', 'basic_read', 'full_refresh', 'incremental', 'connector_attributes', 'connector_documentation']);
    expect(c.env).toEqual({ MISBEHAVE_SLOW_MS: '1' });
    expect(c.basePath).toBe(join(fixtures, 'misbehave'));
  });

  it('reads YAML 1.1 as PyYAML does: yes/no are booleans (source-github writes them)', async () => {
    const c = await readAcceptanceConfig(join(fixtures, 'airbyte/source-github.acceptance-test-config.yml'));
    expect(c.suites.get('basic_read')?.tests[0]?.expect_records).toEqual({ path: 'integration_tests/expected_records.jsonl', extra_fields: false, exact_order: false, extra_records: true });
  });

  it('migrates the legacy layout (tests: at the top) the way CAT does', async () => {
    const c = await readAcceptanceConfig(join(fixtures, 'misbehave/legacy-acceptance-test-config.yml'));
    expect(c.warnings).toEqual(['the file uses the legacy layout (tests: at the top); read as CAT migrates it']);
    expect(c.suites.get('incremental')?.tests[0]).toMatchObject({ future_state: { future_state_path: 'integration_tests/abnormal_state.json' } });
    expect(c.suites.get('connection')?.tests[0]).toMatchObject({ invalid_config_path: 'integration_tests/invalid_config.json' });
  });

  it('an unknown key is a warning naming it, never a crash', () => {
    const c = parseAcceptanceConfig('connector_image: a/b:1\nshiny_new_key: 1\nacceptance_tests:\n  spec:\n    tests:\n      - spec_path: s.json\n        future_flag: true\n  brand_new_suite:\n    tests: []\n');
    expect(c.warnings).toEqual(['unknown key shiny_new_key (ignored)', 'unknown key acceptance_tests.spec.tests[0].future_flag (ignored)', 'unknown key acceptance_tests.brand_new_suite (ignored)']);
  });

  it.each([
    ['acceptance_tests:\n  connection:\n    tests:\n      - status: maybe\n', 'acceptance_tests.connection.tests[0].status must be one of succeed, failed, exception'],
    ['acceptance_tests:\n  basic_read:\n    tests:\n      - timeout_seconds: soon\n', 'acceptance_tests.basic_read.tests[0].timeout_seconds must be a whole number >= 0'],
    ['acceptance_tests:\n  spec:\n    tests: {}\n', 'acceptance_tests.spec.tests must be a list'],
    ['test_strictness_level: extreme\n', 'test_strictness_level must be one of high, low'],
  ])('a known key with a wrong value is an AIRDOCK_ACCEPTANCE_CONFIG error naming it (%#)', (yaml, problem) => {
    expect(() => parseAcceptanceConfig(yaml)).toThrow(expect.objectContaining({ code: 'AIRDOCK_ACCEPTANCE_CONFIG', context: expect.objectContaining({ problem }) }));
  });

  it('rejects a file that is not YAML, or not a mapping', () => {
    expect(() => parseAcceptanceConfig('a: [1, 2')).toThrow(expect.objectContaining({ code: 'AIRDOCK_ACCEPTANCE_CONFIG' }));
    expect(() => parseAcceptanceConfig('- 1\n- 2\n')).toThrow(expect.objectContaining({ code: 'AIRDOCK_ACCEPTANCE_CONFIG' }));
  });
});
