import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { defineDestination, writeWithBarrier, type StreamEnds } from '../sdk/index.js';
import { postgresOptions, type PostgresDestinationConfig, type PostgresOptions } from './postgres-config.js';
import { quote } from './postgres-dialect.js';
import { connectPostgres, toDestinationError } from './postgres-errors.js';
import { postgresName } from './postgres-naming.js';
import { PgStream, type CopyPart } from './pg-stream.js';
import { spec } from './spec.js';

/** COPY data is sent in chunks of this size; one chunk loads while the next is formatted. */
const CHUNK_BYTES = 4 << 20;
/**
 * Without a `batch_size` in the config, a batch that reaches the default size while the previous one
 * still commits (a dedup merge: ~0.3-0.7 s per 100k rows, longer than the input takes to bring the
 * next 100k) goes on up to this many times that size instead of stopping the input until that commit
 * ends. A `batch_size` given is kept exactly (records per transaction).
 */
const GROW_WHILE_LOADING = 8;

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
    const clients: pg.Client[] = [];
    try {
      clients.push(await connectPostgres(o), await connectPostgres(o));
      await load(clients, o, catalog.streams, input, emit, config.batch_size === undefined ? GROW_WHILE_LOADING : 1);
    } catch (error) {
      throw toDestinationError(error);
    } finally {
      await Promise.all(clients.map((c) => c.end().catch(() => {})));
    }
  },
});

type WriteArgs = Parameters<typeof destinationPostgres.write>;

/**
 * Batches alternate between two connections: while one commits a batch (the COPY's last chunk,
 * the dedup merge, COMMIT), the next batch is formatted and copied on the other, so JavaScript
 * and PostgreSQL keep working during a merge. Commits still run one at a time and in order (the
 * barrier starts one only after the previous resolved), so a merge sees every earlier batch.
 */
async function load(clients: pg.Client[], o: PostgresOptions, configured: WriteArgs[1]['streams'], input: WriteArgs[2], emit: WriteArgs[3]['emit'], grow: number): Promise<void> {
  const streams = new Map<string, PgStream>();
  let i = 0;
  for (const s of configured) {
    const stream = new PgStream(s, o, i++);
    await stream.prepare(clients[0]!, (m) => emit.log('INFO', m) ?? Promise.resolve());
    for (const c of clients) await stream.prepareSession(c);
    streams.set(s.stream.name, stream);
  }
  const sessions = clients.map((c) => new Session(c));
  let current = sessions[0]!;
  await writeWithBarrier(input, emit, {
    write({ raw, record }) {
      const s = streams.get(record!.stream);
      if (!s) return undefined;
      current.dirty = true;
      return s.append(raw, record!) >= CHUNK_BYTES ? current.copy(s, s.take()!) : undefined;
    },
    writeRun(run) {
      const s = streams.get(run.stream);
      if (!s) return undefined;
      current.dirty = true;
      return s.appendRun(run.bytes, run.count, run.fields) >= CHUNK_BYTES ? current.copy(s, s.take()!) : undefined;
    },
    // The encoder reads `data` strictly, the exact path parses it; a line whose `data` is not one
    // JSON object goes to PgStream's per-line decoding (appendRun).
    checksRunData: true,
    commit(final, ends) {
      const session = current;
      if (!session.dirty && !final) return Promise.resolve();
      // Taken before the first await (the barrier's overlap contract): later records are the next batch.
      const batch = [...streams.values()].map((s) => ({ s, chunk: s.take(), rows: s.takeRows() }));
      current = sessions.find((x) => x !== session)!;
      return commitBatch(session, batch, final, ends, emit);
    },
  }, { maxRecords: o.batchSize, maxBytes: 256 << 20, overlap: true, maxRecordsWhileLoading: grow * o.batchSize });
}

type Batch = { s: PgStream; chunk: CopyPart[] | undefined; rows: number }[];

async function commitBatch(session: Session, batch: Batch, final: boolean, ends: StreamEnds, emit: WriteArgs[3]['emit']): Promise<void> {
  for (const { s, chunk } of batch) if (chunk) await session.copy(s, chunk);
  await session.begin();
  await session.copies.drain();
  const kept: PgStream[] = [];
  for (const { s, rows } of batch) {
    // A stream the source did not finish is not finalised: an overwrite keeps the old table (its
    // side table stays for the next attempt of this generation to resume), no generation is dropped.
    const finish = final && ends.complete(s.plan.stream, s.plan.namespace);
    if (final && !finish && s.plan.truncate) kept.push(s);
    await s.merge(session.client, rows);
    if (final) await s.buildIndexes(session.client, finish);
    for (const sql of s.commitStatements(finish, final)) await session.client.query(sql);
  }
  await session.client.query('COMMIT');
  session.open = false;
  session.dirty = false;
  for (const s of kept) await emit.log('WARN', `The source did not finish stream ${s.plan.stream}: kept the previous data of stream ${s.plan.stream} (overwrite not applied)`);
}

/** One connection's batch: its transaction (opened by the first COPY) and its COPY pipe. */
class Session {
  open = false;
  /** Records went to this session since its last commit. */
  dirty = false;
  readonly copies: CopyPipe;
  constructor(readonly client: pg.Client) {
    this.copies = new CopyPipe(client);
  }

  async begin(): Promise<void> {
    if (this.open) return;
    this.open = true;
    await this.client.query('BEGIN');
  }

  async copy(s: PgStream, chunk: CopyPart[]): Promise<void> {
    await this.begin();
    for (const part of chunk) await this.copies.send(part.sql, part.data, () => s.release(part));
  }
}

/**
 * COPY on one connection, one chunk in flight: `send` waits for the previous chunk's COPY to finish
 * (and throws its error), then starts the next without waiting for it, so PostgreSQL parses one chunk
 * while JavaScript formats the next.
 */
class CopyPipe {
  #last: Promise<void> = Promise.resolve();
  constructor(private readonly client: pg.Client) {}

  /** `done` runs once PostgreSQL has taken all of `data` (its memory may be reused then). */
  async send(sql: string, data: Buffer, done: () => void): Promise<void> {
    await this.#last;
    const stream = this.client.query(copyFrom(sql));
    this.#last = new Promise<void>((resolve, reject) => {
      stream.once('finish', () => { done(); resolve(); });
      stream.once('error', reject);
    });
    this.#last.catch(() => {}); // awaited by the next send or drain
    stream.end(data);
  }

  async drain(): Promise<void> {
    await this.#last;
  }
}
