import type { ConnectorSpecification } from '../../generated/types.js';
import { createAjv } from '../../validate/create-ajv.js';
import { validateConfig } from '../../validate/validate-config.js';
import type { CommandRunner } from '../command-runner.js';
import { fail, fetchSpec, ofType, skip, specCheck, type ConformanceCheck } from '../conformance-check.js';
import { check, firstOf, once } from './acceptance-check.js';
import { canonicalJson } from './canonical-json.js';
import { specCompatibility } from './spec-compatibility.js';
import { findKeyword, pointer } from './schema-walk.js';

export interface SpecSuiteOptions {
  /** The config the other suites use (`config_path`): it must match the spec. */
  config?: Record<string, unknown>;
  /** `spec_path`: the spec the connector must print, when the file exists. */
  expectedSpec?: unknown;
  /** The previous version's spec, for the backward compatibility test. */
  previousSpec?: ConnectorSpecification;
  /** Sources also get CAT's form rules (enums, oneOf, array types); destinations only the protocol ones. */
  kind: 'source' | 'destination';
}

// CAT's list: a field with one of these names that can hold a string or a number must be airbyte_secret.
const SECRET_NAMES = new Set(['client_token', 'access_token', 'api_token', 'token', 'secret', 'client_secret', 'password', 'key',
  'service_account_info', 'service_account', 'tenant_id', 'certificate', 'jwt', 'credentials', 'app_id', 'appid', 'refresh_token']);
const RESERVED = new Set(['anyOf', 'oneOf', 'allOf', 'not', 'properties', 'items', 'type', 'prefixItems']);

/** CAT's spec suite: the protocol shape, the JSON Schema, secrets, the config, the expected and previous specs. */
export function specSuite(run: CommandRunner, o: SpecSuiteOptions): ConformanceCheck[] {
  const spec = once(() => fetchSpec(run));
  const cs = async () => (await spec()).connectionSpecification as Record<string, unknown>;
  const checks: ConformanceCheck[] = [
    check('test_spec', async () => {
      await specCheck(run).run();
      const r = await run('spec');
      const n = ofType(r, 'SPEC').length;
      if (n !== 1) fail(`SPEC must be printed exactly once (got ${n})`, r);
    }),
    check('test_connection_specification_is_json_schema', async () => {
      const { $schema: _s, ...schema } = await cs();
      try { createAjv({ validateSchema: true }).compile(schema); } catch (e) { fail(`connectionSpecification is not a valid JSON Schema (draft-07): ${(e as Error).message}`); }
    }),
    check('test_config_match_spec', async () => {
      if (!o.config) skip('no config given');
      const config = Object.fromEntries(Object.entries(o.config).filter(([k]) => !k.startsWith('_')));
      const issues = validateConfig(config, await cs());
      if (issues.length > 0) fail(`the config does not match the spec: ${firstOf(issues.map((i) => `${i.path || '/'} ${i.message}`))}`);
    }),
    check('test_match_expected', async () => {
      if (o.expectedSpec === undefined) skip('no spec_path file to compare with');
      if (canonicalJson(strip(await spec())) !== canonicalJson(strip(o.expectedSpec))) fail('the spec differs from the spec_path file');
    }),
    check('test_secret_is_properly_marked', async () => secretsMarked(await cs())),
    check('test_backward_compatibility', async () => {
      if (!o.previousSpec) skip('no previous spec to compare with');
      const breaks = specCompatibility(o.previousSpec.connectionSpecification, await cs());
      if (breaks.length > 0) fail(`the spec is not backward compatible: ${firstOf(breaks)}`);
    }),
  ];
  if (o.kind === 'source') checks.push(...formRules(cs));
  return checks;
}

function strip(spec: unknown): unknown {
  // Keys left out and keys set to null mean the same to the platform.
  return JSON.parse(JSON.stringify(spec, (_k, v: unknown) => (v === null ? undefined : v)));
}

function secretsMarked(schema: Record<string, unknown>): void {
  const exposed: string[] = [];
  const hidden: string[] = [];
  for (const n of findKeyword(schema.properties ?? {}, 'type')) {
    const name = [...n.path.slice(0, -1)].reverse().find((p) => !/^\d+$/.test(p) && !RESERVED.has(p));
    if (!name || !SECRET_NAMES.has(name.toLowerCase())) continue;
    const t = n.parent.type;
    const types = Array.isArray(t) ? t : [t];
    const canHold = types.some((x) => x === 'string' || x === 'integer' || x === 'number') && !n.parent.const;
    const marked = n.parent.airbyte_secret === true;
    const where = pointer(['properties', ...n.path.slice(0, -1)]);
    if (marked && !canHold) hidden.push(where);
    if (!marked && canHold) exposed.push(where);
  }
  if (exposed.length > 0) fail(`these properties hold secrets and must be marked airbyte_secret: ${firstOf(exposed)}`);
  if (hidden.length > 0) fail(`these properties are marked airbyte_secret but cannot hold a secret: ${firstOf(hidden)}`);
}

function formRules(cs: () => Promise<Record<string, unknown>>): ConformanceCheck[] {
  return [
    check('test_enum_usage', async () => {
      const dup = findKeyword(await cs(), 'enum').filter((n) => Array.isArray(n.value) && new Set(n.value.map((v) => JSON.stringify(v))).size !== n.value.length);
      if (dup.length > 0) fail(`enum lists must not repeat a value: ${firstOf(dup.map((n) => pointer(n.path)))}`);
    }),
    check('test_oneof_usage', async () => {
      const errors: string[] = [];
      for (const n of findKeyword(await cs(), 'oneOf')) {
        const variants = (Array.isArray(n.value) ? n.value : []) as Record<string, unknown>[];
        const where = pointer(n.path);
        if (n.parent.type !== 'object') errors.push(`${where}: the object holding oneOf must have type object`);
        if (variants.some((v) => typeof v.properties !== 'object')) { errors.push(`${where}: every variant must be an object with properties`); continue; }
        const common = variants.map((v) => new Set(Object.keys(v.properties as object))).reduce((a, b) => new Set([...a].filter((k) => b.has(k))));
        const consts = [...common].filter((k) => variants.every((v) => 'const' in ((v.properties as Record<string, Record<string, unknown>>)[k] ?? {})));
        if (consts.length !== 1) errors.push(`${where}: the variants need exactly one common property with const (found ${consts.length})`);
      }
      if (errors.length > 0) fail(firstOf(errors));
    }),
    check('test_property_type_is_not_array', async () => {
      const bad = findKeyword(await cs(), 'type').filter((n) => Array.isArray(n.value) && n.path.at(-3) === 'properties'
        && !(n.value.length === 1 || (n.value.length === 2 && n.value[1] === 'null')));
      if (bad.length > 0) fail(`a property's type must be one type, or one type and null: ${firstOf(bad.map((n) => pointer(n.path)))}`);
    }),
    check('test_defined_refs_exist_in_json_spec_file', async () => {
      const refs = findKeyword(await cs(), '$ref');
      if (refs.length > 0) fail(`the spec has unresolved $ref values: ${firstOf(refs.map((n) => String(n.value)))}`);
    }),
    check('test_additional_properties_is_true', async () => {
      const closed = findKeyword(await cs(), 'additionalProperties').filter((n) => n.value !== true);
      if (closed.length > 0) fail(`additionalProperties, when set, must be true (a closed spec breaks old configs): ${firstOf(closed.map((n) => pointer(n.path)))}`);
    }),
  ];
}
