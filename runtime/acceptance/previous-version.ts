import type { AirbyteCatalog, ConnectorSpecification } from '../../protocol/index.js';
import type { Connector } from '../connector.js';
import type { AcceptanceConfig } from './acceptance-config.js';
import type { PlanContext } from './acceptance-plan.js';
import type { AcceptanceOptions } from './run-acceptance.js';

/**
 * The previous version for the backward compatibility tests: `--previous <ref>`, or for an image
 * `<repo>:<previous_connector_version>` when the file names a version and that image is here (no pull,
 * as CAT skips when it cannot get it). Its spec and catalog are fetched once, failures meaning "none".
 */
export async function previousVersion(o: AcceptanceOptions, ref: string, current: Connector, config: AcceptanceConfig): Promise<PlanContext['previous'] | undefined> {
  const wanted = o.previousRef ?? fromFile(current, config);
  if (!wanted || wanted === ref) return undefined;
  let prev: Connector;
  try {
    prev = await o.runtime.connector(wanted, { validate: false, ...(o.previousRef ? {} : { pull: 'never' as const }), ...(o.log ? { log: o.log } : {}) });
  } catch {
    return undefined;
  }
  let spec: Promise<ConnectorSpecification | undefined> | undefined;
  return {
    spec: () => (spec ??= prev.spec().catch(() => undefined)),
    catalog: async (cfg) => {
      const run = prev.invoke('discover', { config: cfg });
      try {
        for await (const m of run.messages()) if (m.type === 'CATALOG') { await run.cancel(); return m.catalog as AirbyteCatalog; }
      } catch { /* the previous version may not take today's config: no comparison, as in CAT */ }
      return undefined;
    },
  };
}

function fromFile(current: Connector, config: AcceptanceConfig): string | undefined {
  if (current.target.kind !== 'image') return undefined;
  for (const suite of ['spec', 'discovery'] as const) {
    for (const e of config.suites.get(suite)?.tests ?? []) {
      const b = e.backward_compatibility_tests_config as { previous_connector_version?: string; disable_for_version?: string } | undefined;
      const v = b?.previous_connector_version;
      if (v && v !== 'latest' && v !== b?.disable_for_version) return `${current.target.image.replace(/:[^:/]+$/, '')}:${v}`;
    }
  }
  return undefined;
}
