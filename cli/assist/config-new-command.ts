import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { ConfigFileError, UsageError } from '../../protocol/errors/index.js';
import { answerQuestion, connectorSpecProvider, draftFromText, type ConnectorDraft, type TextDraft } from '../../runtime/assist/index.js';
import type { NewOptions } from '../commands/config.js';
import { interruptSignal } from '../run/cli-runtime.js';
import { draftJson, renderDraft, summarize } from './render-draft.js';

/** Runs `airdock config new`; returns the exit code. */
export async function runConfigNew(text: string, o: NewOptions): Promise<number> {
  if (text.trim() === '') throw new UsageError('Describe what to connect', { hint: 'e.g. airdock config new "Postgres on db.local, database shop, user etl"' });
  if (o.interactive && !process.stdin.isTTY) throw new UsageError('--interactive needs a terminal', { hint: 'Answer with --set field=value instead' });
  if (o.out && existsSync(o.out) && !o.force) throw new ConfigFileError('The output file exists', { context: { path: o.out }, hint: 'Pass --force to overwrite it, or choose another --out' });
  const irq = interruptSignal();
  try {
    const { loadRegistry } = await import('../../catalog/index.js');
    const { createRuntime } = await import('../../runtime/create-runtime.js');
    const { Logger } = await import('../../runtime/log/logger.js');
    const notice = (line: string) => process.stderr.write(`${line}\n`);
    const offline = !o.online;
    const registry = await loadRegistry({ ...(o.registry ? { registry: o.registry } : {}), offline, signal: irq.signal, onNotice: notice });
    const catalog = registry.list();
    const natives = new Map(catalog.filter((e) => e.native).map((e) => [e.technicalName, e.native!.name]));
    const runtime = createRuntime({ log: new Logger({ level: 'warn' }) });
    const specFor = connectorSpecProvider({ runtime, natives, offline, signal: irq.signal, onNotice: notice });
    const draft = await draftFromText(text, { catalog, specFor });
    const { maybeAskModel } = await import('./llm-option.js');
    await maybeAskModel(draft, irq.signal, notice);
    applySets(draft, o.set);
    if (o.interactive) await askInteractively(draft);
    const out = renderDraft(draft, o.out);
    if (o.out) await writeFile(o.out, out, { mode: 0o600 });
    if (o.json) process.stdout.write(`${JSON.stringify(draftJson(draft, o.out), null, 2)}\n`);
    else if (!o.out) process.stdout.write(out);
    process.stderr.write(summarize(draft, o.out));
    return 0;
  } finally {
    irq.dispose();
  }
}

function sideFor(draft: TextDraft, path: string): { side: ConnectorDraft; field: string } {
  const both = draft.source && draft.destination;
  const m = /^(source|destination)\.(.+)$/.exec(path);
  if (m && draft[m[1] as 'source' | 'destination']) return { side: draft[m[1] as 'source' | 'destination']!, field: m[2]! };
  if (both) throw new UsageError('Name the side of the connection the answer is for', { context: { field: path }, hint: 'e.g. --set source.database=shop' });
  return { side: (draft.source ?? draft.destination)!, field: path };
}

function applySets(draft: TextDraft, sets: readonly string[]): void {
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new UsageError('--set takes field=value', { context: { given: s.slice(0, 40) } });
    const { side, field } = sideFor(draft, s.slice(0, eq).trim());
    answerQuestion(side, field, s.slice(eq + 1));
  }
}

/** Asks each open question on the terminal; an empty answer leaves it open. */
async function askInteractively(draft: TextDraft): Promise<void> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    for (const side of [draft.source, draft.destination]) {
      if (!side) continue;
      const skipped = new Set<string>();
      for (let guard = 0; guard < 50; guard++) {
        const q = side.questions.find((x) => !skipped.has(x.path));
        if (!q) break;
        const options = q.options ? `\n${q.options.map((x, i) => `  ${i + 1}) ${x}`).join('\n')}` : '';
        const examples = q.examples?.length ? ` (e.g. ${q.examples.map(String).join(', ')})` : '';
        const answer = await rl.question(`${side.technicalName} ${q.path}: ${q.title}${q.description ? ` - ${q.description}` : ''}${examples}${options}\n> `);
        if (answer.trim() === '') { skipped.add(q.path); continue; }
        try {
          answerQuestion(side, q.path, answer);
        } catch (err) {
          process.stderr.write(`${(err as { describe?: () => string }).describe?.() ?? String(err)}\n`);
        }
      }
    }
  } finally {
    rl.close();
  }
}
