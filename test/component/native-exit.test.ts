import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// A native connector built on the SDK whose client library leaves a handle behind (as kafkajs does when
// a retried request reconnects after disconnect): once the command has ended, the process must end too,
// or whoever runs it waits forever for an exit that never comes.
const sdk = resolve(import.meta.dirname, '../../dist/native-connectors/sdk/index.js');
const dir = mkdtempSync(join(tmpdir(), 'airdock-native-exit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const program = join(dir, 'leaky-destination.mjs');
writeFileSync(program, `
import { defineDestination, runCli } from ${JSON.stringify(sdk)};
runCli(defineDestination({
  spec: { connectionSpecification: { type: 'object', properties: { fail: { type: 'boolean' } } } },
  async check() {},
  async write(config, catalog, input, { emit }) {
    setInterval(() => {}, 1000); // a socket or timer the library never released
    for await (const m of input) if (m.message.type === 'STATE') await emit.raw(m.raw.toString('utf8') + '\\n');
    if (config.fail) throw new Error('the broker refused the batch');
  },
}));
`);
writeFileSync(join(dir, 'ok.json'), '{}');
writeFileSync(join(dir, 'fail.json'), '{"fail":true}');
writeFileSync(join(dir, 'catalog.json'), JSON.stringify({ streams: [{ stream: { name: 's', json_schema: { type: 'object' }, supported_sync_modes: ['full_refresh'] }, sync_mode: 'full_refresh', destination_sync_mode: 'append' }] }));

function write(configFile: string): Promise<{ code: number | null; ms: number; stdout: string }> {
  const t0 = Date.now();
  const child = spawn(process.execPath, [program, 'write', '--config', join(dir, configFile), '--catalog', join(dir, 'catalog.json')], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
  child.stdin.end('{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"s"},"stream_state":{"n":1}}}}\n');
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((done) => child.on('close', (code) => { clearTimeout(killer); done({ code, ms: Date.now() - t0, stdout }); }));
}

describe('a native connector whose library leaves a handle open', () => {
  it('exits 1 with its TRACE ERROR after a failed write, instead of hanging', async () => {
    const r = await write('fail.json');
    expect(r.code).toBe(1);
    expect(r.ms).toBeLessThan(10_000);
    expect(r.stdout).toContain('"failure_type":"system_error"');
  });

  it('exits 0 after a successful write, with every STATE echoed', async () => {
    const r = await write('ok.json');
    expect(r.code).toBe(0);
    expect(r.ms).toBeLessThan(10_000);
    expect(r.stdout).toContain('"stream_state":{"n":1}');
  });
});
