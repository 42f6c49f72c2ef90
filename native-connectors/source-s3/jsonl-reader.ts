import type { Properties } from './json-schema-types.js';
import { mergeProperties, typeOfValue } from './json-schema-types.js';
import { decodeText } from './text-decoding.js';

const INFER_BYTES = 1_000_000;

/** A line (or a run of lines) that is not a JSON object. */
export class JsonlRecordError extends Error {}

/**
 * Objects of a JSON lines object, with the raw text of each. As in the official parser, an object
 * may span several lines (pretty-printed): lines are joined until they parse; blank lines are skipped.
 */
export async function* jsonlRecords(bytes: AsyncIterable<Buffer>): AsyncGenerator<{ value: Record<string, unknown>; text: string }> {
  let rest = '';
  let pending = '';
  const take = function* (line: string): Generator<{ value: Record<string, unknown>; text: string }> {
    const text = pending ? `${pending}\n${line}` : line;
    if (text.trim() === '') { pending = ''; return; }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      // multi-line objects: keep accumulating, but give up on a runaway (1 MB) that never parses
      if (text.length > 1_048_576) throw new JsonlRecordError('a line is not valid JSON');
      pending = text;
      return;
    }
    pending = '';
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new JsonlRecordError('a line is not a JSON object');
    yield { value: value as Record<string, unknown>, text };
  };
  for await (const chunk of decodeText(bytes, 'utf8')) {
    const s = rest + chunk;
    let start = 0;
    for (let nl = s.indexOf('\n'); nl >= 0; nl = s.indexOf('\n', start)) {
      const line = s.charCodeAt(nl - 1) === 13 ? s.slice(start, nl - 1) : s.slice(start, nl);
      start = nl + 1;
      yield* take(line);
    }
    rest = s.slice(start);
  }
  if (rest) yield* take(rest);
  if (pending.trim()) throw new JsonlRecordError('the last line is not valid JSON');
}

/** Column types over the first megabyte of lines, widened across values as the official parser does. */
export async function inferJsonlSchema(bytes: AsyncIterable<Buffer>): Promise<Properties> {
  let props: Properties = {};
  let read = 0;
  for await (const { value, text } of jsonlRecords(bytes)) {
    const one: Properties = {};
    for (const [k, v] of Object.entries(value)) one[k] = { type: typeOfValue(v) };
    props = mergeProperties(props, one);
    read += text.length;
    if (read >= INFER_BYTES) break;
  }
  return props;
}
