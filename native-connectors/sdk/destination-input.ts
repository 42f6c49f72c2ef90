import { isUtf8 } from 'node:buffer';
import { LineSplitter, RecordFields, classifyLine, decodeLines, scanRecordFields, skipValue, type DecodedLine } from '../../protocol/index.js';
import { RUN_FIELDS, type InputMessage, type RecordRun } from './define-destination.js';
import { repairInvalidUtf8 } from './repair-invalid-utf8.js';
import { hasViews } from './stdin-reader.js';

const LF = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const RBRACE = 0x7d;
const RECORD_PREFIX = Buffer.from('{"type":"RECORD","record":{');
const NULL = Buffer.from('null');

/**
 * A destination's stdin. Iterated, it yields one {@link InputMessage} per protocol line (non-JSON lines
 * and messages that break the schema are dropped, as the Python CDK does; a RECORD with invalid UTF-8
 * is repaired, see repairInvalidUtf8). `runs()` yields the same input a read chunk at a time, with
 * adjacent RECORD lines of one stream gathered into a {@link RecordRun}: no object, view or promise per
 * record, for destinations that store the lines as they are. Read it one way only.
 */
export class DestinationInput implements AsyncIterable<InputMessage> {
  constructor(private readonly stdin: AsyncIterable<Buffer>) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<InputMessage> {
    // RECORDs are scanned, not parsed: fast destinations copy `data` from the raw bytes.
    for await (const line of decodeLines(this.stdin, { validate: 'envelope' })) {
      const m = accepted(line);
      if (m) yield m;
    }
  }

  /**
   * The input a chunk at a time, in order. A line that the run reader does not recognise whole
   * (another layout, whitespace, a `\r`, a line across two chunks, invalid UTF-8) takes the path of
   * the iterator above, so both ways accept and drop the same lines. A RecordRun (its `bytes` and
   * `fields`) is valid until the next batch is asked for: stdin's buffer is then read into again.
   * The InputMessages have bytes of their own and may be kept.
   */
  async *runs(options: RunsOptions = {}): AsyncGenerator<(InputMessage | RecordRun)[]> {
    const reader = new RunReader(options.sinkChecksData === true);
    // Views of stdin's one reused buffer: a chunk's runs are handed on before the next chunk is
    // read into it, and every per-line message gets bytes of its own (#slow).
    const chunks = hasViews(this.stdin) ? this.stdin.views() : this.stdin;
    for await (const chunk of chunks) {
      const items = reader.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      if (items.length > 0) yield items;
    }
    const last = reader.end();
    if (last.length > 0) yield last;
  }
}

export interface RunsOptions {
  /**
   * The sink checks each run line's `data` itself, strictly, and takes a line whose `data` is not
   * exactly one JSON object the per-line way (see BarrierSink.checksRunData): a line's `data` is then
   * not scanned here when it is the record's last field.
   */
  sinkChecksData?: boolean;
}

/** What the destination gets for a classified line, or undefined when the line is dropped. */
function accepted(line: DecodedLine): InputMessage | undefined {
  if (line.kind !== 'message') return undefined;
  if (line.record) {
    const repaired = repairInvalidUtf8(line.raw, line.record);
    if (repaired) {
      const again = classifyLine(repaired, line.line, { validate: 'envelope' });
      return again.kind === 'message' ? again : undefined;
    }
  }
  return line;
}

class RunReader {
  constructor(readonly sinkChecksData: boolean) {}

  readonly #splitter = new LineSplitter();
  #lineNo = 0;
  #items: (InputMessage | RecordRun)[] = [];
  readonly #f = new RecordFields();
  // The run being gathered: lines [runStart, runEnd) of the current chunk, all of one stream.
  #runStart = -1;
  #runEnd = -1;
  #runCount = 0;
  #runStreamStart = -1;
  #runStreamEnd = -1;
  #runNamespaceStart = -1;
  #runNamespaceEnd = -1;
  // The fields of the chunk's runs (RecordRun.fields, relative to each run's start), from index
  // #fieldsBase for the run being gathered: one array reused chunk after chunk (a fresh one per run
  // was off-heap memory that set off full GCs), handed out as views like the chunk's bytes.
  #fields = new Int32Array(RUN_FIELDS * 4096);
  #fieldsBase = 0;
  // The head of the last accepted record whose last field is `data` (see #sameHead): its bytes
  // [0, headLen) and its fields' offsets in them (stream, namespace, emitted_at, meta; -1 absent).
  readonly #head = Buffer.alloc(1024);
  #headLen = 0;
  readonly #headFields = new Int32Array(8);
  // The last stream name decoded, by its bytes: runs of one stream go on across chunks.
  #nameBytes = Buffer.alloc(0);
  #name = '';
  readonly #onSpan = (chunk: Buffer, start: number, nl: number) => this.#line(chunk, start, nl);
  // A line across chunks comes before any span of the chunk that ends it: no run is open then.
  readonly #onLine = (line: Buffer) => this.#slow(line);

  push(chunk: Buffer): (InputMessage | RecordRun)[] {
    this.#items = [];
    this.#fieldsBase = 0;
    this.#splitter.pushSpans(chunk, this.#onSpan, this.#onLine);
    this.#flush(chunk);
    return this.#items;
  }

