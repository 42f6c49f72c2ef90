/**
 * The connection file as a JSON Schema, checked by ajv after `${VAR}` expansion and shorthand
 * normalisation. `message` is what a user reads when a value breaks that node (never the value:
 * configs hold secrets; a node without one reports through the nearest list or key above it);
 * `missing` when a required key is absent; `unknownKey` for a key the node does not know. Key order
 * is the order problems are reported in.
 */
import type { AnnotatedSchema } from './schema-issue.js';

const IDENTIFIER = '^[A-Za-z_][A-Za-z0-9_]{0,62}$';
const NAME = '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$';
export const TOP_KEYS = ['name', 'source', 'destination', 'backend', 'streams', 'namespace', 'prefix', 'state', 'retry', 'circuit_breaker', 'timeouts', 'schedule', 'max_line_bytes'];
const BACKEND = { enum: ['docker', 'kubernetes'], message: 'backend must be docker or kubernetes' };

const connector = (side: string) => ({
  type: 'object',
  message: `${side} must be a mapping with connector and config`,
  unknownKey: 'Unknown key; expected connector, config, backend, docker, executor or version',
  additionalProperties: false,
  required: ['connector'],
  properties: {
    connector: {
      type: 'string', pattern: '\\S', message: 'connector must be a connector reference (native:name, an image, ./program)',
      missing: 'connector must be a connector reference (native:name, an image, ./program)',
    },
    config: { type: 'object', message: 'config must be a mapping' },
    docker: {
      type: 'object',
      message: 'docker must be a mapping: {pids_limit, writable_root}',
      unknownKey: 'Unknown key; expected pids_limit or writable_root',
      additionalProperties: false,
      properties: {
        pids_limit: { type: 'integer', minimum: 0, message: 'pids_limit must be an integer ≥ 0 (0: no limit)' },
        writable_root: { type: 'boolean', message: 'writable_root must be true or false' },
      },
    },
    executor: { enum: ['native', 'python', 'manifest', 'image'], message: 'executor must be one of native, python, manifest, image' },
    version: { type: ['string', 'number'], message: 'version must be a version string, e.g. "7.2.1"' },
    // which backend runs this side's image; overrides the top-level `backend`
    backend: BACKEND,
  },
});

const stream = {
  type: 'object',
  message: 'a stream must be a mapping with at least name',
  unknownKey: 'Unknown stream key',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, message: 'name must be a non-empty string', missing: 'name must be a non-empty string' },
    namespace: { type: 'string', message: 'namespace must be a string' },
    sync_mode: { enum: ['full_refresh', 'incremental'], message: 'sync_mode must be one of full_refresh, incremental' },
    destination_sync_mode: {
      enum: ['append', 'overwrite', 'append_dedup', 'update', 'soft_delete'],
      message: 'destination_sync_mode must be one of append, overwrite, append_dedup, update, soft_delete',
    },
    // An incremental stream without cursor_field, or dedup without primary_key, may still be fine:
    // the source can define them. derive-catalog checks that against discover.
    cursor_field: { type: 'array', minItems: 1, items: { type: 'string' }, message: 'cursor_field must be a field path (a list of strings)' },
    primary_key: {
      type: 'array', message: 'primary_key must be a list of field paths, e.g. [[id]]',
      items: { type: 'array', minItems: 1, items: { type: 'string' } },
    },
  },
};

export const connectionSchema: AnnotatedSchema = {
  type: 'object',
  message: 'A connection file must be a mapping with source and destination',
  required: ['source', 'destination'],
  properties: {
    name: { type: 'string', pattern: NAME, message: 'name must be letters, digits, dot, dash or underscore (at most 128)' },
    source: connector('source'),
    destination: connector('destination'),
    backend: BACKEND,
    streams: { type: ['array', 'null'], items: stream, message: 'streams must be a list' },
    namespace: {
      type: ['object', 'null'],
      message: 'namespace must be a mapping: {definition: source|destination|custom, format}',
      properties: {
        definition: {
          enum: ['source', 'destination', 'custom'], message: 'definition must be source, destination or custom',
          missing: 'definition must be source, destination or custom',
        },
        format: { type: 'string', message: 'a custom namespace needs a format, e.g. "raw_${SOURCE_NAMESPACE}"' },
      },
      required: ['definition'],
      if: { required: ['definition'], properties: { definition: { const: 'custom' } } },
      then: { required: ['format'], properties: { format: { missing: 'a custom namespace needs a format, e.g. "raw_${SOURCE_NAMESPACE}"' } } },
    },
    prefix: { type: ['string', 'null'], message: 'prefix must be a string' },
    state: {
      type: ['object', 'null'],
      message: 'state must be a mapping: {backend: file|postgres}',
      properties: { backend: { enum: ['file', 'postgres'], message: 'backend must be file or postgres' } },
      if: { required: ['backend'], properties: { backend: { const: 'postgres' } } },
      then: {
        properties: {
          url: { type: 'string', message: 'url must be a postgres:// URL' },
          table: { type: 'string', pattern: IDENTIFIER, message: 'table must be a plain SQL identifier' },
        },
      },
      else: { properties: { dir: { type: 'string', message: 'dir must be a path' } } },
    },
    retry: {
      type: 'object',
      message: 'retry must be a mapping: {attempts, base_delay_ms}',
      properties: {
        attempts: { type: 'integer', minimum: 1, message: 'attempts must be an integer ≥ 1' },
        base_delay_ms: { type: 'number', minimum: 0, message: 'base_delay_ms must be a number ≥ 0' },
      },
    },
    max_line_bytes: { type: 'integer', minimum: 1, message: 'max_line_bytes must be an integer ≥ 1 (bytes)' },
    circuit_breaker: {
      type: 'object',
      message: 'circuit_breaker must be a mapping: {failure_threshold, recovery_timeout_seconds}',
      unknownKey: 'Unknown key; expected failure_threshold or recovery_timeout_seconds',
      additionalProperties: false,
      properties: {
        failure_threshold: { type: 'integer', minimum: 1, message: 'failure_threshold must be an integer ≥ 1' },
        recovery_timeout_seconds: { type: 'number', exclusiveMinimum: 0, message: 'recovery_timeout_seconds must be a number > 0' },
      },
    },
    schedule: { type: 'string', minLength: 1, message: 'schedule must be a cron expression, e.g. "0 * * * *"' },
    timeouts: {
      type: 'object',
      message: 'timeouts must be a mapping: {source_idle_seconds, destination_grace_seconds}',
      unknownKey: 'Unknown key',
      additionalProperties: false,
      properties: {
        source_idle_seconds: { type: 'number', exclusiveMinimum: 0, message: 'must be a number > 0' },
        destination_grace_seconds: { type: 'number', minimum: 0, message: 'must be a number ≥ 0' },
      },
    },
  },
};
