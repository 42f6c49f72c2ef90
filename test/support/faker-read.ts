import type { AirbyteMessage, AirbyteStateMessage, ConfiguredAirbyteCatalog } from '../../protocol/index.js';
import type { Connector } from '../../runtime/connector.js';

/** Every message of one read through a Connector (any backend), and its summary. */
export async function readAll(c: Connector, cfg: object, catalog: ConfiguredAirbyteCatalog, state?: AirbyteStateMessage[]) {
  const run = c.read(cfg, catalog, state);
  const messages: AirbyteMessage[] = [];
  for await (const m of run.messages()) messages.push(m);
  return { messages, summary: await run.done() };
}

export const records = (ms: AirbyteMessage[]) => ms.filter((m) => m.type === 'RECORD').map((m) => m.record!);
export const states = (ms: AirbyteMessage[]) => ms.filter((m) => m.type === 'STATE').map((m) => m.state!);

/** Faker stamps `updated_at` with the wall clock; everything else is determined by the seed. */
export const stableFakerData = (data: Record<string, unknown>) => { const { updated_at: _u, ...rest } = data; return rest; };
