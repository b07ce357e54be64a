import { WARC_FIELDS } from './columns.ts';
import { parseWarcOptions } from './options.ts';
import { warcPartitions } from './partitions.ts';
import { readRemoteWarcRange, readWarcRange } from './read-range.ts';
import { isRemoteInput } from '../location/input-file.ts';
import type { ReadItem, SourceReader } from '../source.ts';

export { warcOptionsSchema, type WarcOptions } from './options.ts';

/**
 * The `warc` source: one row per `response` record with an HTML payload (configurable), from
 * `.warc` and multi-member `.warc.gz` files (WARC/1.0, 1.1, 0.17, 0.18).
 *
 * Columns: `id` (WARC-Record-ID), `url` (WARC-Target-URI, `<…>` stripped), `date` (WARC-Date),
 * `html` (body decoded to UTF-8), `content_type` (HTTP media type), `charset` (encoding used),
 * `http_status`, and `__file`/`__pos` (offset of the record, or of its gzip member).
 * Other records are reported as `skipped` items by reason (`non_response:<WARC-Type>`,
 * `non_http_response`, `content_type`, `http_status`); truncated members and malformed records
 * as `bad` items, and the read goes on. Partitions split files at record (member) starts.
 */
export const warcReader: SourceReader = {
  format: 'warc',

  async inspect() {
    return WARC_FIELDS.map((f) => ({ ...f }));
  },

  async partitions(spec, targetBytes) {
    parseWarcOptions(spec.options);
    return warcPartitions(spec.paths, targetBytes);
  },

  async *read(spec, partition, request): AsyncIterable<ReadItem> {
    const options = parseWarcOptions(spec.options);
    const fileIndex = partition.fileIndex ?? 0;
    const path = partition.file ?? spec.paths[fileIndex];
    if (path === undefined) throw new Error(`warc source: partition ${partition.index} names no file`);
    yield* (isRemoteInput(path) ? readRemoteWarcRange : readWarcRange)(
      { path, fileIndex, start: partition.start ?? 0, end: partition.end ?? Infinity },
      options,
      request.columns,
      request.batchSize,
    );
  },
};
