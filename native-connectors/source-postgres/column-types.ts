/**
 * The official source-postgres type mapping (PostgresSourceOperations in Airbyte's connector, 3.x):
 * each column gets a JSON schema, an SQL expression the server turns into the exact JSON value, and
 * a converter for the same value arriving as text (CDC). Both paths must agree; a test reads one
 * row each way and compares. Snapshots read most types raw and format them in Node instead
 * (row-encoder.ts); the SQL expressions here stay the definition it is tested against, and what
 * it falls back to for the types it does not format itself.
 *
 * Kinds, and what the official connector emits for them:
 * - int: int2/int4/int8/oid, and numeric(p,0) → {"type":"number","airbyte_type":"integer"}, exact digits;
 * - number: numeric, float4/float8, money → {"type":"number"}; NaN and ±Infinity become null; money loses
 *   its currency symbol and separators;
 * - boolean;
 * - date → {"type":"string","format":"date"}, e.g. "2024-01-31", "0044-03-15 BC";
 * - timestamp → "2024-01-31T10:11:12.000000" (always 6 fractional digits), airbyte_type timestamp_without_timezone;
 * - timestamptz → "2024-01-31T10:11:12.000000Z" (in UTC), airbyte_type timestamp_with_timezone;
 * - time → "10:11:12.000000"; timetz → "10:11:12.000000+05:30" ("Z" for UTC);
 * - arrays → JSON arrays of the element kind; json/jsonb/hstore/xml/bytea/uuid/enums/ranges/geometric and
 *   everything else → strings of PostgreSQL's text output (json stays a string, as upstream does).
 */
import { parse as parseArray } from 'postgres-array';

export type ColumnKind = 'char' | 'int' | 'number' | 'money' | 'boolean' | 'date' | 'timestamp' | 'timestamptz' | 'time' | 'timetz' | 'bit' | 'bytea' | 'hstore' | 'string';

export interface ColumnType {
  kind: ColumnKind;
  /** Element kind for arrays. */
  element?: ColumnKind;
  /** NaN/±Infinity map to null (numeric and float kinds). */
  nullNonFinite: boolean;
}

export interface PgColumnInfo {
  /** pg_type.typname of the (base) type, e.g. int8, _text, timestamptz. */
  typname: string;
  /** Element typname for arrays. */
  elemTypname?: string | null;
  atttypmod: number;
}

const INT = new Set(['int2', 'int4', 'int8', 'oid']);
const FLOAT = new Set(['float4', 'float8']);

function scalarKind(typname: string, typmod: number): { kind: ColumnKind; nullNonFinite: boolean } {
  if (INT.has(typname)) return { kind: 'int', nullNonFinite: false };
  if (typname === 'numeric') {
    // numeric(p,0) is an integer upstream (the JDBC scale is 0); unconstrained numeric is a number.
    const scale = typmod >= 4 ? (typmod - 4) & 0xffff : -1;
    return { kind: scale === 0 ? 'int' : 'number', nullNonFinite: true };
  }
  if (FLOAT.has(typname)) return { kind: 'number', nullNonFinite: true };
  if (typname === 'money') return { kind: 'money', nullNonFinite: false };
  if (typname === 'bool') return { kind: 'boolean', nullNonFinite: false };
  if (typname === 'date') return { kind: 'date', nullNonFinite: false };
  if (typname === 'timestamp') return { kind: 'timestamp', nullNonFinite: false };
  if (typname === 'timestamptz') return { kind: 'timestamptz', nullNonFinite: false };
  if (typname === 'time') return { kind: 'time', nullNonFinite: false };
  if (typname === 'timetz') return { kind: 'timetz', nullNonFinite: false };
  if (typname === 'bytea') return { kind: 'bytea', nullNonFinite: false };
  if (typname === 'hstore') return { kind: 'hstore', nullNonFinite: false };
  if (typname === 'bit') return { kind: 'bit', nullNonFinite: false };
  if (typname === 'bpchar') return { kind: 'char', nullNonFinite: false };
  return { kind: 'string', nullNonFinite: false };
}

export function columnType(c: PgColumnInfo): ColumnType {
  if (c.typname.startsWith('_') && c.elemTypname) {
    // Array typmods describe the element (numeric(10,0)[] is an integer array).
    const el = scalarKind(c.elemTypname, c.atttypmod);
    return { kind: 'string', element: el.kind, nullNonFinite: el.nullNonFinite };
  }
  return { ...scalarKind(c.typname, c.atttypmod) };
}

const INTEGER = { type: 'number', airbyte_type: 'integer' } as const;

