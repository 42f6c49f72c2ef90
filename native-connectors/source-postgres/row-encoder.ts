import { scalarSql, selectSql, type ColumnType } from './column-types.js';
import {
  MAX_TEMPORAL_BYTES, isNonFinite, maxJsonStringBytes, writeBool, writeBytes, writeNull, writeDate, writeJsonString, writeTime, writeTimestamp,
} from './json-writers.js';
import { quoteIdent, type Column } from './relations.js';

/** How one COPY field becomes JSON. */
const enum Wire {
  /** Text of a number, copied as it is. */
  Number,
  /** Text of a numeric/float; NaN and ±Infinity become null. */
  FiniteNumber,
  /** Text (or a text type's binary form, the same bytes) as a JSON string. */
  String,
  /** JSON the server built (arrays, extras), copied as it is. */
  Json,
  Bool,
  Timestamp,
  Timestamptz,
  Date,
  Time,
}

/** A column the reader adds to the data besides the table's (CDC metadata), as an SQL expression. */
export interface ExtraColumn { name: string; sql: string }

/**
 * The plan for one read: which SQL expression each output field is (`select`), and how each field
 * of the binary COPY row becomes the value of the record's `data`. The output is byte for byte what
 * `row_to_json` over column-types.ts' `selectSql` expressions gives: keys in column order, no spaces.
 *
 * The server sends integers, numerics and floats as their text output (copied as they are), text
 * types as their bytes (escaped here), booleans and dates/times/timestamps in binary (formatted
 * here). The rest (arrays, timetz, hstore, money) keeps its server-side expression from
 * column-types.ts, as text or as JSON, so there is one definition of each format.
 */
export class RowEncoder {
  /** SQL expressions, one per output field, referencing the table's columns by quoted name. */
  readonly select: string[];
  readonly #wires: Uint8Array;
  /** `{"name":` for the first field, `,"name":` for the others, one after the other. */
  readonly #keyFlat: Uint8Array;
  /** Where each field's key ends in #keyFlat. */
  readonly #keyEnds: Int32Array;

  constructor(columns: readonly Pick<Column, 'name' | 'type'>[], extra: readonly ExtraColumn[] = []) {
    const fields: { name: string; sql: string; wire: Wire }[] = columns.map((c) => ({ name: c.name, ...plan(c.type, quoteIdent(c.name)) }));
    for (const e of extra) fields.push({ name: e.name, sql: `to_json(${e.sql})::text`, wire: Wire.Json });
    // row_to_json of a row without columns: the reader selects `NULL AS "__empty"`, as before.
    if (fields.length === 0) fields.push({ name: '__empty', sql: 'NULL::text', wire: Wire.Json });
    this.select = fields.map((f) => f.sql);
    this.#wires = Uint8Array.from(fields.map((f) => f.wire));
    const keys = fields.map((f, i) => {
      const name = Buffer.from(f.name, 'utf8');
      const key = Buffer.allocUnsafe(maxJsonStringBytes(name.length) + 2);
      key[0] = i === 0 ? 0x7b : 0x2c;
      let n = writeJsonString(name, 0, name.length, key, 1);
      key[n++] = 0x3a;
      return key.subarray(0, n);
    });
    this.#keyFlat = new Uint8Array(Buffer.concat(keys));
    let end = 0;
    this.#keyEnds = Int32Array.from(keys, (k) => (end += k.length));
  }

  /** How many fields of a row are the record's data (more are the caller's, e.g. a cursor value). */
  get fields(): number {
    return this.#wires.length;
  }

  /** Upper bound of the JSON written for a row whose fields take `tupleBytes` bytes in COPY. */
  maxBytes(tupleBytes: number): number {
    return this.#keyFlat.length + 1 + maxJsonStringBytes(tupleBytes) + this.#wires.length * MAX_TEMPORAL_BYTES;
  }

  /**
   * Writes the data object of the tuple whose first field length is at `src[p]` (the field count
   * already read) into `out` at `pos`; returns the new position.
   */
  encode(src: Uint8Array, p: number, out: Uint8Array, pos: number): number {
    const wires = this.#wires;
    const keys = this.#keyFlat;
    const keyEnds = this.#keyEnds;
    let k = 0;
    for (let f = 0; f < wires.length; f++) {
      const keyEnd = keyEnds[f]!;
      pos = writeBytes(keys, k, keyEnd, out, pos);
      k = keyEnd;
      const len = (src[p]! << 24) | (src[p + 1]! << 16) | (src[p + 2]! << 8) | src[p + 3]!;
      p += 4;
      if (len < 0) {
        pos = writeNull(out, pos);
        continue;
      }
      const end = p + len;
      switch (wires[f]) {
        case Wire.String: pos = writeJsonString(src, p, end, out, pos); break;
        case Wire.Number: case Wire.Json: pos = writeBytes(src, p, end, out, pos); break;
        case Wire.FiniteNumber: pos = isNonFinite(src, p) ? writeNull(out, pos) : writeBytes(src, p, end, out, pos); break;
        case Wire.Bool: pos = writeBool(src[p] !== 0, out, pos); break;
        case Wire.Timestamp: pos = writeTimestamp(src, p, false, out, pos); break;
        case Wire.Timestamptz: pos = writeTimestamp(src, p, true, out, pos); break;
        case Wire.Date: pos = writeDate(src, p, out, pos); break;
        case Wire.Time: pos = writeTime(src, p, out, pos); break;
      }
      p = end;
    }
    out[pos++] = 0x7d;
    return pos;
  }
}

function plan(t: ColumnType, col: string): { sql: string; wire: Wire } {
  if (t.element !== undefined) return { sql: `(${selectSql(t, col)})::text`, wire: Wire.Json };
  switch (t.kind) {
    case 'int': case 'number': return { sql: `${col}::text`, wire: t.nullNonFinite ? Wire.FiniteNumber : Wire.Number };
    case 'money': return { sql: `${scalarSql(t.kind, col, false)}::text`, wire: Wire.Number };
    case 'boolean': return { sql: col, wire: Wire.Bool };
    case 'timestamp': return { sql: col, wire: Wire.Timestamp };
    case 'timestamptz': return { sql: col, wire: Wire.Timestamptz };
    case 'date': return { sql: col, wire: Wire.Date };
    case 'time': return { sql: col, wire: Wire.Time };
    // The binary form of char(n) is its text with the padding, which is what the official connector emits.
    case 'char': return { sql: col, wire: Wire.String };
    default: return { sql: scalarSql(t.kind, col, t.nullNonFinite), wire: Wire.String };
  }
}
