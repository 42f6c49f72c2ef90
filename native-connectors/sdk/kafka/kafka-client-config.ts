import kafkajs, { type KafkaConfig, type SASLOptions } from 'kafkajs';
import { KafkaUnsupportedConfigError } from '../../../protocol/index.js';
import { jaasCredentials } from './jaas-credentials.js';

/** The connection part both official Kafka specs share. */
export interface KafkaConnectionConfig {
  bootstrap_servers: string;
  client_id?: string;
  protocol?: { security_protocol?: string; sasl_mechanism?: string; sasl_jaas_config?: string };
  request_timeout_ms?: number;
  socket_connection_setup_timeout_ms?: number | string;
  retry_backoff_ms?: number;
}

const LEVELS: Record<number, string> = { 1: 'ERROR', 2: 'WARN', 4: 'INFO', 5: 'DEBUG' };
const MECHANISMS: Record<string, SASLOptions['mechanism']> = { PLAIN: 'plain', 'SCRAM-SHA-256': 'scram-sha-256', 'SCRAM-SHA-512': 'scram-sha-512' };

/**
 * kafkajs client settings from an official config. SASL_SSL uses Node's CA store (add a private CA
 * with NODE_EXTRA_CA_CERTS, as the JVM connectors use the JVM trust store). kafkajs logs go to stderr:
 * stdout carries only protocol messages.
 */
export function kafkaClientConfig(c: KafkaConnectionConfig, defaultClientId: string): KafkaConfig {
  const brokers = c.bootstrap_servers.split(',').map((s) => s.trim().replace(/^[A-Za-z_]+:\/\//, '')).filter(Boolean);
  if (brokers.length === 0) throw new KafkaUnsupportedConfigError('bootstrap_servers lists no host:port', { context: { field: 'bootstrap_servers' } });
  const securityProtocol = (c.protocol?.security_protocol ?? 'PLAINTEXT').toUpperCase();
  const out: KafkaConfig = {
    brokers,
    clientId: c.client_id || defaultClientId,
    logLevel: kafkajs.logLevel.WARN,
    logCreator: () => ({ level, log }) => {
      process.stderr.write(`[kafkajs] ${LEVELS[level] ?? level} ${log.message}${log.error ? `: ${String(log.error)}` : ''}\n`);
    },
    ...(c.request_timeout_ms ? { requestTimeout: Number(c.request_timeout_ms) } : {}),
    ...(c.socket_connection_setup_timeout_ms ? { connectionTimeout: Number(c.socket_connection_setup_timeout_ms) } : {}),
    // explicit, so NODE_ENV=test (which switches kafkajs to other retry defaults) changes nothing
    retry: { retries: 5, initialRetryTime: Number(c.retry_backoff_ms) || 300, maxRetryTime: 30_000 },
  };
  if (securityProtocol === 'PLAINTEXT') return out;
  if (securityProtocol !== 'SASL_PLAINTEXT' && securityProtocol !== 'SASL_SSL') {
    throw new KafkaUnsupportedConfigError('Unknown security_protocol', { context: { field: 'protocol.security_protocol', value: securityProtocol } });
  }
  const mechanismName = (c.protocol?.sasl_mechanism ?? 'PLAIN').toUpperCase();
  const mechanism = MECHANISMS[mechanismName];
  if (!mechanism) {
    throw new KafkaUnsupportedConfigError('This SASL mechanism is not supported by the native Kafka connectors', {
      context: { field: 'protocol.sasl_mechanism', mechanism: mechanismName, supported: Object.keys(MECHANISMS).join(', ') },
    });
  }
  const { username, password } = jaasCredentials(c.protocol?.sasl_jaas_config ?? '');
  return { ...out, ssl: securityProtocol === 'SASL_SSL', sasl: { mechanism, username, password } as SASLOptions };
}
