import type { PrecompiledValidator, AirbyteMessage, ConfiguredAirbyteCatalog, ConnectorSpecification, RecordEnvelope } from '../../protocol/index.js';
import type { ConnectorContext } from './define-source.js';
import type { Emitter } from './emitter.js';

/**
 * One input message, with the exact bytes it arrived as (echo STATE by writing `raw` back).
 * RECORD lines are valid UTF-8 (see repairInvalidUtf8) and come with `record`, where `data` and
 * friends sit in `raw`: a destination can copy `data` without parsing it. `message` is parsed on
 * first access (and then costs a JSON.parse of the line).
 */
export interface InputMessage {
  readonly message: AirbyteMessage;
  readonly raw: Buffer;
  readonly record?: RecordEnvelope;
}

/**
 * Adjacent RECORD lines of one stream exactly as they arrived, each ending in `\n` (no `\r`): `count`
 * lines in `bytes`, each one a RECORD that the per-line input would have passed on unchanged (valid
 * UTF-8, checked envelope). `bytes` and `fields` are views of the reader's buffers, which the next
 * read chunk overwrites: copy what you keep after the call.
 * See DestinationInput.runs and BarrierSink.writeRun.
 */
export interface RecordRun {
  readonly stream: string;
  readonly namespace: string | undefined;
  readonly bytes: Buffer;
  readonly count: number;
  /**
   * Where each line's fields are, found while the lines were checked (so a sink need not scan them
   * again): RUN_FIELDS numbers per line, offsets into `bytes`, -1 for an absent field. See RunField.
   * DestinationInput.runs always sets it.
   */
  readonly fields?: Int32Array;
}

/** The numbers of one line in RecordRun.fields: its start, then each field's value as [start, end). */
export const RunField = { LINE: 0, DATA_START: 1, DATA_END: 2, EMITTED_AT_START: 3, EMITTED_AT_END: 4, META_START: 5, META_END: 6 } as const;
export const RUN_FIELDS = 7;

export interface DestinationDefinition<C = Record<string, unknown>> {
  kind: 'destination';
  spec: ConnectorSpecification;
  /**
   * `spec.connectionSpecification` compiled ahead of time (scripts/gen-config-validators.ts makes it);
   * without one, the config is validated by compiling the spec at start.
   */
  configValidator?: PrecompiledValidator;
  check(config: C, ctx: ConnectorContext): Promise<void>;
  /**
   * Consumes the messages a source produced. Echo each STATE (emit.raw(raw + '\n')) only once the
   * records before it are durable: the runtime commits a state when it sees the echo. Use
   * writeWithBarrier, which does exactly that.
   */
  write(config: C, catalog: ConfiguredAirbyteCatalog, input: AsyncIterable<InputMessage>, ctx: ConnectorContext & { emit: Emitter }): Promise<void>;
}

export function defineDestination<C = Record<string, unknown>>(d: Omit<DestinationDefinition<C>, 'kind'>): DestinationDefinition<C> {
  return { kind: 'destination', ...d };
}
