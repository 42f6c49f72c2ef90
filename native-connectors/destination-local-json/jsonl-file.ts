import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DestinationWriteError } from '../../protocol/index.js';

const FLUSH_BYTES = 1 << 20;
const TAIL_PROBE = 64 * 1024;

/**
 * One JSON lines file written so that what was synced is complete: every write is checked for
 * short writes (a full disk first writes part of a buffer, then fails), `sync` makes it durable,
 * an append file opened after a crash is first cut back to its last complete line, and an
 * overwrite file is written as `<path>.tmp` and renamed over `<path>` (then the directory is synced).
 */
export class JsonlFile {
  #chunks: Buffer[] = [];
  #buffered = 0;
  #position: number;

  private constructor(private readonly handle: FileHandle, private readonly path: string, private readonly finalPath: string, position: number, readonly cutBytes: number) {
    this.#position = position;
  }

  static async open(finalPath: string, mode: 'append' | 'overwrite', stream: string): Promise<JsonlFile> {
    const path = mode === 'overwrite' ? `${finalPath}.tmp` : finalPath;
    return guard(stream, async () => {
      if (mode === 'overwrite') return new JsonlFile(await open(path, 'w'), path, finalPath, 0, 0);
      await (await open(path, 'a')).close();
      const handle = await open(path, 'r+');
      const { size } = await handle.stat();
      const end = await lastLineEnd(handle, size);
      if (end < size) {
        // A torn line from a run that died mid-write: nothing after it was ever acknowledged.
        await handle.truncate(end);
        await handle.sync();
      }
      return new JsonlFile(handle, path, finalPath, end, size - end);
    });
  }

  append(line: string): void {
    const b = Buffer.from(line);
    this.#chunks.push(b);
    this.#buffered += b.length;
  }

  get buffered(): number { return this.#buffered; }

  /** Writes buffered lines (all of their bytes, or throws). */
  async write(stream: string): Promise<void> {
    if (this.#buffered === 0) return;
    const data = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks, this.#buffered);
    this.#chunks = [];
    this.#buffered = 0;
    await guard(stream, async () => {
      let off = 0;
      while (off < data.length) {
        const { bytesWritten } = await this.handle.write(data, off, data.length - off, this.#position);
        off += bytesWritten;
        this.#position += bytesWritten;
      }
    });
  }

  async writeIfFull(stream: string): Promise<void> {
    if (this.#buffered >= FLUSH_BYTES) await this.write(stream);
  }

  /** Everything appended so far is on disk. */
  async sync(stream: string): Promise<void> {
    await this.write(stream);
    await guard(stream, () => this.handle.sync());
  }

  /** Syncs and closes; an overwrite file replaces the final one. */
  async finish(stream: string): Promise<void> {
    await this.sync(stream);
    await guard(stream, async () => {
      await this.handle.close();
      if (this.path !== this.finalPath) {
        await rename(this.path, this.finalPath);
        const dir = await open(dirname(this.finalPath), 'r');
        try { await dir.sync(); } finally { await dir.close(); }
      }
    });
  }

  /** An overwrite whose source did not finish: drop the new file, the previous one stays. */
  async discard(stream: string): Promise<void> {
    await guard(stream, async () => {
      await this.handle.close();
      if (this.path !== this.finalPath) await rm(this.path, { force: true });
    });
  }

  /** True for an overwrite file (written beside the final one, renamed over it at the end). */
  get replaces(): boolean {
    return this.path !== this.finalPath;
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => {});
  }
}

/** Length of the file up to and including its last newline (0 when there is none). */
async function lastLineEnd(handle: FileHandle, size: number): Promise<number> {
  let end = size;
  const buf = Buffer.alloc(TAIL_PROBE);
  while (end > 0) {
    const start = Math.max(0, end - TAIL_PROBE);
    const { bytesRead } = await handle.read(buf, 0, end - start, start);
    const nl = buf.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (nl !== -1) return start + nl + 1;
    end = start;
  }
  return 0;
}

async function guard<T>(stream: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (cause) {
    const osCode = (cause as NodeJS.ErrnoException).code;
    throw new DestinationWriteError('Cannot write the stream file', { cause, context: { stream, osCode } });
  }
}
