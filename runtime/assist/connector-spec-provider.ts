import type { ConnectorSpecification } from '../../protocol/index.js';
import type { Runtime } from '../create-runtime.js';
import { bundledSpec } from './bundled-specs.js';
import type { SpecOrigin, SpecProvider } from './draft-from-text.js';

export interface SpecProviderOptions {
  runtime: Runtime;
  /** Technical names that have a native connector (`source-faker` → `native:source-faker`). */
  natives: ReadonlyMap<string, string>;
  /** Never pull or run an image for its spec. */
  offline?: boolean;
  signal?: AbortSignal;
  /** Notices such as "asked the image for its spec". */
  onNotice?: (line: string) => void;
}

/**
 * Specs in the order that keeps drafting fast and offline: the native connector's own spec (a
 * local process), else the official spec shipped with airdock (plus airdock's extras), else the
 * connector's image through the Connector facade (pulled if missing), unless offline.
 */
export function connectorSpecProvider(o: SpecProviderOptions): SpecProvider {
  const cache = new Map<string, Promise<{ spec: ConnectorSpecification; origin: SpecOrigin } | undefined>>();
  const get = async (name: string): Promise<{ spec: ConnectorSpecification; origin: SpecOrigin } | undefined> => {
    const native = o.natives.get(name);
    if (native) {
      const connector = await o.runtime.connector(`native:${native}`);
      return { spec: await connector.spec(o.signal ? { signal: o.signal } : {}), origin: 'native' };
    }
    const bundled = bundledSpec(name);
    if (bundled) return { spec: bundled, origin: 'bundled' };
    if (o.offline) return undefined;
    o.onNotice?.(`No spec of ${name} ships with airdock: asking its image`);
    const connector = await o.runtime.connector(name, { prefer: 'image' });
    return { spec: await connector.spec(o.signal ? { signal: o.signal } : {}), origin: 'image' };
  };
  return (name) => {
    let p = cache.get(name);
    if (!p) cache.set(name, (p = get(name)));
    return p;
  };
}
