import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A parsed `s3://bucket/key` URI. */
export interface S3Uri {
  bucket: string;
  /** Everything after the bucket's `/`, possibly empty; never starts with `/`. */
  key: string;
}

const S3_SCHEME = 's3://';
// S3's bucket naming rules (3–63 characters of lowercase letters, digits, dots, hyphens), with the
// underscore and uppercase some S3-compatible servers allow.
const BUCKET = /^[A-Za-z0-9][A-Za-z0-9._-]{1,62}$/;

/** Whether `uri` names an object-store location (`s3://…`). */
export function isS3Uri(uri: string): boolean {
  return uri.startsWith(S3_SCHEME);
}

/** Splits `s3://bucket/key` into bucket and key; throws on anything else. */
export function parseS3Uri(uri: string): S3Uri {
  if (!isS3Uri(uri)) throw new Error(`not an s3:// URI: "${uri}"`);
  const rest = uri.slice(S3_SCHEME.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const key = slash < 0 ? '' : rest.slice(slash + 1);
  if (!BUCKET.test(bucket)) throw new Error(`invalid bucket name "${bucket}" in "${uri}"`);
  return { bucket, key };
}

/** `s3://bucket/key`. */
export function formatS3Uri(bucket: string, key: string): string {
  return `${S3_SCHEME}${bucket}/${key}`;
}

/**
 * Appends path segments to a location: `joinUri('s3://b/runs', 'x', 'y.json')` is
 * `s3://b/runs/x/y.json`; for a local path (or `file://` URL) it is `path.join` on the file path.
 */
export function joinUri(base: string, ...parts: string[]): string {
  if (isS3Uri(base)) {
    const segments = [base.replace(/\/+$/, ''), ...parts.map((p) => p.replace(/^\/+|\/+$/g, ''))].filter((s) => s !== '');
    return segments.join('/');
  }
  return join(localPath(base), ...parts);
}

/** The file-system path a local location names (`file://` URLs decoded, relative paths resolved). */
export function localPath(uri: string): string {
  if (uri.startsWith('file://')) return fileURLToPath(uri);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) throw new Error(`unsupported location "${uri}": expected a local path, file:// or s3://`);
  return isAbsolute(uri) ? uri : resolve(uri);
}
