import { ObjectStoreAccessError, ObjectStoreRequestError } from '../../../protocol/index.js';

const ACCESS = new Set(['NoSuchBucket', 'AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AllAccessDisabled',
  'InvalidBucketName', 'PermanentRedirect', 'AuthorizationHeaderMalformed', 'ExpiredToken', 'InvalidToken', 'Forbidden',
  'CredentialsProviderError', 'NoSuchKey', 'NotFound']);

/**
 * Turns an SDK failure into a typed airdock error: refusals (missing bucket, bad keys) are config
 * errors, everything else transient. `what` says which request (context only: never a key value).
 */
export function s3Error(cause: unknown, what: string, context: Record<string, unknown> = {}): ObjectStoreAccessError | ObjectStoreRequestError {
  const name = (cause as { name?: string } | null)?.name ?? '';
  const status = (cause as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  const ctx = { request: what, error: name || undefined, status, ...context };
  if (ACCESS.has(name) || status === 403 || status === 404 || status === 400) {
    return new ObjectStoreAccessError('The object store refused the request', { cause, context: ctx });
  }
  return new ObjectStoreRequestError('A request to the object store failed', { cause, context: ctx });
}
