import { AirdockError } from './airdock-error.js';

/**
 * The Kafka connectors' failures, one class per thing the user does about it. Messages are static;
 * context carries safe facts only (topic, partition, offset, mechanism, the broker's error type),
 * never bootstrap credentials or message contents.
 */
export abstract class KafkaError extends AirdockError {
  readonly family = 'connector' as const;
}

/** A topic named by the config or catalog does not exist (and the broker does not create it). */
export class KafkaTopicNotFoundError extends KafkaError {
  readonly code = 'AIRDOCK_KAFKA_TOPIC_NOT_FOUND';
  readonly failureType = 'config_error' as const;
  readonly retryable = false;
  protected override defaultHint() { return 'Create the topic, or fix its name (topic_pattern, subscription) in the config'; }
}

/** The broker refused the SASL credentials, or an ACL denies the topic or group. */
export class KafkaAuthError extends KafkaError {
  readonly code = 'AIRDOCK_KAFKA_AUTH';
  readonly failureType = 'config_error' as const;
  readonly retryable = false;
  protected override defaultHint() { return 'Check sasl_mechanism and the username/password in sasl_jaas_config, and the ACLs of that user'; }
}

/** No broker could be reached, or requests timed out: a retry can help. */
export class KafkaUnavailableError extends KafkaError {
  readonly code = 'AIRDOCK_KAFKA_UNAVAILABLE';
  readonly failureType = 'transient_error' as const;
  readonly retryable = true;
  protected override defaultHint() { return 'Check bootstrap_servers and that the brokers are up and reachable; a rerun resumes from the last acknowledged state'; }
}

/** A record is larger than the broker (message.max.bytes), the topic (max.message.bytes) or max_request_size allows. */
export class KafkaMessageTooLargeError extends KafkaError {
  readonly code = 'AIRDOCK_KAFKA_MESSAGE_TOO_LARGE';
  readonly failureType = 'config_error' as const;
  readonly retryable = false;
  protected override defaultHint() { return "Raise the topic's max.message.bytes (and max_request_size), or make the records smaller"; }
}

/** A consumed message cannot be turned into a record (its value is not JSON). */
export class KafkaBadMessageError extends KafkaError {
  readonly code = 'AIRDOCK_KAFKA_BAD_MESSAGE';
  readonly failureType = 'system_error' as const;
  readonly retryable = false;
  protected override defaultHint() { return 'Fix or skip that message (move the group offset past it), or choose the MessageFormat its producer used'; }
}

/** The config asks for something the native Kafka connectors cannot do (a mechanism, a format, a malformed value). */
export class KafkaUnsupportedConfigError extends KafkaError {
  readonly code = 'AIRDOCK_KAFKA_CONFIG';
  readonly failureType = 'config_error' as const;
  readonly retryable = false;
  protected override defaultHint() { return 'See the Kafka section of the README for the supported options, or use the airbyte/ image'; }
}

/** Any other error the broker returned. */
export class KafkaRequestError extends KafkaError {
  readonly code = 'AIRDOCK_KAFKA_REQUEST';
  readonly failureType: 'system_error' | 'transient_error';
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean, options: ConstructorParameters<typeof AirdockError>[1] = {}) {
    super(message, options);
    this.retryable = retryable;
    this.failureType = retryable ? 'transient_error' : 'system_error';
  }
}
