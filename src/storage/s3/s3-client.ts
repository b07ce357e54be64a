import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { addContentMd5ForDeleteObjects } from './content-md5.ts';

/** Static credentials; without them the SDK's default provider chain is used. */
export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Where and how to reach the object store. Every field is optional: the defaults follow the AWS conventions. */
export interface S3ClientOptions {
  /**
   * Endpoint URL of an S3-compatible server. Default: `AWS_ENDPOINT_URL_S3`, else
   * `AWS_ENDPOINT_URL`, else the SDK's own resolution (AWS S3, or `endpoint_url` in the config file).
   */
  endpoint?: string;
  /**
   * Default: `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the SDK chain (the profile's `region` in
   * `~/.aws/config`); with a custom endpoint and none of these, `us-east-1`.
   */
  region?: string;
  /** Path-style addressing (`http://host/bucket/key`), which most self-hosted servers need. Default: `SLUICE_S3_PATH_STYLE=1`. */
  forcePathStyle?: boolean;
  /** Default: the SDK's provider chain (`AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, `AWS_PROFILE`, SSO, instance roles…). */
  credentials?: S3Credentials;
  /** Sockets kept per host; default 32. */
  maxSockets?: number;
  /** Environment to read instead of `process.env` (tests). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The endpoint, region and addressing style the options and environment variables give (undefined: the SDK's chain decides). */
export interface ResolvedS3Settings {
  endpoint: string | undefined;
  region: string | undefined;
  forcePathStyle: boolean;
}

/** Applies the documented defaults of {@link S3ClientOptions}. */
export function resolveS3Settings(options: S3ClientOptions = {}): ResolvedS3Settings {
  const env = options.env ?? process.env;
  const endpoint = options.endpoint ?? (env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined);
  const region = options.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined);
  const forcePathStyle = options.forcePathStyle ?? env.SLUICE_S3_PATH_STYLE === '1';
  return { endpoint, region, forcePathStyle };
}

/**
 * An SDK v3 client configured for sluice: the SDK's own retries are off (`maxAttempts: 1`) because
 * {@link S3Connection} retries whole operations, body reads included; checksums are computed and
 * validated only where the API requires them unless `AWS_REQUEST_CHECKSUM_CALCULATION` /
 * `AWS_RESPONSE_CHECKSUM_VALIDATION` say otherwise (the SDK's default CRC32 trailers on streamed
 * uploads are refused by Swift and mangled by other S3-compatible servers); DeleteObjects sends
 * `Content-MD5`.
 */
export function createS3Client(options: S3ClientOptions = {}): S3Client {
  const env = options.env ?? process.env;
  const settings = resolveS3Settings(options);
  const config: S3ClientConfig = {
    forcePathStyle: settings.forcePathStyle,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 120_000, httpAgent: { keepAlive: true, maxSockets: options.maxSockets ?? 32 }, httpsAgent: { keepAlive: true, maxSockets: options.maxSockets ?? 32 } },
  };
  if (settings.endpoint) config.endpoint = settings.endpoint;
  if (settings.region) config.region = settings.region;
  else if (settings.endpoint) config.region = regionOrUsEast1;
  if (options.credentials) config.credentials = options.credentials;
  if (!env.AWS_REQUEST_CHECKSUM_CALCULATION) config.requestChecksumCalculation = 'WHEN_REQUIRED';
  if (!env.AWS_RESPONSE_CHECKSUM_VALIDATION) config.responseChecksumValidation = 'WHEN_REQUIRED';
  const client = new S3Client(config);
  addContentMd5ForDeleteObjects(client);
  return client;
}

/**
 * The SDK chain's region (the profile in `~/.aws/config`), else `us-east-1`: most S3-compatible
 * servers ignore the region but SigV4 needs one, and the SDK refuses to sign without.
 */
async function regionOrUsEast1(): Promise<string> {
  const probe = new S3Client({});
  try {
    return await probe.config.region();
  } catch {
    return 'us-east-1';
  } finally {
    probe.destroy();
  }
}
