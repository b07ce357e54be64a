import { closeSync, fstatSync, openSync } from 'node:fs';
import { EMPTY_FILE_REASON } from '../limits.ts';
import type { ReadItem } from '../source.ts';
import { WarcBatchBuilder } from './columns.ts';
import { convertRecord } from './convert.ts';
import { FileWindow } from './file-window.ts';
import { frameGzip, framePlain } from './framing.ts';
import type { WarcOptions } from './options.ts';

/** What to read: one file's byte range `[start, end)` (record or member starts inside it). */
export interface WarcRange {
  path: string;
  fileIndex: number;
  start: number;
  /** Exclusive; `Infinity` reads to the end of the file. */
  end: number;
}

/** Batches are cut at this many text bytes too, far below Utf8's 2 GiB offset limit. */
const MAX_BATCH_TEXT_BYTES = 64 << 20;

/** True when the file starts with the gzip magic; empty files count as uncompressed. */
export function isGzipFile(win: FileWindow): boolean {
  return win.ensure(0, 2) >= 2 && win.byte(0) === 0x1f && win.byte(1) === 0x8b;
}

/**
 * Reads one range of a WARC file into Arrow batches, in file order. Skipped records are counted by
 * reason and reported before each batch and at the end (`skipped` items); records that cannot be
 * read are `bad` items emitted in position order (the pending batch is flushed first).
 */
export function* readWarcRange(range: WarcRange, options: WarcOptions, columns: readonly string[] | undefined, batchSize: number): Generator<ReadItem> {
  const fd = openSync(range.path, 'r');
  try {
    const win = new FileWindow(fd, fstatSync(fd).size);
    if (win.size === 0) {
      yield { bad: { file: range.path, pos: 0, reason: EMPTY_FILE_REASON } };
      return;
    }
    const builder = new WarcBatchBuilder(columns, range.fileIndex);
    const decode = builder.wantsHtml || !columns || columns.includes('charset');
    const skipped = new Map<string, number>();
    const flush = function* (): Generator<ReadItem> {
      for (const reason of [...skipped.keys()].sort()) yield { skipped: { reason, count: skipped.get(reason)! } };
      skipped.clear();
      if (builder.rows > 0) yield { batch: builder.flush() };
    };
    const limits = { maxMemberBytes: options.maxMemberBytes, maxRecordBytes: options.maxRecordBytes };
    const end = Math.min(range.end, win.size);
    const gz = isGzipFile(win);
    const misnamed = !gz && /\.gz$/i.test(range.path) ? ' (the file is named .gz but is not gzip; read as uncompressed WARC)' : '';
    const framed = gz ? frameGzip(win, range.start, end, limits) : framePlain(win, range.start, end, limits);
    for (const item of framed) {
      if ('bad' in item) {
        yield* flush();
        yield { bad: { file: range.path, ...item.bad, reason: item.bad.reason + misnamed } };
        continue;
      }
      const c = convertRecord(item.record, options, decode);
      if ('row' in c) {
        builder.push(c.row);
        if (builder.rows >= batchSize || builder.bytes >= MAX_BATCH_TEXT_BYTES) yield* flush();
      } else if ('skip' in c) {
        skipped.set(c.skip, (skipped.get(c.skip) ?? 0) + 1);
      } else {
        yield* flush();
        yield { bad: { file: range.path, pos: item.record.pos, reason: c.bad, sample: item.record.block.toString('latin1', 0, 256) } };
      }
    }
    yield* flush();
  } finally {
    closeSync(fd);
  }
}
