import type { ErrorObject } from 'ajv';
import type { ValidationIssue } from '../errors/index.js';

export type { ValidationIssue };

/**
 * Turns Ajv errors into user-facing issues. Messages name what was expected and the JSON type that
 * was found, never the value itself, so a secret cannot leak through a validation message.
 */
export function toIssues(errors: readonly ErrorObject[] | null | undefined): ValidationIssue[] {
  if (!errors) return [];
  const seen = new Set<string>();
  const issues: ValidationIssue[] = [];
  for (const e of errors) {
    const issue = toIssue(e);
    const key = `${issue.path}\u0000${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}

function toIssue(e: ErrorObject): ValidationIssue {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { path: `${e.instancePath}/${String(p.missingProperty)}`, message: 'is required' };
    case 'additionalProperties':
      return { path: `${e.instancePath}/${String(p.additionalProperty)}`, message: 'is not allowed here' };
    case 'enum':
      return { path: e.instancePath, message: `must be one of ${JSON.stringify(p.allowedValues)}` };
    case 'const':
      return { path: e.instancePath, message: `must be ${JSON.stringify(p.allowedValue)}` };
    case 'type':
      return { path: e.instancePath, message: `${e.message ?? 'has the wrong type'} (got ${jsonType(e.data)})` };
    default:
      return { path: e.instancePath, message: e.message ?? `fails ${e.keyword}` };
  }
}

export function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}
