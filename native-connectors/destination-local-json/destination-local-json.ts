import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { MalformedMessageError } from '../../protocol/index.js';
import { defineDestination, writeWithBarrier } from '../sdk/index.js';
import { JsonlFile } from './jsonl-file.js';
import { spec } from './spec.js';

interface LocalJsonConfig { destination_path: string }

/**
 * Drop-in for Airbyte's destination-local-json: one `_airbyte_raw_<stream>.jsonl` per stream with
 * `_airbyte_ab_id`, `_airbyte_emitted_at` and `_airbyte_data`, as the reference writes them (plus
 * `_airbyte_meta` when the record carries one, e.g. changes made to it). `data` is copied as the
 * source wrote it, so big numbers stay exact. STATEs are echoed through the SDK's write barrier:
 * only after the lines before them are fully written and fsynced.
 */
export const destinationLocalJson = defineDestination<LocalJsonConfig>({
  spec,
  async check(config) {
    await mkdir(config.destination_path, { recursive: true });
  },
  async write(config, catalog, input, { emit }) {
    await mkdir(config.destination_path, { recursive: true });
    const files = new Map<string, JsonlFile>();
    const namespaces = new Map(catalog.streams.map((s) => [s.stream.name, s.stream.namespace]));
    try {
      for (const s of catalog.streams) {
        const name = s.stream.name;
        const path = join(config.destination_path, `_airbyte_raw_${name.replace(/[^\w.-]/g, '_')}.jsonl`);
        const file = await JsonlFile.open(path, s.destination_sync_mode === 'overwrite' ? 'overwrite' : 'append', name);
        files.set(name, file);
        if (file.cutBytes > 0) await emit.log('WARN', `Cut ${file.cutBytes} bytes of an unfinished line from the end of ${path} (left by an interrupted sync; never acknowledged)`);
      }
      await writeWithBarrier(input, emit, {
        write({ raw, record }) {
          const file = files.get(record!.stream);
          if (!file) return;
          const data = raw.toString('utf8', record!.dataRange[0], record!.dataRange[1]);
          try {
            JSON.parse(data);
          } catch (cause) {
            // The envelope scan checks structure only; a broken literal must not corrupt the file.
            throw new MalformedMessageError('A RECORD holds data that is not valid JSON', { cause, context: { stream: record!.stream } });
          }
          const emittedAt = Number(raw.toString('latin1', record!.emittedAtRange[0], record!.emittedAtRange[1]));
          const meta = record!.metaRange ? `,"_airbyte_meta":${raw.toString('utf8', record!.metaRange[0], record!.metaRange[1])}` : '';
          file.append(`{"_airbyte_ab_id":"${randomUUID()}","_airbyte_emitted_at":${emittedAt},"_airbyte_data":${data}${meta}}\n`);
          return file.buffered >= 1 << 20 ? file.writeIfFull(record!.stream) : undefined;
        },
        async commit(final, ends) {
          for (const [stream, file] of files) {
            if (!final) await file.sync(stream);
            else if (file.replaces && !ends.complete(stream, namespaces.get(stream))) {
              await file.discard(stream);
              await emit.log('WARN', `The source did not finish stream ${stream}: kept the previous data of stream ${stream} (overwrite not applied)`);
            } else await file.finish(stream);
          }
        },
        // Every STATE is acknowledged as soon as it arrives (one fsync per state), as the reference does.
      }, { maxDelayMs: 0 });
    } finally {
      for (const file of files.values()) await file.close();
    }
  },
});
