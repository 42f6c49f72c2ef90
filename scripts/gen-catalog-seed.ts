/**
 * Regenerates the bundled registry seed (catalog/data/registry-seed.json) from a registry document.
 * Default input: the snapshot vendored in test/fixtures/reference/ (the seed test checks the shipped
 * seed is exactly what this makes from it). To refresh the seed, replace that snapshot first (a new
 * download of oss_registry.json, trimmed as test/fixtures/README.md says, with its provenance
 * updated there), then run this.
 * Run: npm run gen:catalog-seed [-- <registry.json> [out.json]]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSeed, SEED_FILE } from '../catalog/index.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const [input = here('../test/fixtures/reference/airbyte-registry-snapshot.json'), out = here(`../catalog/data/${SEED_FILE}`)] = process.argv.slice(2);
const seed = buildSeed(readFileSync(input, 'utf8'), input);
writeFileSync(out, seed);
process.stdout.write(`wrote ${out}: ${Buffer.byteLength(seed)} bytes, ${seed.split('\n').length - 3} connectors\n`);
