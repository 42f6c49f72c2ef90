import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTargetCommand } from '../../native-connectors/sdk/testing/index.js';
import { offlinePythonEnv } from '../support/python-env.js';
import { requireEnv } from '../support/services.js';

// Compares native:source-faker with the reference Python connector (PyPI airbyte-source-faker),
// run directly from a venv until the image-based comparison exists. The venv is installed by uv from
// the CI wheelhouse (offline, a few seconds) into this run's temp dir, so nothing outlives the run.
const root = resolve(import.meta.dirname, '../..');
const venv = join(mkdtempSync(join(tmpdir(), 'airdock-pyfaker-venv-')), 'venv');
const bin = join(venv, 'bin', 'source-faker');

type Catalog = { streams: { name: string; json_schema: { properties: Record<string, unknown> }; supported_sync_modes: string[]; default_cursor_field?: string[]; source_defined_primary_key?: string[][] }[] };

function pythonDiscover(): Catalog {
  const dir = mkdtempSync(join(tmpdir(), 'airdock-pyfaker-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ count: 10, seed: 1 }));
  const out = execFileSync(bin, ['discover', '--config', join(dir, 'config.json')], { encoding: 'utf8' });
  const line = out.split('\n').find((l) => l.includes('"CATALOG"'));
  return JSON.parse(line!).catalog as Catalog;
}

describe('native:source-faker matches the reference source-faker', () => {
  beforeAll(() => {
    const env = { ...process.env, ...offlinePythonEnv() };
    const uv = requireEnv('AIRDOCK_TEST_UV');
    execFileSync(uv, ['venv', '-q', '--python', 'python3', venv], { env });
    execFileSync(uv, ['pip', 'install', '-q', '--python', join(venv, 'bin', 'python'), 'airbyte-source-faker'], { env });
  }, 300_000);

  it('has the same streams, fields, types, cursors and keys', async () => {
    const reference = pythonDiscover();
    const r = await runTargetCommand({ kind: 'command', argv: [process.execPath, join(root, 'dist/native-connectors/source-faker/main.js')] }, 'discover', { config: { count: 10, seed: 1 } });
    const ours = r.messages.find((m) => m.type === 'CATALOG')!.catalog as unknown as Catalog;
    const shape = (c: Catalog) => Object.fromEntries(c.streams.map((s) => [s.name, {
      properties: s.json_schema.properties,
      modes: [...s.supported_sync_modes].sort(),
      cursor: s.default_cursor_field,
      pk: s.source_defined_primary_key,
    }]));
    expect(shape(ours)).toEqual(shape(reference));
  });

  it('accepts the same config keys', async () => {
    const spec = JSON.parse(execFileSync(bin, ['spec'], { encoding: 'utf8' }).split('\n').find((l) => l.includes('"SPEC"'))!).spec;
    const r = await runTargetCommand({ kind: 'command', argv: [process.execPath, join(root, 'dist/native-connectors/source-faker/main.js')] }, 'spec');
    const ours = r.messages.find((m) => m.type === 'SPEC')!.spec!;
    expect(Object.keys((ours.connectionSpecification as { properties: object }).properties).sort()).toEqual(Object.keys(spec.connectionSpecification.properties).sort());
  });
});