  end(): (InputMessage | RecordRun)[] {
    this.#items = [];
    this.#splitter.end(this.#onLine);
    return this.#items;
  }

  /** One line [start, nl) of the chunk: into the current run, a new run, or the per-line path. */
  #line(chunk: Buffer, start: number, nl: number): void {
    const f = this.#recordFields(chunk, start, nl);
    if (f === undefined) {
      this.#flush(chunk);
      // A copy: the destination may keep the message (DuckDB gathers lines), and the chunk may be reused.
      this.#slow(Buffer.from(chunk.subarray(start, nl)));
      return;
    }
    this.#lineNo++;
    if (this.#runCount > 0 && sameBytes(chunk, f.streamStart, f.streamEnd, this.#runStreamStart, this.#runStreamEnd)
      && sameBytes(chunk, f.namespaceStart, f.namespaceEnd, this.#runNamespaceStart, this.#runNamespaceEnd)) {
      this.#runEnd = nl + 1;
      this.#addFields(start, f);
      this.#runCount++;
      return;
    }
    this.#flush(chunk);
    this.#runStart = start;
    this.#runEnd = nl + 1;
    this.#addFields(start, f);
    this.#runCount = 1;
    this.#runStreamStart = f.streamStart;
    this.#runStreamEnd = f.streamEnd;
    this.#runNamespaceStart = f.namespaceStart;
    this.#runNamespaceEnd = f.namespaceEnd;
  }

  /** The line's fields at index runCount of the run (before runCount counts it). */
  #addFields(start: number, f: RecordFields): void {
    let a = this.#fields;
    let k = this.#fieldsBase + this.#runCount * RUN_FIELDS;
    if (k + RUN_FIELDS > a.length) {
      // Runs handed out earlier in this chunk keep their views of the old array.
      a = new Int32Array(a.length * 2);
      a.set(this.#fields.subarray(this.#fieldsBase, k));
      this.#fields = a;
      this.#fieldsBase = 0;
      k = this.#runCount * RUN_FIELDS;
    }
    const base = this.#runStart;
    a[k] = start - base;
    a[k + 1] = f.dataStart - base;
    a[k + 2] = f.dataEnd - base;
    a[k + 3] = f.emittedAtStart - base;
    a[k + 4] = f.emittedAtEnd - base;
    a[k + 5] = f.metaStart === -1 ? -1 : f.metaStart - base;
    a[k + 6] = f.metaStart === -1 ? -1 : f.metaEnd - base;
  }

