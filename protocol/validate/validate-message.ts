import type { ValidateFunction } from 'ajv';
import { airbyteProtocolSchema } from '../generated/schema.js';
import { createAjv } from './create-ajv.js';
import { toIssues, type ValidationIssue } from './validation-issue.js';

type Definition = 'AirbyteMessage' | 'ConfiguredAirbyteCatalog' | 'AirbyteCatalog' | 'ConnectorSpecification' | 'AirbyteStateMessage';

let ajv: ReturnType<typeof createAjv> | undefined;
const validators = new Map<Definition, ValidateFunction>();

// Each definition compiled on its first use: a connector's read or write needs only the configured
// catalog's, and compiling all five cost ~0.3 s of CPU at every connector start on a loaded machine.
function validator(name: Definition): ValidateFunction {
  let fn = validators.get(name);
  if (fn) return fn;
  if (!ajv) {
    ajv = createAjv();
    const { $id: _ignored, ...schema } = airbyteProtocolSchema as Record<string, unknown>;
    ajv.addSchema(schema, 'airbyte');
  }
  fn = ajv.getSchema(`airbyte#/definitions/${name}`);
  if (!fn) throw new Error(`protocol schema has no definition ${name}`);
  validators.set(name, fn);
  return fn;
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
