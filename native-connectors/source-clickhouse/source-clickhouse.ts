import type { AirbyteStream, ConfiguredAirbyteStream } from '../../protocol/index.js';
import { ConfigValidationError } from '../../protocol/index.js';
import { chRows, openClickHouse, type OpenedClickHouse } from '../sdk/clickhouse/open-clickhouse.js';
import { quoteIdent } from '../sdk/clickhouse/quote-ident.js';
import { toServiceError } from '../sdk/clickhouse/to-service-error.js';
import { defineSource, type Emitter, type StateView } from '../sdk/index.js';
import { columnJsonSchema } from './column-json-schema.js';
import { spec } from './spec.js';

interface SourceConfig {
  host: string;
  port: number;
  database: string;
  username: string;
  password?: string;
  jdbc_url_params?: string;
  ssl?: boolean;
  tunnel_method?: { tunnel_method?: string };
}

/** The state a cursor stream saves: the last cursor value (as ClickHouse prints it) and its column. */
interface CursorState { cursor_field: string[]; cursor?: string; stream_name: string; stream_namespace: string }

interface Column { table: string; name: string; type: string; is_in_primary_key: number }

/** A cursor stream checkpoints every this many records, at the next change of cursor value. */
const CHECKPOINT_RECORDS = 10_000;
const CURSOR_KEY = '__airdock_cursor';
// How the source prints values: ISO timestamps with a zone, and 64-bit integers as JSON numbers (servers
// before 25.8 quote them by default).
const OUTPUT_SETTINGS = { date_time_output_format: 'iso', output_format_json_quote_64bit_integers: 0, output_format_json_quote_denormals: 0 } as const;

function open(config: SourceConfig): OpenedClickHouse {
  return openClickHouse({ ...config, protocol: config.ssl === false ? 'http' : 'https' }, { application: 'airdock-source-clickhouse' });
}


/**
 * Drop-in for airbyte/source-clickhouse: the same config; one stream per table of the configured
 * database (namespace = database, primary key = the sorting key); full refresh, or incremental on a
 * cursor column chosen in the catalog. Rows are streamed from the server and passed on as the server
 * printed them (no parse and re-encode, so big integers stay exact).
 */
export const sourceClickhouse = defineSource<SourceConfig>({
  spec,
  async check(config, { signal }) {
    await using ch = open(config);
    const found = await chRows(ch, 'SELECT 1 FROM system.databases WHERE name = {db:String}', { password: config.password, doing: 'check', params: { db: config.database }, signal });
    if (found.length === 0) throw new ConfigValidationError([{ path: '/database', message: 'no such database on the server' }]);
  },
  async discover(config, { signal }) {
    await using ch = open(config);
    const cols = await chRows<Column>(ch, 'SELECT table, name, type, is_in_primary_key FROM system.columns WHERE database = {db:String} ORDER BY table, position',
      { password: config.password, doing: 'discover', params: { db: config.database }, signal });
    const byTable = new Map<string, Column[]>();
    for (const c of cols) byTable.set(c.table, [...(byTable.get(c.table) ?? []), c]);
    const streams: AirbyteStream[] = [...byTable].map(([table, columns]) => {
      const pk = columns.filter((c) => Number(c.is_in_primary_key) === 1).map((c) => [c.name]);
      return {
        name: table,
        namespace: config.database,
        json_schema: { type: 'object', properties: Object.fromEntries(columns.map((c) => [c.name, columnJsonSchema(c.type)])) },
        supported_sync_modes: ['full_refresh', 'incremental'],
        source_defined_cursor: false,
        ...(pk.length > 0 ? { source_defined_primary_key: pk } : {}),
      };
    });
    return { streams };
  },
  async read(config, catalog, state, { emit, signal }) {
    if (config.jdbc_url_params) await emit.log('WARN', 'jdbc_url_params is ignored by native:source-clickhouse (it talks HTTP, not JDBC)');
    await using ch = open(config);
    for (const s of catalog.streams) {
      signal.throwIfAborted();
      const ns = s.stream.namespace ?? config.database;
      await emit.streamStatus(s.stream.name, 'STARTED', ns);
      await readStream(ch, config, s, ns, state, emit, signal);
      await emit.streamStatus(s.stream.name, 'COMPLETE', ns);
    }
  },
});