function scalarSchema(kind: ColumnKind): Record<string, unknown> {
  switch (kind) {
    case 'int': return { ...INTEGER };
    case 'number': case 'money': return { type: 'number' };
    case 'boolean': return { type: 'boolean' };
    case 'date': return { type: 'string', format: 'date' };
    case 'timestamp': return { type: 'string', format: 'date-time', airbyte_type: 'timestamp_without_timezone' };
    case 'timestamptz': return { type: 'string', format: 'date-time', airbyte_type: 'timestamp_with_timezone' };
    case 'time': return { type: 'string', format: 'time', airbyte_type: 'time_without_timezone' };
    case 'timetz': return { type: 'string', format: 'time', airbyte_type: 'time_with_timezone' };
    default: return { type: 'string' };
  }
}

/** Element kinds the official connector types inside arrays; other arrays are bare {"type":"array"}. */
const TYPED_ELEMENTS = new Set<ColumnKind>(['int', 'number', 'money', 'boolean', 'date', 'timestamp', 'timestamptz', 'time', 'timetz', 'bit', 'bytea']);

export function jsonSchemaOf(t: ColumnType, elemTypname?: string | null): Record<string, unknown> {
  if (t.element === undefined) return scalarSchema(t.kind);
  if ((t.element === 'string' || t.element === 'char') && ['varchar', 'bpchar', 'text', 'name', 'char'].includes(elemTypname ?? '')) return { type: 'array', items: { type: 'string' } };
  if (!TYPED_ELEMENTS.has(t.element)) return { type: 'array' };
  if (t.element === 'bit') return { type: 'array', items: { type: 'boolean' } };
  if (t.element === 'bytea') return { type: 'array', items: { type: 'string' } };
  return { type: 'array', items: scalarSchema(t.element) };
}

// ---------------------------------------------------------------- server-side JSON (snapshots)

const NON_FINITE = `('NaN','Infinity','-Infinity')`;

/** SQL for one scalar value `v` (already a column reference or an array element), typed for to_json. */
export function scalarSql(kind: ColumnKind, v: string, nullNonFinite: boolean): string {
  switch (kind) {
    case 'int': return nullNonFinite ? `NULLIF(${v}, 'NaN')` : v;
    case 'number': return nullNonFinite ? `CASE WHEN ${v} IN ${NON_FINITE} THEN NULL ELSE ${v} END` : v;
    case 'money': return `${v}::numeric`;
    case 'boolean': return v;
    case 'date': return `${v}::text`;
    case 'timestamp': return `CASE WHEN isfinite(${v}) THEN to_char(${v}, 'YYYY-MM-DD"T"HH24:MI:SS.US') || CASE WHEN ${v} < '0001-01-01' THEN ' BC' ELSE '' END ELSE ${v}::text END`;
    case 'timestamptz': return `CASE WHEN isfinite(${v}) THEN to_char(${v} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || CASE WHEN ${v} < '0001-01-01 UTC' THEN ' BC' ELSE '' END ELSE ${v}::text END`;
    case 'time': return `to_char(${v}::interval, 'HH24:MI:SS.US')`;
    case 'timetz': {
      const tz = `extract(timezone from ${v})::int`;
      return `to_char(${v}::time::interval, 'HH24:MI:SS.US') || CASE WHEN ${tz} = 0 THEN 'Z' ELSE (CASE WHEN ${tz} < 0 THEN '-' ELSE '+' END) || lpad((abs(${tz}) / 3600)::text, 2, '0') || ':' || lpad((abs(${tz}) % 3600 / 60)::text, 2, '0') || CASE WHEN abs(${tz}) % 60 <> 0 THEN ':' || lpad((abs(${tz}) % 60)::text, 2, '0') ELSE '' END END`;
    }
    case 'hstore': return `to_json(${v})::text`;
    // char(n)::text drops the padding; the output function (what JDBC and pgoutput give) keeps it.
    case 'char': return `CASE WHEN ${v} IS NULL THEN NULL ELSE concat(${v}) END`;
    default: return `${v}::text`;
  }
}

function elementSql(kind: ColumnKind, v: string, nullNonFinite: boolean): string {
  if (kind === 'bit') return `(${v}::text = '1')`;
  if (kind === 'bytea') return `translate(encode(${v}, 'base64'), E'\\n', '')`; // upstream: Jackson base64
  if (kind === 'string' || kind === 'hstore') return `${v}::text`;
  return scalarSql(kind, v, nullNonFinite);
}

/** The expression that yields column `col` (a quoted identifier) as its official JSON value. */
export function selectSql(t: ColumnType, col: string): string {
  if (t.element === undefined) return scalarSql(t.kind, col, t.nullNonFinite);
  const e = elementSql(t.element, 'e.v', t.nullNonFinite);
  return `CASE WHEN ${col} IS NULL THEN NULL ELSE coalesce((SELECT json_agg(${e} ORDER BY e.i) FROM unnest(${col}) WITH ORDINALITY AS e(v, i)), '[]'::json) END`;
}

