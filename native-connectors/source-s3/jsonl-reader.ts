import { isUtf8 } from 'node:buffer';
import type { Properties } from './json-schema-types.js';
import { mergeProperties, typeOfValue } from './json-schema-types.js';
import { scanJsonObject } from './scan-json-object.js';
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
  const take = lineParser();
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
  yield* take.end(rest);
}

type Parsed = { value: Record<string, unknown>; text: string };

/**
 * The line-by-line parse: lines are joined until they parse (pretty-printed objects), blank lines
 * skipped. `end(rest)` takes the last, unterminated line and fails on an object left open.
 */
function lineParser(): ((line: string) => Generator<Parsed>) & { end(rest: string): Generator<Parsed>; readonly pending: boolean } {
  let pending = '';
  const take = function* (line: string): Generator<Parsed> {
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
  return Object.assign(take, {
    *end(rest: string): Generator<Parsed> {
      if (rest) yield* take(rest);
      if (pending.trim()) throw new JsonlRecordError('the last line is not valid JSON');
    },
    get pending() { return pending !== ''; },
  });
}

/**
 * Lines of a JSON lines object that can be emitted as they are: `spans` holds, per line, the index of
 * its first byte and of its object's closing `}` in `bytes`. `count` spans. Valid until the next item
 * is asked for (the reader reuses `spans` and the chunk may be a view of the network buffer).
 */
export class JsonlSpans {
  constructor(readonly bytes: Buffer, readonly spans: Int32Array, readonly count: number) {}
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];
// TextDecoder's message, which jsonlRecords gives for the same file
const NOT_UTF8 = 'The encoded data was not valid for encoding utf-8';

/**
 * The records of a JSON lines object as jsonlRecords reads them, without parsing the lines that need
 * no parse: a line that is one JSON object with no top-level null (scanJsonObject) comes in a
 * JsonlSpans batch, as bytes; every other line (blank, pretty-printed, a top-level null, broken) goes
 * through jsonlRecords' parse and comes as the parsed object, in order with the batches. The bytes
 * must be UTF-8, as for jsonlRecords (a fatal decode there; isUtf8 here, on each run of lines).
 */
export async function* jsonlBatches(bytes: AsyncIterable<Buffer>): AsyncGenerator<JsonlSpans | Record<string, unknown>> {
  const take = lineParser();
  const restParts: Buffer[] = [];
  let first = true;
  let spans = new Int32Array(512);
  let count = 0;
  const batch = (chunk: Buffer): JsonlSpans => {
    // the spans array is reused: a batch is read before the next one is asked for
    const out = new JsonlSpans(chunk, spans, count);
    count = 0;
    return out;
  };
  // Lines [from, to) of `chunk`, each ended by '\n' but the last one when `to` is past the last '\n'.
  const lines = function* (chunk: Buffer, from: number, to: number): Generator<JsonlSpans | Record<string, unknown>> {
    if (!isUtf8(chunk.subarray(from, to))) throw new JsonlRecordError(NOT_UTF8);
    while (from < to) {
      let nl = chunk.indexOf(10, from);
      if (nl < 0 || nl > to) nl = to;
      const end = nl > from && chunk[nl - 1] === 13 ? nl - 1 : nl;
      const close = take.pending ? -1 : scanJsonObject(chunk, from, end);
      if (close >= 0) {
        if (count * 2 === spans.length) { const bigger = new Int32Array(spans.length * 2); bigger.set(spans); spans = bigger; }
        spans[count * 2] = from;
        spans[count * 2 + 1] = close;
        count++;
      } else {
        // the lines before go first, whatever this one turns out to be (an error, a record)
        if (count > 0) yield batch(chunk);
        for (const r of take(chunk.toString('utf8', from, end))) yield r.value;
      }
      from = nl + 1;
    }
    if (count > 0) yield batch(chunk);
  };
  let lead: Buffer | undefined; // the first bytes, until there are enough to tell a BOM
  for await (let input of bytes) {
    if (first) {
      lead = lead ? Buffer.concat([lead, input]) : input;
      if (lead.length < UTF8_BOM.length) continue;
      first = false;
      input = UTF8_BOM.every((c, i) => lead![i] === c) ? lead.subarray(UTF8_BOM.length) : lead;
      lead = undefined;
    }
    const nl = input.indexOf(10);
    if (nl < 0) { restParts.push(input); continue; }
    let from = 0;
    if (restParts.length > 0) {
      // the line that straddles reads
      restParts.push(input.subarray(0, nl));
      const line = Buffer.concat(restParts);
      restParts.length = 0;
      yield* lines(line, 0, line.length);
      from = nl + 1;
    }
    const last = input.lastIndexOf(10);
    if (last >= from) yield* lines(input, from, last);
    if (last + 1 < input.length) restParts.push(input.subarray(last + 1));
  }
  if (lead) restParts.push(lead); // fewer bytes than a BOM in all
  if (restParts.length > 0) {
    const line = Buffer.concat(restParts);
    yield* lines(line, 0, line.length);
  }
  for (const r of take.end('')) yield r.value;
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
