import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { AirbyteRecordMessage } from '../../protocol/index.js';
import { defineDestination } from '../sdk/index.js';
import { spec } from './spec.js';

interface LocalJsonConfig { destination_path: string }

interface StreamFile { handle: FileHandle; path: string; finalPath: string; pending: string[]; pendingBytes: number }

const FLUSH_BYTES = 1 << 20;

/**
 * Drop-in for Airbyte's destination-local-json: one `_airbyte_raw_<stream>.jsonl` per stream with
 * `_airbyte_ab_id`, `_airbyte_emitted_at` and `_airbyte_data`, as the reference writes them.
 * Overwrite streams go to a temp file renamed at the end, so a failed sync keeps the old file.
 */
export const destinationLocalJson = defineDestination<LocalJsonConfig>({
  spec,
  async check(config) {
    await mkdir(config.destination_path, { recursive: true });
  },
  async write(config, catalog, input, { emit }) {
    await mkdir(config.destination_path, { recursive: true });
    const files = new Map<string, StreamFile>();
    for (const s of catalog.streams) {
      const finalPath = join(config.destination_path, `_airbyte_raw_${s.stream.name.replace(/[^\w.-]/g, '_')}.jsonl`);
      const overwrite = s.destination_sync_mode === 'overwrite';
      const path = overwrite ? `${finalPath}.tmp` : finalPath;
      files.set(s.stream.name, { handle: await open(path, overwrite ? 'w' : 'a'), path, finalPath, pending: [], pendingBytes: 0 });
    }
    const flushAll = async (sync: boolean) => {
      for (const f of files.values()) {
        if (f.pending.length > 0) {
          await f.handle.write(f.pending.join(''));
          f.pending = [];
          f.pendingBytes = 0;
        }
        if (sync) await f.handle.sync();
      }
    };
    try {
      for await (const { message, raw } of input) {
        if (message.type === 'RECORD') {
          const r = message.record as AirbyteRecordMessage;
          const f = files.get(r.stream);
          if (!f) continue;
          const line = `{"_airbyte_ab_id":"${randomUUID()}","_airbyte_emitted_at":${r.emitted_at},"_airbyte_data":${JSON.stringify(r.data)}}\n`;
          f.pending.push(line);
          f.pendingBytes += line.length;
          if (f.pendingBytes >= FLUSH_BYTES) {
            await f.handle.write(f.pending.join(''));
            f.pending = [];
            f.pendingBytes = 0;
          }
        } else if (message.type === 'STATE') {
          await flushAll(true);
          await emit.raw(`${raw.toString('utf8')}\n`);
        }
      }
      await flushAll(true);
    } finally {
      for (const f of files.values()) await f.handle.close();
    }
    for (const f of files.values()) if (f.path !== f.finalPath) await rename(f.path, f.finalPath);
  },
});
