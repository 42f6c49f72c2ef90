import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/repo-paths.js';

/**
 * The layer rules of docs/architecture.md, checked on every import of every non-test source file:
 * protocol imports nothing in-repo; the SDK imports protocol; a connector imports protocol and the
 * SDK; the catalog imports protocol; the runtime imports protocol and (only the index of) the catalog,
 * and never connector code; the CLI (the composition root) imports any of those, and nothing imports it.
 */
const allowed: Record<string, (target: string) => boolean> = {
  protocol: (t) => t.startsWith('protocol/'),
  'native-connectors/sdk': (t) => t.startsWith('protocol/') || t.startsWith('native-connectors/sdk/'),
  'native-connectors/*': (t) => t.startsWith('protocol/') || t.startsWith('native-connectors/sdk/'),
  catalog: (t) => t.startsWith('protocol/') || t.startsWith('catalog/'),
  runtime: (t) => t.startsWith('protocol/') || t.startsWith('runtime/') || t === 'catalog/index.ts',
  cli: (t) => ['protocol/', 'catalog/', 'runtime/', 'cli/'].some((layer) => t.startsWith(layer)),
};

function layerOf(file: string): string | undefined {
  if (file.startsWith('native-connectors/sdk/')) return 'native-connectors/sdk';
  if (file.startsWith('native-connectors/')) return 'native-connectors/*';
  const top = file.split('/')[0]!;
  return top in allowed ? top : undefined;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules' || name === 'dist' || name === 'scripts') continue;
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const importRe = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function violations(): string[] {
  const found: string[] = [];
  for (const top of ['protocol', 'catalog', 'runtime', 'native-connectors', 'cli']) {
    for (const abs of sourceFiles(resolve(repoRoot, top))) {
      const file = relative(repoRoot, abs).split(sep).join('/');
      const layer = layerOf(file)!;
      const text = readFileSync(abs, 'utf8');
      for (const m of text.matchAll(importRe)) {
        const spec = m[1] ?? m[2]!;
        if (!spec.startsWith('.')) continue;
        const target = relative(repoRoot, resolve(dirname(abs), spec)).split(sep).join('/').replace(/\.js$/, '.ts');
        const sameConnector = layer === 'native-connectors/*' && target.split('/')[1] === file.split('/')[1];
        if (!allowed[layer]!(target) && !sameConnector) found.push(`${file} imports ${target} (${layer} may not)`);
      }
    }
  }
  return found;
}

describe('architecture', () => {
  it('every import respects the layer table of docs/architecture.md', () => {
    expect(violations()).toEqual([]);
  });

  it('the check can fail: a runtime file importing connector code is caught', () => {
    const layer = layerOf('runtime/sync/run-sync.ts')!;
    expect(allowed[layer]!('native-connectors/source-faker/source.ts')).toBe(false);
    expect(allowed['protocol']!('runtime/index.ts')).toBe(false);
    expect(allowed['runtime']!('cli/report-error.ts')).toBe(false);
    expect(allowed['catalog']!('cli/format/format-table.ts')).toBe(false);
    expect(allowed['cli']!('native-connectors/source-faker/source-faker.ts')).toBe(false);
  });
});
