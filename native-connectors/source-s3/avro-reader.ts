import { Readable } from 'node:stream';
import avro from 'avsc';
import type { Properties, PropertySchema } from './json-schema-types.js';
import type { AvroFormat } from './source-config.js';
import { avroDecoders } from '../sdk/files/avro-codecs.js';

type Schema = string | { type: string | Schema[]; logicalType?: string; fields?: { name: string; type: Schema }[]; items?: Schema; values?: Schema; symbols?: string[]; size?: number; precision?: number; scale?: number } | Schema[];

/** The writer schema and the records of an Avro container file, streamed block by block. */
async function* avroFile(bytes: AsyncIterable<Buffer>): AsyncGenerator<{ schema: Schema } | { record: Record<string, unknown> }> {
  const decoder = new avro.streams.BlockDecoder({ codecs: avroDecoders } as never);
  let schema: Schema | undefined;
  // the writer schema as written in the header: logical types included (avsc drops unknown ones)
  decoder.once('metadata', (_type: unknown, _codec: unknown, header: { meta: Record<string, Buffer> }) => { schema = JSON.parse(header.meta['avro.schema']!.toString()) as Schema; });
  const src = Readable.from(bytes);
  src.on('error', (e) => decoder.destroy(e));
  src.pipe(decoder);
  let announced = false;
  for await (const record of decoder as AsyncIterable<Record<string, unknown>>) {
    if (!announced && schema) { announced = true; yield { schema }; }
    yield { record };
  }
  if (!announced && schema) yield { schema };
}

const BASIC: Record<string, string> = { null: 'null', boolean: 'boolean', int: 'integer', long: 'integer', float: 'number', double: 'number', bytes: 'string', string: 'string' };
const LOGICAL: Record<string, PropertySchema> = {
  decimal: { type: 'string' }, uuid: { type: 'string' }, date: { type: 'string', format: 'date' },
  'time-millis': { type: 'integer' }, 'time-micros': { type: 'integer' },
  'timestamp-millis': { type: 'string', format: 'date-time' }, 'timestamp-micros': { type: 'string' },
  'local-timestamp-millis': { type: 'string', format: 'date-time' }, 'local-timestamp-micros': { type: 'string' },
};

/** The official Avro → JSON schema mapping (a nullable union maps as its other member). */
function jsonType(s: Schema, f: AvroFormat): PropertySchema {
  if (Array.isArray(s)) {
    const others = s.filter((x) => x !== 'null');
    return others.length === 1 ? jsonType(others[0]!, f) : { type: 'string' };
  }
  if (typeof s === 'string') {
    if (s === 'double' && f.double_as_string) return { type: 'string' };
    return { type: BASIC[s] ?? 'string' };
  }
  if (s.logicalType && LOGICAL[s.logicalType]) return LOGICAL[s.logicalType]!;
  switch (s.type) {
    case 'record': return { type: 'object', properties: Object.fromEntries((s.fields ?? []).map((x) => [x.name, jsonType(x.type, f)])) };
    case 'array': return { type: 'array', items: jsonType(s.items!, f) };
    case 'enum': return { type: 'string', enum: s.symbols };
    case 'map': return { type: 'object', additionalProperties: jsonType(s.values!, f) };
    case 'fixed': return { type: 'string' };
    default: return jsonType(s.type as Schema, f);
  }
}

export async function inferAvroSchema(bytes: AsyncIterable<Buffer>, f: AvroFormat): Promise<Properties> {
  for await (const item of avroFile(bytes)) {
    if ('schema' in item) {
      const s = item.schema;
      if (typeof s !== 'object' || Array.isArray(s) || s.type !== 'record') throw new Error('Only record based avro files are supported');
      return Object.fromEntries((s.fields ?? []).map((x) => [x.name, jsonType(x.type, f)]));
    }
  }
  throw new Error('Not an Avro container file');
}

const iso = (ms: number, micros: number | undefined, local: boolean) => {
  const d = new Date(ms);
  const base = d.toISOString().slice(0, 19);
  const frac = micros === undefined ? `.${String(d.getUTCMilliseconds()).padStart(3, '0')}` : `.${String(micros).padStart(6, '0')}`;
  return `${base}${frac}${local ? '' : '+00:00'}`;
};

/** A value as the official parser (fastavro) outputs it. */
function outputValue(s: Schema, v: unknown, f: AvroFormat): unknown {
  if (v === null || v === undefined) return null;
  if (Buffer.isBuffer(v)) {
    if (typeof s === 'object' && !Array.isArray(s) && s.logicalType === 'decimal') return decimalString(v, s.scale ?? 0);
    return v.toString('utf8');
  }
  if (Array.isArray(s)) {
    // avsc decodes unions to the bare value when wrapUnions is off: find the branch by shape
    const others = s.filter((x) => x !== 'null');
    return others.length === 1 ? outputValue(others[0]!, v, f) : v;
  }
  if (typeof s === 'string') return s === 'double' && f.double_as_string ? String(v) : v;
  switch (s.logicalType) {
    case 'date': return new Date(Number(v) * 86_400_000).toISOString().slice(0, 10);
    case 'timestamp-millis': return iso(Number(v), undefined, false);
    case 'local-timestamp-millis': return iso(Number(v), undefined, true);
    case 'timestamp-micros': case 'local-timestamp-micros': {
      const us = Number(v);
      return iso(Math.floor(us / 1000), ((us % 1_000_000) + 1_000_000) % 1_000_000, s.logicalType === 'local-timestamp-micros');
    }
    case 'uuid': return String(v);
  }
  if (s.type === 'record' && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries((s.fields ?? []).map((x) => [x.name, outputValue(x.type, o[x.name], f)]));
  }
  if (s.type === 'array' && Array.isArray(v)) return v.map((x) => outputValue(s.items!, x, f));
  if (s.type === 'map' && typeof v === 'object') return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, outputValue(s.values!, x, f)]));
  if (typeof s.type !== 'string') return outputValue(s.type, v, f);
  return v;
}

/** A big-endian two's complement unscaled integer with `scale` decimals, as Python's str(Decimal). */
function decimalString(b: Buffer, scale: number): string {
  let n = 0n;
  for (const byte of b) n = (n << 8n) | BigInt(byte);
  if (b.length > 0 && b[0]! & 0x80) n -= 1n << BigInt(b.length * 8);
  const neg = n < 0n;
  const digits = (neg ? -n : n).toString().padStart(scale + 1, '0');
  const s = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return neg ? `-${s}` : s;
}

export async function* avroRecords(bytes: AsyncIterable<Buffer>, f: AvroFormat): AsyncGenerator<Record<string, unknown>> {
  let fields: { name: string; type: Schema }[] = [];
  for await (const item of avroFile(bytes)) {
    if ('schema' in item) {
      const s = item.schema;
      if (typeof s !== 'object' || Array.isArray(s) || s.type !== 'record') throw new Error('Only record based avro files are supported');
      fields = s.fields ?? [];
      continue;
    }
    const out: Record<string, unknown> = {};
    for (const x of fields) out[x.name] = outputValue(x.type, item.record[x.name], f);
    yield out;
  }
}
