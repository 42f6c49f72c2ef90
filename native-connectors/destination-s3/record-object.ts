import type { InputMessage, RecordRun } from '../sdk/index.js';

/** One object being written: records in, a complete S3 object at `finish`. */
export interface RecordObject {
  readonly key: string;
  /** Bytes written so far (before compression), for rotation by size. */
  readonly bytes: number;
  write(m: InputMessage): Promise<void> | undefined;
  /** Writes a run of RECORD lines, for objects whose format takes runs (JSON lines). */
  writeRun?(run: RecordRun): Promise<void> | undefined;
  /** Resolves once the object is complete in the bucket. */
  finish(): Promise<void>;
  /** Stops and removes any incomplete upload. */
  abort(): Promise<void>;
}

export type RecordObjectFactory = (key: string) => Promise<RecordObject>;
