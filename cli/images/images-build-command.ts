import { buildNativeImages, type NativeImageResult } from '../../runtime/images/build-native-images.js';
import { Logger } from '../../runtime/log/logger.js';
import type { BuildOptions } from '../commands/images.js';

/** `airdock images build`: a line per image (tag, size, what it adds to the base, time, built or cached). */
export async function imagesBuildCommand(names: readonly string[], o: BuildOptions): Promise<number> {
  const started = Date.now();
  const line = (r: NativeImageResult) =>
    `${r.built ? 'built ' : 'cached'}  ${r.tag.padEnd(44)} ${mb(r.sizeBytes).padStart(9)}  (+${mb(r.addedBytes)} on the base)  ${(r.durationMs / 1000).toFixed(1)}s`;
  const results = await buildNativeImages({
    names, ...(o.base ? { base: o.base } : {}), ...(o.repo ? { repo: o.repo } : {}),
    log: new Logger({ level: 'info' }),
    onImage: (r) => { if (!o.json) process.stdout.write(`${line(r)}\n`); },
  });
  const total = Date.now() - started;
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ images: results.map((r) => ({ ...r })), durationMs: total })}\n`);
  } else {
    process.stdout.write(`${results.length} image(s), ${results.filter((r) => r.built).length} built, in ${(total / 1000).toFixed(1)}s\n`);
  }
  return 0;
}

const mb = (bytes: number): string => `${(bytes / 1_000_000).toFixed(1)} MB`;
