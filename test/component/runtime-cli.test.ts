/**
 * `airdock spec|check|discover|read|write` over a local program (the misbehave fixture, process
 * backend): output, exit codes, and Ctrl-C. Needs `npm run build` (npm test does it); no Docker.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AirbyteMessage } from '../../protocol/index.js';
import { cliPath, repoRoot } from '../support/repo-paths.js';
import { runCli } from '../support/run-cli.js';

const fixture = './test/fixtures/connectors/misbehave.mjs';
const dir = mkdtempSync(join(tmpdir(), 'airdock-rcli-'));
const jobRoot = mkdtempSync(join(tmpdir(), 'airdock-rcli-jobs-'));
const env = { TMPDIR: jobRoot, API_KEY: 'from-env' };
const file = (name: string, value: unknown) => { const p = join(dir, name); writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value)); return p; };
const parse = (out: string) => out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as AirbyteMessage);

describe('airdock CLI over a local connector program', () => {
  it('spec --json prints the spec', async () => {
    const r = await runCli(['spec', fixture, '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveProperty('connectionSpecification.properties.mode');
  });

  it('check: exit 0 SUCCEEDED, 1 FAILED; YAML config with ${VAR}', async () => {
    const ok = await runCli(['check', fixture, '--config', file('ok.yaml', 'mode: ok\napi_key: ${API_KEY}\n')], { env });
    expect([ok.code, ok.stdout]).toEqual([0, 'SUCCEEDED\n']);
    const bad = await runCli(['check', fixture, '--config', file('bad.json', { mode: 'ok', api_key: 'wrong' }), '--json'], { env });
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toEqual({ status: 'FAILED', message: 'api key rejected' });
    const invalid = await runCli(['check', fixture, '--config', file('inv.json', { mode: 'zzz', api_key: 'hunter2' })], { env });
    expect(invalid.code).toBe(1);
    expect(invalid.stdout + invalid.stderr).not.toContain('hunter2');
  });

  it('a missing ${VAR} is a config error: exit 2, names the variable', async () => {
    const r = await runCli(['check', fixture, '--config', file('env.yaml', 'mode: ok\napi_key: ${AIRDOCK_TEST_UNSET_VAR}\n')], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/AIRDOCK_CONFIG_ENV_MISSING.*AIRDOCK_TEST_UNSET_VAR/);
  });

  it('discover lists streams; --json prints the catalog', async () => {
    const r = await runCli(['discover', fixture, '--config', file('d.json', { mode: 'ok' }), '--json'], { env });
    expect(JSON.parse(r.stdout).streams[0].name).toBe('users');
  });

  it('read without --catalog builds one from discover; --state resumes', async () => {
    const cfg = file('r.json', { mode: 'ok', count: 3 });
    const r = await runCli(['read', fixture, '--config', cfg, '--streams', 'users'], { env });
    expect(r.code, r.stderr).toBe(0);
    const msgs = parse(r.stdout);
    expect(msgs.filter((m) => m.type === 'RECORD')).toHaveLength(3);
    const state = msgs.filter((m) => m.type === 'STATE').map((m) => m.state);
    const r2 = await runCli(['read', fixture, '--config', cfg, '--state', file('s.json', state)], { env });
    expect(parse(r2.stdout).filter((m) => m.type === 'RECORD').map((m) => m.record!.data.id)).toEqual([4, 5, 6]);
  });

  it('read failures: exit 1 with a one-line error; unknown stream exit 2', async () => {
    const f = await runCli(['read', fixture, '--config', file('f.json', { mode: 'exit1' })], { env });
    expect(f.code).toBe(1);
    expect(f.stderr).toMatch(/^error AIRDOCK_CONNECTOR_EXIT/m);
    const s = await runCli(['read', fixture, '--config', file('ok2.json', { mode: 'ok' }), '--streams', 'nope'], { env });
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/AIRDOCK_STREAM_NOT_FOUND/);
  });

  it('write forwards stdin and prints what the destination echoes', async () => {
    const catalog = file('cat.json', { streams: [{ stream: { name: 'users', json_schema: {}, supported_sync_modes: ['full_refresh'] }, sync_mode: 'full_refresh', destination_sync_mode: 'overwrite' }] });
    const input = `${JSON.stringify({ type: 'RECORD', record: { stream: 'users', data: { id: 1 }, emitted_at: 1 } })}\n${JSON.stringify({ type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: 'users' }, stream_state: { n: 1 } } } })}\n`;
    const r = await runCli(['write', fixture, '--config', file('w.json', { mode: 'ok' }), '--catalog', catalog], { env, input });
    expect(r.code, r.stderr).toBe(0);
    expect(parse(r.stdout).map((m) => m.type)).toEqual(['STATE']);
  });

  it('Ctrl-C mid-read stops the connector and exits 130; no job files left', async () => {
    const child = spawn(process.execPath, [cliPath, 'read', fixture, '--config', file('slow.json', { mode: 'slow', count: 1000 })], { cwd: repoRoot, env: { ...process.env, ...env } });
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.kill('SIGINT');
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(130);
    expect(err).toMatch(/AIRDOCK_ABORTED/);
    expect(readdirSync(jobRoot)).toEqual([]);
  });
});
