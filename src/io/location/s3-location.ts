import type { BlobData } from '../../storage/index.ts';
import {
  defaultS3Connection, deleteObjects, getObjectBytes, headObject, listObjects, readObjectRange, uploadObject,
  type RangedReadOptions, type S3Connection, type UploadOptions,
} from '../../storage/s3/index.ts';
import { checkRelativePath, compareUtf8, type Location, type LocationEntry, type LocationStat } from './location.ts';

/** How an {@link S3Location} reads, writes and lists. */
export interface S3LocationOptions {
  /** Default: the process-wide connection configured from the environment. */
  connection?: S3Connection;
  /** Ranged-read windows (default 8 MiB, 2 ahead). */
  read?: RangedReadOptions;
  /** Multipart settings (default 8 MiB smallest part, 4 in flight). */
  upload?: UploadOptions;
  /** Keys per ListObjectsV2 page; default 1000 (S3's maximum). */
  listPageSize?: number;
}

/** A {@link Location} under `s3://bucket/prefix/`: paths are keys relative to the prefix. */
export class S3Location implements Location {
  /** The key prefix, empty or ending in `/`. */
  readonly prefix: string;
  readonly connection: S3Connection;

  constructor(readonly bucket: string, prefix = '', private readonly options: S3LocationOptions = {}) {
    const trimmed = prefix.replace(/^\/+|\/+$/g, '');
    this.prefix = trimmed ? `${trimmed}/` : '';
    this.connection = options.connection ?? defaultS3Connection();
  }

  get uri(): string {
    return `s3://${this.bucket}/${this.prefix}`;
  }

  uriOf(path: string): string {
    return `s3://${this.bucket}/${this.key(path)}`;
  }

  async list(prefix = ''): Promise<LocationEntry[]> {
    const out: LocationEntry[] = [];
    for await (const o of listObjects(this.connection, this.bucket, this.prefix + prefix, this.options.listPageSize)) {
      // Directory markers some tools create (`dir/`) are not files.
      if (o.key.endsWith('/')) continue;
      const path = o.key.slice(this.prefix.length);
      out.push({ path, uri: `s3://${this.bucket}/${o.key}`, size: o.size, lastModified: o.lastModified });
    }
    return out.sort((a, b) => compareUtf8(a.path, b.path));
  }

  async stat(path: string): Promise<LocationStat | undefined> {
    const info = await headObject(this.connection, this.bucket, this.key(path));
    return info && { size: info.size, lastModified: info.lastModified };
  }

  readRange(path: string, start = 0, end?: number): AsyncIterable<Uint8Array> {
    return readObjectRange(this.connection, this.bucket, this.key(path), start, end, this.options.read);
  }

  async readBytes(path: string): Promise<Uint8Array> {
    const bytes = await getObjectBytes(this.connection, this.bucket, this.key(path));
    if (!bytes) throw new Error(`${this.uriOf(path)} not found`);
    return bytes;
  }

  async writeFile(path: string, data: BlobData | string): Promise<void> {
    const body = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    await uploadObject(this.connection, this.bucket, this.key(path), body, this.options.upload);
  }

  async delete(path: string): Promise<void> {
    await deleteObjects(this.connection, this.bucket, [this.key(path)]);
  }

  private key(path: string): string {
    return this.prefix + checkRelativePath(path);
  }
}
