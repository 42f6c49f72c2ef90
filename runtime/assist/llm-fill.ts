import { LlmEndpointError, validateConfig } from '../../protocol/index.js';
import { refreshQuestions, specNodeAt } from './answer-question.js';
import { deleteAt, getAt, setAt } from './config-path.js';
import type { Description } from './description.js';
import type { ConnectorDraft } from './draft-from-text.js';
import { typesOf, type SpecNode } from './spec-node.js';

export interface LlmEndpoint {
  /** Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`. */
  url: string;
  model: string;
  apiKey?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface LlmOutcome {
  /** Fields the model added (paths). */
  added: string[];
  /** Fields it proposed that were refused, and why. */
  rejected: Array<{ path: string; reason: 'secret' | 'not in the spec' | 'not in the description' | 'invalid' | 'conflicts' }>;
}

/**
 * Asks an OpenAI-compatible chat endpoint to fill the spec (secrets removed from the schema) from
 * the masked description, then keeps only what passes the same checks as the offline drafter and
 * more: never a secret field, never a value equal to a secret of the text, strings and numbers only
 * when the description contains them, each value valid for its field, the whole config re-validated.
 * What the offline drafter read from the text wins over the model.
 */
export async function fillWithModel(draft: ConnectorDraft, description: Description, ep: LlmEndpoint, signal?: AbortSignal): Promise<LlmOutcome> {
  const schema = withoutSecrets(draft.spec);
  const body = {
    model: ep.model,
    temperature: 0,
    response_format: { type: 'json_object' },
    messages: [
      { role: 'system', content: 'You fill Airbyte connector configs. Reply with one JSON object that matches the JSON schema. Use only values the description states; leave out everything else. Never include passwords, keys or tokens.' },
      { role: 'user', content: `Connector: ${draft.technicalName} (the ${draft.role} of the connection).\nJSON schema:\n${JSON.stringify(schema)}\n\nDescription:\n${description.masked}` },
    ],
  };
  const answer = await call(ep, body, signal);
  const outcome: LlmOutcome = { added: [], rejected: [] };
  const claimed = new Set(draft.origins.filter((o) => o.origin === 'text' || o.origin === 'placeholder' || o.origin === 'answer').map((o) => o.path));
  const text = description.masked.toLowerCase();
  for (const [path, value] of leaves(answer)) {
    const dotted = path.join('.');
    const candidate = structuredClone(draft.config);
    setAt(candidate, path, value);
    const node = specNodeAt(draft.spec, candidate, path);
    if (!node) { outcome.rejected.push({ path: dotted, reason: 'not in the spec' }); continue; }
    if (isSecretPath(draft.spec, candidate, path) || (typeof value === 'string' && description.isSecretValue(value))) { outcome.rejected.push({ path: dotted, reason: 'secret' }); continue; }
    if (claimed.has(dotted) || [...claimed].some((p) => dotted.startsWith(`${p}.`))) {
      if (JSON.stringify(getAt(draft.config, path)) !== JSON.stringify(value)) outcome.rejected.push({ path: dotted, reason: 'conflicts' });
      continue;
    }
    if (!grounded(node, value, text)) { outcome.rejected.push({ path: dotted, reason: 'not in the description' }); continue; }
    if (!fits(node, value)) { outcome.rejected.push({ path: dotted, reason: 'invalid' }); continue; }
    setAt(draft.config, path, value);
    draft.origins = draft.origins.filter((o) => o.path !== dotted);
    draft.origins.push({ path: dotted, origin: 'llm' });
    outcome.added.push(dotted);
  }
  // The whole config again: a field that only broke in combination goes back out.
  for (const issue of validateConfig(draft.config, draft.spec)) {
    const dotted = issue.path.split('/').slice(1).join('.');
    if (issue.message !== 'is required' && outcome.added.includes(dotted)) {
      deleteAt(draft.config, dotted.split('.'));
      outcome.added = outcome.added.filter((p) => p !== dotted);
      draft.origins = draft.origins.filter((o) => o.path !== dotted);
      outcome.rejected.push({ path: dotted, reason: 'invalid' });
    }
  }
  refreshQuestions(draft);
  return outcome;
}

async function call(ep: LlmEndpoint, body: unknown, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const timeout = AbortSignal.timeout(ep.timeoutMs ?? 60_000);
  const url = `${ep.url.replace(/\/+$/, '')}/chat/completions`;
  let res: Response;
  try {
    res = await (ep.fetch ?? fetch)(url, {
      method: 'POST', signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      headers: { 'content-type': 'application/json', ...(ep.apiKey ? { authorization: `Bearer ${ep.apiKey}` } : {}) },
      body: JSON.stringify(body),
    });
  } catch (err) {
    throw new LlmEndpointError('The language-model endpoint did not answer', { cause: err, context: { reason: (err as Error).name } });
  }
  if (!res.ok) throw new LlmEndpointError('The language-model endpoint answered with an error', { context: { status: res.status } });
  let content: unknown;
  try {
    const json = await res.json() as { choices?: Array<{ message?: { content?: unknown } }> };
    content = json.choices?.[0]?.message?.content;
  } catch (err) {
    throw new LlmEndpointError('The language-model endpoint answered something that is not JSON', { cause: err });
  }
  if (typeof content !== 'string') throw new LlmEndpointError('The language-model answer has no message content');
  try {
    const parsed = JSON.parse(content.trim().replace(/^```(?:json)?\s*/i, '').replace(/```$/, '')) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch (err) {
    throw new LlmEndpointError('The language-model answer is not a JSON object', { cause: err });
  }
}

/** The spec without secret fields: the model is never asked for them. */
function withoutSecrets(node: SpecNode): SpecNode {
  const copy: SpecNode = { ...node };
  if (node.properties) {
    copy.properties = Object.fromEntries(Object.entries(node.properties).filter(([, p]) => !p.airbyte_secret && !p.airbyte_hidden).map(([k, p]) => [k, withoutSecrets(p)]));
    if (node.required) copy.required = node.required.filter((k) => k in copy.properties!);
  }
  if (node.oneOf) copy.oneOf = node.oneOf.map(withoutSecrets);
  if (node.items) copy.items = withoutSecrets(node.items);
  return copy;
}

function isSecretPath(spec: SpecNode, config: unknown, path: string[]): boolean {
  for (let i = 1; i <= path.length; i++) if (specNodeAt(spec, config, path.slice(0, i))?.airbyte_secret) return true;
  return false;
}

/** A string or number the model gives must be in the description: models invent hosts and ports. */
function grounded(node: SpecNode, value: unknown, text: string): boolean {
  // An option too: "verify-full" only when the words say so (as "verify full", "verify_full"...).
  if (node.const !== undefined || Array.isArray(node.enum)) return typeof value === 'string' && squash(text).includes(squash(value));
  if (typeof value === 'boolean') return true;
  if (typeof value === 'number') return text.includes(String(value)) || node.default === value;
  if (typeof value === 'string') return value !== '' && text.includes(value.toLowerCase());
  if (Array.isArray(value)) return value.every((v) => typeof v === 'string' && text.includes(v.toLowerCase()));
  return false;
}

function squash(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

function fits(node: SpecNode, value: unknown): boolean {
  if (node.const !== undefined) return node.const === value;
  if (Array.isArray(node.enum)) return node.enum.includes(value);
  const types = typesOf(node);
  if (types.length === 0) return true;
  if (typeof value === 'number') return types.includes('number') || (types.includes('integer') && Number.isInteger(value));
  if (typeof value === 'string') return types.includes('string');
  if (typeof value === 'boolean') return types.includes('boolean');
  if (Array.isArray(value)) return types.includes('array');
  return false;
}

function leaves(v: unknown, path: string[] = []): Array<[string[], unknown]> {
  if (v && typeof v === 'object' && !Array.isArray(v)) return Object.entries(v).flatMap(([k, x]) => leaves(x, [...path, k]));
  return v === null || v === undefined ? [] : [[path, v]];
}

