/**
 * Regenerates the bundled registry seed (catalog/data/registry-seed.json) from a registry document:
 * a downloaded oss_registry.json or the team's snapshot of it.
 * Run: node --import tsx scripts/gen-catalog-seed.ts <registry.json> [out.json]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSeed, SEED_FILE } from '../catalog/index.js';

const [input, out = fileURLToPath(new URL(`../catalog/data/${SEED_FILE}`, import.meta.url))] = process.argv.slice(2);
if (!input) {
  process.stderr.write('usage: node --import tsx scripts/gen-catalog-seed.ts <registry.json> [out.json]\n');
  process.exit(2);
}
const seed = buildSeed(readFileSync(input, 'utf8'), input);
writeFileSync(out, seed);
process.stdout.write(`wrote ${out}: ${Buffer.byteLength(seed)} bytes, ${seed.split('\n').length - 3} connectors\n`);
