import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyLine } from '../../protocol/index.js';
import { createAjv } from '../../protocol/validate/create-ajv.js';
import { generate, loadProtocolSchema } from '../../protocol/scripts/gen-protocol.js';
import { invalidMessages, validMessages } from '../fixtures/protocol/messages.js';
import { referenceFixture, repoRoot } from '../support/repo-paths.js';

const officialYaml = readFileSync(referenceFixture('airbyte_protocol.yaml'), 'utf8');

// An independent validator built straight from the official file (plus the 0.19 delta), so our
// verdicts are checked against the schema, not against themselves.
const official = (() => {
  const ajv = createAjv();
  const { $id: _ignored, ...schema } = loadProtocolSchema(officialYaml);
  ajv.addSchema(schema, 'official');
  return ajv.getSchema('official#/definitions/AirbyteMessage')!;
})();

const line = (m: object) => Buffer.from(JSON.stringify(m));

describe('protocol types and schema cannot drift from the official schema', () => {
  it('the vendored schema is byte-identical to the official one', () => {
    expect(readFileSync(`${repoRoot}/protocol/schema/airbyte_protocol.yaml`, 'utf8')).toBe(officialYaml);
  });

  it('the generated types, schema module and precompiled validators are what the generator makes today (npm run gen:protocol)', async () => {
    const { schemaTs, typesTs, validatorsTs } = await generate(officialYaml);
    expect(readFileSync(`${repoRoot}/protocol/generated/schema.ts`, 'utf8')).toBe(schemaTs);
    expect(readFileSync(`${repoRoot}/protocol/generated/types.ts`, 'utf8')).toBe(typesTs);
    expect(readFileSync(`${repoRoot}/protocol/generated/validators.ts`, 'utf8')).toBe(validatorsTs);
  });

  it('covers every message type of the schema', () => {
    const types = (loadProtocolSchema(officialYaml).definitions.AirbyteMessage.properties.type.enum as string[]).sort();
    expect(Object.keys(validMessages).sort()).toEqual(types);
    expect(Object.keys(invalidMessages).sort()).toEqual(types);
  });
});

describe.each(Object.keys(validMessages))('%s messages', (type) => {
  it('a valid one is valid for the official schema and for us, in both modes', () => {
    const m = validMessages[type]!;
    expect(official(m)).toBe(true);
    for (const validate of ['full', 'envelope', 'parsed'] as const) {
      const d = classifyLine(line(m), 1, { validate });
      expect(d.kind, `${validate}: ${JSON.stringify(d)}`).toBe('message');
      if (d.kind === 'message') expect(d.type).toBe(type);
    }
  });

  it.each(invalidMessages[type]!.map((m) => [JSON.stringify(m), m] as const))('invalid: %s', (_name, m) => {
    expect(official(m)).toBe(false);
    for (const validate of ['full', 'envelope', 'parsed'] as const) {
      const d = classifyLine(line(m), 1, { validate });
      expect(d.kind, validate).toBe('invalid');
      if (d.kind === 'invalid') {
        expect(d.type).toBe(type);
        expect(d.errors.length).toBeGreaterThan(0);
        for (const e of d.errors) expect(e.path).toMatch(/^\/[a-z_A-Z]+/);
      }
    }
  });
});
