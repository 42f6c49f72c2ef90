import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { invalidMessages, validMessages } from '../fixtures/protocol/messages.js';
import { runCli } from '../support/run-cli.js';

const valid = Object.values(validMessages).map((m) => JSON.stringify(m));
const invalid = Object.values(invalidMessages).flat().map((m) => JSON.stringify(m));

describe('airdock protocol validate', () => {
  it('exits 0 on valid messages and noise, and prints counts per type and verdict', async () => {
    const r = await runCli(['protocol', 'validate', '-'], { input: [...valid, 'INFO starting', '', 'null'].join('\n') });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/RECORD\s+valid\s+1/);
    expect(r.stdout).toMatch(/-\s+noise\s+3/);
    expect(r.stdout).toContain('OK: no invalid lines');
  });

  it('exits 1 when any line is invalid and gives one JSON verdict per line with --json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'airdock-validate-'));
    const file = join(dir, 'in.ndjson');
    writeFileSync(file, [valid[0], invalid[0], 'not json'].join('\n'));
    const r = await runCli(['protocol', 'validate', file, '--json']);
    expect(r.code).toBe(1);
    const verdicts = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(verdicts).toEqual([
      { line: 1, verdict: 'valid', type: 'RECORD', errors: [] },
      { line: 2, verdict: 'invalid', type: 'RECORD', errors: [{ path: '/record/stream', message: 'is required' }] },
      { line: 3, verdict: 'noise', type: null, errors: [{ path: '', message: 'not a JSON object' }] },
    ]);
  });

  it('agrees with the official schema on every invalid example', async () => {
    const r = await runCli(['protocol', 'validate', '--json'], { input: invalid.join('\n') });
    expect(r.code).toBe(1);
    const verdicts = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { verdict: string });
    expect(verdicts.map((v) => v.verdict)).toEqual(invalid.map(() => 'invalid'));
  });

  it('fails with a clear one-line error and exit 2 on a missing file', async () => {
    const r = await runCli(['protocol', 'validate', '/nonexistent/file.ndjson']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error AIRDOCK_CONFIG_FILE: Cannot read the input file/);
  });

  it('reports an over-long line as a protocol error, not a crash', async () => {
    const r = await runCli(['protocol', 'validate', '--max-line-bytes', '100'], { input: `${'x'.repeat(500)}\n` });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/AIRDOCK_PROTOCOL_LINE_TOO_LONG/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});

describe('airdock --help and --version', () => {
  it('lists the commands of the CLI contract', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['spec', 'check', 'discover', 'read', 'write', 'sync', 'state', 'catalog', 'protocol']) expect(r.stdout).toMatch(new RegExp(`\\n\\s+${c}\\b`));
    const v = await runCli(['--version']);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('exits 2 on an unknown command', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
  });
});
