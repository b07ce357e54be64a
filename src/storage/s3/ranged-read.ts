import { getObjectBytes, headObject } from './get-object.ts';
import type { S3Connection } from './s3-connection.ts';

/** How {@link readObjectRange} cuts a read into requests. */
export interface RangedReadOptions {
  /** Bytes per ranged GET; default 8 MiB. Each window is one retried request, so a dropped connection costs at most one window. */
  windowSize?: number;
  /** Windows fetched ahead of the consumer; default 2. */
  readAhead?: number;
}

export const DEFAULT_READ_WINDOW = 8 << 20;

/**
 * Streams bytes `[start, end)` of an object (to its end when `end` is undefined) as a sequence of
 * ranged GETs, a few windows ahead of the consumer. This is how a task reads its byte range of a
 * big WARC or JSONL object without downloading the rest. Throws when the object is missing or
 * shorter than `end`.
 */
export async function* readObjectRange(conn: S3Connection, bucket: string, key: string, start = 0, end?: number, options: RangedReadOptions = {}): AsyncGenerator<Uint8Array> {
  const windowSize = options.windowSize ?? DEFAULT_READ_WINDOW;
  const readAhead = Math.max(1, options.readAhead ?? 2);
  let stop = end;
  if (stop === undefined) {
    const info = await headObject(conn, bucket, key);
    if (!info) throw new Error(`s3://${bucket}/${key} not found`);
    stop = info.size;
  }
  if (start < 0 || stop < start) throw new Error(`invalid range [${start}, ${stop}) of s3://${bucket}/${key}`);
  const fetchWindow = async (from: number): Promise<Uint8Array> => {
    const to = Math.min(stop, from + windowSize);
    const bytes = await getObjectBytes(conn, bucket, key, [from, to - 1]);
    if (!bytes) throw new Error(`s3://${bucket}/${key} not found`);
    if (bytes.length !== to - from) throw new Error(`s3://${bucket}/${key}: range [${from}, ${to}) returned ${bytes.length} bytes (object shorter than ${stop}?)`);
    return bytes;
  };
  const pending: Promise<Uint8Array>[] = [];
  let next = start;
  const fill = (): void => {
    while (pending.length < readAhead && next < stop) {
      const p = fetchWindow(next);
      // A window fetched ahead may be abandoned when the consumer stops early; its failure then matters to no one.
      p.catch(() => undefined);
      pending.push(p);
      next = Math.min(stop, next + windowSize);
    }
  };
  fill();
  while (pending.length > 0) {
    const bytes = await pending.shift()!;
    fill();
    yield bytes;
  }
}
