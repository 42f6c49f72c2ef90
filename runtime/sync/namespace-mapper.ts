import { streamKey, type RecordEnvelope, type StreamDescriptor } from '../../protocol/index.js';

export type NamespaceDefinition = 'source' | 'destination' | 'custom';

export interface NamespaceSettings {
  definition: NamespaceDefinition;
  /** For `custom`: `${SOURCE_NAMESPACE}` is replaced by the source namespace (platform Mapper). */
  format?: string;
  prefix?: string;
}

/**
 * The platform's namespace/prefix mapping (airbyte-commons-worker Mapper): applied to RECORDs, STREAM
 * state descriptors and the destination catalog, reversed on state echoes. GLOBAL descriptors are
 * not mapped, as on the platform. Records are rewritten by splicing the stream/namespace values into
 * the original bytes, so `data` is never parsed or re-serialised.
 */
export class NamespaceMapper {
  readonly identity: boolean;
  readonly #settings: NamespaceSettings;
  readonly #reverse = new Map<string, StreamDescriptor>();
  #lastKey = '';
  #lastStream: Buffer = Buffer.alloc(0);
  #lastNamespace: Buffer | null = null;

  constructor(settings: NamespaceSettings = { definition: 'source' }) {
    this.#settings = settings;
    this.identity = settings.definition === 'source' && !settings.prefix;
  }

  map(d: StreamDescriptor): StreamDescriptor {
    if (this.identity) return d;
    const name = `${this.#settings.prefix ?? ''}${d.name}`;
    const namespace = this.#namespace(d.namespace);
    const out: StreamDescriptor = namespace === undefined ? { name } : { name, namespace };
    this.#reverse.set(streamKey(out), d);
    return out;
  }

  /** The source descriptor of a mapped one (what the destination echoes). */
  unmap(d: StreamDescriptor): StreamDescriptor {
    if (this.identity) return d;
    return this.#reverse.get(streamKey(d)) ?? d;
  }

  #namespace(ns: string | undefined): string | undefined {
    switch (this.#settings.definition) {
      case 'source': return ns;
      case 'destination': return undefined;
      case 'custom': {
        const format = this.#settings.format ?? '';
        const out = format.replaceAll('${SOURCE_NAMESPACE}', ns ?? '');
        return out === '' ? undefined : out;
      }
    }
  }

  /** A RECORD line with its stream and namespace mapped; `raw` itself when nothing changes. */
  mapRecord(raw: Buffer, env: RecordEnvelope): Buffer {
    if (this.identity) return raw;
    const key = env.namespace === undefined ? env.stream : `${env.namespace}\u0000${env.stream}`;
    if (key !== this.#lastKey) {
      const mapped = this.map(env.namespace === undefined ? { name: env.stream } : { name: env.stream, namespace: env.namespace });
      this.#lastKey = key;
      this.#lastStream = Buffer.from(JSON.stringify(mapped.name));
      this.#lastNamespace = mapped.namespace === undefined ? null : Buffer.from(JSON.stringify(mapped.namespace));
    }
    const edits: [number, number, Buffer][] = [[env.streamRange[0], env.streamRange[1], this.#lastStream]];
    if (env.namespaceRange) {
      edits.push([env.namespaceRange[0], env.namespaceRange[1], this.#lastNamespace ?? NULL]);
    } else if (this.#lastNamespace) {
      const at = env.recordRange[0] + 1;
      edits.push([at, at, Buffer.concat([NS_KEY, this.#lastNamespace, raw[skipWs(raw, at)] === 0x7d ? EMPTY : COMMA])]);
    }
    edits.sort((a, b) => a[0] - b[0]);
    const parts: Buffer[] = [];
    let pos = 0;
    for (const [s, e, b] of edits) {
      parts.push(raw.subarray(pos, s), b);
      pos = e;
    }
    parts.push(raw.subarray(pos));
    return Buffer.concat(parts);
  }
}

const NULL = Buffer.from('null');
const NS_KEY = Buffer.from('"namespace":');
const COMMA = Buffer.from(',');
const EMPTY = Buffer.alloc(0);

function skipWs(b: Buffer, i: number): number {
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0a || b[i] === 0x0d)) i++;
  return i;
}
