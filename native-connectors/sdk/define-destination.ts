import type { AirbyteMessage, ConfiguredAirbyteCatalog, ConnectorSpecification } from '../../protocol/index.js';
import type { ConnectorContext } from './define-source.js';
import type { Emitter } from './emitter.js';

/** One input message, with the exact bytes it arrived as (echo STATE by writing `raw` back). */
export interface InputMessage {
  message: AirbyteMessage;
  raw: Buffer;
}

export interface DestinationDefinition<C = Record<string, unknown>> {
  kind: 'destination';
  spec: ConnectorSpecification;
  check(config: C, ctx: ConnectorContext): Promise<void>;
  /**
   * Consumes the messages a source produced. Echo each STATE (emit.raw(raw + '\n')) only once the
   * records before it are durable: the runtime commits a state when it sees the echo.
   */
  write(config: C, catalog: ConfiguredAirbyteCatalog, input: AsyncIterable<InputMessage>, ctx: ConnectorContext & { emit: Emitter }): Promise<void>;
}

export function defineDestination<C = Record<string, unknown>>(d: Omit<DestinationDefinition<C>, 'kind'>): DestinationDefinition<C> {
  return { kind: 'destination', ...d };
}
