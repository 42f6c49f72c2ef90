import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What an installed Python distribution says about itself (its `*.dist-info` folder). */
export interface DistInfo {
  dir: string;
  name: string;
  version: string;
  /** `[console_scripts]` of entry_points.txt: the programs it installs into the venv's bin/. */
  consoleScripts: string[];
  /** sha256 of its RECORD (which lists the hash of every installed file): the installed content, pinned. */
  integrity: string;
}

/** PEP 503: `Airbyte_Source.Faker` and `airbyte-source-faker` are the same project. */
export function normalizeProject(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

export async function readDistInfo(envDir: string, project: string): Promise<DistInfo | undefined> {
  const lib = join(envDir, 'lib');
  const pythons = await readdir(lib).catch(() => [] as string[]);
  for (const py of pythons.filter((d) => d.startsWith('python'))) {
    const site = join(lib, py, 'site-packages');
    const entries = await readdir(site).catch(() => [] as string[]);
    for (const e of entries) {
      if (!e.endsWith('.dist-info')) continue;
      const base = e.slice(0, -'.dist-info'.length);
      const dash = base.lastIndexOf('-');
      if (dash <= 0 || normalizeProject(base.slice(0, dash)) !== normalizeProject(project)) continue;
      const dir = join(site, e);
      const record = await readFile(join(dir, 'RECORD'));
      const entryPoints = await readFile(join(dir, 'entry_points.txt'), 'utf8').catch(() => '');
      return {
        dir, name: base.slice(0, dash), version: base.slice(dash + 1), consoleScripts: consoleScripts(entryPoints),
        integrity: `sha256-${createHash('sha256').update(record).digest('base64')}`,
      };
    }
  }
  return undefined;
}

export function consoleScripts(entryPointsTxt: string): string[] {
  const out: string[] = [];
  let inSection = false;
  for (const raw of entryPointsTxt.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('[')) { inSection = line === '[console_scripts]'; continue; }
    const eq = line.indexOf('=');
    if (inSection && eq > 0) out.push(line.slice(0, eq).trim());
  }
  return out;
}
