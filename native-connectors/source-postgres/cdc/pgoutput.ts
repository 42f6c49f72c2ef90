/**
 * A decoder for the pgoutput logical replication protocol (version 1), kept to what a source needs.
 * Column values stay in PostgreSQL's text form (column-types.ts turns them into JSON), so nothing is
 * parsed into JS numbers or Dates on the way. Layouts: PostgreSQL docs, "Logical Replication Message
 * Formats".
 */
export interface RelationMessage { tag: 'relation'; relid: number; schema: string; table: string; columns: { name: string; key: boolean; typeOid: number }[] }
export type TupleValue = string | null | undefined; // undefined: an unchanged TOASTed value ('u')
export type PgOutputMessage =
  | { tag: 'begin'; finalLsn: bigint; commitTime: bigint; xid: number }
  | { tag: 'commit'; commitLsn: bigint; endLsn: bigint; commitTime: bigint }
  | RelationMessage
  | { tag: 'insert'; relid: number; new: TupleValue[] }
  | { tag: 'update'; relid: number; old?: TupleValue[]; new: TupleValue[] }
  | { tag: 'delete'; relid: number; old: TupleValue[] }
  | { tag: 'truncate'; relids: number[] }
  | { tag: 'other' };

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  u8() { return this.buf[this.pos++]!; }
  i16() { const v = this.buf.readInt16BE(this.pos); this.pos += 2; return v; }
  i32() { const v = this.buf.readInt32BE(this.pos); this.pos += 4; return v; }
  u64() { const v = this.buf.readBigUInt64BE(this.pos); this.pos += 8; return v; }
  i64() { const v = this.buf.readBigInt64BE(this.pos); this.pos += 8; return v; }
  str() { const end = this.buf.indexOf(0, this.pos); const s = this.buf.toString('utf8', this.pos, end); this.pos = end + 1; return s; }
  tuple(): TupleValue[] {
    const n = this.i16();
    const out: TupleValue[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const kind = String.fromCharCode(this.u8());
      if (kind === 'n') out[i] = null;
      else if (kind === 'u') out[i] = undefined;
      else { const len = this.i32(); out[i] = this.buf.toString('utf8', this.pos, this.pos + len); this.pos += len; }
    }
    return out;
  }
}

export function decodePgOutput(buf: Buffer): PgOutputMessage {
  const r = new Reader(buf);
  const tag = String.fromCharCode(r.u8());
  switch (tag) {
    case 'B': return { tag: 'begin', finalLsn: r.u64(), commitTime: r.i64(), xid: r.i32() };
    case 'C': { r.u8(); return { tag: 'commit', commitLsn: r.u64(), endLsn: r.u64(), commitTime: r.i64() }; }
    case 'R': {
      const relid = r.i32();
      const schema = r.str();
      const table = r.str();
      r.u8(); // replica identity setting
      const n = r.i16();
      const columns = [];
      for (let i = 0; i < n; i++) {
        const flags = r.u8();
        const name = r.str();
        const typeOid = r.i32();
        r.i32(); // typmod
        columns.push({ name, key: (flags & 1) === 1, typeOid });
      }
      return { tag: 'relation', relid, schema, table, columns };
    }
    case 'I': { const relid = r.i32(); r.u8(); return { tag: 'insert', relid, new: r.tuple() }; }
    case 'U': {
      const relid = r.i32();
      let kind = String.fromCharCode(r.u8());
      let old: TupleValue[] | undefined;
      if (kind === 'K' || kind === 'O') { old = r.tuple(); kind = String.fromCharCode(r.u8()); }
      return { tag: 'update', relid, ...(old ? { old } : {}), new: r.tuple() };
    }
    case 'D': { const relid = r.i32(); r.u8(); return { tag: 'delete', relid, old: r.tuple() }; }
    case 'T': {
      const n = r.i32();
      r.u8();
      const relids: number[] = [];
      for (let i = 0; i < n; i++) relids.push(r.i32());
      return { tag: 'truncate', relids };
    }
    default: return { tag: 'other' }; // origin, type, message, stream frames
  }
}
