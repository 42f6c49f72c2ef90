/**
 * The python executor: the real Airbyte faker from PyPI (wheels cached by scripts/setup/python-wheels.sh,
 * installed offline) in a venv under AIRDOCK_HOME, run through the same launcher as the image, as a user
 * runs it (`bin/airdock`). Same spec and records as the image; clear errors; nothing left on failure.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKER_VERSION } from '../support/images.js';
import { offlinePythonEnv, processesMentioning, tempHome } from '../support/python-env.js';
import { repoRoot } from '../support/repo-paths.js';
import { runCli } from '../support/run-cli.js';
import { airdockContainers, fakerImage, requireDockerDaemon } from '../support/runtime-env.js';

const home = tempHome('airdock-pyexec-');
const env = () => ({ AIRDOCK_HOME: home, AIRDOCK_OFFLINE: '1', AIRDOCK_REGISTRY: '', AIRDOCK_PYTHON: '', ...offlinePythonEnv() });
const airdock = (args: string[], extra: Record<string, string> = {}) => runCli(args, { env: { ...env(), ...extra }, cwd: home, timeoutMs: 170_000 });
const python = ['--executor', 'python', '--version', FAKER_VERSION];
const venvs = join(home, 'python', 'airbyte-source-faker');

beforeAll(async () => {
  await requireDockerDaemon();
});
afterAll(async () => {
  expect(processesMentioning(home)).toEqual([]);
  expect(await airdockContainers(fakerImage())).toEqual([]);
});

type Message = { type: string; record?: { stream: string; data: Record<string, unknown> }; state?: { stream?: { stream_descriptor: { name: string } } } };
const parse = (stdout: string): Message[] => stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Message);
/** Faker stamps `updated_at` with the wall clock; everything else follows from the seed. */
const stable = (m: Message[]) => m.filter((x) => x.type === 'RECORD').map((x) => {
  const { updated_at: _u, ...rest } = x.record!.data;
  return { stream: x.record!.stream, data: rest };
});

describe('source-faker through the python executor', () => {
  it('installs the package once into a venv, then prints the same spec as the image', async () => {
    const first = await airdock(['spec', 'source-faker', ...python, '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(new RegExp(`installing airbyte-source-faker==${FAKER_VERSION} with uv`));
    expect(existsSync(join(venvs, FAKER_VERSION, '.airdock-env.json'))).toBe(true);
    const again = await airdock(['spec', 'source-faker', ...python, '--json']);
    expect(again.stderr).not.toMatch(/installing/);
    const image = await airdock(['spec', fakerImage(), '--pull', 'never', '--json']);
    expect(image.code, image.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual(JSON.parse(image.stdout));
  });

  it('reads the same records and states as the image', async () => {
    writeFileSync(join(home, 'faker.json'), JSON.stringify({ count: 300, seed: 7, records_per_slice: 100, parallelism: 1, always_updated: false }));
    const args = ['--config', join(home, 'faker.json'), '--streams', 'users,products'];
    const [py, img] = [await airdock(['read', 'source-faker', ...python, ...args]), await airdock(['read', fakerImage(), '--pull', 'never', ...args])];
    expect(py.code, py.stderr).toBe(0);
    expect(img.code, img.stderr).toBe(0);
    const [a, b] = [parse(py.stdout), parse(img.stdout)];
    expect(stable(a).length).toBe(300 + 100);
    expect(stable(a)).toEqual(stable(b));
    const states = (m: Message[]) => m.filter((x) => x.type === 'STATE').map((x) => x.state!.stream?.stream_descriptor.name);
    expect(states(a)).toEqual(states(b));
    expect(states(a).length).toBeGreaterThan(0);
  });

  it.each(['uv', 'pip'])('a version the package index does not have (%s): AIRDOCK_PACKAGE_NOT_FOUND (exit 2), and nothing is left behind', async (installer) => {
    const r = await airdock(['spec', 'source-faker', '--executor', 'python', '--version', '0.0.1'], { AIRDOCK_PYTHON_INSTALLER: installer });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`installing airbyte-source-faker==0\\.0\\.1 with ${installer}`));
    expect(r.stderr).toMatch(/^error AIRDOCK_PACKAGE_NOT_FOUND: The package index has no such package or version \(requirement="airbyte-source-faker==0.0.1"/m);
    expect(readdirSync(venvs)).toEqual([FAKER_VERSION]);
  });

  it('no Python, or a Python too old: one clear line saying what to do', async () => {
    const missing = await airdock(['spec', 'source-faker', '--executor', 'python', '--version', '7.2.0'], { AIRDOCK_PYTHON: join(home, 'no-such-python') });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error AIRDOCK_PYTHON_NOT_FOUND: .*Install Python 3\.10 or newer/m);
    const old = await airdock(['spec', 'source-faker', '--executor', 'python', '--version', '7.2.0'], { AIRDOCK_PYTHON: join(repoRoot, 'test/fixtures/python/python-3.8') });
    expect(old.code).toBe(1);
    expect(old.stderr).toMatch(/^error AIRDOCK_PYTHON_TOO_OLD: The Python interpreter is too old .*version="3\.8\.18".*Install Python 3\.10 or newer/m);
    expect(readdirSync(venvs)).toEqual([FAKER_VERSION]);
  });

  it('airdock sync: a python-executor source into the native DuckDB destination', async () => {
    const db = join(home, 'faker.duckdb');
    const file = join(home, 'faker-python-duckdb.yaml');
    writeFileSync(file, `name: pyexec-${process.pid}
source: { connector: source-faker, executor: python, version: "${FAKER_VERSION}", config: { count: 200, seed: 3, records_per_slice: 100 } }
destination: { connector: destination-duckdb, config: { destination_path: ${db} } }
streams:
  - { name: users, sync_mode: incremental, destination_sync_mode: append_dedup, cursor_field: [updated_at], primary_key: [[id]] }
retry: { attempts: 1 }
`);
    const r = await airdock(['sync', file, '--json-summary']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'succeeded', recordsEmitted: 200, recordsCommitted: 200 });
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const conn = await (await DuckDBInstance.create(db)).connect();
    const rows = (await conn.runAndReadAll('SELECT count(DISTINCT id) AS n FROM users')).getRowObjects();
    expect(Number(rows[0]!.n)).toBe(200);
    conn.closeSync();
  });
});

