import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretRedactor } from '../../runtime/log/secret-redactor.js';
import { repoRoot } from '../support/repo-paths.js';
import { runCli } from '../support/run-cli.js';

const leaky = join(repoRoot, 'test/fixtures/connectors/leaky.mjs');
const secret = 'hunter2-Sup3r-SECRET';

describe('secrets a connector prints are masked in what airdock shows', () => {
  const dir = mkdtempSync(join(tmpdir(), 'airdock-redact-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ user: 'app', password: secret }));

  it('airdock read: LOG lines, stderr lines and the final error line never show the password', async () => {
    const r = await runCli(['read', leaky, '--config', join(dir, 'config.json')], { cwd: dir });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('login failed for password **********');
    expect(r.stderr).toContain('with password **********');
    expect(r.stderr).not.toContain(secret);
  });

  it('airdock sync: the same for a sync, in its log and its failure line', async () => {
    const file = join(dir, 'conn.yaml');
    writeFileSync(file, `name: leaky\nsource: { connector: ${leaky}, config: { user: app, password: "${secret}" } }\ndestination: { connector: native:destination-dev-null, config: { test_destination: { test_destination_type: SILENT } } }\nretry: { attempts: 1 }\n`);
    const r = await runCli(['sync', file], { cwd: dir, env: { AIRDOCK_HOME: join(dir, '.airdock') } });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('**********');
    expect(r.stderr).not.toContain(secret);
  });
});

describe('SecretRedactor', () => {
  it('masks values of secret-looking keys at any depth, longest first, and leaves short or plain values', () => {
    const r = new SecretRedactor().addConfig({ host: 'db.example', tunnel_method: { ssh_key: 'KEY-abc-LONG', tunnel_user_password: 'KEY-abc' }, credentials: [{ token: 'tok-123' }], api_key: 'x' });
    expect(r.redact('db.example KEY-abc-LONG KEY-abc tok-123 x')).toBe('db.example ********** ********** ********** x');
  });
});
