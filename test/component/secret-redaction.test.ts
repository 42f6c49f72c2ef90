import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

// Every output path of every command, with a connector that leaks its secrets in every form.
describe('no secret in any output: one redactor for stdout documents, stderr, summaries, errors and debug stacks', () => {
  const leaker = join(repoRoot, 'test/fixtures/connectors/secret-leaker.mjs');
  const pw = 'p@ss "w\\ord" é-Lönger/+=';
  const config = { user: 'app', password: pw, list: [{ name: 'first', key: 'k3y-in-an-array-item' }], tunnel: { method: 'KEY', pem: 'PEM-secret-material-123' } };
  const basic = Buffer.from(`app:${pw}`).toString('base64');
  const forms: Record<string, string> = {
    raw: pw,
    json: JSON.stringify(pw).slice(1, -1),
    'python json': JSON.stringify(pw).slice(1, -1).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    'url-encoded': encodeURIComponent(pw),
    'inside base64': basic.slice(8, 24),
    'array item (list[].key)': 'k3y-in-an-array-item',
    'oneOf branch (tunnel.pem)': 'PEM-secret-material-123',
  };
  const leaks = (text: string) => Object.entries(forms).filter(([, f]) => text.includes(f)).map(([k]) => k);
  const dir = mkdtempSync(join(tmpdir(), 'airdock-leak-'));
  const file = (name: string, value: unknown) => { writeFileSync(join(dir, name), JSON.stringify(value)); return join(dir, name); };
  const cfg = file('config.json', config);
  const failing = file('failing.json', { ...config, fail: true });
  const env = { AIRDOCK_HOME: join(dir, '.airdock') };

  it('check, human and --json: the FAILED message and the logs are masked', async () => {
    for (const args of [[], ['--json']]) {
      const r = await runCli(['check', leaker, '--config', cfg, ...args], { cwd: dir, env });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('login refused for password=**********');
      expect(leaks(r.stdout)).toEqual([]);
      expect(leaks(r.stderr)).toEqual([]);
    }
  });

  it('read: TRACE lines on stdout (message, internal_message, stack_trace) and stderr are masked, AIRDOCK_DEBUG=1 too; RECORD data is not', async () => {
    for (const debug of ['0', '1']) {
      const r = await runCli(['read', leaker, '--config', failing], { cwd: dir, env: { ...env, AIRDOCK_DEBUG: debug } });
      expect(r.code).toBe(1);
      const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; record?: { data: { note: string } } });
      expect(lines.map((l) => l.type)).toEqual(['RECORD', 'STATE', 'TRACE']);
      expect(lines[0]!.record!.data.note).toBe(pw);
      expect(leaks(r.stdout.split('\n').slice(1).join('\n'))).toEqual([]);
      expect(r.stdout).toContain('"internal_message":"internal: raw password=**********');
      expect(leaks(r.stderr)).toEqual([]);
      if (debug === '1') expect(r.stderr).toMatch(/\n\s+at /);
    }
  });

  it('write: what the destination prints is masked', async () => {
    const catalog = file('catalog.json', { streams: [] });
    const r = await runCli(['write', leaker, '--config', cfg, '--catalog', catalog], { cwd: dir, env });
    expect(leaks(r.stdout + r.stderr)).toEqual([]);
    expect(r.stderr).toContain('**********');
  });

  it('sync --json-summary: the failure message and last log lines, stderr, debug stacks and the files airdock writes are masked', async () => {
    const conn = join(dir, 'conn.yaml');
    writeFileSync(conn, JSON.stringify({
      name: 'leaker', source: { connector: leaker, config: { ...config, fail: true } },
      destination: { connector: 'native:destination-dev-null', config: { test_destination: { test_destination_type: 'SILENT' } } },
      retry: { attempts: 1 },
    }));
    for (const debug of ['0', '1']) {
      const r = await runCli(['sync', conn, '--json-summary'], { cwd: dir, env: { ...env, AIRDOCK_DEBUG: debug } });
      expect(r.code).toBe(1);
      const summary = JSON.parse(r.stdout.trim().split('\n').pop()!) as { failure: { message: string; lastLogLines: string[] } };
      expect(summary.failure.message).toBe('login failed for password=**********');
      expect(summary.failure.lastLogLines.join('\n')).toContain('**********');
      expect(leaks(r.stdout)).toEqual([]);
      expect(leaks(r.stderr)).toEqual([]);
    }
    for (const f of readdirSync(join(dir, '.airdock', 'state'))) expect(leaks(readFileSync(join(dir, '.airdock', 'state', f), 'utf8'))).toEqual([]);
  });
});

describe('SecretRedactor', () => {
  it('masks values of secret-looking keys at any depth, longest first, and leaves short or plain values', () => {
    const r = new SecretRedactor().addConfig({ host: 'db.example', tunnel_method: { ssh_key: 'KEY-abc-LONG', tunnel_user_password: 'KEY-abc' }, credentials: [{ token: 'tok-123' }], api_key: 'x' });
    expect(r.redact('db.example KEY-abc-LONG KEY-abc tok-123 x')).toBe('db.example ********** ********** ********** x');
  });
});

// A secret that is also a common word (a password `type`, an API key `status`) is masked in the values
// of a --json document; the document's keys are airdock's own and must stay, or the output no longer
// means what it says to the program reading it.
describe('--json documents keep their keys when a secret is a common word', () => {
  const dir = mkdtempSync(join(tmpdir(), 'airdock-json-keys-'));
  const env = { AIRDOCK_HOME: join(dir, '.airdock') };
  const config = (secret: string) => { const f = join(dir, `${secret}.json`); writeFileSync(f, JSON.stringify({ count: 5, seed: 1, api_key: secret })); return f; };
  const last = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;

  it('check --json and discover --json', async () => {
    const check = await runCli(['check', 'native:source-faker', '--config', config('status'), '--json'], { cwd: dir, env });
    expect(check.code).toBe(0);
    expect(last(check.stdout)).toEqual({ status: 'SUCCEEDED' });
    const discover = await runCli(['discover', 'native:source-faker', '--config', config('type'), '--json'], { cwd: dir, env });
    expect(discover.code).toBe(0);
    const users = (last(discover.stdout).streams as { name: string; json_schema: { type: string; properties: Record<string, { type: unknown }> } }[]).find((s) => s.name === 'users')!;
    expect(users.json_schema.type).toBe('object');
    expect(users.json_schema.properties.id).toEqual({ type: 'integer' });
  });

  it('sync --json-summary', async () => {
    const conn = join(dir, 'conn.yaml');
    writeFileSync(conn, JSON.stringify({
      name: 'common-word', source: { connector: 'native:source-faker', config: { count: 5, seed: 1, api_key: 'status' } },
      destination: { connector: 'native:destination-dev-null', config: { test_destination: { test_destination_type: 'SILENT' } } },
      streams: [{ name: 'products', sync_mode: 'full_refresh', destination_sync_mode: 'append' }],
    }));
    const r = await runCli(['sync', conn, '--json-summary'], { cwd: dir, env });
    expect(r.code).toBe(0);
    expect(last(r.stdout)).toMatchObject({ status: 'succeeded', streams: [{ name: 'products', status: 'COMPLETE' }] });
  });
});
