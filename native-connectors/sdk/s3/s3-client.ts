import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';

/** How to reach a bucket: what both S3 connectors' configs boil down to. */
export interface S3ConnectionOptions {
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  /** Assume this role (STS) with the credentials above, or the default chain when they are absent. */
  roleArn?: string | undefined;
  /** An S3-compatible endpoint (MinIO, Ceph, moto, R2, ...); empty means AWS. */
  endpoint?: string | undefined;
  region?: string | undefined;
  /** Path-style URLs (`endpoint/bucket/key`). Default: on when an endpoint is given, as most compatible stores need it. */
  pathStyle?: boolean | undefined;
  /**
   * 'WHEN_REQUIRED' for stores that reject the SDK's default CRC32 checksums and aws-chunked
   * uploads (older Ceph, some gateways); the default sends and checks them.
   */
  checksums?: 'WHEN_SUPPORTED' | 'WHEN_REQUIRED' | undefined;
  maxAttempts?: number | undefined;
}

/**
 * An S3 client for the options. Without keys the SDK's default chain applies (environment, shared
 * profile, SSO, container and instance roles), as the official connectors do with boto3/the Java SDK.
 */
export function createS3Client(o: S3ConnectionOptions): S3Client {
  // The pinned SDK supports Node 20; its notice that later releases will not is noise on every run's stderr.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const endpoint = o.endpoint?.trim() || undefined;
  const region = o.region?.trim() || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1';
  const keys = o.accessKeyId && o.secretAccessKey ? { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey } : undefined;
  const config: S3ClientConfig = {
    region,
    maxAttempts: o.maxAttempts ?? 5,
    // A bucket in another region answers 301; follow it instead of failing (boto3 does the same).
    followRegionRedirects: true,
    ...(endpoint ? { endpoint: withScheme(endpoint), forcePathStyle: o.pathStyle ?? true } : o.pathStyle ? { forcePathStyle: true } : {}),
    ...(o.checksums === 'WHEN_REQUIRED' ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } : {}),
  };
  if (o.roleArn) {
    config.credentials = fromTemporaryCredentials({
      params: { RoleArn: o.roleArn, RoleSessionName: 'airdock-s3', ...(process.env.AWS_ASSUME_ROLE_EXTERNAL_ID ? { ExternalId: process.env.AWS_ASSUME_ROLE_EXTERNAL_ID } : {}) },
      ...(keys ? { masterCredentials: keys } : {}),
      clientConfig: { region },
    });
  } else if (keys) {
    config.credentials = keys;
  }
  return new S3Client(config);
}

/** `localhost:9000` works in the official connectors (boto3 adds the scheme); the JS SDK needs one. */
function withScheme(endpoint: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`;
}
