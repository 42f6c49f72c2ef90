/** What the Kafka source and destination share: client settings from the official configs, codecs, errors. */
export { kafkaClientConfig, type KafkaConnectionConfig } from './kafka-client-config.js';
export { jaasCredentials } from './jaas-credentials.js';
export { registerCompressionCodecs, COMPRESSION_TYPES } from './register-codecs.js';
export { toKafkaError } from './to-kafka-error.js';
export { prefetchFetchesOf } from './prefetching-fetch.js';