async function readStream(ch: OpenedClickHouse, config: SourceConfig, s: ConfiguredAirbyteStream, ns: string, state: StateView, emit: Emitter, signal: AbortSignal): Promise<void> {
  const name = s.stream.name;
  const props = Object.keys((s.stream.json_schema as { properties?: Record<string, unknown> }).properties ?? {});
  const table = `${quoteIdent(ns)}.${quoteIdent(name)}`;
  const select = props.map(quoteIdent).join(', ');
  const cursor = s.sync_mode === 'incremental' ? s.cursor_field?.[0] : undefined;
  if (s.sync_mode === 'incremental' && !cursor) {
    throw new ConfigValidationError([{ path: `/streams/${name}/cursor_field`, message: 'an incremental stream needs a cursor_field (the source defines none)' }]);
  }
  const doing = `read ${ns}.${name}`;
  try {
    if (!cursor) {
      const rs = await ch.client.query({ query: `SELECT ${select || '*'} FROM ${table}`, format: 'JSONEachRow', clickhouse_settings: OUTPUT_SETTINGS, abort_signal: signal });
      for await (const rows of rs.stream()) {
        for (const row of rows) {
          const wait = emit.recordLine(name, row.text, ns);
          if (wait) await wait;
        }
      }
      return;
    }
    const prev = state.get<CursorState>(name, ns);
    const from = prev?.cursor_field?.[0] === cursor ? prev.cursor : undefined;
    const [col] = await chRows<{ type: string }>(ch, 'SELECT type FROM system.columns WHERE database = {db:String} AND table = {t:String} AND name = {c:String}',
      { password: config.password, doing, params: { db: ns, t: name, c: cursor }, signal });
    if (!col) throw new ConfigValidationError([{ path: `/streams/${name}/cursor_field`, message: 'the cursor column does not exist in the table' }]);
    // Strictly after the saved cursor: a state is only emitted once every row with its cursor value is out.
    const where = from === undefined ? '' : ` WHERE ${quoteIdent(cursor)} > CAST({from:String} AS ${col.type})`;
    const rs = await ch.client.query({
      query: `SELECT ${select ? `${select}, ` : ''}toString(${quoteIdent(cursor)}) AS ${CURSOR_KEY} FROM ${table}${where} ORDER BY ${quoteIdent(cursor)} NULLS FIRST`,
      format: 'JSONEachRow', clickhouse_settings: OUTPUT_SETTINGS, abort_signal: signal, ...(from === undefined ? {} : { query_params: { from } }),
    });
    let last = from;
    let sinceCheckpoint = 0;
    const saveState = () => emit.streamState(name, { cursor_field: [cursor], ...(last === undefined ? {} : { cursor: last }), stream_name: name, stream_namespace: ns } satisfies CursorState, ns);
    for await (const rows of rs.stream()) {
      for (const row of rows) {
        const { data, cursorValue } = splitCursor(row.text);
        if (cursorValue !== null && cursorValue !== last) {
          if (sinceCheckpoint >= CHECKPOINT_RECORDS && last !== undefined) { await saveState(); sinceCheckpoint = 0; }
          last = cursorValue;
        }
        sinceCheckpoint++;
        const wait = emit.recordLine(name, data, ns);
        if (wait) await wait;
      }
    }
    await saveState();
  } catch (error) {
    if (signal.aborted) throw error;
    throw toServiceError(error, { password: config.password, doing });
  }
}

/** Takes the trailing `"__airdock_cursor":"…"` member off a JSONEachRow line. */
function splitCursor(line: string): { data: string; cursorValue: string | null } {
  const key = `"${CURSOR_KEY}":`;
  const at = line.lastIndexOf(key);
  const comma = line.lastIndexOf(',', at);
  const data = at > 1 && comma > 0 && line.slice(comma + 1, at).trim() === '' ? `${line.slice(0, comma)}}` : '{}';
  const cursorValue = JSON.parse(line.slice(at + key.length, line.lastIndexOf('}'))) as string | null;
  return { data, cursorValue };
}
