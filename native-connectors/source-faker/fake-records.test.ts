import { describe, expect, it } from 'vitest';
import { AsciiChunk, ascii } from './ascii-chunk.js';
import * as data from './fake-data.js';
import { writePurchases, writeUser } from './fake-records.js';
import { Prng, airbyteTime } from './prng.js';

// Golden lines: written by the string generators these byte writers replaced (seed 7), so a change to
// a field, its order or a draw from the generator shows here. Users and purchases must stay the same
// for a seed, or a resumed incremental read would not continue the records of the first one.
const UPDATED = '2026-01-02T03:04:05+00:00';
const USERS: Record<number, string> = {
  0: '{"id":1,"created_at":"2000-03-03T11:19:32+00:00","updated_at":"2026-01-02T03:04:05+00:00","name":"Patricia Gonzalez","title":"Miss","age":30,"email":"patricia.gonzalez+1@example.org","telephone":"+1-(751)-528-2149","gender":"Agender","language":"Hindi","academic_degree":"PhD","nationality":"Mexican","occupation":"Programmer","height":"1.99","blood_type":"AB-","weight":61,"address":{"street_number":"2788","street_name":"Church Place","city":"Franklin","state":"Nevada","province":"Alabama","postal_code":"26103","country_code":"JP"}}',
  41: '{"id":42,"created_at":"2006-02-03T18:31:25+00:00","updated_at":"2026-01-02T03:04:05+00:00","name":"Sarah Jones","title":"MSc","age":38,"email":"sarah.jones+42@example.com","telephone":"+1-(393)-325-2803","gender":"Male","language":"Portuguese","academic_degree":"Master","nationality":"Canadian","occupation":"Teacher","height":"1.54","blood_type":"A+","weight":41,"address":{"street_number":"3322","street_name":"Spring Lane","city":"Clinton","state":"Nevada","province":"Kansas","postal_code":"71389","country_code":"NL"}}',
  99999: '{"id":100000,"created_at":"2007-04-09T00:55:05+00:00","updated_at":"2026-01-02T03:04:05+00:00","name":"William Wilson","title":"Mr.","age":22,"email":"william.wilson+100000@mail.test","telephone":"+1-(801)-555-3039","gender":"Fluid","language":"Portuguese","academic_degree":"Bachelor","nationality":"British","occupation":"Veterinarian","height":"1.94","blood_type":"AB-","weight":78,"address":{"street_number":"8620","street_name":"Washington Boulevard","city":"Kingston","state":"Indiana","province":"Arizona","postal_code":"03389","country_code":"JP"}}',
};
const PURCHASES: Record<number, string[]> = {
  3: ['{"id":4,"product_id":95,"user_id":4,"created_at":"2011-06-26T19:24:22+00:00","updated_at":"2026-01-02T03:04:05+00:00","added_to_cart_at":"2011-08-10T19:24:22+00:00","purchased_at":"2011-08-22T19:24:22+00:00","returned_at":null}'],
  4: ['{"id":5,"product_id":28,"user_id":5,"created_at":"2001-07-01T11:53:48+00:00","updated_at":"2026-01-02T03:04:05+00:00","added_to_cart_at":"2001-07-06T11:53:48+00:00","purchased_at":"2001-07-13T11:53:48+00:00","returned_at":"2001-07-24T11:53:48+00:00"}'],
  6: [],
  7: ['{"id":7,"product_id":65,"user_id":8,"created_at":"2009-07-14T03:53:20+00:00","updated_at":"2026-01-02T03:04:05+00:00","added_to_cart_at":"2009-08-18T03:53:20+00:00","purchased_at":null,"returned_at":null}'],
  8: [
    '{"id":8,"product_id":40,"user_id":9,"created_at":"2019-03-25T04:09:07+00:00","updated_at":"2026-01-02T03:04:05+00:00","added_to_cart_at":"2019-05-22T04:09:07+00:00","purchased_at":null,"returned_at":null}',
    '{"id":9,"product_id":35,"user_id":9,"created_at":"2007-01-09T15:41:56+00:00","updated_at":"2026-01-02T03:04:05+00:00","added_to_cart_at":"2007-03-05T15:41:56+00:00","purchased_at":"2007-04-02T15:41:56+00:00","returned_at":null}',
  ],
};

