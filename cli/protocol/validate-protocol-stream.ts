import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import { ConfigFileError, decodeLines, type DecodedLine } from '../../protocol/index.js';

interface Options {
  json?: boolean;
  maxLineBytes?: number;
}

/**
 * `airdock protocol validate`: streams the input (constant memory whatever its size), classifies
 * every line against the full official schema, and returns the exit code: 1 if any line is invalid.
 * Noise is counted but is not a failure, as for a connector's stdout.
 */
export async function validateProtocolStream(file: string, options: Options, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const input = file === '-' ? process.stdin : await openFile(file);
  const counts = new Map<string, number>();
  const firstInvalid: DecodedLine[] = [];
  let invalid = 0;
  let pending = '';
  for await (const d of decodeLines(input as AsyncIterable<Buffer>, { validate: 'full', ...(options.maxLineBytes ? { maxLineBytes: options.maxLineBytes } : {}) })) {
    const type = d.kind === 'noise' ? null : d.type;
    const verdict = d.kind === 'message' ? 'valid' : d.kind;
    const key = `${type ?? '-'}\u0000${verdict}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (d.kind === 'invalid') {
      invalid++;
      if (firstInvalid.length < 10) firstInvalid.push(d);
    }
    if (options.json) {
      const errors = d.kind === 'invalid' ? d.errors : d.kind === 'noise' ? [{ path: '', message: d.reason }] : [];
      pending += `${JSON.stringify({ line: d.line, verdict, type, errors })}\n`;
      if (pending.length > 65536) {
        if (!out.write(pending)) await once(out, 'drain');
        pending = '';
      }
    }
  }
  if (options.json) {
    if (pending) out.write(pending);
  } else {
    out.write(summary(counts, firstInvalid, invalid));
  }
  return invalid > 0 ? 1 : 0;
}

async function openFile(file: string): Promise<NodeJS.ReadableStream> {
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  try {
    await once(stream, 'open');
  } catch (err) {
    throw new ConfigFileError('Cannot read the input file', { cause: err, context: { file, reason: (err as NodeJS.ErrnoException).code }, hint: 'Check the path, or pass - to read standard input' });
  }
  return stream;
}

function summary(counts: Map<string, number>, firstInvalid: DecodedLine[], invalid: number): string {
  const rows = [...counts.entries()]
    .map(([k, n]) => {
      const [type, verdict] = k.split('\u0000') as [string, string];
      return { type, verdict, n };
    })
    .sort((a, b) => a.type.localeCompare(b.type) || a.verdict.localeCompare(b.verdict));
  const total = rows.reduce((s, r) => s + r.n, 0);
  const lines = [`${total} line(s)`, ...rows.map((r) => `  ${r.type.padEnd(20)} ${r.verdict.padEnd(8)} ${r.n}`)];
  for (const d of firstInvalid) {
    if (d.kind !== 'invalid') continue;
    lines.push(`line ${d.line}: invalid ${d.type}: ${d.errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ')}`);
  }
  if (invalid > firstInvalid.length) lines.push(`... and ${invalid - firstInvalid.length} more invalid line(s); use --json for all`);
  lines.push(invalid > 0 ? `FAILED: ${invalid} invalid line(s)` : 'OK: no invalid lines');
  return `${lines.join('\n')}\n`;
}
