import { writeJson } from '../format/write-json.js';
import { rename, stat, writeFile } from 'node:fs/promises';
import { connectorSpecProvider } from '../../runtime/assist/index.js';
import { applyChanges } from '../../runtime/assist/suggest/apply-changes.js';
import { gatherFacts } from '../../runtime/assist/suggest/gather-facts.js';
import { runRules } from '../../runtime/assist/suggest/run-rules.js';
import type { FileChange, Suggestion } from '../../runtime/assist/suggest/suggestion.js';
import { cliRedactor } from '../cli-redactor.js';
import type { SuggestOptions } from '../commands/suggest.js';
import { interruptSignal } from '../run/cli-runtime.js';

/** Runs `airdock suggest`; returns the exit code. */
export async function runSuggest(file: string, o: SuggestOptions): Promise<number> {
  const irq = interruptSignal();
  try {
    const { loadRegistry } = await import('../../catalog/index.js');
    const { createRuntime } = await import('../../runtime/create-runtime.js');
    const { Logger } = await import('../../runtime/log/logger.js');
    const { environment } = await import('../../runtime/options.js');
    const notice = (line: string) => process.stderr.write(`${cliRedactor.redact(line)}\n`);
    const registry = await loadRegistry({ ...(o.registry ? { registry: o.registry } : {}), offline: !o.online, signal: irq.signal, onNotice: notice });
    const catalog = registry.list();
    const natives = new Map(catalog.filter((e) => e.native).map((e) => [e.technicalName, e.native!.name]));
    const runtime = createRuntime({ log: new Logger({ level: 'error', redact: cliRedactor.redact }) });
    const specFor = connectorSpecProvider({ runtime, natives, offline: !o.online, signal: irq.signal });
    const gathered = await gatherFacts(file, {
      specFor, live: o.live, runtime, env: environment(), signal: irq.signal,
      latestTag: (repo) => registry.get(repo)?.dockerImageTag,
      ...(o.timeout ? { timeoutMs: o.timeout * 1000 } : {}),
    });
    // Whatever is printed below, the file's own secrets are masked in it.
    cliRedactor.addConfig(gathered.facts.source.config);
    cliRedactor.addConfig(gathered.facts.destination.config);
    const suggestions = runRules(gathered.facts);
    let applied: Suggestion[] = [];
    if (o.apply) {
      applied = suggestions.filter((s) => s.safe && s.change.file?.length);
      if (applied.length > 0) await writeAtomically(file, applyChanges(gathered.text, applied.flatMap((s) => s.change.file!)));
    }
    if (o.json) {
      await writeJson({ file, name: gathered.facts.name, suggestions, notes: gathered.notes, ...(o.apply ? { applied: applied.map((s) => s.id) } : {}) }, { pretty: true });
    } else {
      process.stdout.write(cliRedactor.redact(formatSuggestions(gathered.facts.name, suggestions, gathered.notes, o.apply ? { file, applied } : undefined)));
    }
    return 0;
  } finally {
    irq.dispose();
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const mode = (await stat(file)).mode & 0o777;
  const tmp = `${file}.airdock-${process.pid}.tmp`;
  await writeFile(tmp, text, { mode });
  await rename(tmp, file);
}

export function formatSuggestions(name: string, suggestions: readonly Suggestion[], notes: readonly string[], applied?: { file: string; applied: readonly Suggestion[] }): string {
  const lines: string[] = [`${name}: ${suggestions.length === 0 ? 'no suggestions' : `${suggestions.length} suggestion${suggestions.length === 1 ? '' : 's'}`}`];
  for (const s of suggestions) {
    lines.push('', `[${s.severity}] ${s.id} (${s.category}, from ${s.basis})`, `  ${s.message}`);
    for (const c of s.change.file ?? []) lines.push(`  change: ${describeChange(c)}`);
    if (s.change.sql) lines.push(`  run on the database: ${s.change.sql}`);
    const done = applied?.applied.includes(s);
    lines.push(done ? '  applied' : s.safe ? '  safe: `airdock suggest --apply` writes it' : '  needs your decision: not applied by --apply');
  }
  if (applied) {
    const n = applied.applied.length;
    lines.push('', n > 0 ? `applied ${n} safe suggestion${n === 1 ? '' : 's'} to ${applied.file} (comments and order kept)` : 'nothing safe to apply');
  }
  for (const n of notes) lines.push(`note: ${n}`);
  return `${lines.join('\n')}\n`;
}

function describeChange(c: FileChange): string {
  const path = c.path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${k}` : k), '');
  return c.op === 'delete' ? `delete ${path}` : `set ${path} = ${JSON.stringify(c.value)}`;
}