  /**
   * The RECORD's fields when the line is one that classifyLine accepts on its fast path (the layout
   * every CDK writes, no whitespace around, a string stream without escapes, an object `data`, an
   * integer `emitted_at`, a string or null namespace), else undefined.
   */
  #recordFields(b: Buffer, start: number, nl: number): RecordFields | undefined {
    const n = RECORD_PREFIX.length;
    if (nl - start <= n) return undefined;
    const same = this.#sameHead(b, start, nl);
    if (same !== undefined) return same;
    for (let k = 0; k < n; k++) if (b[start + k] !== RECORD_PREFIX[k]) return undefined;
    let f: RecordFields | undefined;
    if (this.sinkChecksData && b[nl - 3] === RBRACE && b[nl - 2] === RBRACE) {
      // `data` taken as the record's last field, ending before the line's `}}`, not scanned: the
      // sink checks it (BarrierSink.checksRunData). A line where `data` is not last (the Python
      // CDK writes emitted_at after it) is scanned whole.
      f = this.#checked(b, start, nl, nl - 2);
    }
    f ??= this.#checked(b, start, nl, -1);
    if (f !== undefined && f.dataEnd === nl - 2) this.#keepHead(b, start, f);
    return f;
  }

  /**
   * Consecutive records mostly begin with the same bytes up to their `data` (type, stream,
   * namespace, emitted_at: sources stamp a batch with one time): when this line's head is the last
   * accepted one's, byte for byte, scanning it would find the same fields at the same places, so
   * only `data` is left, which must then be the last field. Saves the key scan (~0.15 µs a record).
   */
  #sameHead(b: Buffer, start: number, nl: number): RecordFields | undefined {
    const head = this.#head;
    const len = this.#headLen;
    if (len === 0 || nl - start < len + 3) return undefined;
    if (head.compare(b, start, start + len, 0, len) !== 0) return undefined;
    const dataStart = start + len - 1;
    let dataEnd: number;
    if (this.sinkChecksData) {
      if (b[nl - 3] !== RBRACE) return undefined;
      dataEnd = nl - 2;
    } else {
      dataEnd = skipValue(b, dataStart);
      if (dataEnd !== nl - 2) return undefined;
    }
    if (b[nl - 2] !== RBRACE || b[nl - 1] !== RBRACE) return undefined;
    const f = this.#f;
    const h = this.#headFields;
    f.end = nl - 1;
    f.streamStart = start + h[0]!;
    f.streamEnd = start + h[1]!;
    f.namespaceStart = h[2] === -1 ? -1 : start + h[2]!;
    f.namespaceEnd = h[2] === -1 ? -1 : start + h[3]!;
    f.emittedAt = 1;
    f.emittedAtStart = start + h[4]!;
    f.emittedAtEnd = start + h[5]!;
    f.metaStart = h[6] === -1 ? -1 : start + h[6]!;
    f.metaEnd = h[6] === -1 ? -1 : start + h[7]!;
    f.dataKind = 0x7b;
    f.dataStart = dataStart;
    f.dataEnd = dataEnd;
    return f;
  }

  /** Remembers an accepted line's head (up to its last field `data`, the `{` included) for #sameHead. */
  #keepHead(b: Buffer, start: number, f: RecordFields): void {
    const len = f.dataStart + 1 - start;
    if (len > this.#head.length) { this.#headLen = 0; return; }
    b.copy(this.#head, 0, start, start + len);
    this.#headLen = len;
    const h = this.#headFields;
    h[0] = f.streamStart - start;
    h[1] = f.streamEnd - start;
    h[2] = f.namespaceStart === -1 ? -1 : f.namespaceStart - start;
    h[3] = f.namespaceStart === -1 ? -1 : f.namespaceEnd - start;
    h[4] = f.emittedAtStart - start;
    h[5] = f.emittedAtEnd - start;
    h[6] = f.metaStart === -1 ? -1 : f.metaStart - start;
    h[7] = f.metaStart === -1 ? -1 : f.metaEnd - start;
  }

  #checked(b: Buffer, start: number, nl: number, lastDataEnd: number): RecordFields | undefined {
    // Scanning the chunk, not a view of the line: an end found beyond the newline is a miss.
    const f = scanRecordFields(b, start + RECORD_PREFIX.length - 1, this.#f, lastDataEnd);
    if (f.end === -1 || f.end !== nl - 1 || b[f.end] !== RBRACE) return undefined;
    if (f.streamStart === -1 || b[f.streamStart] !== QUOTE || hasBackslash(b, f.streamStart, f.streamEnd)) return undefined;
    if (f.dataKind !== 0x7b || f.emittedAt !== 1) return undefined;
    if (f.namespaceStart !== -1) {
      if (b[f.namespaceStart] !== QUOTE) {
        if (!sameAs(b, f.namespaceStart, f.namespaceEnd, NULL)) return undefined;
        f.namespaceStart = f.namespaceEnd = -1;
      } else if (hasBackslash(b, f.namespaceStart, f.namespaceEnd)) {
        return undefined;
      }
    }
    return f;
  }

  /** Ends the run being gathered: its lines are valid UTF-8 (checked once for the run) or go line by line. */
  #flush(chunk: Buffer): void {
    if (this.#runCount === 0) return;
    const bytes = chunk.subarray(this.#runStart, this.#runEnd);
    const count = this.#runCount;
    this.#runCount = 0;
    if (!isUtf8(bytes)) {
      // Rare: repaired line by line, as the iterator does.
      this.#lineNo -= count;
      let s = 0;
      for (let nl = bytes.indexOf(LF); nl !== -1; s = nl + 1, nl = bytes.indexOf(LF, s)) this.#slow(Buffer.from(bytes.subarray(s, nl)));
      return;
    }
    const stream = this.#streamName(chunk, this.#runStreamStart, this.#runStreamEnd);
    const namespace = this.#runNamespaceStart === -1 ? undefined : chunk.toString('utf8', this.#runNamespaceStart + 1, this.#runNamespaceEnd - 1);
    const base = this.#fieldsBase;
    this.#fieldsBase = base + count * RUN_FIELDS;
    this.#items.push({ stream, namespace, bytes, count, fields: this.#fields.subarray(base, this.#fieldsBase) });
  }

  #streamName(b: Buffer, start: number, end: number): string {
    if (!sameAs(b, start, end, this.#nameBytes)) {
      this.#nameBytes = Buffer.from(b.subarray(start, end));
      this.#name = b.toString('utf8', start + 1, end - 1);
    }
    return this.#name;
  }

  /** A line the per-line way (a trailing `\r` dropped, as LineSplitter.push does). */
  #slow(line: Buffer): void {
    if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
    const m = accepted(classifyLine(line, ++this.#lineNo, { validate: 'envelope' }));
    if (m) this.#items.push(m);
  }
}

function hasBackslash(b: Buffer, start: number, end: number): boolean {
  for (let k = start; k < end; k++) if (b[k] === BACKSLASH) return true;
  return false;
}

/** b[s1, e1) equals b[s2, e2); two absent ranges (-1) are equal. */
function sameBytes(b: Buffer, s1: number, e1: number, s2: number, e2: number): boolean {
  if (e1 - s1 !== e2 - s2) return false;
  for (let k = 0; k < e1 - s1; k++) if (b[s1 + k] !== b[s2 + k]) return false;
  return true;
}

function sameAs(b: Buffer, start: number, end: number, other: Buffer): boolean {
  if (end - start !== other.length) return false;
  for (let k = 0; k < other.length; k++) if (b[start + k] !== other[k]) return false;
  return true;
}
