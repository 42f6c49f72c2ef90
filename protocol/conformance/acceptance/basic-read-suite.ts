import type { AirbyteMessage, AirbyteRecordMessage, ConfiguredAirbyteCatalog } from '../../generated/types.js';
import type { CommandRunner } from '../command-runner.js';
import { fail, ofType, skip, type ConformanceCheck } from '../conformance-check.js';
import { check, firstOf, once, plural } from './acceptance-check.js';
import { isLossless } from './canonical-json.js';
import { compareExpectedRecords, type ExpectedRecords } from './expected-records.js';
import { discoverCatalog } from './discovery-suite.js';
import { readCatalog } from './read-catalog.js';
import { describeSchemaError, recordValidators } from './record-validators.js';
import { valueAt } from './schema-walk.js';

export interface BasicReadOptions {
  config: unknown;
  /** `configured_catalog_path`, already read; default: every discovered stream but the empty ones. */
  configuredCatalog?: ConfiguredAirbyteCatalog;
  emptyStreams?: readonly string[];
  /** Check that every stream returns records (default true; empty_streams are exempt). */
  validateEmptyStreams?: boolean;
  expectRecords?: ExpectedRecords;
  ignoredFields?: Readonly<Record<string, readonly string[]>>;
  validateSchema?: boolean;
  failOnExtraColumns?: boolean;
  validateStateMessages?: boolean;
  validateStreamStatuses?: boolean;
  validatePrimaryKeysDataType?: boolean;
  validateDataPoints?: boolean;
  expectTraceMessageOnFailure?: boolean;
}

type Records = AirbyteRecordMessage[];
const isNumber = (v: unknown): boolean => typeof v === 'number' || isLossless(v);

/** CAT's basic_read suite: one read checked for records, schemas, empty streams, keys, states, expected records. */
export function basicReadSuite(run: CommandRunner, o: BasicReadOptions): ConformanceCheck[] {
  const catalog = once(async () => readCatalog(await discoverCatalog(run, o.config), o.configuredCatalog, o.configuredCatalog ? [] : o.emptyStreams));
  return [
    check('test_read', async () => {
      const c = await catalog();
      const r = await run('read', { config: o.config, catalog: c });
      if (r.exitCode !== 0) fail('`read` must exit 0', r);
      const records = ofType(r, 'RECORD').map((m) => m.record);
      if (records.length === 0) fail('the read returned no record', r);
      const problems = [
        ...(o.validateSchema === false ? [] : schemaErrors(records, c, o.failOnExtraColumns !== false)),
        ...(o.validateEmptyStreams === false ? [] : emptyStreams(records, c, o.emptyStreams ?? [])),
        ...(o.validatePrimaryKeysDataType === false ? [] : keyErrors(records, c)),
        ...(o.validateDataPoints ? dataPoints(records, c) : []),
        ...(o.validateStateMessages === false ? [] : stateErrors(r.messages, c)),
        ...(o.validateStreamStatuses ? statusErrors(r.messages, c) : []),
        ...(o.expectRecords ? compareExpectedRecords(records, o.expectRecords, c, o.ignoredFields ?? {}) : []),
      ];
      if (problems.length > 0) fail(problems.join('\n'));
    }),
    check('test_airbyte_trace_message_on_failure', async () => {
      if (o.expectTraceMessageOnFailure === false) skip('expect_trace_message_on_failure is false');
      const invalid = { streams: [{ stream: { name: '__AIRBYTE__stream_that_does_not_exist', json_schema: { type: 'object', properties: { f1: { type: 'string' } } }, supported_sync_modes: ['full_refresh'] }, sync_mode: 'INVALID', destination_sync_mode: 'INVALID' }] };
      const r = await run('read', { config: o.config, catalog: invalid });
      if (!ofType(r, 'TRACE').some((m) => m.trace.type === 'ERROR')) fail('a read of a stream that does not exist, with an invalid sync mode, must print a TRACE ERROR', r);
    }),
  ];
}