// ---------------------------------------------------------------- text values (CDC)

/**
 * One value in PostgreSQL's text output (session settings of connection-options.ts) → the JSON text
 * the snapshot path produces for it. Numbers are copied digit for digit.
 */
export function textToJson(t: ColumnType, text: string | null): string {
  if (text === null) return 'null';
  if (t.element !== undefined) {
    const items = flatten(parseArray(text));
    return `[${items.map((x) => (x === null ? 'null' : elementText(t.element!, x, t.nullNonFinite))).join(',')}]`;
  }
  return scalarText(t.kind, text, t.nullNonFinite);
}

function flatten(a: unknown[]): (string | null)[] {
  return a.flatMap((x) => (Array.isArray(x) ? flatten(x) : [x as string | null]));
}

function elementText(kind: ColumnKind, text: string, nullNonFinite: boolean): string {
  if (kind === 'bit') return text === '1' ? 'true' : 'false';
  if (kind === 'bytea') return JSON.stringify(Buffer.from(text.slice(2), 'hex').toString('base64'));
  if (kind === 'string' || kind === 'hstore' || kind === 'char') return JSON.stringify(text);
  return scalarText(kind, text, nullNonFinite);
}

function scalarText(kind: ColumnKind, text: string, nullNonFinite: boolean): string {
  switch (kind) {
    case 'int':
    case 'number':
      return nullNonFinite && (text === 'NaN' || text === 'Infinity' || text === '-Infinity') ? 'null' : text;
    case 'money': {
      const digits = text.replace(/[^\d.-]/g, '');
      return digits === '' || digits === '-' ? 'null' : digits;
    }
    case 'boolean': return text === 't' ? 'true' : 'false';
    case 'date': return JSON.stringify(text);
    case 'timestamp': return JSON.stringify(formatTimestamp(text, false));
    case 'timestamptz': return JSON.stringify(formatTimestamp(text, true));
    case 'time': return JSON.stringify(sixDigits(text));
    case 'timetz': return JSON.stringify(formatTimetz(text));
    case 'hstore': return JSON.stringify(hstoreJsonText(text));
    default: return JSON.stringify(text);
  }
}

/** "10:11:12" / "10:11:12.5" → "10:11:12.000000" / "10:11:12.500000". */
function sixDigits(time: string): string {
  const dot = time.indexOf('.');
  if (dot === -1) return `${time}.000000`;
  return `${time.slice(0, dot + 1)}${time.slice(dot + 1).padEnd(6, '0')}`;
}

/** "2024-01-31 10:11:12.5+00" (TimeZone=UTC) → "2024-01-31T10:11:12.500000Z"; BC and infinity kept. */
function formatTimestamp(text: string, withZone: boolean): string {
  if (text === 'infinity' || text === '-infinity') return text;
  const bc = text.endsWith(' BC');
  let s = bc ? text.slice(0, -3) : text;
  if (withZone) s = s.replace(/\+00(:00)?$/, '');
  const space = s.indexOf(' ');
  const out = `${s.slice(0, space)}T${sixDigits(s.slice(space + 1))}${withZone ? 'Z' : ''}`;
  return bc ? `${out} BC` : out;
}

/** "10:11:12.5+05:30" → "10:11:12.500000+05:30"; "+00" → "Z"; "+05" → "+05:00". */
function formatTimetz(text: string): string {
  const m = /^(\d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-])(\d{2})(?::(\d{2}))?(?::(\d{2}))?$/.exec(text);
  if (!m) return text;
  const [, time, sign, hh, mm = '00', ss] = m;
  const zone = hh === '00' && mm === '00' && (ss === undefined || ss === '00') ? 'Z' : `${sign}${hh}:${mm}${ss && ss !== '00' ? `:${ss}` : ''}`;
  return `${sixDigits(time!)}${zone}`;
}

/** hstore text output `"a"=>"1", "b"=>NULL` → what hstore_to_json prints: `{"a": "1", "b": null}`. */
function hstoreJsonText(text: string): string {
  const pairs: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"\s*=>\s*(NULL|"((?:[^"\\]|\\.)*)")/g;
  const unescape = (s: string) => s.replace(/\\(.)/g, '$1');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    pairs.push(`${JSON.stringify(unescape(m[1]!))}: ${m[2] === 'NULL' ? 'null' : JSON.stringify(unescape(m[3]!))}`);
  }
  return `{${pairs.join(', ')}}`;
}
