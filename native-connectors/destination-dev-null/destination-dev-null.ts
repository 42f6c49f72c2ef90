import { setTimeout as sleep } from 'node:timers/promises';
import { defineDestination } from '../sdk/index.js';
import { spec } from './spec.js';

interface DevNullConfig {
  test_destination: { test_destination_type: 'LOGGING' | 'SILENT' | 'THROTTLED' | 'FAILING'; millis_per_record?: number; num_messages?: number };
}

/** Drop-in for Airbyte's destination-dev-null: counts records, acknowledges every STATE. */
export const destinationDevNull = defineDestination<DevNullConfig>({
  spec,
  async check() {},
  async write(config, _catalog, input, { emit }) {
    const mode = config.test_destination.test_destination_type;
    let records = 0;
    let messages = 0;
    for await (const { message, raw } of input) {
      messages++;
      if (mode === 'FAILING' && messages > (config.test_destination.num_messages ?? 0)) {
        throw new Error('Failing on purpose after the configured number of messages (FAILING mode)');
      }
      if (message.type === 'RECORD') {
        records++;
        if (mode === 'THROTTLED') await sleep(config.test_destination.millis_per_record ?? 0);
      } else if (message.type === 'STATE') {
        // Echo byte-identical so unknown keys (the runtime's state id) survive.
        const wait = emit.raw(`${raw.toString('utf8')}\n`);
        if (wait) await wait;
      }
    }
    await emit.log('INFO', `Discarded ${records} records`);
  },
});
