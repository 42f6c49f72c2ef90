import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { maskSecrets, validateConfig } from './validate-config.js';
import { referenceFixture } from '../../test/support/repo-paths.js';

interface Entry { dockerRepository: string; spec: { connectionSpecification: object } }
const subset = JSON.parse(readFileSync(referenceFixture('airbyte-registry-specs-subset.json'), 'utf8')) as { sources: Entry[]; destinations: Entry[] };
const spec = (repo: string) => [...subset.sources, ...subset.destinations].find((e) => e.dockerRepository === repo)!.spec.connectionSpecification;

describe('validateConfig on real Airbyte specs', () => {
  const postgres = spec('airbyte/source-postgres');
  const good = { host: 'db', port: 5432, database: 'app', username: 'u', password: 'hunter2-SECRET', schemas: ['public'], replication_method: { method: 'Standard' } };

  it('accepts a valid config, and legacy extra keys', () => {
    expect(validateConfig(good, postgres)).toEqual([]);
    expect(validateConfig({ ...good, ssl: true }, postgres)).toEqual([]);
  });

  it('lists every problem at once', () => {
    const issues = validateConfig({ port: 'five', password: 'hunter2-SECRET' }, postgres);
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['/host', '/database', '/username', '/port']));
  });

  it('reports errors of the oneOf branch the config chose, not of every branch', () => {
    const issues = validateConfig({ ...good, replication_method: { method: 'CDC' } }, postgres);
    expect(issues.map((i) => i.path).sort()).toEqual(['/replication_method/publication', '/replication_method/replication_slot']);
  });

  it('says which options exist when no branch matches', () => {
    const issues = validateConfig({ ...good, replication_method: { method: 'Telepathy' } }, postgres);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toMatch(/method="CDC"/);
  });

  it('never echoes a value, so secrets cannot leak through messages', () => {
    const secret = 'hunter2-SECRET';
    const issues = validateConfig({ ...good, password: { nested: secret }, tunnel_method: { tunnel_method: 'SSH_KEY_AUTH', ssh_key: 42 } }, postgres);
    expect(issues.length).toBeGreaterThan(0);
    expect(JSON.stringify(issues)).not.toContain(secret);
  });

  it('masks airbyte_secret fields, including inside oneOf branches', () => {
    const masked = maskSecrets({ ...good, tunnel_method: { tunnel_method: 'SSH_PASSWORD_AUTH', tunnel_user_password: 'pw-SECRET' } }, postgres);
    expect(JSON.stringify(masked)).not.toMatch(/SECRET/);
    expect(masked.host).toBe('db');
  });

  it('validates destination specs with enum discriminators (destination-postgres ssl_mode)', () => {
    const dest = spec('airbyte/destination-postgres');
    const base = { host: 'h', port: 5432, database: 'd', schema: 'public', username: 'u' };
    expect(validateConfig({ ...base, ssl_mode: { mode: 'disable' } }, dest)).toEqual([]);
    const issues = validateConfig({ ...base, ssl_mode: { mode: 'verify-full' } }, dest);
    expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining(['/ssl_mode/ca_certificate']));
    expect(issues.every((i) => i.path.startsWith('/ssl_mode'))).toBe(true);
  });
});
