import { describe, expect, it } from 'vitest';
import { classifyLine, type MessageLine } from '../../protocol/index.js';
import { NamespaceMapper } from './namespace-mapper.js';

const record = (line: string) => {
  const d = classifyLine(Buffer.from(line), 1) as MessageLine;
  return { raw: d.raw, env: d.record! };
};
const mapLine = (m: NamespaceMapper, line: string) => {
  const { raw, env } = record(line);
  return m.mapRecord(raw, env).toString();
};

describe('NamespaceMapper', () => {
  it('is the identity for definition source without prefix (raw bytes forwarded untouched)', () => {
    const m = new NamespaceMapper({ definition: 'source' });
    const line = '{"type":"RECORD","record":{"stream":"a","namespace":"n","data":{"x":1},"emitted_at":1}}';
    const { raw, env } = record(line);
    expect(m.mapRecord(raw, env)).toBe(raw);
    expect(m.identity).toBe(true);
  });

  it('splices prefix and custom namespace into the record bytes, data untouched', () => {
    const m = new NamespaceMapper({ definition: 'custom', format: 'raw_${SOURCE_NAMESPACE}', prefix: 'p_' });
    expect(mapLine(m, '{"type":"RECORD","record":{"stream":"a","namespace":"n","data":{"big":123456789012345678901},"emitted_at":1}}'))
      .toBe('{"type":"RECORD","record":{"stream":"p_a","namespace":"raw_n","data":{"big":123456789012345678901},"emitted_at":1}}');
    // No namespace in the record: one is inserted.
    expect(JSON.parse(mapLine(m, '{"type":"RECORD","record":{"stream":"a","data":{},"emitted_at":1}}')).record).toEqual({ namespace: 'raw_', stream: 'p_a', data: {}, emitted_at: 1 });
  });

  it('destination definition drops the namespace; descriptors map and unmap', () => {
    const m = new NamespaceMapper({ definition: 'destination', prefix: 'x_' });
    expect(JSON.parse(mapLine(m, '{"type":"RECORD","record":{"namespace":"n","stream":"a","data":{},"emitted_at":1}}')).record).toEqual({ namespace: null, stream: 'x_a', data: {}, emitted_at: 1 });
    expect(m.map({ name: 'a', namespace: 'n' })).toEqual({ name: 'x_a' });
    expect(m.unmap({ name: 'x_a' })).toEqual({ name: 'a', namespace: 'n' });
  });
});
