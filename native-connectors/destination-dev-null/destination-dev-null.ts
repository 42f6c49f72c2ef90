import { setTimeout as sleep } from 'node:timers/promises';
import { defineDestination, writeWithBarrier, type InputMessage } from '../sdk/index.js';
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
    const failAfter = mode === 'FAILING' ? config.test_destination.num_messages ?? 0 : Infinity;
    async function* counted(): AsyncGenerator<InputMessage> {
      let messages = 0;
      for await (const m of input) {
        if (++messages > failAfter) throw new Error('Failing on purpose after the configured number of messages (FAILING mode)');
        yield m;
      }
    }
    const throttle = mode === 'THROTTLED' ? config.test_destination.millis_per_record ?? 0 : 0;
    // Nothing is stored, so every STATE is acknowledged at once (maxDelayMs 0), byte for byte.
    const { records } = await writeWithBarrier(counted(), emit, {
      write: () => (throttle > 0 ? sleep(throttle) : undefined),
      commit: async () => {},
    }, { maxDelayMs: 0 });
    await emit.log('INFO', `Discarded ${records} records`);
  },
});
