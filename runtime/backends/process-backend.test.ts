import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { ProcessStartError } from '../../protocol/index.js';
import { ProcessBackend } from './process-backend.js';
import { userSees } from '../../test/support/user-sees.js';

const tmpRoot = mkdtempSync(join(tmpdir(), 'airdock-pb-'));
const backend = new ProcessBackend({ jobRoot: tmpRoot, baseEnv: { PATH: process.env.PATH ?? '' } });
const node = (code: string) => ({ kind: 'command' as const, command: process.execPath, args: ['-e', code] });
let n = 0;
const base = () => ({ argv: [] as string[], files: [], stdin: false, runId: `t${process.pid}-${++n}`, connectorName: 'test' });

describe('ProcessBackend', () => {
  it('passes argv and env, keeps stdout and stderr apart, reports the exit code', async () => {
    const p = await backend.start(node('console.log(JSON.stringify(process.argv.slice(1)), process.env.FOO); console.error("err"); process.exit(3)'),
      { ...base(), argv: ['read', '--config', 'x'], env: { FOO: 'bar' } });
    const [out, err, status] = await Promise.all([text(p.stdout), text(p.stderr), p.wait()]);
    expect(out.trim()).toBe('["read","--config","x"] bar');
    expect(err.trim()).toBe('err');
    expect(status).toMatchObject({ code: 3, signal: null, terminated: false });
  });

  it('writes job files 0600 in a private dir and removes them afterwards', async () => {
    const opts = { ...base(), files: [{ name: 'config.json', contents: '{"a":1}' }] };
    const dir = backend.jobDir(opts.runId);
    const p = await backend.start(node(`const fs=require("fs");const f=${JSON.stringify(join(dir, 'config.json'))};
      console.log(fs.readFileSync(f,"utf8"), (fs.statSync(f).mode & 0o777).toString(8), (fs.statSync(${JSON.stringify(dir)}).mode & 0o777).toString(8))`), opts);
    const out = await text(p.stdout);
    await p.wait();
    expect(out.trim()).toBe('{"a":1} 600 700');
    expect(existsSync(dir)).toBe(false);
  });

  it('pipes stdin to the connector and closes it for EOF', async () => {
    const p = await backend.start(node('let n=0;process.stdin.on("data",d=>n+=d.length).on("end",()=>console.log(n))'), { ...base(), stdin: true });
    p.stdin.end('x'.repeat(100_000));
    expect((await text(p.stdout)).trim()).toBe('100000');
  });

  it('terminate: SIGTERM, then SIGKILL after the grace period; idempotent', async () => {
    const p = await backend.start(node('process.on("SIGTERM",()=>{});setInterval(()=>{},1000);console.log("up")'), base());
    for await (const _ of p.stdout) break;
    const t0 = Date.now();
    const [a, b] = await Promise.all([p.terminate(300), p.terminate(300)]);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ code: null, signal: 'SIGKILL', terminated: true });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
  });

  it('abort signal stops the process', async () => {
    const ac = new AbortController();
    const p = await backend.start(node('setInterval(()=>{},1000)'), { ...base(), signal: ac.signal });
    ac.abort();
    expect(await p.wait()).toMatchObject({ signal: 'SIGTERM', terminated: true });
  });

  it('a missing program is a ProcessStartError and leaves no job dir', async () => {
    const opts = base();
    const err = await backend.start({ kind: 'command', command: '/nonexistent/conn' }, opts).catch((e) => e);
    expect(err).toBeInstanceOf(ProcessStartError);
    expect(userSees(err)).toEqual({ exit: 1, line: expect.stringMatching(/^error AIRDOCK_PROCESS_START: The connector program could not be started \(command="\/nonexistent\/conn", reason="ENOENT"\)/) });
    expect(existsSync(backend.jobDir(opts.runId))).toBe(false);
  });

  it('leaves nothing in its temp root', async () => {
    expect(await readdir(tmpRoot)).toEqual([]);
    expect(statSync(tmpRoot).isDirectory()).toBe(true);
  });
});
