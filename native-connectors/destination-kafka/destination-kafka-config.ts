import { KafkaUnsupportedConfigError } from '../../protocol/index.js';
import type { KafkaConnectionConfig } from '../sdk/kafka/index.js';
import { COMPRESSION_TYPES } from '../sdk/kafka/index.js';

/** The official destination-kafka 0.1.11 config (spec.json); the numeric fields may come as strings. */
export interface DestinationKafkaConfig extends KafkaConnectionConfig {
  topic_pattern: string;
  test_topic?: string;
  sync_producer?: boolean;
  acks?: '0' | '1' | 'all';
  enable_idempotence?: boolean;
  compression_type?: string;
  batch_size?: number | string;
  linger_ms?: number | string;
  max_in_flight_requests_per_connection?: number | string;
  buffer_memory?: number | string;
  max_request_size?: number | string;
  retries?: number | string;
  delivery_timeout_ms?: number | string;
}

/** How the producer pipeline sends. */
export interface ProducerSettings {
  acks: -1 | 0 | 1;
  idempotent: boolean;
  compression: number;
  /** A send starts once this many bytes wait (Java's batch.size) ... */
  batchBytes: number;
  /** ... or the oldest waiting record is this old (Java's linger.ms). */
  lingerMs: number;
  maxInFlight: number;
  /** One send never carries more (Java's max.request.size); a single larger record is refused. */
  maxRequestBytes: number;
  /** Bytes waiting or in flight before the input is paused (Java's buffer.memory). */
  bufferBytes: number;
  retries: number;
  deliveryTimeoutMs: number;
  requestTimeoutMs: number;
  sync: boolean;
}

const num = (v: number | string | undefined, fallback: number): number => {
  const n = typeof v === 'string' ? Number(v.trim()) : v;
  return n === undefined || Number.isNaN(n) || (typeof v === 'string' && v.trim() === '') ? fallback : n;
};

export function producerSettings(c: DestinationKafkaConfig): ProducerSettings {
  const acks = c.acks === 'all' ? -1 : c.acks === '0' ? 0 : 1;
  const idempotent = c.enable_idempotence === true;
  if (idempotent && acks !== -1) {
    // the Java producer refuses this combination too
    throw new KafkaUnsupportedConfigError('enable_idempotence needs acks "all"', { context: { field: 'acks', acks: c.acks } });
  }
  const compression = COMPRESSION_TYPES[(c.compression_type ?? 'none').toLowerCase()];
  if (compression === undefined) throw new KafkaUnsupportedConfigError('Unknown compression_type', { context: { field: 'compression_type', value: c.compression_type } });
  const maxInFlight = Math.max(1, num(c.max_in_flight_requests_per_connection, 5));
  return {
    acks, idempotent, compression,
    batchBytes: Math.max(1, num(c.batch_size, 16_384)),
    lingerMs: Math.max(0, num(c.linger_ms, 0)),
    // kafkajs allows one in-flight request with idempotence (it keeps sequence numbers per send)
    maxInFlight: idempotent ? 1 : maxInFlight,
    maxRequestBytes: Math.max(1024, num(c.max_request_size, 1_048_576)),
    bufferBytes: Math.max(1_048_576, num(c.buffer_memory, 33_554_432)),
    retries: Math.max(0, Math.min(num(c.retries, 5), 1_000_000)),
    deliveryTimeoutMs: Math.max(1_000, num(c.delivery_timeout_ms, 120_000)),
    requestTimeoutMs: Math.max(1_000, num(c.request_timeout_ms, 30_000)),
    sync: c.sync_producer === true,
  };
}
