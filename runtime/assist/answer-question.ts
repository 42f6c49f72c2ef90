import { UsageError, validateConfig } from '../../protocol/index.js';
import { setAt } from './config-path.js';
import { placeholderName } from './placeholder-name.js';
import type { ConnectorDraft } from './draft-from-text.js';
import type { Question } from './fill-config.js';
import { discriminatorOf, fixedValue, formatPath, plainText, typesOf, type SpecNode } from './spec-node.js';
import { parseNumber } from './text-view.js';

/**
 * The schema node a config path points at, following the oneOf branch the config has chosen
 * (by its discriminator) or, for a path inside an unchosen oneOf, undefined.
 */
export function specNodeAt(spec: SpecNode, config: unknown, path: readonly string[]): SpecNode | undefined {
  let node: SpecNode | undefined = spec;
  let value: unknown = config;
  for (const key of path) {
    node = resolveBranch(node, value);
    node = node?.properties?.[key];
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    if (!node) return undefined;
  }
  return node;
}

function resolveBranch(node: SpecNode | undefined, value: unknown): SpecNode | undefined {
  if (!node?.oneOf) return node;
  const disc = discriminatorOf(node.oneOf);
  if (!disc || !value || typeof value !== 'object') return node;
  return node.oneOf.find((b) => fixedValue(b.properties?.[disc])?.value === (value as Record<string, unknown>)[disc]) ?? node;
}

/**
 * Sets a field from a typed answer (`--set database=shop`, or the interactive prompt), parsed by
 * the field's type; for an option (oneOf) the answer is the option's number, title or value. Then
 * the questions are asked again from validation: choosing an option can make new fields required.
 */
export function answerQuestion(draft: ConnectorDraft, path: string, answer: string): void {
  const keys = path.split('.');
  const node = specNodeAt(draft.spec, draft.config, keys);
  if (!node) throw new UsageError('That field is not in the connector\'s spec', { context: { connector: draft.technicalName, field: path } });
  if (node.airbyte_secret) {
    throw new UsageError('Secrets are never written into the config', { context: { field: path }, hint: 'Leave the ${VAR} placeholder and export the variable' });
  }
  setAt(draft.config, keys, parseAnswer(node, answer, path));
  draft.origins = draft.origins.filter((o) => o.path !== path && !o.path.startsWith(`${path}.`));
  draft.origins.push({ path, origin: 'answer' });
  // A user name given now means a password is needed too, as when the text names the user.
  if (keys.length === 1 && /^(username|user)$/.test(path) && draft.spec.properties?.password?.airbyte_secret && draft.config.password === undefined) {
    const variable = placeholderName(draft.technicalName, 'password');
    draft.config.password = `\${${variable}}`;
    draft.origins.push({ path: 'password', origin: 'placeholder' });
    draft.env.push({ variable, path: 'password', fromText: false });
  }
  refreshQuestions(draft);
}

function parseAnswer(node: SpecNode, answer: string, path: string): unknown {
  const a = answer.trim();
  if (node.oneOf) {
    const disc = discriminatorOf(node.oneOf);
    const i = /^\d+$/.test(a) ? Number(a) - 1 : node.oneOf.findIndex((b) => [b.title, String(fixedValue(b.properties?.[disc ?? ''])?.value)].some((x) => x?.toLowerCase() === a.toLowerCase()));
    const branch = node.oneOf[i];
    if (!branch || !disc) throw new UsageError('Not one of the options', { context: { field: path }, hint: `Answer with one of: ${node.oneOf.map((b, k) => `${k + 1}) ${b.title}`).join(', ')}` });
    return { [disc]: fixedValue(branch.properties![disc])!.value };
  }
  const types = typesOf(node);
  if (Array.isArray(node.enum)) {
    const hit = node.enum.find((v) => String(v).toLowerCase() === a.toLowerCase());
    if (hit === undefined) throw new UsageError('Not one of the allowed values', { context: { field: path }, hint: `Answer with one of: ${node.enum.join(', ')}` });
    return hit;
  }
  if (types.includes('integer') || types.includes('number')) {
    const n = parseNumber(a);
    if (n === undefined || (types.includes('integer') && !types.includes('number') && !Number.isInteger(n))) throw new UsageError('Expected a number', { context: { field: path } });
    return n;
  }
  if (types.includes('boolean')) {
    if (/^(y|yes|true|1|on)$/i.test(a)) return true;
    if (/^(n|no|false|0|off)$/i.test(a)) return false;
    throw new UsageError('Expected yes or no', { context: { field: path } });
  }
  if (types.includes('array')) return a.split(',').map((x) => x.trim()).filter(Boolean);
  return a;
}

/** Re-derives the questions from what the spec still requires of the config. */
export function refreshQuestions(draft: ConnectorDraft): void {
  draft.issues = validateConfig(draft.config, draft.spec);
  const questions: Question[] = [];
  for (const issue of draft.issues) {
    const keys = issue.path.split('/').slice(1);
    const path = formatPath(keys);
    const node = specNodeAt(draft.spec, draft.config, keys);
    const options = node?.oneOf?.map((b) => b.title ?? '?') ?? (Array.isArray(node?.enum) ? node!.enum.map(String) : undefined);
    questions.push({
      path, title: node?.title ?? path, description: issue.message === 'is required' ? plainText(node?.description, true) : `Does not fit: ${issue.message}`,
      type: node ? typesOf(node)[0] ?? (node.oneOf ? 'object' : 'string') : 'string',
      ...(options ? { options } : {}), ...(Array.isArray(node?.examples) ? { examples: node!.examples.slice(0, 3) } : {}),
      reason: issue.message === 'is required' ? 'missing' : 'invalid',
    });
  }
  draft.questions = questions;
}
