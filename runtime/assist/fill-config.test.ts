import { describe, expect, it } from 'vitest';
import { parseDescription } from './description.js';
import { fillConfig } from './fill-config.js';
import type { SpecNode } from './spec-node.js';
import { TextView } from './text-view.js';

function fill(text: string, spec: SpecNode) {
  const description = parseDescription(text);
  return fillConfig({ view: new TextView(description.tokens), description, spec, technicalName: 'source-test' });
}

const spec: SpecNode = {
  type: 'object',
  required: ['host'],
  properties: {
    host: { type: 'string', title: 'Host' },
    replica: {
      type: 'object',
      title: 'Read replica',
      required: ['replica_host'],
      properties: { replica_host: { type: 'string', title: 'Replica host' }, replica_port: { type: 'integer', default: 5432 } },
    },
  },
};

describe('fillConfig', () => {
  it('asks nothing about an optional object the description does not mention', () => {
    const r = fill('host db.internal', spec);
    expect(r.config).toEqual({ host: 'db.internal' });
    expect(r.questions.map((q) => q.path)).toEqual([]);
  });

  it('still asks for what a required field lacks', () => {
    const r = fill('a database', spec);
    expect(r.questions.map((q) => q.path)).toEqual(['host']);
  });
});
