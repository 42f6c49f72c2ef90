import type { AirbyteCatalog, AirbyteStream } from '../../generated/types.js';
import { createAjv } from '../../validate/create-ajv.js';
import { validateCatalog } from '../../validate/validate-message.js';
import type { CommandRunner } from '../command-runner.js';
import { fail, ofType, skip, type ConformanceCheck } from '../conformance-check.js';
import { check, firstOf, once } from './acceptance-check.js';
import { catalogCompatibility } from './catalog-compatibility.js';
import { fieldSchema, findKeyword, pointer } from './schema-walk.js';

export interface DiscoverySuiteOptions {
  config: unknown;
  /** CAT's validate_primary_keys_data_type (default true). */
  validatePrimaryKeysDataType?: boolean;
  /** The previous version's catalog, for the backward compatibility test. */
  previousCatalog?: AirbyteCatalog;
}

/** Runs `discover` and returns its one CATALOG, or fails saying what was wrong. */
export async function discoverCatalog(run: CommandRunner, config: unknown): Promise<AirbyteCatalog> {
  const r = await run('discover', { config });
  const catalogs = ofType(r, 'CATALOG');
  if (r.exitCode !== 0 || catalogs.length === 0) fail('`discover` must exit 0 and print a CATALOG', r);
  if (catalogs.length > 1) fail(`CATALOG must be printed exactly once (got ${catalogs.length})`, r);
  return catalogs[0]!.catalog;
}

const each = (c: AirbyteCatalog, fn: (s: AirbyteStream) => string[]): string[] => c.streams.flatMap((s) => fn(s).map((e) => `stream ${s.name}: ${e}`));
const exists = (s: AirbyteStream, path: readonly string[]) => fieldSchema(s.json_schema, path) !== undefined;

/** CAT's discovery suite: one valid catalog, compilable schemas, cursors and keys that exist, sync modes that agree. */
export function discoverySuite(run: CommandRunner, o: DiscoverySuiteOptions): ConformanceCheck[] {
  const catalog = once(() => discoverCatalog(run, o.config));
  const rule = (name: string, why: string, fn: (s: AirbyteStream) => string[]) => check(name, async () => {
    const errors = each(await catalog(), fn);
    if (errors.length > 0) fail(`${why}: ${firstOf(errors)}`);
  });
  return [
    check('test_discover', async () => {
      const c = await catalog();
      const issues = validateCatalog(c);
      if (issues.length > 0) fail(`CATALOG breaks the protocol schema: ${firstOf(issues.map((i) => `${i.path} ${i.message}`))}`);
      if (c.streams.length === 0) fail('the catalog has no streams');
      const names = c.streams.map((s) => `${s.namespace ?? ''}.${s.name}`);
      const dups = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
      if (dups.length > 0) fail(`stream names must be unique; repeated: ${dups.join(', ')}`);
    }),
    rule('test_streams_have_valid_json_schemas', 'stream schemas must be valid JSON Schemas of type object', (s) => {
      const js = s.json_schema as { type?: unknown; properties?: unknown; $schema?: unknown };
      const errors: string[] = [];
      if (js.type !== 'object' && !(Array.isArray(js.type) && js.type.includes('object'))) errors.push('json_schema must have type object');
      const { $schema: _s, ...schema } = js;
      try { createAjv({ validateSchema: true }).compile(schema); } catch (e) { errors.push(`json_schema is not valid: ${(e as Error).message}`); }
      return errors;
    }),
    rule('test_defined_cursors_exist_in_schema', 'default cursor fields must exist in the schema', (s) =>
      s.default_cursor_field?.length && !exists(s, s.default_cursor_field) ? [`${s.default_cursor_field.join('.')} is not in its properties`] : []),
    rule('test_defined_refs_exist_in_schema', 'schemas must not hold unresolved $ref values', (s) =>
      findKeyword(s.json_schema, '$ref').map((n) => `${pointer(n.path)} = ${String(n.value)}`)),
    rule('test_defined_keyword_exist_in_schema', 'schemas must not use allOf or not', (s) =>
      [...findKeyword(s.json_schema, 'allOf'), ...findKeyword(s.json_schema, 'not')].map((n) => pointer(n.path))),
    rule('test_primary_keys_exist_in_schema', 'primary keys must exist in the schema', (s) =>
      (s.source_defined_primary_key ?? []).filter((pk) => !exists(s, pk)).map((pk) => `${pk.join('.')} is not in its properties`)),
    rule('test_streams_has_sync_modes', 'sync modes must be declared and agree with source_defined_cursor', (s) => {
      if (!s.supported_sync_modes?.length) return ['supported_sync_modes is empty'];
      if (s.source_defined_cursor && !s.supported_sync_modes.includes('incremental')) return ['source_defined_cursor is true but incremental is not a supported sync mode'];
      if (s.source_defined_cursor && !s.default_cursor_field?.length) return ['source_defined_cursor is true but there is no default_cursor_field'];
      return [];
    }),
    rule('test_additional_properties_is_true', 'additionalProperties, when set, must be true (a closed schema breaks on a new column)', (s) =>
      findKeyword(s.json_schema, 'additionalProperties').filter((n) => n.value !== true).map((n) => pointer(n.path))),
    check('test_primary_keys_data_type', async () => {
      if (o.validatePrimaryKeysDataType === false) skip('validate_primary_keys_data_type is false');
      const errors = each(await catalog(), (s) => (s.source_defined_primary_key ?? []).flatMap((pk) => {
        const t = fieldSchema(s.json_schema, pk)?.type;
        const types = Array.isArray(t) ? t : [t];
        return types.some((x) => x === 'object' || x === 'array') ? [`primary key ${pk.join('.')} has type ${types.join('|')}`] : [];
      }));
      if (errors.length > 0) fail(`primary keys must not be objects or arrays: ${firstOf(errors)}`);
    }),
    check('test_backward_compatibility', async () => {
      if (!o.previousCatalog) skip('no previous catalog to compare with');
      const breaks = catalogCompatibility(o.previousCatalog, await catalog());
      if (breaks.length > 0) fail(`the catalog is not backward compatible: ${firstOf(breaks)}`);
    }),
  ];
}
