import { randomUUID } from 'node:crypto';

/** The official defaults (bulk load CDK, destination-s3 1.x). */
export const DEFAULT_PATH_FORMAT = '${NAMESPACE}/${STREAM_NAME}/${YEAR}_${MONTH}_${DAY}_${EPOCH}_';
export const DEFAULT_FILE_FORMAT = '{part_number}{format_extension}';

/** Namespace and stream names as the official connector puts them in keys (unsafe characters become `_`). */
export function s3SafeName(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^A-Za-z0-9!\-_.*'()/]/g, '_');
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export interface PathContext {
  prefix: string;
  namespace: string | undefined;
  stream: string;
  /** The sync's start: every object of a sync shares the time variables of the path. */
  syncTime: Date;
  syncId: number | undefined;
  extension: string;
}

/**
 * Object keys the way destination-s3 1.x makes them: `s3_bucket_path` joined with `s3_path_format`
 * (duplicate slashes collapsed), then the file name pattern appended as is (the official connector
 * concatenates, it does not add a slash). Path variables: NAMESPACE, STREAM_NAME, YEAR, MONTH, DAY,
 * HOUR, MINUTE, SECOND (two digits), MILLISECOND (four), EPOCH (ms), UUID; file name variables:
 * {date} (yyyy_MM_dd), {date:yyyy_MM}, {timestamp} (ms, wall clock), {part_number}, {sync_id},
 * {format_extension}.
 */
export class ObjectPath {
  readonly directory: string;
  readonly #filePattern: string;
  readonly #pathFormat: string;
  readonly #ctx: PathContext;

  constructor(ctx: PathContext, pathFormat?: string, filePattern?: string) {
    this.#ctx = ctx;
    this.#filePattern = filePattern?.trim() ? filePattern : DEFAULT_FILE_FORMAT;
    const t = ctx.syncTime;
    const vars: Record<string, () => string> = {
      NAMESPACE: () => s3SafeName(ctx.namespace ?? ''),
      STREAM_NAME: () => s3SafeName(ctx.stream),
      YEAR: () => String(t.getUTCFullYear()),
      MONTH: () => pad(t.getUTCMonth() + 1),
      DAY: () => pad(t.getUTCDate()),
      HOUR: () => pad(t.getUTCHours()),
      MINUTE: () => pad(t.getUTCMinutes()),
      SECOND: () => pad(t.getUTCSeconds()),
      MILLISECOND: () => pad(t.getUTCMilliseconds(), 4),
      EPOCH: () => String(t.getTime()),
      UUID: () => randomUUID(),
    };
    this.#pathFormat = pathFormat?.trim() ? pathFormat : DEFAULT_PATH_FORMAT;
    const path = this.#pathFormat.replace(/\$\{(\w+)\}/g, (m, v: string) => vars[v]?.() ?? m);
    this.directory = joinKey(ctx.prefix, path);
  }

  /**
   * Where this stream's objects of any sync live: the longest prefix that does not depend on the
   * sync (for listing), and a pattern their keys match (overwrite deletes the old ones it finds).
   */
  matcher(): { prefix: string; pattern: RegExp } {
    const c = this.#ctx;
    const esc = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const pathVar: Record<string, string> = {
      NAMESPACE: esc(s3SafeName(c.namespace ?? '')), STREAM_NAME: esc(s3SafeName(c.stream)), YEAR: '\\d{4}', MONTH: '\\d{2}', DAY: '\\d{2}',
      HOUR: '\\d{2}', MINUTE: '\\d{2}', SECOND: '\\d{2}', MILLISECOND: '\\d{4}', EPOCH: '\\d+', UUID: '[a-fA-F0-9-]{36}',
    };
    const fileVar: Record<string, string> = { date: '\\d{4}_\\d{2}_\\d{2}', 'date:yyyy_MM': '\\d{4}_\\d{2}', timestamp: '\\d+', part_number: '\\d+', sync_id: '\\d+', format_extension: esc(`.${c.extension}`) };
    const literalPath = this.#pathFormat.replace(/\$\{(NAMESPACE|STREAM_NAME)\}/g, (_m, v: string) => (v === 'NAMESPACE' ? s3SafeName(c.namespace ?? '') : s3SafeName(c.stream)));
    const constant = joinKey(c.prefix, literalPath);
    const prefix = constant.includes('$') ? constant.slice(0, constant.indexOf('$')) : constant;
    const pathRe = constant.split(/(\$\{\w+\})/).map((part) => { const m = /^\$\{(\w+)\}$/.exec(part); return m ? (pathVar[m[1]!] ?? esc(part)) : esc(part); }).join('');
    const fileRe = this.#filePattern.split(/(\{[\w:]+\})/).map((part) => { const m = /^\{([\w:]+)\}$/.exec(part); return m ? (fileVar[m[1]!] ?? esc(part)) : esc(part); }).join('');
    return { prefix, pattern: new RegExp(`^${pathRe}${fileRe}$`) };
  }

  /** The key of the object with this part number. */
  key(partNumber: number): string {
    const c = this.#ctx;
    const date = `${c.syncTime.getUTCFullYear()}_${pad(c.syncTime.getUTCMonth() + 1)}_${pad(c.syncTime.getUTCDate())}`;
    const name = this.#filePattern
      .replaceAll('{date:yyyy_MM}', date.slice(0, 7))
      .replaceAll('{date}', date)
      .replaceAll('{timestamp}', String(Date.now()))
      .replaceAll('{part_number}', String(partNumber))
      .replaceAll('{sync_id}', String(c.syncId ?? 0))
      .replaceAll('{format_extension}', `.${c.extension}`);
    return `${this.directory}${name}`;
  }
}

/** Like Java's Paths.get(prefix, path): one slash between, duplicates collapsed; a terminal slash kept. */
function joinKey(prefix: string, path: string): string {
  const joined = `${prefix}/${path}`.replace(/\/{2,}/g, '/').replace(/^\//, '');
  return path.endsWith('/') ? joined : joined.replace(/\/$/, '');
}
