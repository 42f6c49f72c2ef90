import type { ValidateFunction } from 'ajv';
import * as generated from '../generated/validators.js';
import type { ProtocolDefinition } from './protocol-validators.js';
import { toIssues, type ValidationIssue } from './validation-issue.js';

// Precompiled by `npm run gen:protocol` (ajv standalone code): compiling them here cost 0.06-0.14 s of
// every connector start, ajv's first compile.
const validators = generated as unknown as Record<ProtocolDefinition, ValidateFunction>;

function run(name: ProtocolDefinition, value: unknown): ValidationIssue[] {
  const fn = validators[name];
  return fn(value) ? [] : toIssues(fn.errors);
}

/** Every schema violation of an AirbyteMessage, with JSON-pointer paths (`/record/data`). */
export function validateMessage(value: unknown): ValidationIssue[] {
  return run('AirbyteMessage', value);
}

export function validateConfiguredCatalog(value: unknown): ValidationIssue[] {
  return run('ConfiguredAirbyteCatalog', value);
}

export function validateCatalog(value: unknown): ValidationIssue[] {
  return run('AirbyteCatalog', value);
}

export function validateSpec(value: unknown): ValidationIssue[] {
  return run('ConnectorSpecification', value);
}

export function validateStateMessage(value: unknown): ValidationIssue[] {
  return run('AirbyteStateMessage', value);
}
