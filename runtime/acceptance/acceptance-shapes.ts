/**
 * Every key CAT's acceptance-test-config.yml has had (connector-acceptance-test and its predecessor
 * source-acceptance-test, current and legacy layouts), with the type of its value. Keys outside this
 * table are reported as warnings and ignored; a known key with a value of the wrong type is an error.
 */
export type Shape =
  | 'string' | 'bool' | 'int' | 'any'
  | { enum: readonly string[] }
  | { object: Readonly<Record<string, Shape>> }
  | { list: Shape }
  | { map: Shape }
  | { oneOf: readonly Shape[] };

const named: Shape = { object: { name: 'string', bypass_reason: 'string' } };
const nameList: Shape = { list: { oneOf: ['string', named] } };
const backwardCompatibility: Shape = { object: { previous_connector_version: 'string', disable_for_version: 'string' } };
const clientContainer: Shape = {
  object: {
    secrets_path: 'string', client_container_dockerfile_path: 'string', setup_command: { list: 'string' },
    teardown_command: { list: 'string' }, between_syncs_command: { list: 'string' }, final_teardown_command: { list: 'string' },
  },
};
const common = { config_path: 'string', timeout_seconds: 'int', deployment_mode: { enum: ['cloud', 'oss'] } } as const;

export const SUITE_SHAPES: Readonly<Record<string, Readonly<Record<string, Shape>>>> = {
  spec: {
    ...common, spec_path: 'string', backward_compatibility_tests_config: backwardCompatibility,
    auth_default_method: { object: { oauth: 'bool', bypass_reason: 'string' } },
  },
  connection: { ...common, status: { enum: ['succeed', 'failed', 'exception'] }, invalid_config_path: 'string' },
  discovery: { ...common, backward_compatibility_tests_config: backwardCompatibility, validate_primary_keys_data_type: 'bool', configured_catalog_path: 'string' },
  basic_read: {
    ...common, configured_catalog_path: 'string', empty_streams: nameList,
    expect_records: { object: { path: 'string', bypass_reason: 'string', exact_order: 'bool', extra_fields: 'bool', extra_records: 'bool' } },
    validate_schema: 'bool', validate_stream_statuses: 'bool', validate_state_messages: 'bool', validate_primary_keys_data_type: 'bool',
    fail_on_extra_columns: 'bool', validate_data_points: 'bool', expect_trace_message_on_failure: 'bool',
    file_types: { object: { bypass_reason: 'string', skip_test: 'bool', unsupported_types: { list: { object: { extension: 'string', bypass_reason: 'string' } } } } },
    client_container_config: clientContainer, ignored_fields: { map: nameList }, validate_output_from_all_streams: 'bool',
  },
  full_refresh: { ...common, configured_catalog_path: 'string', ignored_fields: { map: nameList }, client_container_config: clientContainer },
  incremental: {
    ...common, configured_catalog_path: 'string', cursor_paths: { map: { list: { oneOf: ['string', 'int'] } } },
    future_state: {
      object: {
        future_state_path: 'string', missing_streams: nameList, bypass_reason: 'string',
        cursor_format: { object: { format: 'string', streams: { list: { object: { name: 'string', format: 'string' } } } } },
      },
    },
    future_state_path: 'string', state_path: 'string', threshold_days: 'int', skip_comprehensive_incremental_tests: 'bool',
    client_container_config: clientContainer,
  },
  connector_attributes: {
    ...common, streams_without_primary_key: { list: named },
    allowed_hosts: { object: { bypass_reason: 'string' } }, suggested_streams: { object: { bypass_reason: 'string' } },
  },
  connector_documentation: { ...common },
  // airdock's own suite for destinations (CAT tests sources only)
  write: { ...common },
};

export const TOP_SHAPES: Readonly<Record<string, Shape>> = {
  connector_image: 'string', base_path: 'string', test_strictness_level: { enum: ['high', 'low'] },
  custom_environment_variables: { map: { oneOf: ['string', 'int', 'bool'] } }, cache_discovered_catalog: 'bool',
  acceptance_tests: 'any', tests: 'any',
};

/** Checks a value against a shape: problems as `path: what`, unknown keys as paths. */
export function checkShape(value: unknown, shape: Shape, path: string, out: { errors: string[]; unknown: string[] }): void {
  if (value === null || value === undefined || shape === 'any') return;
  if (shape === 'string') { if (typeof value !== 'string') out.errors.push(`${path} must be a string`); return; }
  if (shape === 'bool') { if (typeof value !== 'boolean') out.errors.push(`${path} must be true or false`); return; }
  if (shape === 'int') { if (!Number.isInteger(value) || (value as number) < 0) out.errors.push(`${path} must be a whole number >= 0`); return; }
  if ('enum' in shape) { if (!shape.enum.includes(String(value))) out.errors.push(`${path} must be one of ${shape.enum.join(', ')}`); return; }
  if ('oneOf' in shape) {
    const tries = shape.oneOf.map((s) => { const o = { errors: [] as string[], unknown: [] as string[] }; checkShape(value, s, path, o); return o; });
    const ok = tries.find((t) => t.errors.length === 0);
    if (ok) out.unknown.push(...ok.unknown); else out.errors.push(tries[tries.length - 1]!.errors[0]!);
    return;
  }
  if ('list' in shape) {
    if (!Array.isArray(value)) { out.errors.push(`${path} must be a list`); return; }
    value.forEach((v, i) => checkShape(v, shape.list, `${path}[${i}]`, out));
    return;
  }
  if (typeof value !== 'object' || Array.isArray(value)) { out.errors.push(`${path} must be a mapping`); return; }
  for (const [k, v] of Object.entries(value)) {
    const sub = 'map' in shape ? shape.map : shape.object[k];
    if (sub === undefined) out.unknown.push(`${path}.${k}`);
    else checkShape(v, sub, `${path}.${k}`, out);
  }
}