describe('airdock install, installed, uninstall', () => {
  type Installed = { name: string; version: string; executor: string; package: string; location: string; bytes: number; integrity?: string };
  const installed = async () => (JSON.parse((await airdock(['installed', '--json'])).stdout) as { installed: Installed[] }).installed;

  it('installed lists the venv with its version, size and integrity; install of what is there changes nothing', async () => {
    expect(await installed()).toEqual([expect.objectContaining({
      name: 'source-faker', version: FAKER_VERSION, executor: 'python', package: 'airbyte-source-faker', location: join(venvs, FAKER_VERSION),
      integrity: expect.stringMatching(/^sha256-/),
    })]);
    expect((await installed())[0]!.bytes).toBeGreaterThan(10e6);
    const again = await airdock(['install', 'source-faker', ...python]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(`source-faker ${FAKER_VERSION} is already installed (python: airbyte-source-faker)\n`);
    const native = await airdock(['install', 'source-faker']);
    expect(native.stdout).toBe('source-faker runs natively: nothing to install\n');
  });

  it('uninstall removes the venv; a second uninstall is AIRDOCK_NOT_INSTALLED (exit 2); one install makes it run again', async () => {
    const gone = await airdock(['uninstall', 'source-faker']);
    expect(gone.code, gone.stderr).toBe(0);
    expect(gone.stdout).toBe(`removed source-faker ${FAKER_VERSION} (python: airbyte-source-faker)\n`);
    expect(readdirSync(venvs)).toEqual([]);
    const none = await airdock(['uninstall', 'source-faker']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^error AIRDOCK_NOT_INSTALLED: That connector is not installed \(connector="source-faker", installed="none"\)/m);
    const install = await airdock(['install', 'source-faker', ...python]);
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout).toBe(`source-faker ${FAKER_VERSION} installed (python: airbyte-source-faker)\n`);
    const spec = await airdock(['spec', 'source-faker', ...python, '--json']);
    expect(spec.code, spec.stderr).toBe(0);
    expect(spec.stderr).not.toMatch(/installing/);
  });
});
