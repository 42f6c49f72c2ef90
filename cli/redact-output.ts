import type { SecretRedactor } from '../runtime/log/secret-redactor.js';

type Write = (chunk: string | Uint8Array, encoding?: BufferEncoding | ((err?: Error | null) => void), cb?: (err?: Error | null) => void) => boolean;

const raw = new Map<NodeJS.WriteStream, Write>();

/**
 * Puts the redactor in front of the process's stdout and stderr: whatever any part of airdock (or a
 * library it uses) writes there, it goes through it. One gate instead of a redact() call at each
 * output site, which is how the paths that skipped it (check results, JSON summaries, debug stacks,
 * TRACE lines on stdout) leaked. Data that must stay byte-exact (RECORD and STATE lines) uses writeData.
 */
export function redactProcessOutput(redactor: SecretRedactor): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (raw.has(stream)) continue;
    const original = stream.write.bind(stream) as Write;
    raw.set(stream, original);
    stream.write = ((chunk: string | Uint8Array, encoding?: BufferEncoding | ((err?: Error | null) => void), cb?: (err?: Error | null) => void) => {
      if (redactor.size > 0) {
        if (typeof chunk === 'string') {
          chunk = redactor.redact(chunk);
        } else if (chunk instanceof Uint8Array) {
          const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8');
          const masked = redactor.redact(text);
          if (masked !== text) chunk = Buffer.from(masked, 'utf8');
        }
      }
      return original(chunk, encoding, cb);
    }) as typeof stream.write;
  }
}

/** Writes protocol data (RECORD, STATE) to stdout unmasked: a record is the user's data, a state goes back to a connector. */
export function writeData(chunk: Uint8Array): boolean {
  const write = raw.get(process.stdout) ?? (process.stdout.write.bind(process.stdout) as Write);
  return write(chunk);
}
