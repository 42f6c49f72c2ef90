import { existsSync } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { ImageBuildError } from '../../protocol/index.js';

// Static and dynamic imports, and require() calls: generated code (the precompiled protocol validators)
// loads its runtime helpers with require.
const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:import|\brequire)\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
const BUILTIN = new Set(builtinModules);

/** The files one native connector needs at run time, relative to the package root. */
export interface NativeImageFiles {
  /** Compiled files reachable from the connector's main.js (JS and the JSON it imports). */
  dist: string[];
  /** npm packages it loads, with their dependencies (whole package folders). */
  packages: string[];
}

/**
 * Follows the imports from `dist/native-connectors/<name>/main.js`: the compiled files it reaches,
 * and the npm packages (plus their dependencies and optional dependencies, which is where native
 * addons' prebuilt binaries live) it loads. Only these go into the image, so a connector that needs
 * no DuckDB does not carry DuckDB.
 */
export async function nativeImageFiles(packageRoot: string, name: string): Promise<NativeImageFiles> {
  const main = join(packageRoot, 'dist', 'native-connectors', name, 'main.js');
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [main];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    if (!file.endsWith('.js')) continue;
    const text = await readFile(file, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      if (inComment(text, m.index)) continue;
      const spec = (m[1] ?? m[2] ?? m[3])!;
      if (spec.startsWith('.')) queue.push(resolve(dirname(file), spec));
      else if (!spec.startsWith('node:') && !BUILTIN.has(spec)) packages.add(packageName(spec));
    }
  }
  return {
    dist: [...files].map((f) => relative(packageRoot, f).split(sep).join('/')).sort(),
    packages: await packageClosure(packageRoot, [...packages]),
  };
}

/** Whether the match at `at` sits in a comment line (`//`, or a `/* … *\/` block's lines) or after `//`. */
function inComment(text: string, at: number): boolean {
  const before = text.slice(text.lastIndexOf('\n', at) + 1, at);
  return /^\s*(?:\*|\/\*)/.test(before) || before.includes('//');
}

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** Package folders (relative to the root) for the packages and everything they depend on, as Node resolves them. */
async function packageClosure(root: string, names: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  const visit = async (name: string, from: string, optional: boolean): Promise<void> => {
    const dir = locate(root, from, name);
    if (!dir) {
      if (optional) return;
      throw new ImageBuildError('A package the connector loads is not installed', { context: { package: name }, hint: 'Run npm ci, then build again' });
    }
    const rel = relative(root, dir).split(sep).join('/');
    if (found.has(rel)) return;
    found.add(rel);
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
    for (const d of Object.keys(pkg.dependencies ?? {})) await visit(d, dir, false);
    for (const d of Object.keys(pkg.optionalDependencies ?? {})) await visit(d, dir, true);
  };
  for (const n of names) await visit(n, root, false);
  // A package nested in another's node_modules comes with its parent folder.
  return [...found].filter((p) => ![...found].some((q) => q !== p && p.startsWith(`${q}/`))).sort();
}

/** Where Node finds `name` from a package folder: its own node_modules, then each parent's. */
function locate(root: string, from: string, name: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root || dirname(dir) === dir) return undefined;
  }
}

/** Every file under a folder (relative to the root), for the build context. */
export async function filesUnder(root: string, rel: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (r: string) => {
    for (const e of await readdir(join(root, r), { withFileTypes: true })) {
      const p = `${r}/${e.name}`;
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() || (e.isSymbolicLink() && (await stat(join(root, p))).isFile())) out.push(p);
    }
  };
  await walk(rel);
  return out;
}
