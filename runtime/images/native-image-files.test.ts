import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nativeImageFiles } from './native-image-files.js';

const root = mkdtempSync(join(tmpdir(), 'airdock-image-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const put = (path: string, text: string) => { mkdirSync(dirname(join(root, path)), { recursive: true }); writeFileSync(join(root, path), text); };

describe('what a native connector image holds', () => {
  it('the compiled files main.js reaches and the packages they load, with their dependencies; nothing else', async () => {
    put('dist/native-connectors/source-x/main.js', "import { run } from '../sdk/run.js';\nimport spec from './spec.json' with { type: 'json' };\nimport { readFile } from 'node:fs';\nrun(spec);\n");
    put('dist/native-connectors/source-x/spec.json', '{}');
    put('dist/native-connectors/sdk/run.js', "export { ajv } from 'ajv';\nexport const lazy = () => import('@scope/lazy/sub.js');\nimport 'path';\n");
    put('dist/native-connectors/sdk/unused.js', "import 'duckdb';\n");
    put('node_modules/ajv/package.json', JSON.stringify({ name: 'ajv', version: '8.0.0', dependencies: { 'fast-deep-equal': '1' } }));
    put('node_modules/fast-deep-equal/package.json', JSON.stringify({ name: 'fast-deep-equal', version: '3.0.0' }));
    put('node_modules/@scope/lazy/package.json', JSON.stringify({ name: '@scope/lazy', version: '1.0.0', dependencies: { nested: '2' }, optionalDependencies: { 'lazy-linux-arm': '1' } }));
    put('node_modules/@scope/lazy/node_modules/nested/package.json', JSON.stringify({ name: 'nested', version: '2.0.0' }));
    put('node_modules/duckdb/package.json', JSON.stringify({ name: 'duckdb', version: '1.0.0' }));
    const files = await nativeImageFiles(root, 'source-x');
    expect(files.dist).toEqual(['dist/native-connectors/sdk/run.js', 'dist/native-connectors/source-x/main.js', 'dist/native-connectors/source-x/spec.json']);
    expect(files.packages).toEqual(['node_modules/@scope/lazy', 'node_modules/ajv', 'node_modules/fast-deep-equal']);
  });

  it('packages loaded with require() count too (generated code such as precompiled validators uses it)', async () => {
    put('dist/native-connectors/source-r/main.js', "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nconst f = require(\"fast-deep-equal/es6\");\nconst p = require('node:path');\n// as require('left-pad') would\n/**\n * or import('is-odd') in a doc comment\n */\nconst q = 1; // require('is-even')\n");
    const files = await nativeImageFiles(root, 'source-r');
    expect(files.packages).toEqual(['node_modules/fast-deep-equal']);
  });

  it('a package the code loads but npm did not install is an error naming it', async () => {
    put('dist/native-connectors/source-y/main.js', "import 'not-installed';\n");
    await expect(nativeImageFiles(root, 'source-y')).rejects.toMatchObject({ code: 'AIRDOCK_IMAGE_BUILD', context: { package: 'not-installed' } });
  });
});
