import { closeSync, fstatSync, openSync } from 'node:fs';
import { EMPTY_FILE_REASON } from '../limits.ts';
import type { ReadItem } from '../source.ts';
import { WarcBatchBuilder } from './columns.ts';
import { convertRecord } from './convert.ts';
import { FileWindow } from './file-window.ts';
import { frameGzip, framePlain, type FramedItem } from './framing.ts';
import type { WarcOptions } from './options.ts';
import { frameRemoteWarc } from './remote-window.ts';

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
    const gz = isGzipFile(win);
    const misnamed = !gz && /\.gz$/i.test(range.path) ? ' (the file is named .gz but is not gzip; read as uncompressed WARC)' : '';
    const rows = new WarcRows(range, options, columns, batchSize, misnamed);
    const limits = { maxMemberBytes: options.maxMemberBytes, maxRecordBytes: options.maxRecordBytes };
    const end = Math.min(range.end, win.size);
    const framed = gz ? frameGzip(win, range.start, end, limits) : framePlain(win, range.start, end, limits);
    for (const item of framed) yield* rows.push(item);
    yield* rows.flush();
  } finally {
    closeSync(fd);
  }
}

/** {@link readWarcRange} for an object on S3: the same framing and rows, its bytes fetched with ranged GETs. */
export async function* readRemoteWarcRange(range: WarcRange, options: WarcOptions, columns: readonly string[] | undefined, batchSize: number): AsyncGenerator<ReadItem> {
  const rows = new WarcRows(range, options, columns, batchSize);
  const limits = { maxMemberBytes: options.maxMemberBytes, maxRecordBytes: options.maxRecordBytes };
  for await (const item of frameRemoteWarc(range.path, range.start, range.end, limits)) yield* rows.push(item);
  yield* rows.flush();
}

/** Turns framed records into row batches, skip counts and bad records, whatever the bytes came from. */
class WarcRows {
  private readonly builder: WarcBatchBuilder;
  private readonly decode: boolean;
  private readonly skipped = new Map<string, number>();

  /** `misnamed`: appended to the reason of bad records of a `.gz` file that is not gzip. */
  constructor(private readonly range: WarcRange, private readonly options: WarcOptions, columns: readonly string[] | undefined, private readonly batchSize: number, private readonly misnamed = '') {
    this.builder = new WarcBatchBuilder(columns, range.fileIndex);
    this.decode = this.builder.wantsHtml || !columns || columns.includes('charset');
  }

  *push(item: FramedItem): Generator<ReadItem> {
    if ('bad' in item) {
      yield* this.flush();
      yield { bad: { file: this.range.path, ...item.bad, reason: item.bad.reason + this.misnamed } };
      return;
    }
    const c = convertRecord(item.record, this.options, this.decode);
    if ('row' in c) {
      this.builder.push(c.row);
      if (this.builder.rows >= this.batchSize || this.builder.bytes >= MAX_BATCH_TEXT_BYTES) yield* this.flush();
    } else if ('skip' in c) {
      this.skipped.set(c.skip, (this.skipped.get(c.skip) ?? 0) + 1);
    } else {
      yield* this.flush();
      yield { bad: { file: this.range.path, pos: item.record.pos, reason: c.bad, sample: item.record.block.toString('latin1', 0, 256) } };
    }
  }

  /** Reports the skip counts, then the pending batch. */
  *flush(): Generator<ReadItem> {
    for (const reason of [...this.skipped.keys()].sort()) yield { skipped: { reason, count: this.skipped.get(reason)! } };
    this.skipped.clear();
    if (this.builder.rows > 0) yield { batch: this.builder.flush() };
  }
}
