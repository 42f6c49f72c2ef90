import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter.js';
import { isAirdockError } from '../errors/index.js';

function split(chunks: Buffer[], maxLineBytes?: number): Buffer[] {
  const s = new LineSplitter(maxLineBytes ? { maxLineBytes } : {});
  const out: Buffer[] = [];
  for (const c of chunks) s.push(c, (l) => out.push(Buffer.from(l)));
  s.end((l) => out.push(Buffer.from(l)));
  return out;
}

describe('LineSplitter', () => {
  const text = '{"type":"RECORD","record":{"stream":"ü","data":{"name":"Zoë 😀 東京"},"emitted_at":1}}\n{"x":"€"}\n';
  const bytes = Buffer.from(text);

  it('yields identical lines wherever a chunk boundary falls, including inside multi-byte characters', () => {
    const expected = text.split('\n').slice(0, 2);
    for (let i = 0; i <= bytes.length; i++) {
      const lines = split([bytes.subarray(0, i), bytes.subarray(i)]);
      expect(lines.map((l) => l.toString('utf8')), `split at byte ${i}`).toEqual(expected);
    }
  });

  it('survives one-byte chunks and random three-way splits', () => {
    const one = split([...bytes].map((b) => Buffer.from([b])));
    expect(one.map(String)).toEqual(text.split('\n').slice(0, 2));
    for (let n = 0; n < 200; n++) {
      const a = Math.floor(Math.random() * bytes.length);
      const b = a + Math.floor(Math.random() * (bytes.length - a));
      const lines = split([bytes.subarray(0, a), bytes.subarray(a, b), bytes.subarray(b)]);
      expect(Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')]))).toEqual(bytes);
    }
  });

  it('pushSpans reports in-chunk lines as spans and the rest as lines, in order, like push', () => {
    const input = Buffer.from('a\r\nbb\n\nccc\r\ndddd\neeeee');
    for (let i = 0; i <= input.length; i++) {
      for (let j = i; j <= input.length; j++) {
        const s = new LineSplitter();
        const out: string[] = [];
        for (const c of [input.subarray(0, i), input.subarray(i, j), input.subarray(j)]) {
          s.pushSpans(c, (chunk, start, nl) => {
            expect(chunk[nl]).toBe(0x0a);
            out.push(chunk.toString('latin1', start, chunk[nl - 1] === 0x0d ? nl - 1 : nl));
          }, (l) => out.push(l.toString('latin1')));
        }
        s.end((l) => out.push(l.toString('latin1')));
        expect(out, `chunks end at ${i} and ${j}`).toEqual(['a', 'bb', '', 'ccc', 'dddd', 'eeeee']);
      }
    }
  });

  it('drops the \\r of \\r\\n line ends, also when \\r and \\n arrive in different chunks', () => {
    expect(split([Buffer.from('a\r'), Buffer.from('\nb\r\n')]).map(String)).toEqual(['a', 'b']);
  });

  it('keeps blank lines and a last line without newline', () => {
    expect(split([Buffer.from('a\n\nb')]).map(String)).toEqual(['a', '', 'b']);
  });

  it('accepts a 64 MiB line by default and rejects one byte more with a clear error', () => {
    const big = Buffer.alloc(64 * 1024 * 1024, 0x61);
    const chunks: Buffer[] = [];
    for (let i = 0; i < big.length; i += 1 << 20) chunks.push(big.subarray(i, i + (1 << 20)));
    const lines = split([...chunks, Buffer.from('\n')]);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.length).toBe(big.length);
    let caught: unknown;
    try {
      split([...chunks, Buffer.from('a\n')]);
    } catch (err) {
      caught = err;
    }
    expect(isAirdockError(caught) && caught.code).toBe('AIRDOCK_PROTOCOL_LINE_TOO_LONG');
  });

  it('honours a configured limit, counted in bytes not characters', () => {
    expect(split([Buffer.from('€€\n')], 6)).toHaveLength(1);
    expect(() => split([Buffer.from('€€€\n')], 6)).toThrow(/maximum line length/);
  });
});
