import { describe, expect, it } from 'vitest';
import { CopyOutParser } from './copy-out-parser.js';

const message = (code: string, body: Buffer) => {
  const head = Buffer.alloc(5);
  head.write(code, 0, 'latin1');
  head.writeUInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
};

/** A binary COPY tuple of the given fields (null = SQL NULL). */
const tuple = (fields: (Buffer | null)[]) => {
  const parts: Buffer[] = [Buffer.from([fields.length >> 8, fields.length & 255])];
  for (const f of fields) {
    const len = Buffer.alloc(4);
    len.writeInt32BE(f === null ? -1 : f.length);
    parts.push(len);
    if (f) parts.push(f);
  }
  return Buffer.concat(parts);
};

const HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(4), Buffer.from([0, 0, 0, 3]), Buffer.from('ext')]);
const TRAILER = Buffer.from([0xff, 0xff]);
const AFTER = Buffer.concat([message('C', Buffer.from('COPY 5\0')), message('Z', Buffer.from('T'))]);

let seed = 7;
const rand = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return Math.floor((seed / 2 ** 31) * n); };

const rows = [
  [Buffer.from('1'), Buffer.from('héllo'), null],
  [Buffer.from(''), null, Buffer.from('x')],
  [Buffer.alloc(100_000, 0x61), Buffer.from('big'), Buffer.from('"\\')],
  [null, null, null],
  [Buffer.from('last'), Buffer.from('😀'), Buffer.from([0, 1, 2])],
];

/** The server's bytes: one message per row (as PostgreSQL sends them), except row 2 split over two, and a notice between. */
function serverBytes(end: Buffer): Buffer {
  const t = rows.map(tuple);
  return Buffer.concat([
    message('H', Buffer.from([1, 0, 3, 0, 1, 0, 1, 0, 1])),
    message('d', Buffer.concat([HEADER, t[0]!])),
    message('d', t[1]!.subarray(0, 7)),
    message('N', Buffer.from('Snotice\0\0')),
    message('d', t[1]!.subarray(7)),
    message('d', t[2]!),
    message('d', Buffer.concat([t[3]!, t[4]!])),
    message('d', TRAILER),
    end,
  ]);
}

/** Fields as hex (vitest compares long Buffers element by element, slowly). */
const hex = (fields: (Buffer | null)[]) => fields.map((f) => (f === null ? null : f.toString('hex')));

/** Feeds `bytes` in random pieces; returns the tuples (fields in hex) and the bytes handed back. */
function parse(bytes: Buffer, maxPiece: number): { got: (string | null)[][]; rest: Buffer | undefined; trailer: boolean } {
  const got: (string | null)[][] = [];
  const parser = new CopyOutParser((buf, pos, end) => {
    const n = buf.readUInt16BE(pos);
    const fields: (Buffer | null)[] = [];
    let p = pos + 2;
    for (let i = 0; i < n; i++) {
      const len = buf.readInt32BE(p);
      p += 4;
      fields.push(len < 0 ? null : Buffer.from(buf.subarray(p, p + len)));
      if (len > 0) p += len;
    }
    expect(p).toBe(end);
    got.push(hex(fields));
  });
  let rest: Buffer | undefined;
  for (let at = 0; at < bytes.length && rest === undefined;) {
    const piece = 1 + rand(maxPiece);
    rest = parser.feed(bytes.subarray(at, at + piece));
    at += piece;
    if (rest !== undefined) rest = Buffer.concat([rest, bytes.subarray(at)]);
  }
  return { got, rest, trailer: parser.trailer };
}

describe('CopyOutParser', () => {
  it('yields every tuple and hands back the bytes after CopyDone, however the socket splits them', () => {
    const bytes = serverBytes(Buffer.concat([message('c', Buffer.alloc(0)), AFTER]));
    for (const maxPiece of [1, 3, 7, 64, 4096, 1 << 20]) {
      for (let run = 0; run < 5; run++) {
        const r = parse(bytes, maxPiece);
        expect(r.got).toEqual(rows.map(hex));
        expect(r.trailer).toBe(true);
        expect(r.rest).toEqual(AFTER);
      }
    }
  });

  it('keeps every tuple intact while its gathering buffers are reused, chunk after chunk', () => {
    // Rows of every size around the socket chunks, one message each: most chunks end inside one.
    const many = Array.from({ length: 300 }, (_, i) => [Buffer.from(String(i)), i % 7 === 0 ? null : Buffer.alloc((i * 37) % 900, 0x41 + (i % 26))]);
    const bytes = Buffer.concat([
      message('H', Buffer.from([1, 0, 2, 0, 1, 0, 1])),
      message('d', HEADER),
      ...many.map((r) => message('d', tuple(r))),
      message('d', TRAILER),
      message('c', Buffer.alloc(0)),
      AFTER,
    ]);
    for (const maxPiece of [5, 300, 2000]) {
      const r = parse(bytes, maxPiece);
      expect(r.got).toEqual(many.map(hex));
      expect(r.rest).toEqual(AFTER);
    }
  });

  it('stops at an ErrorResponse and hands it back whole', () => {
    const error = message('E', Buffer.from('SERROR\0C57014\0Mcanceling statement due to statement timeout\0\0'));
    const t = tuple(rows[0]!);
    const bytes = Buffer.concat([message('H', Buffer.from([1, 0, 0])), message('d', Buffer.concat([HEADER, t])), error, AFTER]);
    for (const maxPiece of [1, 5, 1 << 20]) {
      const r = parse(bytes, maxPiece);
      expect(r.got).toEqual([hex(rows[0]!)]);
      expect(r.trailer).toBe(false);
      expect(r.rest).toEqual(Buffer.concat([error, AFTER]));
    }
  });

  it('rejects a stream that is not binary COPY', () => {
    const parser = new CopyOutParser(() => {});
    expect(() => parser.feed(message('d', Buffer.from('id\tname\n1\tx\n.......')))).toThrow(/COPY binary header/);
  });
});
