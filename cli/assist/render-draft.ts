import { Document, stringify } from 'yaml';
import type { ConnectorDraft, TextDraft } from '../../runtime/assist/index.js';

const ORIGIN_WORDS: Record<string, string> = {
  native: "the native connector's spec",
  bundled: 'the official spec shipped with airdock',
  image: "the connector image's spec",
};

export function connectionName(d: TextDraft): string {
  const bare = (c: ConnectorDraft | undefined) => c?.technicalName.replace(/^(source|destination)-/, '') ?? 'x';
  return `${bare(d.source)}-to-${bare(d.destination)}`;
}

/** The drafted file: a connection file when both sides are named, else one connector config. */
export function renderDraft(d: TextDraft, outName: string | undefined): string {
  const sides = [d.source, d.destination].filter((x): x is ConnectorDraft => x !== undefined);
  const header: string[] = [];
  if (d.source && d.destination) {
    header.push(` Connection drafted by \`airdock config new\` from a description. Run it: airdock sync ${outName ?? '<this file>'}`);
    const doc = new Document({
      name: connectionName(d),
      source: { connector: d.source.technicalName, config: d.source.config },
      destination: { connector: d.destination.technicalName, config: d.destination.config },
      ...(d.streams.length > 0 ? { streams: d.streams } : {}),
    });
    for (const s of sides) header.push(...sideComments(s, `${s.role}.config.`));
    if (d.schedule) header.push(` Runs ${d.schedule.words}: airdock has no scheduler; add to your crontab: ${d.schedule.cron} airdock sync ${outName ?? '<this file>'}`);
    doc.commentBefore = header.join('\n');
    return doc.toString({ lineWidth: 0 });
  }
  const s = sides[0]!;
  header.push(` ${s.technicalName} (${s.displayName}, ${s.role}) config drafted by \`airdock config new\` from a description.`);
  header.push(` Check it: airdock check ${s.technicalName} --config ${outName ?? '<this file>'}`);
  header.push(...sideComments(s, ''));
  const doc = new Document(s.config);
  doc.commentBefore = header.join('\n');
  return doc.toString({ lineWidth: 0 });
}

function sideComments(s: ConnectorDraft, prefix: string): string[] {
  const out = [` ${s.role} ${s.technicalName}: fields from ${ORIGIN_WORDS[s.specOrigin] ?? s.specOrigin}.`];
  if (s.env.length > 0) out.push(` Set before use: ${s.env.map((e) => e.variable).join(', ')}`);
  for (const q of s.questions) out.push(` TODO ${prefix}${q.path}: ${q.title}${q.description ? ` - ${q.description}` : ''}`);
  return out;
}

/** What stderr says after drafting: where values came from, variables to set, questions left. */
export function summarize(d: TextDraft, file: string | undefined): string {
  const lines: string[] = [];
  for (const s of [d.source, d.destination]) {
    if (!s) continue;
    const fromText = s.origins.filter((o) => o.origin === 'text' || o.origin === 'llm').length;
    const defaults = s.origins.filter((o) => o.origin === 'default' || o.origin === 'example').length;
    lines.push(`${s.role} ${s.technicalName}: ${fromText} field${fromText === 1 ? '' : 's'} from the description, ${defaults} default${defaults === 1 ? '' : 's'} from the spec (${ORIGIN_WORDS[s.specOrigin] ?? s.specOrigin}).`);
    for (const e of s.env) lines.push(`  set before use: export ${e.variable}=...   (${s.role} ${e.path}${e.fromText ? '; the description had it: it was left out' : ''})`);
    for (const q of s.questions) {
      const set = d.source && d.destination ? `${s.role}.${q.path}` : q.path;
      const options = q.options ? ` [${q.options.join(' | ')}]` : '';
      lines.push(`  question ${set}: ${q.title}${q.description ? ` - ${q.description}` : ''}${options} (answer: --set ${set}=... or --interactive)`);
    }
  }
  for (const s of d.streams) lines.push(`stream ${s.name}${s.sync_mode ? ` ${s.sync_mode}` : ''}${s.destination_sync_mode ? ` ${s.destination_sync_mode}` : ''}`);
  if (d.schedule) lines.push(`schedule: ${d.schedule.words} (cron ${d.schedule.cron}); airdock has no scheduler of its own.`);
  for (const n of d.notes) lines.push(`note: ${n}`);
  const open = (d.source?.questions.length ?? 0) + (d.destination?.questions.length ?? 0);
  lines.push(open === 0 ? `Valid against the spec${file ? `; written to ${file}` : ''}.` : `${open} question${open === 1 ? '' : 's'} left${file ? `; draft written to ${file}` : ''}.`);
  return `${lines.join('\n')}\n`;
}

/** `--json`: the draft without the parsed description (which only holds masked text anyway). */
export function draftJson(d: TextDraft, file: string | undefined): unknown {
  const side = (s: ConnectorDraft | undefined) => s && {
    connector: s.technicalName, name: s.displayName, role: s.role, specOrigin: s.specOrigin, config: s.config,
    origins: s.origins, questions: s.questions, env: s.env, valid: s.issues.length === 0,
  };
  const complete = [d.source, d.destination].every((s) => !s || s.issues.length === 0);
  return {
    kind: d.source && d.destination ? 'connection' : 'config', complete, ...(file ? { file } : {}),
    ...(d.source && d.destination ? { name: connectionName(d) } : {}),
    source: side(d.source), destination: side(d.destination), streams: d.streams, schedule: d.schedule ?? null, notes: d.notes,
    ...(d.source && d.destination ? {} : { yaml: stringify((d.source ?? d.destination)!.config) }),
  };
}
