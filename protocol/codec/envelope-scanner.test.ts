import { describe, expect, it } from 'vitest';
import { classifyLine } from './classify-line.js';
import { skipValue } from './envelope-scanner.js';

// Deterministic PRNG so a failure reproduces.
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const tricky = ['"', '\\', '}', '{', ']', '[', ',', ':', '\\"', '"}', 'é', '😀', '\n', '\u0000', 'x'.repeat(40), '\\\\"'];

function randomValue(r: () => number, depth: number): unknown {
  const k = Math.floor(r() * (depth > 3 ? 4 : 7));
  if (k === 0) return Math.floor(r() * 1e6) - 5e5;
  if (k === 1) return r() > 0.5 ? null : r() > 0.5;
  if (k === 2 || k === 3) {
    let s = '';
    const n = Math.floor(r() * 6);
    for (let i = 0; i < n; i++) s += tricky[Math.floor(r() * tricky.length)] + (r() > 0.7 ? 'y'.repeat(Math.floor(r() * 80)) : '');
    return s;
  }
  if (k === 4 || k === 5) {
    const o: Record<string, unknown> = {};
    const n = Math.floor(r() * 5);
    for (let i = 0; i < n; i++) o[String(randomValue(r, 9))] = randomValue(r, depth + 1);
    return o;
  }
  return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
}

describe('envelope scanner (randomised against JSON.parse)', () => {
  it('finds the exact end of 5,000 random values with hostile strings', () => {
    const r = prng(42);
    for (let n = 0; n < 5000; n++) {
      const text = JSON.stringify(randomValue(r, 0)) ?? 'null';
      const buf = Buffer.from(`${text},"rest"`);
      expect(skipValue(buf, 0), text).toBe(Buffer.byteLength(text));
    }
  });

  it('reads stream and namespace placed before or after hostile data', () => {
    const r = prng(7);
    for (let n = 0; n < 2000; n++) {
      const data = { a: randomValue(r, 1), b: randomValue(r, 1), stream: 'decoy', namespace: 'decoy' };
      const stream = String(randomValue(r, 9));
      const namespace = r() > 0.5 ? String(randomValue(r, 9)) : undefined;
      const record = r() > 0.5 ? { stream, data, emitted_at: 1, namespace } : { namespace, stream, emitted_at: 1, data };
      const line = JSON.stringify({ type: 'RECORD', record });
      const d = classifyLine(Buffer.from(line), 1);
      expect(d.kind, line).toBe('message');
      if (d.kind === 'message') {
        expect(d.record!.stream).toBe(stream);
        expect(d.record!.namespace).toBe(namespace);
        expect(d.message).toEqual(JSON.parse(line));
      }
    }
  });

  it('calls every truncation of a record noise or invalid, never a message', () => {
    const line = JSON.stringify({ type: 'RECORD', record: { stream: 's"}', data: { x: 'a}"{', y: [1, { z: '\\' }] }, emitted_at: 1 } });
    for (let cut = 1; cut < line.length; cut++) {
      expect(classifyLine(Buffer.from(line.slice(0, cut)), 1).kind, line.slice(0, cut)).not.toBe('message');
    }
  });
});
