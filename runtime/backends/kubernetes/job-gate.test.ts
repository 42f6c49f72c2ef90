import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gateCommand, jobFrame } from './job-gate.js';

/** Runs the gate with the host's sh and head, as the pod would, with AIRBYTE_ENTRYPOINT set to `ep`. */
function runGate(stdin: Buffer[], argv: string[], ep: string | undefined, dir: string): Promise<{ code: number | null; out: string; err: string }> {
  const [cmd, ...args] = gateCommand(argv);
  const child = spawn(cmd!, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', AIRDOCK_JOB_DIR: dir, ...(ep ? { AIRBYTE_ENTRYPOINT: ep } : {}) } });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  // in small pieces, as the attach stream delivers them
  void (async () => {
    for (const b of stdin) for (let i = 0; i < b.length; i += 7) { child.stdin.write(b.subarray(i, i + 7)); await new Promise((r) => setImmediate(r)); }
    child.stdin.end();
  })();
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

describe('the stdin gate', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes every job file byte for byte, then execs the entrypoint with the argv and the rest of stdin', async () => {
    dir = mkdtempSync(join(tmpdir(), 'airdock-gate-'));
    const config = '{"secret":"s3cr3t","text":"line1\\nline2 ü"}\n\n';
    const frame = jobFrame([{ name: 'config.json', contents: config }, { name: 'empty.json', contents: '' }, { name: 'catalog.json', contents: Buffer.from('{"streams":[]}') }]);
    const r = await runGate([frame, Buffer.from('record 1\nrecord 2\n')], ['write', '--config', `${dir}/config.json`], 'sh -c \'echo "args: $*"; cat\' sh', dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(`args: write --config ${dir}/config.json\nrecord 1\nrecord 2\n`);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe(config);
    expect(readFileSync(join(dir, 'empty.json'), 'utf8')).toBe('');
    expect(readFileSync(join(dir, 'catalog.json'), 'utf8')).toBe('{"streams":[]}');
  });

  it('fails with a message when the image has no AIRBYTE_ENTRYPOINT', async () => {
    dir = mkdtempSync(join(tmpdir(), 'airdock-gate-'));
    const r = await runGate([jobFrame([])], ['spec'], undefined, dir);
    expect(r.code).toBe(126);
    expect(r.err).toMatch(/AIRBYTE_ENTRYPOINT/);
  });

  it('refuses a file name that could leave the job dir', () => {
    expect(() => jobFrame([{ name: '../etc/passwd', contents: 'x' }])).toThrow(/not allowed/);
  });
});
