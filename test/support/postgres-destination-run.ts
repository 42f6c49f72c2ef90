import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type pg from 'pg';
import { destinationPostgres } from '../../native-connectors/destination-postgres/destination-postgres.js';
import { runConnector } from '../../native-connectors/sdk/index.js';
import { createTestDatabase, type TestDatabase } from './postgres-source.js';
import { postgresEnv } from './services.js';

/** What one in-process `write` of native:destination-postgres returned: its exit code and its stdout. */
export interface PostgresDestinationRun { code: number; out: string }

/**
 * native:destination-postgres run in this process on given lines, into a scratch database of its own
 * (schema public, full_refresh/append streams, generation 1, sync id 5): for tests that send the same
 * records two ways and compare what the tables hold.
 */
export class PostgresDestinationHarness implements AsyncDisposable {
  readonly #dir = mkdtempSync(join(tmpdir(), 'airdock-pgdest-run-'));

  private constructor(readonly database: TestDatabase) {}

  static async open(tag: string): Promise<PostgresDestinationHarness> {
    return new PostgresDestinationHarness(await createTestDatabase(tag));
  }

  /** A client on the scratch database, to read what the destination wrote. */
  get db(): pg.Client { return this.database.sql; }

  async write(streams: string[], properties: Record<string, unknown>, lines: string[]): Promise<PostgresDestinationRun> {
    const env = postgresEnv();
    const catalog = { streams: streams.map((name) => ({
      stream: { name, json_schema: { type: 'object', properties }, supported_sync_modes: ['full_refresh'] },
      sync_mode: 'full_refresh', destination_sync_mode: 'append', generation_id: 1, minimum_generation_id: 0, sync_id: 5,
    })) };
    const config = join(this.#dir, 'c.json');
    const catalogFile = join(this.#dir, 'cat.json');
    writeFileSync(config, JSON.stringify({ host: env.host, port: env.port, database: this.database.name, schema: 'public', username: env.user, password: env.password }));
    writeFileSync(catalogFile, JSON.stringify(catalog));
    const stdout = new PassThrough();
    const out: Buffer[] = [];
    stdout.on('data', (c: Buffer) => out.push(c));
    const code = await runConnector(destinationPostgres, ['write', '--config', config, '--catalog', catalogFile], { stdout, stdin: Readable.from([Buffer.from(lines.join('\n') + '\n')]) });
    return { code, out: Buffer.concat(out).toString() };
  }

  async [Symbol.asyncDispose](): Promise<void> {
    rmSync(this.#dir, { recursive: true, force: true });
    await this.database[Symbol.asyncDispose]();
  }
}
