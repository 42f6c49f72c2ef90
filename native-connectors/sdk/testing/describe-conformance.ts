import { describe, it } from 'vitest';
import type { ConnectorTarget } from './connector-target.js';
import { destinationConformanceChecks, type DestinationConformanceOptions } from './destination-conformance.js';
import { sourceConformanceChecks, type SourceConformanceOptions } from './source-conformance.js';

/**
 * One vitest `it` per conformance check.
 * @example
 * describeSourceConformance('my source', { kind: 'definition', definition: mySource }, { config: { count: 10 } });
 * describeSourceConformance('my image', { kind: 'command', argv: ['docker', 'run', '--rm', '-i', 'me/source:1'] }, { config });
 */
export function describeSourceConformance(name: string, target: ConnectorTarget, o: SourceConformanceOptions): void {
  describe(`source conformance: ${name}`, () => {
    for (const c of sourceConformanceChecks(target, o)) it(c.name, () => c.run());
  });
}

export function describeDestinationConformance(name: string, target: ConnectorTarget, o: DestinationConformanceOptions): void {
  describe(`destination conformance: ${name}`, () => {
    for (const c of destinationConformanceChecks(target, o)) it(c.name, () => c.run());
  });
}
