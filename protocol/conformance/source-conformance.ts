import { configureCatalog } from '../catalog/configure-catalog.js';
import type { AirbyteCatalog, AirbyteStream, ConfiguredAirbyteCatalog } from '../generated/types.js';
import { createAjv } from '../validate/create-ajv.js';
import { validateCatalog } from '../validate/validate-message.js';
import type { CommandRunner } from './command-runner.js';
import { checkSucceedsCheck, configErrorCheck, fail, ofType, specCheck, type ConformanceCheck } from './conformance-check.js';


export interface SourceConformanceOptions {
  /** A config that works (keep it small: the kit reads every stream twice). */
  config: Record<string, unknown>;
  /** A config that must be rejected; by default one property of `config` gets the wrong type. */
  invalidConfig?: Record<string, unknown>;
}

/**
 * The source checks, as plain async functions (run them from any test runner; see
 * describeSourceConformance for vitest). Works on a definition in-process or on any command.
 */
export function sourceConformanceChecks(run: CommandRunner, o: SourceConformanceOptions): ConformanceCheck[] {
  let catalog: AirbyteCatalog | undefined;
  const discover = async (): Promise<AirbyteCatalog> => {
    if (catalog) return catalog;
    const r = await run('discover', { config: o.config });
    const c = ofType(r, 'CATALOG')[0]?.catalog;
    if (r.exitCode !== 0 || !c) fail('`discover` must exit 0 and print a CATALOG', r);
    return (catalog = c);
  };
  return [
    specCheck(run),
    checkSucceedsCheck(run, o.config),
    configErrorCheck(run, o.config, o.invalidConfig, 'discover'),
    {
      name: '`discover` returns a valid catalog with object schemas',
      async run() {
        const c = await discover();
        const issues = validateCatalog(c);
        if (issues.length > 0) fail(`CATALOG breaks the protocol schema: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`);
        if (c.streams.length === 0) fail('`discover` returned no streams');
        // Same Ajv setup as the runtime (formats known), but here the schemas themselves are checked.
        const ajv = createAjv({ validateSchema: true });
        for (const s of c.streams) {
          const js = s.json_schema as { type?: unknown; properties?: unknown };
          if (js.type !== 'object' && !(Array.isArray(js.type) && js.type.includes('object'))) fail(`stream ${s.name}: json_schema must have type object`);
          if (typeof js.properties !== 'object') fail(`stream ${s.name}: json_schema must have top-level properties`);
          try { ajv.compile(stripMeta(s.json_schema)); } catch (e) { fail(`stream ${s.name}: json_schema does not compile: ${(e as Error).message}`); }
        }
      },
    },
    {
      name: '`read` emits only configured streams, and records match their schema',
      async run() {
        const c = await discover();
        const chosen = c.streams.length > 1 ? [c.streams[0]!.name] : c.streams.map((s) => s.name);
        const r = await run('read', { config: o.config, catalog: configureCatalog(c, { streams: chosen }) });
        if (r.exitCode !== 0) fail('`read` must exit 0', r);
        const validators = schemaValidators(c.streams);
        const records = ofType(r, 'RECORD');
        for (const m of records) {
          if (!chosen.includes(m.record.stream)) fail(`record for unconfigured stream ${m.record.stream}`);
          const v = validators.get(m.record.stream)!;
          if (!v(m.record.data)) fail(`stream ${m.record.stream}: a record breaks its json_schema: ${v.errors?.map((e) => `${e.instancePath} ${e.message}`).join('; ')}`);
        }
        for (const m of ofType(r, 'STATE')) {
          const name = m.state.stream?.stream_descriptor.name;
          if (name !== undefined && !chosen.includes(name)) fail(`STATE for unconfigured stream ${name}`);
        }
      },
    },
    {
      name: 'an incremental read from the emitted state returns no duplicates',
      async run() {
        const c = await discover();
        const configured = configureCatalog(c);
        const first = await run('read', { config: o.config, catalog: configured });
        if (first.exitCode !== 0) fail('`read` must exit 0', first);
        const states = ofType(first, 'STATE').map((m) => m.state);
        if (configured.streams.some((s) => s.sync_mode === 'incremental') && states.length === 0) fail('an incremental read must emit STATE');
        const last = new Map<string, (typeof states)[number]>();
        for (const s of states) last.set(s.type === 'STREAM' ? `stream:${s.stream?.stream_descriptor.namespace ?? ''}:${s.stream?.stream_descriptor.name}` : String(s.type), s);
        const seen = new Set(ofType(first, 'RECORD').map((m) => identity(configured, m.record.stream, m.record.data)));
        const second = await run('read', { config: o.config, catalog: configured, state: [...last.values()] });
        if (second.exitCode !== 0) fail('`read --state` must exit 0', second);
        for (const m of ofType(second, 'RECORD')) {
          const stream = configured.streams.find((s) => s.stream.name === m.record.stream);
          if (stream?.sync_mode !== 'incremental') continue;
          const id = identity(configured, m.record.stream, m.record.data);
          if (seen.has(id)) fail(`stream ${m.record.stream}: the record ${id} was emitted again after its state`);
        }
      },
    },
  ];
}

/** primary key + cursor value: the same pair twice across an incremental boundary is a duplicate. */
function identity(c: ConfiguredAirbyteCatalog, stream: string, data: Record<string, unknown>): string {
  const s = c.streams.find((x) => x.stream.name === stream);
  const pk = (s?.primary_key ?? []).map((p) => pick(data, p));
  const cursor = s?.cursor_field ? pick(data, s.cursor_field) : undefined;
  return `${stream}:${JSON.stringify(pk.length > 0 ? pk : data)}@${JSON.stringify(cursor)}`;
}

function pick(data: unknown, path: readonly string[]): unknown {
  let v = data;
  for (const k of path) v = (v as Record<string, unknown> | undefined)?.[k];
  return v;
}

function stripMeta(schema: unknown): object {
  const { $schema: _s, $id: _i, ...rest } = schema as Record<string, unknown>;
  return rest;
}

function schemaValidators(streams: readonly AirbyteStream[]) {
  const ajv = createAjv();
  ajv.addKeyword('airbyte_type');
  ajv.addKeyword('airbyte_secret');
  return new Map(streams.map((s) => [s.name, ajv.compile(stripMeta(s.json_schema))]));
}
