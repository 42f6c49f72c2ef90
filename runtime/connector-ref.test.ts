import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConnector } from './connector-ref.js';

/** Bare names against the bundled seed (offline), as the CLI resolves them. */
const home = mkdtempSync(join(tmpdir(), 'airdock-ref-'));
const base = { offline: true, home, registry: '', python: '/usr/bin/python3' };

describe('resolveConnector: executors of a bare name', () => {
  it('native first; a version or --executor python picks the PyPI package in a venv', async () => {
    expect((await resolveConnector('source-faker', base)).target.kind).toBe('command');
    expect((await resolveConnector('source-faker', { ...base, executor: 'python' })).target)
      .toEqual({ kind: 'python', package: 'airbyte-source-faker', version: '6.2.24', script: 'source-faker' });
    expect((await resolveConnector('source-faker', { ...base, version: '7.2.1' })).target)
      .toMatchObject({ kind: 'python', version: '7.2.1' });
  });

  it("the registry's executor when there is no native one: manifest, python, else the image", async () => {
    expect(await resolveConnector('source-rocket-chat', base)).toMatchObject({
      name: 'source-rocket-chat', target: { kind: 'manifest', manifest: { repository: 'airbyte/source-rocket-chat', version: '0.2.25' } },
    });
    expect((await resolveConnector('source-github', base)).target).toMatchObject({ kind: 'python', package: 'airbyte-source-github' });
    expect((await resolveConnector('source-mysql', base)).target).toEqual({ kind: 'image', image: 'airbyte/source-mysql:3.51.5' });
    expect((await resolveConnector('source-rocket-chat', { ...base, executor: 'image', version: '0.2.1' })).target)
      .toEqual({ kind: 'image', image: 'airbyte/source-rocket-chat:0.2.1' });
  });

  it('without Python or uv on PATH, a bare name falls back to the image; --executor python does not', async () => {
    const noPython = { ...base, python: undefined, env: { PATH: '/nonexistent' } };
    expect((await resolveConnector('source-github', noPython)).target.kind).toBe('image');
    expect((await resolveConnector('source-github', { ...noPython, executor: 'python' })).target.kind).toBe('python');
  });

  it('manifest:<file> runs a local manifest, named after it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'airdock-mf-'));
    writeFileSync(join(dir, 'my-api.yaml'), 'version: 6.0.0\nstreams: []\n');
    expect(await resolveConnector(`manifest:${join(dir, 'my-api.yaml')}`)).toMatchObject({ name: 'my-api', target: { kind: 'manifest', manifest: { path: join(dir, 'my-api.yaml') } } });
    await expect(resolveConnector('manifest:./nope.yaml')).rejects.toMatchObject({ code: 'AIRDOCK_USAGE' });
  });

  it('--executor is for catalog names only', async () => {
    await expect(resolveConnector('airbyte/source-faker:6.2.24', { executor: 'python' })).rejects.toMatchObject({ code: 'AIRDOCK_USAGE' });
  });
});
