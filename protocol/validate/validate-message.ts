import type { ValidateFunction } from 'ajv';
import { airbyteProtocolSchema } from '../generated/schema.js';
import { createAjv } from './create-ajv.js';
import { toIssues, type ValidationIssue } from './validation-issue.js';

type Definition = 'AirbyteMessage' | 'ConfiguredAirbyteCatalog' | 'AirbyteCatalog' | 'ConnectorSpecification' | 'AirbyteStateMessage';

let validators: Map<Definition, ValidateFunction> | undefined;

// Compiled once per process, on first use: compiling costs ~10 ms that `airdock catalog` never pays.
function validator(name: Definition): ValidateFunction {
  if (!validators) {
    const ajv = createAjv();
    const { $id: _ignored, ...schema } = airbyteProtocolSchema as Record<string, unknown>;
    ajv.addSchema(schema, 'airbyte');
    validators = new Map();
    for (const d of ['AirbyteMessage', 'ConfiguredAirbyteCatalog', 'AirbyteCatalog', 'ConnectorSpecification', 'AirbyteStateMessage'] as const) {
      const fn = ajv.getSchema(`airbyte#/definitions/${d}`);
      if (!fn) throw new Error(`protocol schema has no definition ${d}`);
      validators.set(d, fn);
    }
  }
  return validators.get(name)!;
}

function run(name: Definition, value: unknown): ValidationIssue[] {
  const fn = validator(name);
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
