import type { ConnectorSpecification } from '../../protocol/index.js';
import { readAssistData } from './assist-data.js';
import type { SpecNode } from './spec-node.js';

interface RegistryDoc { sources: Array<{ dockerRepository: string; spec: ConnectorSpecification }>; destinations: Array<{ dockerRepository: string; spec: ConnectorSpecification }> }
interface Extras { connectors: Record<string, Record<string, SpecNode>> }

let official: Map<string, ConnectorSpecification> | undefined;
let extras: Extras | undefined;

/** The official spec shipped with airdock for a technical name (`source-postgres`), if any. */
export function officialSpec(technicalName: string): ConnectorSpecification | undefined {
  if (!official) {
    const doc = readAssistData<RegistryDoc>('connector-specs.json');
    official = new Map([...doc.sources, ...doc.destinations].map((e) => [e.dockerRepository.replace(/^airbyte\//, ''), e.spec]));
  }
  return official.get(technicalName);
}


/** The options airdock's native connector adds for this name (empty when it adds none). */
export function airdockExtras(technicalName: string): Record<string, SpecNode> {
  extras ??= readAssistData<Extras>('airdock-extras.json');
  return extras.connectors[technicalName] ?? {};
}

/**
 * The official spec with airdock's extras added (never replacing an official property), as the
 * native connector will accept it. A copy: callers may keep it.
 */
export function bundledSpec(technicalName: string): ConnectorSpecification | undefined {
  const spec = officialSpec(technicalName);
  if (!spec) return undefined;
  const copy = structuredClone(spec);
  const cs = copy.connectionSpecification as SpecNode;
  cs.properties ??= {};
  for (const [k, v] of Object.entries(airdockExtras(technicalName))) if (!(k in cs.properties)) cs.properties[k] = structuredClone(v);
  return copy;
}
