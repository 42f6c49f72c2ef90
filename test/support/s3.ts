/**
 * The S3-compatible server `scripts/setup/s3.sh` starts (moto), for tests: its settings from the
 * services environment, a client, and buckets with unique names that are emptied and removed after.
 */
import { randomBytes } from 'node:crypto';
import {
  CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, GetObjectCommand, ListMultipartUploadsCommand,
  ListObjectsV2Command, PutObjectCommand, S3Client, AbortMultipartUploadCommand,
} from '@aws-sdk/client-s3';
import { requireEnv } from './services.js';

export interface S3TestEnv { endpoint: string; key: string; secret: string; region: string }

export function s3Env(): S3TestEnv {
  return {
    endpoint: requireEnv('AIRDOCK_TEST_S3_ENDPOINT'),
    key: requireEnv('AIRDOCK_TEST_S3_KEY'),
    secret: requireEnv('AIRDOCK_TEST_S3_SECRET'),
    region: requireEnv('AIRDOCK_TEST_S3_REGION'),
  };
}

export function s3Client(): S3Client {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const e = s3Env();
  return new S3Client({ endpoint: e.endpoint, region: e.region, forcePathStyle: true, credentials: { accessKeyId: e.key, secretAccessKey: e.secret } });
}

/** A bucket name unique to this run (S3 names: lower case, digits, dashes; 63 chars at most). */
export function testBucketName(label: string): string {
  return `t-${label.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`.slice(0, 40) + `-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** A fresh bucket named after the test (or exactly `name` when given one from testBucketName). */
export async function createTestBucket(s3: S3Client, label: string, name = testBucketName(label)): Promise<string> {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: name }));
  } catch (err) {
    throw new Error(`Cannot create a bucket on the test S3 server (${(err as Error).message}): run \`sudo bash scripts/ci-setup.sh\` (or \`npm test\`)`, { cause: err });
  }
  return name;
}

export async function removeTestBucket(s3: S3Client, bucket: string): Promise<void> {
  const ups = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  for (const u of ups.Uploads ?? []) await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.Key!, UploadId: u.UploadId! }));
  for (;;) {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    const keys = (page.Contents ?? []).map((c) => ({ Key: c.Key! }));
    if (keys.length === 0) break;
    await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
  }
  await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
}

export async function putObject(s3: S3Client, bucket: string, key: string, body: string | Buffer): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

export async function getObject(s3: S3Client, bucket: string, key: string): Promise<Buffer> {
  const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await r.Body!.transformToByteArray());
}

export async function listKeys(s3: S3Client, bucket: string, prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const r = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, ContinuationToken: token }));
    keys.push(...(r.Contents ?? []).map((c) => c.Key!));
    token = r.IsTruncated ? r.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/** A source-s3 / destination-s3 connection to the test server (the airdock options included). */
export function sourceS3Connection(bucket: string): Record<string, unknown> {
  const e = s3Env();
  return { bucket, endpoint: e.endpoint, region_name: e.region, aws_access_key_id: e.key, aws_secret_access_key: e.secret };
}