const head = ascii('<');
const tail = ascii('>\n');
const lines = (out: AsciiChunk) => out.take().toString('latin1').split('\n').filter(Boolean).map((l) => {
  expect(l.startsWith('<') && l.endsWith('>')).toBe(true);
  return l.slice(1, -1);
});

describe('faker records as bytes', () => {
  it('writes each user exactly as the golden line, between head and tail', () => {
    const out = new AsciiChunk();
    const r = new Prng();
    for (const index of Object.keys(USERS).map(Number)) writeUser(out, r, 7, index, ascii(UPDATED), head, tail);
    const got = lines(out);
    expect(got).toEqual(Object.values(USERS));
    for (const l of got) expect(() => JSON.parse(l)).not.toThrow();
  });

  it('writes the purchases of a user (none for x6, two for x8, null and set dates) as the golden lines', () => {
    for (const [index, expected] of Object.entries(PURCHASES)) {
      const out = new AsciiChunk();
      expect(writePurchases(out, new Prng(), 7, Number(index), ascii(UPDATED), head, tail)).toBe(expected.length);
      expect(lines(out)).toEqual(expected);
    }
  });

  it('has only ASCII entries without quotes or backslashes (lines are written as bytes, unescaped)', () => {
    const entries = Object.values(data).flat(3).filter((x): x is string => typeof x === 'string');
    expect(entries.length).toBeGreaterThan(200);
    expect(entries.filter((e) => !/^[\x20-\x7e]+$/.test(e) || /["\\]/.test(e))).toEqual([]);
  });

  it('writes numbers and times as template strings do', () => {
    const out = new AsciiChunk();
    for (const n of [0, 7, 10, 99, 100, 123456789, 2 ** 53 - 1]) { out.uint(n); out.byte(0x20); }
    out.padded(501, 5);
    out.byte(0x20);
    out.time(Date.UTC(2024, 1, 29, 23, 59, 59, 999));
    out.byte(0x20);
    out.time(Date.UTC(2000, 0, 1));
    expect(out.take().toString('latin1')).toBe(`0 7 10 99 100 123456789 ${2 ** 53 - 1} 00501 2024-02-29T23:59:59+00:00 2000-01-01T00:00:00+00:00`);
  });

  it('writes every time as airbyteTime does (its string twin, used for updated_at and products)', () => {
    const out = new AsciiChunk();
    const times: string[] = [];
    for (let ms = Date.UTC(1999, 11, 31, 23, 59, 59); ms < Date.UTC(2030, 0, 1); ms += 7_919_999_937) {
      out.time(ms);
      out.byte(0x20);
      times.push(airbyteTime(ms));
    }
    expect(times.length).toBeGreaterThan(100);
    expect(out.take().toString('latin1')).toBe(`${times.join(' ')} `);
  });

  it('hands over a chunk before it could overflow, and each taken chunk is its own', () => {
    const out = new AsciiChunk();
    const r = new Prng();
    let n = 0;
    while (!out.full) { writeUser(out, r, 1, n++, ascii(UPDATED), head, tail); }
    const first = out.take();
    writeUser(out, r, 1, 0, ascii(UPDATED), head, tail);
    const second = out.take();
    expect(first.toString('latin1').split('\n').filter(Boolean)).toHaveLength(n);
    expect(first.length).toBeLessThanOrEqual(64 * 1024);
    expect(second.buffer === first.buffer && second.byteOffset === first.byteOffset).toBe(false);
    expect(second.toString('latin1')).toMatch(/^<\{"id":1,.*\}>\n$/);
  });
});
