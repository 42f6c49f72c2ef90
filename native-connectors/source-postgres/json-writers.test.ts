import { describe, expect, it } from 'vitest';
import { isNonFinite, maxJsonStringBytes, writeDate, writeJsonString, writeTime, writeTimestamp, MAX_TEMPORAL_BYTES } from './json-writers.js';

const out = Buffer.alloc(1 << 16);

function jsonString(text: string): string {
  const src = Buffer.from(text, 'utf8');
  const end = writeJsonString(src, 0, src.length, out, 0);
  expect(end).toBeLessThanOrEqual(maxJsonStringBytes(src.length));
  return out.toString('utf8', 0, end);
}

/** An int64 as 8 big-endian bytes, the binary COPY form of timestamps and times. */
function int64(v: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(v);
  return b;
}

function timestamp(us: bigint, zulu: boolean): string {
  const end = writeTimestamp(int64(us), 0, zulu, out, 0);
  expect(end).toBeLessThanOrEqual(MAX_TEMPORAL_BYTES);
  return out.toString('latin1', 0, end);
}

function date(days: number): string {
  const b = Buffer.alloc(4);
  b.writeInt32BE(days);
  return out.toString('latin1', 0, writeDate(b, 0, out, 0));
}

const EPOCH_2000_MS = Date.UTC(2000, 0, 1);

/** The official format from JavaScript's own proleptic Gregorian calendar (valid within ±273,790 years of 1970). */
function expectedTimestamp(us: bigint, zulu: boolean): string {
  const ms = Number(us / 1000n - (us % 1000n < 0n ? 1n : 0n));
  const micro = Number(((us % 1_000_000n) + 1_000_000n) % 1_000_000n);
  const d = new Date(EPOCH_2000_MS + ms);
  const y = d.getUTCFullYear();
  const p2 = (n: number) => String(n).padStart(2, '0');
  const year = String(y <= 0 ? 1 - y : y).padStart(4, '0');
  return `"${year}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}T${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(micro).padStart(6, '0')}${zulu ? 'Z' : ''}${y <= 0 ? ' BC' : ''}"`;
}

describe('source-postgres JSON byte writers', () => {
  it('escapes strings as PostgreSQL escape_json does (which for UTF-8 text is what JSON.stringify gives)', () => {
    let every = '';
    for (let c = 1; c < 0x80; c++) every += String.fromCharCode(c);
    for (const text of [
      '', every, 'plain', 'quote " and backslash \\ and \\"', 'é ü ß 中文 😀 👩‍👩‍👧 \u2028\u2029', 'tab\tnl\ncr\rbs\bff\f\u0001\u001f\u007f',
      '\\u0000 literally', '😀'.repeat(1000),
    ]) expect(jsonString(text), text).toBe(JSON.stringify(text));
    expect(jsonString('\u0001\u001f')).toBe('"\\u0001\\u001f"'); // lowercase hex, as PostgreSQL prints it
  });

  it('formats timestamps in the official format across the calendar', () => {
    expect(timestamp(0n, false)).toBe('"2000-01-01T00:00:00.000000"');
    expect(timestamp(-1n, true)).toBe('"1999-12-31T23:59:59.999999Z"');
    expect(timestamp(1_000_000n * 86_400n * 366n + 123_456n, false)).toBe('"2001-01-01T00:00:00.123456"');
    // 1 BC is year 0 of the proleptic calendar; 44 BC is year -43.
    const bc = BigInt(new Date('-000043-03-15T10:11:12Z').getTime() - EPOCH_2000_MS) * 1000n;
    expect(timestamp(bc, true)).toBe('"0044-03-15T10:11:12.000000Z BC"');
    expect(timestamp(BigInt(new Date('0000-12-31T23:59:59Z').getTime() - EPOCH_2000_MS) * 1000n + 999_999n, false)).toBe('"0001-12-31T23:59:59.999999 BC"');
    expect(timestamp(BigInt(new Date('0001-01-01T00:00:00Z').getTime() - EPOCH_2000_MS) * 1000n, false)).toBe('"0001-01-01T00:00:00.000000"');
    // The ends of PostgreSQL's range: 4713-11-24 BC and 294276-12-31 AD (beyond 2^53 microseconds).
    expect(timestamp(-211813488000000000n, false)).toBe('"4714-11-24T00:00:00.000000 BC"');
    expect(timestamp(9223371331199999999n, true)).toBe('"294276-12-31T23:59:59.999999Z"');
    expect(timestamp(2n ** 63n - 1n, true)).toBe('"infinity"');
    expect(timestamp(-(2n ** 63n), false)).toBe('"-infinity"');
  });

  it('agrees with JavaScript\'s calendar on random instants over ±270,000 years', () => {
    let seed = 42;
    const rand = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
    for (let i = 0; i < 20_000; i++) {
      const span = [1e9, 1e12, 1e15, 8.5e18][i % 4]!; // seconds to centuries to the whole range
      const us = BigInt(Math.round((rand() * 2 - 1) * span));
      expect(timestamp(us, i % 2 === 0)).toBe(expectedTimestamp(us, i % 2 === 0));
    }
  });

  it('formats dates and times as PostgreSQL prints them', () => {
    expect(date(0)).toBe('"2000-01-01"');
    expect(date(-1)).toBe('"1999-12-31"');
    expect(date((new Date('-000043-03-15T00:00:00Z').getTime() - EPOCH_2000_MS) / 86_400_000)).toBe('"0044-03-15 BC"');
    expect(date((Date.UTC(2100, 11, 31) - EPOCH_2000_MS) / 86_400_000)).toBe('"2100-12-31"');
    expect(date(2_145_031_948)).toBe('"5874897-12-31"'); // the last date PostgreSQL has
    expect(date(2 ** 31 - 1)).toBe('"infinity"');
    expect(date(-(2 ** 31))).toBe('"-infinity"');
    const time = (us: bigint) => out.toString('latin1', 0, writeTime(int64(us), 0, out, 0));
    expect(time(0n)).toBe('"00:00:00.000000"');
    expect(time(86_400_000_000n)).toBe('"24:00:00.000000"');
    expect(time(36_672_000_001n)).toBe('"10:11:12.000001"');
  });

  it('recognises NaN and infinities in numeric and float text', () => {
    const nf = (s: string) => isNonFinite(Buffer.from(s), 0);
    expect(['NaN', 'Infinity', '-Infinity'].map(nf)).toEqual([true, true, true]);
    expect(['0', '-1.5', '1e+308', '-0', '123456789012345678901234567890'].map(nf)).toEqual([false, false, false, false, false]);
  });
});
