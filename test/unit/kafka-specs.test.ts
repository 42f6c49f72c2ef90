import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jaasCredentials, kafkaClientConfig } from '../../native-connectors/sdk/kafka/index.js';
import { repoRoot, referenceFixture } from '../support/repo-paths.js';

const subset = JSON.parse(readFileSync(referenceFixture('airbyte-registry-specs-subset.json'), 'utf8')) as { sources: { dockerRepository: string; dockerImageTag: string; spec: unknown }[]; destinations: { dockerRepository: string; dockerImageTag: string; spec: unknown }[] };
const official = (repo: string) => [...subset.sources, ...subset.destinations].find((e) => e.dockerRepository === repo)!;
const ours = (name: string) => JSON.parse(readFileSync(`${repoRoot}/native-connectors/${name}/spec.json`, 'utf8')) as unknown;

describe('the Kafka connectors take the official configs', () => {
  it.each([['source-kafka', '0.4.2'], ['destination-kafka', '0.1.11']])('native %s vendors the spec of airbyte/%s %s unchanged', (name, tag) => {
    const o = official(`airbyte/${name}`);
    expect(o.dockerImageTag).toBe(tag);
    expect(ours(name)).toEqual(o.spec);
  });
});

describe('jaasCredentials', () => {
  it('reads username and password from PLAIN and SCRAM login lines, quoted or not', () => {
    expect(jaasCredentials('org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="s3cr\\"et";')).toEqual({ username: 'alice', password: 's3cr"et' });
    expect(jaasCredentials('org.apache.kafka.common.security.scram.ScramLoginModule required password=pw username=bob;')).toEqual({ username: 'bob', password: 'pw' });
  });

  it('a line without a password is a config error that does not echo the line', () => {
    const line = 'org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" passwd="hunter2";';
    let error: unknown;
    try { jaasCredentials(line); } catch (e) { error = e; }
    expect(error).toMatchObject({ code: 'AIRDOCK_KAFKA_CONFIG', failureType: 'config_error' });
    expect(JSON.stringify((error as { toJSON(): unknown }).toJSON())).not.toContain('hunter2');
  });
});

describe('kafkaClientConfig', () => {
  const jaas = 'org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="p";';
  it('maps the protocol block to kafkajs settings', () => {
    expect(kafkaClientConfig({ bootstrap_servers: ' a:9092, b:9093 ', protocol: { security_protocol: 'PLAINTEXT' } }, 'id')).toMatchObject({ brokers: ['a:9092', 'b:9093'], clientId: 'id' });
    expect(kafkaClientConfig({ bootstrap_servers: 'a:1', protocol: { security_protocol: 'SASL_SSL', sasl_mechanism: 'SCRAM-SHA-512', sasl_jaas_config: jaas } }, 'id'))
      .toMatchObject({ ssl: true, sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' } });
    expect(kafkaClientConfig({ bootstrap_servers: 'a:1', protocol: { security_protocol: 'SASL_PLAINTEXT', sasl_mechanism: 'PLAIN', sasl_jaas_config: jaas } }, 'id'))
      .toMatchObject({ ssl: false, sasl: { mechanism: 'plain' } });
  });

  it.each(['GSSAPI', 'OAUTHBEARER', 'AWS_MSK_IAM'])('%s is a clear config error', (mechanism) => {
    expect(() => kafkaClientConfig({ bootstrap_servers: 'a:1', protocol: { security_protocol: 'SASL_SSL', sasl_mechanism: mechanism, sasl_jaas_config: jaas } }, 'id'))
      .toThrow(expect.objectContaining({ code: 'AIRDOCK_KAFKA_CONFIG' }));
  });
});
