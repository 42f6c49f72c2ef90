import { KafkaUnsupportedConfigError } from '../../protocol/index.js';
import type { KafkaConnectionConfig } from '../sdk/kafka/index.js';

/** The official source-kafka 0.4.2 config (spec.json). */
export interface SourceKafkaConfig extends KafkaConnectionConfig {
  subscription: { subscription_type: 'subscribe'; topic_pattern: string } | { subscription_type: 'assign'; topic_partitions: string };
  group_id?: string;
  test_topic?: string;
  auto_offset_reset?: 'latest' | 'earliest' | 'none';
  MessageFormat?: { deserialization_type?: string };
  max_records_process?: number;
  max_poll_records?: number;
  polling_time?: number;
  repeated_calls?: number;
  enable_auto_commit?: boolean;
}

/** The settings a read uses, with the official connector's defaults filled in. */
export interface ResolvedSourceKafkaConfig {
  autoOffsetReset: 'latest' | 'earliest' | 'none';
  maxRecords: number;
  maxPollRecords: number;
  pollingTimeMs: number;
  repeatedCalls: number;
}

export function resolveSourceKafkaConfig(c: SourceKafkaConfig): ResolvedSourceKafkaConfig {
  const format = (c.MessageFormat?.deserialization_type ?? 'JSON').toUpperCase();
  if (format !== 'JSON') {
    throw new KafkaUnsupportedConfigError('This MessageFormat is not supported yet by native:source-kafka', {
      context: { field: 'MessageFormat.deserialization_type', format },
      hint: 'Use MessageFormat JSON, or the airbyte/source-kafka image for AVRO with a schema registry',
    });
  }
  return {
    autoOffsetReset: c.auto_offset_reset ?? 'latest',
    // the official connector's defaults when the field is absent (KafkaSourceConfig / JsonFormat)
    maxRecords: c.max_records_process ?? 100_000,
    maxPollRecords: Math.max(1, c.max_poll_records ?? 500),
    pollingTimeMs: Math.max(1, c.polling_time ?? 100),
    repeatedCalls: Math.max(0, c.repeated_calls ?? 3),
  };
}
