import type { ErrorObject } from 'ajv';
import type { ConfiguredAirbyteCatalog } from '../../generated/types.js';
import { loadAjv } from '../../validate/load-ajv.js';

// CAT's timestamp check: a date, a separator, a time, anything after (a timezone is optional).
const TIMESTAMP = /^\d{4}-\d?\d-\d?\d(\s|T)\d?\d:\d?\d:\d?\d(\.\d+)?.*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export type RecordCheck = (data: unknown) => ErrorObject[];

/**
 * One validator per configured stream, judging records the way CAT does: its lenient `date-time`
 * (timezone optional), `date`, other formats not checked, and with `failOnExtraColumns` no top-level
 * property outside the schema. (CAT's strict integers, 1.0 not being an integer, cannot be told apart
 * after JSON parsing in JavaScript.)
 */
export function recordValidators(catalog: ConfiguredAirbyteCatalog, o: { failOnExtraColumns: boolean }): Map<string, RecordCheck> {
  const { Ajv } = loadAjv();
  const ajv = new Ajv({
    strict: false, allErrors: true, allowUnionTypes: true, validateSchema: false, logger: false, verbose: true,
    formats: {
      'date-time': { type: 'string', validate: (s: string) => TIMESTAMP.test(s) && !Number.isNaN(Date.parse(s.replace(' ', 'T'))) },
      date: { type: 'string', validate: (s: string) => DATE.test(s) && !Number.isNaN(Date.parse(s)) },
    },
  });
  const out = new Map<string, RecordCheck>();
  for (const s of catalog.streams) {
    const { $schema: _s, $id: _i, ...schema } = s.stream.json_schema as Record<string, unknown>;
    const fn = ajv.compile(o.failOnExtraColumns ? { ...schema, additionalProperties: false } : schema);
    out.set(s.stream.name, (data) => (fn(data) ? [] : [...(fn.errors ?? [])]));
  }
  return out;
}

export function describeSchemaError(e: ErrorObject): string {
  const where = e.instancePath || '/';
  if (e.keyword === 'additionalProperties') return `${where} has a property the schema does not list: ${(e.params as { additionalProperty: string }).additionalProperty}`;
  return `${where} ${e.message ?? 'is invalid'}${e.keyword === 'type' || e.keyword === 'format' ? ` (got ${JSON.stringify(e.data)?.slice(0, 60)})` : ''}`;
}
