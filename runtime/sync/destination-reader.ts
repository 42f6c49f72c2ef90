import type { MessageLine } from '../../protocol/index.js';
import type { LineConsumer } from '../launcher/output-reader.js';
import type { NamespaceMapper } from './namespace-mapper.js';
import type { StateTracker } from './state-tracker.js';

/**
 * What the sync does with the destination's output (LOG, noise and TRACE errors are handled by the
 * run itself): every STATE it echoes acknowledges the states up to it, mapped back to the source's
 * stream names.
 */
export class DestinationReader implements LineConsumer {
  readonly #tracker: StateTracker;
  readonly #mapper: NamespaceMapper;

  constructor(tracker: StateTracker, mapper: NamespaceMapper) {
    this.#tracker = tracker;
    this.#mapper = mapper;
  }

  onLine(line: MessageLine): void {
    if (line.type !== 'STATE') return;
    const state = line.message.state;
    if (state) this.#tracker.ack(state, (d) => this.#mapper.unmap(d));
  }
}