function schemaErrors(records: Records, c: ConfiguredAirbyteCatalog, failOnExtraColumns: boolean): string[] {
  const validators = recordValidators(c, { failOnExtraColumns });
  const byStream = new Map<string, { errors: Set<string>; records: number }>();
  records.forEach((rec, i) => {
    const v = validators.get(rec.stream);
    if (!v) return;
    const errors = v(rec.data);
    if (errors.length === 0) return;
    const entry = byStream.get(rec.stream) ?? { errors: new Set<string>(), records: 0 };
    entry.records++;
    for (const e of errors) if (entry.errors.size < 3) entry.errors.add(`record #${i + 1}: ${describeSchemaError(e)}`);
    byStream.set(rec.stream, entry);
  });
  return [...byStream].map(([stream, e]) => `stream ${stream}: ${plural(e.records, 'record')} break its json_schema: ${[...e.errors].join('; ')}`);
}

function emptyStreams(records: Records, c: ConfiguredAirbyteCatalog, allowed: readonly string[]): string[] {
  const seen = new Set(records.map((r) => r.stream));
  const missing = c.streams.map((s) => s.stream.name).filter((n) => !seen.has(n) && !allowed.includes(n));
  return missing.length > 0 ? [`every stream must return records (or be listed in empty_streams); none from: ${missing.join(', ')}`] : [];
}

function keyErrors(records: Records, c: ConfiguredAirbyteCatalog): string[] {
  const out: string[] = [];
  for (const s of c.streams) {
    const pk = s.stream.source_defined_primary_key;
    if (!pk?.length) continue;
    const bad = records.filter((r) => r.stream === s.stream.name).find((r) => {
      const values = pk.map((p) => valueAt(r.data, p));
      return values.every((v) => v === null || v === undefined) || values.some((v) => v !== null && typeof v === 'object' && !isLossless(v));
    });
    if (bad) out.push(`stream ${s.stream.name}: a record's primary key ${pk.map((p) => p.join('.')).join(', ')} is null in every part, or an object or array`);
  }
  return out;
}

function dataPoints(records: Records, c: ConfiguredAirbyteCatalog): string[] {
  return c.streams.flatMap((s) => {
    const props = Object.keys((s.stream.json_schema as { properties?: object }).properties ?? {});
    const rows = records.filter((r) => r.stream === s.stream.name);
    const empty = props.filter((p) => rows.every((r) => r.data[p] === null || r.data[p] === undefined));
    return empty.length > 0 ? [`stream ${s.stream.name}: these fields are empty in every record: ${firstOf(empty)}`] : [];
  });
}

function stateErrors(messages: readonly AirbyteMessage[], c: ConfiguredAirbyteCatalog): string[] {
  const states = messages.filter((m) => m.type === 'STATE').map((m) => m.state!);
  const out: string[] = [];
  if (states.length < c.streams.length) out.push(`at least one STATE per configured stream is expected (${plural(c.streams.length, 'stream')}, ${plural(states.length, 'state')})`);
  if (states.some((s) => s.type === 'LEGACY' || (s.type === undefined && s.data !== undefined))) out.push('STATE messages must be STREAM or GLOBAL: LEGACY is deprecated');
  if (states.some((s) => !isNumber(s.sourceStats?.recordCount))) out.push('every STATE must carry sourceStats.recordCount');
  return out;
}

function statusErrors(messages: readonly AirbyteMessage[], c: ConfiguredAirbyteCatalog): string[] {
  const statuses = new Map<string, string[]>();
  for (const m of messages) {
    const s = m.type === 'TRACE' && m.trace?.type === 'STREAM_STATUS' ? m.trace.stream_status : undefined;
    if (!s) continue;
    const key = s.stream_descriptor.name;
    statuses.set(key, [...(statuses.get(key) ?? []), s.status]);
  }
  const out: string[] = [];
  for (const s of c.streams) {
    const list = statuses.get(s.stream.name) ?? [];
    const ok = list.length >= 3 && list[0] === 'STARTED' && list.at(-1) === 'COMPLETE' && list.slice(1, -1).every((x) => x === 'RUNNING');
    if (!ok) out.push(`stream ${s.stream.name}: stream statuses must go STARTED, RUNNING..., COMPLETE (got ${list.join(', ') || 'none'})`);
  }
  return out;
}
