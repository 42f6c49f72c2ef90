import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { defineDestination, writeWithBarrier } from '../sdk/index.js';
import { postgresOptions, type PostgresDestinationConfig, type PostgresOptions } from './postgres-config.js';
import { quote } from './postgres-dialect.js';
import { connectPostgres, toDestinationError } from './postgres-errors.js';
import { postgresName } from './postgres-naming.js';
import { PgStream } from './pg-stream.js';
import { spec } from './spec.js';

/** COPY text is sent in chunks of this size; one chunk loads while the next is formatted. */
const CHUNK_BYTES = 4 << 20;

/**
 * Drop-in for Airbyte's destination-postgres 3.0.11 (Direct Load): the same config, the same final
 * tables (typed columns, `_airbyte_raw_id`, `_airbyte_extracted_at`, `_airbyte_meta`,
 * `_airbyte_generation_id`; raw tables with `disable_type_dedupe`), names and indexes. Rows are typed
 * in JavaScript by the shared SQL module and loaded with COPY; each batch is one transaction (append
 * straight into the table, dedup through a temp table merged at commit, overwrite into a table that is
 * swapped in at the end), and a STATE is echoed only after its batch committed.
 */
export const destinationPostgres = defineDestination<PostgresDestinationConfig>({
  spec,
  async check(config) {
    const o = postgresOptions(config);
    const client = await connectPostgres(o);
    try {
      const schema = postgresName(o.schema);
      const probe = `${quote(schema)}.${quote(`_airbyte_connection_test_${randomUUID().replace(/-/g, '')}`)}`;
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quote(schema)}`).catch(async (e: unknown) => {
        // Without CREATE on the database an existing schema is still fine.
        const r = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
        if (!r.rowCount) throw e;
      });
      await client.query(`CREATE TABLE ${probe} (id int)`);
      await client.query(`INSERT INTO ${probe} VALUES (1)`);
      await client.query(`DROP TABLE ${probe}`);
    } catch (error) {
      throw toDestinationError(error);
    } finally {
      await client.end().catch(() => {});
    }
  },
  async write(config, catalog, input, { emit }) {
    const o = postgresOptions(config);
    if (o.ignoredParams.length > 0) await emit.log('WARN', `JDBC parameters without effect here, ignored: ${o.ignoredParams.join(', ')}`);
    const client = await connectPostgres(o);
    try {
      await load(client, o, catalog.streams, input, emit);
    } catch (error) {
      throw toDestinationError(error);
    } finally {
      await client.end().catch(() => {});
    }
  },
});

type WriteArgs = Parameters<typeof destinationPostgres.write>;

async function load(client: pg.Client, o: PostgresOptions, configured: WriteArgs[1]['streams'], input: WriteArgs[2], emit: WriteArgs[3]['emit']): Promise<void> {
  const streams = new Map<string, PgStream>();
  let i = 0;
  for (const s of configured) {
    const stream = new PgStream(s, o, i++);
    await stream.prepare(client, (m) => emit.log('INFO', m) ?? Promise.resolve());
    streams.set(s.stream.name, stream);
  }
  const copies = new CopyPipe(client);
  let open = false;
  const begin = async () => {
    if (open) return;
    await client.query('BEGIN');
    open = true;
  };
  const flush = async (s: PgStream) => {
    const chunk = s.take();
    if (chunk) await copies.send(s.copySql, chunk);
  };
  await writeWithBarrier(input, emit, {
    write({ raw, record }) {
      const s = streams.get(record!.stream);
      if (!s) return undefined;
      const buffered = s.append(raw, record!);
      if (!open) return begin().then(() => (buffered >= CHUNK_BYTES ? flush(s) : undefined));
      return buffered >= CHUNK_BYTES ? flush(s) : undefined;
    },
    async commit(final, ends) {
      if (!open && !final) return;
      await begin();
      for (const s of streams.values()) await flush(s);
      await copies.drain();
      const kept: PgStream[] = [];
      for (const s of streams.values()) {
        // A stream the source did not finish is not finalised: an overwrite keeps the old table (its
        // side table stays for the next attempt of this generation to resume), no generation is dropped.
        const finish = final && ends.complete(s.plan.stream, s.plan.namespace);
        if (final && !finish && s.plan.truncate) kept.push(s);
        for (const sql of s.commitStatements(finish)) await client.query(sql);
        s.rows = 0;
      }
      await client.query('COMMIT');
      open = false;
      for (const s of kept) await emit.log('WARN', `The source did not finish stream ${s.plan.stream}: kept the previous data of stream ${s.plan.stream} (overwrite not applied)`);
    },
  }, { maxRecords: o.batchSize, maxBytes: 256 << 20 });
}

/**
 * COPY on one connection, one chunk in flight: `send` waits for the previous chunk's COPY to finish
 * (and throws its error), then starts the next without waiting for it, so PostgreSQL parses one chunk
 * while JavaScript formats the next.
 */
class CopyPipe {
  #last: Promise<void> = Promise.resolve();
  constructor(private readonly client: pg.Client) {}

  async send(sql: string, data: Buffer): Promise<void> {
    await this.#last;
    const stream = this.client.query(copyFrom(sql));
    this.#last = new Promise<void>((resolve, reject) => {
      stream.once('finish', resolve);
      stream.once('error', reject);
    });
    this.#last.catch(() => {}); // awaited by the next send or drain
    stream.end(data);
  }

  async drain(): Promise<void> {
    await this.#last;
  }
}
