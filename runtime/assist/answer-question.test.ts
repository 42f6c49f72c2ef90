import { describe, expect, it } from 'vitest';
import { bundledSpec } from './bundled-specs.js';
import { answerQuestion } from './answer-question.js';
import type { ConnectorDraft } from './draft-from-text.js';
import type { SpecNode } from './spec-node.js';

function draft(config: Record<string, unknown>): ConnectorDraft {
  return {
    role: 'source', technicalName: 'source-postgres', displayName: 'Postgres', specOrigin: 'bundled',
    spec: bundledSpec('source-postgres')!.connectionSpecification as SpecNode,
    config, origins: [], questions: [], env: [], notes: [], issues: [],
  };
}

describe('answerQuestion', () => {
  it('types answers by the field, picks options by number, and re-asks what an option requires', () => {
    const d = draft({ host: 'h', port: 5432 });
    answerQuestion(d, 'database', 'shop');
    answerQuestion(d, 'port', '6432');
    answerQuestion(d, 'replication_method', '1');
    expect(d.config).toMatchObject({ database: 'shop', port: 6432, replication_method: { method: 'CDC' } });
    expect(d.questions.map((q) => q.path)).toEqual(['username', 'replication_method.replication_slot', 'replication_method.publication']);
    expect(() => answerQuestion(d, 'port', 'many')).toThrow(/Expected a number/);
  });

  it('adds the password placeholder when the user is answered, and never takes a secret', () => {
    const d = draft({ host: 'h', port: 5432, database: 'db' });
    answerQuestion(d, 'username', 'etl');
    expect(d.config.password).toBe('${POSTGRES_PASSWORD}');
    expect(d.env).toEqual([{ variable: 'POSTGRES_PASSWORD', path: 'password', fromText: false }]);
    expect(d.questions).toEqual([]);
    expect(() => answerQuestion(d, 'password', 'hunter2')).toThrow(/Secrets are never written/);
  });
});
