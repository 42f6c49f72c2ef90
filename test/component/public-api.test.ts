import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/repo-paths.js';

/**
 * The package's public surface, as a consumer sees it (`import ... from 'airdock/...'`, resolved
 * through package.json "exports" to the built dist/). Changing it must be deliberate: when you add or
 * remove an export on purpose, update the list below in the same commit. Error classes (everything
 * protocol/errors exports) are exported whole from `airdock` and `airdock/protocol` and are listed in
 * docs/errors.md instead (test/unit/error-codes-documented.test.ts).
 */
const expected: Record<string, string[]> = {
  airdock: [
    'Connector', 'ConnectorRun', 'FileStateStore', 'Launcher', 'Logger', 'ProcessBackend', 'configureCatalog', 'connectDocker',
    'createRuntime', 'loadConnection', 'loadDocument', 'loadOptions', 'openStateStore', 'parseAcceptanceConfig',
    'parseConnection', 'readAcceptanceConfig', 'resolveConnector', 'runAcceptance', 'runSync', 'selectStreams', 'silentLogger',
  ],
  'airdock/protocol': [
    'ConformanceFailure', 'ConformanceSkip', 'DEFAULT_MAX_LINE_BYTES', 'LineSplitter', 'LosslessNumber', 'MESSAGE_TYPES',
    'RecordFields', 'StateSet', 'airbyteProtocolSchema', 'basicReadSuite', 'breakConfig', 'catalogCompatibility', 'checkSucceedsCheck',
    'classifyLine', 'compareCursor', 'configErrorCheck', 'configureCatalog', 'conformanceCatalog', 'conformanceInput',
    'connectionSuite', 'createAjv', 'decodeLines', 'destinationConformanceChecks', 'discoverCatalog', 'discoverySuite',
    'discriminatorKeys', 'encodeMessage', 'fail', 'fetchSpec', 'fixedValue', 'fullRefreshSuite', 'incrementalSuite',
    'isMessageType', 'isSafeNumber', 'maskSecrets', 'mergeState', 'ofType', 'parseJson', 'parseStreamKey', 'readString',
    'runConformance', 'scanObject', 'scanRecordFields', 'secretPaths', 'selectStreams', 'skip', 'skipValue', 'sourceConformanceChecks', 'specCheck',
    'specCompatibility', 'specSuite', 'stateFileValue', 'stateKind', 'streamKey', 'stringifyJson', 'toIssues', 'toStoredState',
    'validateCatalog', 'validateConfig', 'validateConfiguredCatalog', 'validateMessage', 'validateSpec', 'validateStateMessage',
    'writeSuite',
  ],
  'airdock/catalog': [
    'DEFAULT_REGISTRY_URL', 'DEFAULT_TTL_MS', 'EXECUTOR_KINDS', 'Registry', 'SEED_FILE', 'buildSeed', 'executorsOf', 'imageRef',
    'isBareName', 'isVisible', 'loadNativeOverlay', 'loadRegistry', 'loadSeed', 'metadataBaseUrl', 'parseRegistry',
    'registryExecutor', 'resolveConnectorRef', 'resolveEntry',
  ],
  'airdock/sdk': [
    'CDC_DELETED_AT', 'ContiguousProgress', 'Emitter', 'META_COLUMNS', 'RUN_FIELDS', 'RunField', 'StateView', 'StreamEnds', 'airbyteMeta', 'canWiden',
    'coerceValue', 'columnList', 'defineDestination', 'defineSource', 'dropOldGenerationsStatement', 'failureTypeOf',
    'insertStatement', 'logicalType', 'parseRecordData', 'planSchemaChange', 'planTable', 'repairInvalidUtf8', 'runCli',
    'runConnector', 'runPool', 'toTraceError', 'upsertStatements', 'writeWithBarrier',
  ],
  'airdock/testing': [
    'ConformanceFailure', 'ConformanceSkip', 'basicReadSuite', 'configureCatalog', 'conformanceCatalog', 'conformanceInput',
    'connectionSuite', 'describeDestinationConformance', 'describeSourceConformance', 'destinationConformanceChecks',
    'discoverySuite', 'fullRefreshSuite', 'incrementalSuite', 'runConformance', 'runTargetCommand', 'runnerFor',
    'sourceConformanceChecks', 'specSuite', 'writeSuite',
  ],
};

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string; exports: Record<string, string> };
const subpaths = Object.keys(pkg.exports).map((s) => (s === '.' ? pkg.name : `${pkg.name}/${s.slice(2)}`));
const errorNames = async () => Object.keys(await import(join(repoRoot, 'dist/protocol/errors/index.js')));
const tsc = (args: string[]) => spawnSync(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), ...args], { cwd: repoRoot, encoding: 'utf8' });

describe('public API', () => {
  it('package.json exports exactly the entry points listed here', () => {
    expect(subpaths.sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.keys(expected))('%s exports exactly its deliberate list', async (name) => {
    const errors = new Set(await errorNames());
    const mod = (await import(name)) as Record<string, unknown>;
    expect(Object.keys(mod).filter((n) => !errors.has(n)).sort(), `update \`expected\` in this file if the change to ${name} is deliberate`).toEqual(expected[name]);
  });

  it('every error class is exported from airdock and airdock/protocol', async () => {
    const names = await errorNames();
    expect(names.length).toBeGreaterThan(20);
    for (const name of ['airdock', 'airdock/protocol']) {
      const mod = (await import(name)) as Record<string, unknown>;
      expect(names.filter((n) => !(n in mod)), name).toEqual([]);
    }
  });

  it('a program using every entry point type-checks against the built package, as a consumer would', () => {
    const r = tsc(['-p', 'test/fixtures/consumer/tsconfig.json']);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('internals are not reachable from the package', () => {
    const dir = mkdtempSync(join(repoRoot, 'test/fixtures/consumer/tmp-'));
    try {
      writeFileSync(join(dir, 'internal.ts'), "import { newRunId } from 'airdock';\nimport { formatTable } from 'airdock/catalog';\nexport const x = [newRunId, formatTable];\n");
      const r = tsc(['--noEmit', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--strict', '--types', 'node', '--skipLibCheck', join(dir, 'internal.ts')]);
      expect(r.status).not.toBe(0);
      expect(r.stdout).toContain("has no exported member 'newRunId'");
      expect(r.stdout).toContain("has no exported member 'formatTable'");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
