import { DeleteObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ConfiguredAirbyteStream } from '../../protocol/index.js';
import type { InputMessage, RecordRun } from '../sdk/index.js';
import { listObjects } from '../sdk/s3/list-objects.js';
import { s3Error } from '../sdk/s3/s3-errors.js';
import type { ObjectPath } from './object-path.js';
import type { RecordObject, RecordObjectFactory } from './record-object.js';

/**
 * The objects of one stream in one sync: records go to the current object until it reaches the file
 * size, or until `complete` (the barrier's commit) closes it; the next record starts the next part
 * number. Keys already in the bucket are never reused, so an append sync never overwrites.
 */
export class StreamObjects {
  readonly written: string[] = [];
  #current: RecordObject | undefined;
  /** The object that rotation left completing in the background. */
  #finishing: { object: RecordObject; done: Promise<void> } | undefined;
  #part = 0;
  readonly #taken: Set<string>;

  private constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    readonly stream: ConfiguredAirbyteStream,
    private readonly path: ObjectPath,
    private readonly factory: RecordObjectFactory,
    private readonly fileSize: number,
    taken: Set<string>,
  ) {
    this.#taken = taken;
  }

  static async open(s3: S3Client, bucket: string, stream: ConfiguredAirbyteStream, path: ObjectPath, factory: RecordObjectFactory, fileSize: number): Promise<StreamObjects> {
    return new StreamObjects(s3, bucket, stream, path, factory, fileSize, new Set(await listKeys(s3, bucket, path.directory)));
  }

  async write(m: InputMessage): Promise<void> {
    const o = this.#current ?? await this.#next();
    const w = o.write(m);
    if (w) await w;
    if (o.bytes >= this.fileSize) await this.#rotate();
  }

  /** A run of RECORD lines (JSON lines objects); the object rotates after the run that fills it. */
  async writeRun(run: RecordRun): Promise<void> {
    const o = this.#current ?? await this.#next();
    const w = o.writeRun!(run);
    if (w) await w;
    if (o.bytes >= this.fileSize) await this.#rotate();
  }

  /**
   * A full object completes in the background while records go to the next one: waiting for its last
   * parts and CompleteMultipartUpload stalled the input at every rotation. One at a time (its parts
   * stay in memory until uploaded); `complete` waits for it, so a commit still covers every record.
   */
  async #rotate(): Promise<void> {
    await this.#finishing?.done;
    const o = this.#current!;
    this.#current = undefined;
    const done = o.finish().then(() => { this.written.push(o.key); });
    done.catch(() => {}); // surfaced by the next rotation or by complete()
    this.#finishing = { object: o, done };
  }

  async #next(): Promise<RecordObject> {
    let key = this.path.key(this.#part++);
    while (this.#taken.has(key)) key = this.path.key(this.#part++);
    this.#taken.add(key);
    this.#current = await this.factory(key);
    return this.#current;
  }

  /** Completes the current object (S3 has it whole) so every record written so far is durable. */
  async complete(): Promise<void> {
    const f = this.#finishing;
    this.#finishing = undefined;
    const o = this.#current;
    this.#current = undefined;
    // the rotated object's key goes first (its own `done` adds it), then the current one's
    await Promise.all([f?.done, o?.finish()]);
    if (o) this.written.push(o.key);
  }

  async abort(): Promise<void> {
    const objects = [this.#finishing?.object, this.#current];
    this.#finishing = undefined;
    this.#current = undefined;
    await Promise.all(objects.map((o) => o?.abort()));
  }

  /**
   * Overwrite: after this sync's objects are all complete, removes the stream's objects from earlier
   * syncs (keys matching the stream's path pattern that this sync did not write).
   */
  async removeOlderObjects(): Promise<number> {
    const { prefix, pattern } = this.path.matcher();
    const mine = new Set(this.written);
    const old = (await listKeys(this.s3, this.bucket, prefix)).filter((k) => pattern.test(k) && !mine.has(k));
    await this.#delete(old);
    return old.length;
  }

  /**
   * Overwrite whose source did not finish: removes the objects this sync wrote, so the stream's
   * path holds the previous sync's objects only (not a mix of old and partial new ones).
   */
  async removeObjectsOfThisSync(): Promise<number> {
    const mine = this.written.splice(0);
    await this.#delete(mine);
    return mine.length;
  }

  async #delete(keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 1000) {
      try {
        await this.s3.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true } }));
      } catch (e) {
        throw s3Error(e, 'DeleteObjects', { bucket: this.bucket });
      }
    }
  }
}

async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of listObjects(s3, bucket, prefix)) keys.push(o.Key!);
  return keys;
}
