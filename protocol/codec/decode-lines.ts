import type { ClassifyOptions } from './classify-line.js';
import { classifyLine } from './classify-line.js';
import type { DecodedLine } from './decoded-line.js';
import { LineSplitter, type LineSplitterOptions } from './line-splitter.js';

export type DecodeOptions = ClassifyOptions & LineSplitterOptions;

/**
 * Decodes a byte stream (a child's stdout, a file, stdin) into classified lines. Pulling from an
 * async iterable gives backpressure for free: nothing is read faster than the consumer asks.
 */
export async function* decodeLines(source: AsyncIterable<Buffer | string> | Iterable<Buffer | string>, options: DecodeOptions = {}): AsyncGenerator<DecodedLine> {
  const splitter = new LineSplitter(options);
  let lineNo = 0;
  let batch: DecodedLine[] = [];
  const onLine = (raw: Buffer) => {
    batch.push(classifyLine(raw, ++lineNo, options));
  };
  for await (const chunk of source) {
    splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, onLine);
    if (batch.length > 0) {
      const out = batch;
      batch = [];
      yield* out;
    }
  }
  splitter.end(onLine);
  yield* batch;
}
