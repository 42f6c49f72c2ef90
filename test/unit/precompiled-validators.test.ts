import { describe, expect, it } from 'vitest';
import {
  validateCatalog, validateConfiguredCatalog, validateMessage, validateSpec, validateStateMessage, type ValidationIssue,
} from '../../protocol/index.js';
import { airbyteProtocolSchema } from '../../protocol/generated/schema.js';
import { createAjv } from '../../protocol/validate/create-ajv.js';
import { toIssues } from '../../protocol/validate/validation-issue.js';
import type { ProtocolDefinition } from '../../protocol/validate/protocol-validators.js';
import { invalidMessages, validMessages } from '../fixtures/protocol/messages.js';

// The protocol validators are ajv standalone code made at gen time; a run-time compile of the same
// schema with createAjv's options must report exactly the same issues (users and tests read them).
const runtime = (() => {
  const ajv = createAjv();
  const { $id: _ignored, ...schema } = airbyteProtocolSchema as Record<string, unknown>;
  ajv.addSchema(schema, 'airbyte');
  return (name: ProtocolDefinition, value: unknown): ValidationIssue[] => {
    const fn = ajv.getSchema(`airbyte#/definitions/${name}`)!;
    return fn(value) ? [] : toIssues(fn.errors);
  };
})();

const stream = { name: 'users', json_schema: { type: 'object' }, supported_sync_modes: ['full_refresh'] };
const cases: [ProtocolDefinition, (v: unknown) => ValidationIssue[], unknown][] = [
  ...Object.values(validMessages).map((m) => ['AirbyteMessage', validateMessage, m] as [ProtocolDefinition, typeof validateMessage, unknown]),
  ...Object.values(invalidMessages).flat().map((m) => ['AirbyteMessage', validateMessage, m] as [ProtocolDefinition, typeof validateMessage, unknown]),
  ['ConfiguredAirbyteCatalog', validateConfiguredCatalog, { streams: [{ stream, sync_mode: 'full_refresh', destination_sync_mode: 'append' }] }],
  ['ConfiguredAirbyteCatalog', validateConfiguredCatalog, { streams: [{ stream: { ...stream, json_schema: 'x' }, sync_mode: 'sideways' }] }],
  ['ConfiguredAirbyteCatalog', validateConfiguredCatalog, { streams: 'none' }],
  ['AirbyteCatalog', validateCatalog, { streams: [stream] }],
  ['AirbyteCatalog', validateCatalog, { streams: [{ name: 7, supported_sync_modes: ['often'] }] }],
  ['ConnectorSpecification', validateSpec, { connectionSpecification: {}, documentationUrl: 'https://example.com/x' }],
  ['ConnectorSpecification', validateSpec, { connectionSpecification: 'x', documentationUrl: 'not a uri', supportsIncremental: 'yes' }],
  ['AirbyteStateMessage', validateStateMessage, { type: 'STREAM', stream: { stream_descriptor: { name: 'users' }, stream_state: { c: 1 } } }],
  ['AirbyteStateMessage', validateStateMessage, { type: 'SIDEWAYS', stream: { stream_descriptor: {} }, data: 3 }],
  ['AirbyteStateMessage', validateStateMessage, null],
];

describe('precompiled protocol validators', () => {
  it.each(cases.map(([name, fn, value]) => [name, JSON.stringify(value), fn, value] as const))('%s %s: the issues of a run-time compile', (name, _json, fn, value) => {
    expect(fn(value)).toEqual(runtime(name, value));
  });

  it('the cases include invalid values of every definition, so the comparison can fail', () => {
    for (const name of new Set(cases.map(([n]) => n))) {
      expect(cases.some(([n, , v]) => n === name && runtime(n, v).length > 0), name).toBe(true);
    }
  });
});
