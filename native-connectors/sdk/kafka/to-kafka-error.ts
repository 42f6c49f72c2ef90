import { isAirdockError, KafkaAuthError, KafkaMessageTooLargeError, KafkaRequestError, KafkaTopicNotFoundError, KafkaUnavailableError } from '../../../protocol/index.js';

interface KafkaJsErrorLike { name?: string; message?: string; type?: string; retriable?: boolean; cause?: unknown; errors?: unknown[] }

const AUTH_TYPES = new Set(['SASL_AUTHENTICATION_FAILED', 'TOPIC_AUTHORIZATION_FAILED', 'GROUP_AUTHORIZATION_FAILED', 'CLUSTER_AUTHORIZATION_FAILED', 'ILLEGAL_SASL_STATE', 'UNSUPPORTED_SASL_MECHANISM']);
const TOO_LARGE_TYPES = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);
const UNAVAILABLE_NAMES = new Set(['KafkaJSConnectionError', 'KafkaJSConnectionClosedError', 'KafkaJSRequestTimeoutError', 'KafkaJSBrokerNotFound', 'KafkaJSNoBrokerAvailableError', 'KafkaJSGroupCoordinatorNotFound', 'KafkaJSTimeout']);

/**
 * An airdock error for whatever kafkajs threw: the innermost cause decides (kafkajs wraps the real
 * error in retry and aggregate errors). `doing` says what the connector was doing, for the context.
 * kafkajs messages carry no credentials; they are kept as `cause`, never in our message.
 */
export function toKafkaError(error: unknown, doing: string, context: Record<string, unknown> = {}) {
  if (isAirdockError(error)) return error;
  const chain = causes(error);
  const ctx = (e: KafkaJsErrorLike) => ({ doing, ...context, ...(e.type ? { brokerError: e.type } : {}) });
  for (const e of chain) {
    if (e.name === 'KafkaJSSASLAuthenticationError' || (e.type && AUTH_TYPES.has(e.type))) {
      return new KafkaAuthError(e.type?.includes('AUTHORIZATION') ? 'The broker denied access (ACL)' : 'The broker refused the SASL credentials', { cause: error, context: ctx(e) });
    }
    if (e.type === 'UNKNOWN_TOPIC_OR_PARTITION' || e.type === 'INVALID_TOPIC_EXCEPTION') {
      return new KafkaTopicNotFoundError('The topic does not exist', { cause: error, context: ctx(e) });
    }
    if (e.type && TOO_LARGE_TYPES.has(e.type)) return new KafkaMessageTooLargeError('The broker rejected a record as too large', { cause: error, context: ctx(e) });
    if (/certificate|self[- ]signed|CERT_|SSL routines/i.test(e.message ?? '')) {
      return new KafkaAuthError("The broker's TLS certificate is not trusted", {
        cause: error, context: { doing, ...context },
        hint: 'Add the CA that signed the broker certificate with NODE_EXTRA_CA_CERTS=<pem file>',
      });
    }
  }
  const unavailable = chain.find((e) => e.name && UNAVAILABLE_NAMES.has(e.name));
  if (unavailable) return new KafkaUnavailableError('No Kafka broker could be reached, or a request timed out', { cause: error, context: ctx(unavailable) });
  const inner = chain[chain.length - 1] ?? {};
  const retriable = chain.some((e) => e.retriable === true) && !chain.some((e) => e.name === 'KafkaJSNonRetriableError' && e.cause === undefined);
  return new KafkaRequestError('The Kafka broker returned an error', retriable, { cause: error, context: { ...ctx(inner), kafkajsError: inner.name } });
}

function causes(error: unknown): KafkaJsErrorLike[] {
  const out: KafkaJsErrorLike[] = [];
  const seen = new Set<unknown>();
  const walk = (e: unknown) => {
    if (!e || typeof e !== 'object' || seen.has(e)) return;
    seen.add(e);
    out.push(e as KafkaJsErrorLike);
    const x = e as KafkaJsErrorLike;
    walk(x.cause);
    for (const inner of x.errors ?? []) walk(inner);
  };
  walk(error);
  // innermost first: the wrappers (retries exceeded, aggregate) say less than what they wrap
  return out.reverse();
}
