import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// A destination's stdin is read into one reused buffer (StdinReader). A destination that keeps the
// messages it gets (DuckDB gathers lines until 1 MiB) must still see every line as it came, after
// many later reads into that buffer: through a socket pair (how Node spawns a connector), a pipe (a
// shell) and a file (Node's own stdin stream).
const sdk = resolve(import.meta.dirname, '../../dist/native-connectors/sdk/index.js');
const dir = mkdtempSync(join(tmpdir(), 'airdock-stdin-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const program = join(dir, 'keeping-destination.mjs');
writeFileSync(program, `
import { createHash } from 'node:crypto';
import { defineDestination, runCli, writeWithBarrier } from ${JSON.stringify(sdk)};
runCli(defineDestination({
  spec: { connectionSpecification: { type: 'object' } },
  async check() {},
  async write(config, catalog, input, { emit }) {
    const lines = []; // strings for the runs' lines (copied at once), InputMessages kept as they came
    await writeWithBarrier(input, emit, {
      write(m) { lines.push(m); },
      writeRun(run) { lines.push(...run.bytes.toString('utf8').split('\\n').slice(0, -1)); },
      async commit() {},
    }, { maxRecords: 1e9, maxBytes: 1e12 });
    const text = lines.map((l) => (typeof l === 'string' ? l : l.raw.toString('utf8'))).join('\\n');
    await emit.log('INFO', 'lines ' + lines.length + ' ' + createHash('sha256').update(text).digest('hex'));
  },
}));
`);
writeFileSync(join(dir, 'config.json'), '{}');
writeFileSync(join(dir, 'catalog.json'), JSON.stringify({ streams: ['s', 't'].map((name) => ({ stream: { name, json_schema: { type: 'object' }, supported_sync_modes: ['full_refresh'] }, sync_mode: 'full_refresh', destination_sync_mode: 'append' })) }));

// ~3 MB: records of two streams and varying length, some in another layout (taken line by line and
// kept by the destination), STATEs between them.
const records: string[] = [];
const input: string[] = [];
for (let i = 0; i < 20_000; i++) {
  const stream = i % 97 < 90 ? 's' : 't';
  const rec = `{"type":"RECORD","record":{"stream":"${stream}","emitted_at":1700000000000,"data":{"id":${i},"name":"n${'é✓x'.repeat(i % 37)}","v":[${i % 11},{"k":null}]}}}`;
  const line = i % 50 === 7 ? ` ${rec}` : rec;
  records.push(line);
  input.push(line);
  if (i % 1000 === 999) input.push(`{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"s"},"stream_state":{"n":${i}}}}}`);
}
const text = `${input.join('\n')}\n`;
writeFileSync(join(dir, 'input.jsonl'), text);
const expected = `lines ${records.length} ${createHash('sha256').update(records.join('\n')).digest('hex')}`;

const args = ['write', '--config', join(dir, 'config.json'), '--catalog', join(dir, 'catalog.json')];

async function run(how: 'socket' | 'pipe' | 'file'): Promise<{ code: number | null; stdout: string }> {
  const q = (s: string) => `'${s}'`;
  const child = how === 'socket'
    ? spawn(process.execPath, [program, ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn('sh', ['-c', `${how === 'pipe' ? `cat ${q(join(dir, 'input.jsonl'))} |` : ''} exec ${q(process.execPath)} ${q(program)} ${args.map(q).join(' ')}${how === 'file' ? ` < ${q(join(dir, 'input.jsonl'))}` : ''}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
  const closed = new Promise<number | null>((done) => child.on('close', done));
  if (how === 'socket') {
    // Pieces of odd sizes, each written once the last was taken: chunk boundaries fall mid-line.
    const bytes = Buffer.from(text);
    for (let i = 0, n = 1; i < bytes.length; i += n, n = (n * 7919 + 13) % 200_000 + 1) {
      if (!child.stdin!.write(bytes.subarray(i, i + n))) await new Promise((r) => child.stdin!.once('drain', r));
    }
    child.stdin!.end();
  }
  return { code: await closed, stdout };
}

describe('a destination that keeps its input messages, fed through stdin', () => {
  for (const how of ['socket', 'pipe', 'file'] as const) {
    it(`sees every line as it came (stdin a ${how})`, async () => {
      const r = await run(how);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(expected);
      expect(r.stdout.match(/"type":"STATE"/g)).toHaveLength(20);
    });
  }
});
