import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateConfig, type PrecompiledValidator } from '../../protocol/index.js';
import { CONFIG_VALIDATOR_CONNECTORS, generateConfigValidator } from '../../scripts/gen-config-validators.js';
import { configValidator as sourceS3Validator } from '../../native-connectors/source-s3/config-validator.js';
import { spec as sourceS3Spec } from '../../native-connectors/source-s3/spec.js';
import { configValidator as destinationS3Validator } from '../../native-connectors/destination-s3/config-validator.js';
import { spec as destinationS3Spec } from '../../native-connectors/destination-s3/spec.js';

describe('precompiled config validators', () => {
  it.each(CONFIG_VALIDATOR_CONNECTORS)('%s: config-validator.ts is what the generator makes today (npm run gen:config-validators)', (name) => {
    const { path, code } = generateConfigValidator(name);
    expect(readFileSync(path, 'utf8')).toBe(code);
  });

  // The issues users read must not depend on whether the spec was compiled at start or at gen time.
  const cases: [string, object, unknown, PrecompiledValidator][] = [
    ['source-s3', sourceS3Spec.connectionSpecification, { bucket: 'b', streams: [{ name: 'users', globs: ['**'], format: { filetype: 'jsonl' } }] }, sourceS3Validator],
    ['source-s3', sourceS3Spec.connectionSpecification, { bucket: 7, streams: [{ name: 'users', format: { filetype: 'csv', delimiter: 3 } }], parallelism: 0, start_date: 'yesterday' }, sourceS3Validator],
    ['source-s3', sourceS3Spec.connectionSpecification, { streams: [{ format: { filetype: 'xml' } }], extra: true }, sourceS3Validator],
    ['destination-s3', destinationS3Spec.connectionSpecification, { s3_bucket_name: 'b', s3_bucket_path: 'p', s3_bucket_region: 'us-east-1', format: { format_type: 'JSONL' } }, destinationS3Validator],
    ['destination-s3', destinationS3Spec.connectionSpecification, { s3_bucket_name: 'b', s3_bucket_region: 'mars-1', format: { format_type: 'Parquet', compression_codec: 'LZO2' }, part_size_mb: 1 }, destinationS3Validator],
    ['destination-s3', destinationS3Spec.connectionSpecification, { format: { format_type: 'CSV', flattening: 7 } }, destinationS3Validator],
  ];
  it.each(cases.map(([name, spec, config, fn]) => [name, JSON.stringify(config), spec, config, fn] as const))('%s %s: the issues of a run-time compile', (_name, _json, spec, config, fn) => {
    expect(validateConfig(config, spec, fn)).toEqual(validateConfig(config, spec));
  });

  it('the cases include invalid configs, so the comparison can fail', () => {
    for (const name of CONFIG_VALIDATOR_CONNECTORS) {
      expect(cases.some(([n, spec, config]) => n === name && validateConfig(config, spec).length > 1), name).toBe(true);
    }
  });
});
