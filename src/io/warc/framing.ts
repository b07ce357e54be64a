import { constants, inflateRawSync } from 'node:zlib';
import type { FileWindow } from './file-window.ts';
import { gzipHeaderEnd, inflateMember, nextWarcMember } from './gzip-member.ts';
import { parseWarcHeader, type WarcHeader } from './record-header.ts';

/** One framed record: its header and a view of its content block (valid until the next item). */
export interface RawRecord {
  /** Byte offset of the record (`.warc`) or of its gzip member (`.warc.gz`), see {@link memberRecordPos}. */
  pos: number;
  header: WarcHeader;
  block: Buffer;
  /** Whether `block` views memory of its own (an inflated gzip member) that stays valid after
   *  the next item, so a row may keep a view of it instead of a copy. */
  owned: boolean;
}

/** A span of the file that could not be framed, with the reason and a prefix for the report. */
export interface FramingError {
  pos: number;
  reason: string;
  sample?: string;
}

export type FramedItem = { record: RawRecord } | { bad: FramingError };

/** Limits that keep one hostile record from exhausting memory. */
export interface FramingLimits {
  /** Largest inflated gzip member. */
  maxMemberBytes: number;
  /** Largest record (header + block) in an uncompressed file. */
  maxRecordBytes: number;
}

const SAMPLE_BYTES = 256;
const MAX_HEADER_BYTES = 1 << 20;

/**
 * Position of the `k`-th record inside a gzip member starting at `memberPos`. Writers normally put
 * one record per member (so `k` is 0 and the position is the member offset, which is what a
 * `.warc.gz` index stores); when one member holds several records, a binary fraction keeps
 * positions unique and ordered (a member of n records spans far more than n/2^20 bytes).
 */
export function memberRecordPos(memberPos: number, k: number): number {
  return memberPos + k / 2 ** 20;
}

function sample(buf: Buffer, from: number): string {
  return buf.toString('latin1', from, Math.min(buf.length, from + SAMPLE_BYTES));
}

/** Skips the CR/LF bytes that separate records (WARC requires CRLFCRLF; some writers add more). */
function skipNewlines(buf: Uint8Array, i: number, end: number): number {
  while (i < end && (buf[i] === 0x0d || buf[i] === 0x0a)) i++;
  return i;
}

/** Frames the records of one inflated member. */
function* recordsInMember(data: Buffer, memberPos: number): Generator<FramedItem> {
  let q = skipNewlines(data, 0, data.length);
  for (let k = 0; q < data.length; k++) {
    const pos = memberRecordPos(memberPos, k);
    const header = parseWarcHeader(data, q, Math.min(data.length, q + MAX_HEADER_BYTES));
    if (typeof header === 'string') {
      yield { bad: { pos, reason: header, sample: sample(data, q) } };
      return;
    }
    const blockStart = q + header.headerBytes;
    if (blockStart + header.contentLength > data.length) {
      yield {
        bad: {
          pos,
          reason: `truncated WARC record: Content-Length ${header.contentLength} but its gzip member holds ${data.length - blockStart} bytes`,
          sample: sample(data, q),
        },
      };
      return;
    }
    yield { record: { pos, header, block: data.subarray(blockStart, blockStart + header.contentLength), owned: true } };
    q = skipNewlines(data, blockStart + header.contentLength, data.length);
  }
}

/** Inflates what is there of a broken member, so the report shows which record was lost. */
function partialSample(win: FileWindow, dataStart: number): string | undefined {
  try {
    // 1 KiB of deflate data inflates to at most ~1 MiB, so the output limit cannot be hit.
    const avail = Math.min(win.ensure(dataStart, 1024), 1024);
    const head = inflateRawSync(win.view(dataStart, avail), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: 2 << 20 });
    return head.toString('latin1', 0, Math.min(head.length, SAMPLE_BYTES));
  } catch {
    return undefined;
  }
}

/**
 * Frames the records of gzip members that start in `[start, end)` of a `.warc.gz` file. Framing
 * follows gzip member boundaries, then Content-Length inside each member. A truncated member at the
 * end of the file or a corrupt one mid-file becomes a {@link FramingError}; after a corrupt member
 * reading resumes at the next member that inflates to a WARC record.
 */
export function* frameGzip(win: FileWindow, start: number, end: number, limits: FramingLimits): Generator<FramedItem> {
  let p = start;
  while (p < end && p < win.size) {
    const dataStart = gzipHeaderEnd(win, p);
    if (typeof dataStart !== 'number') {
      const reason = dataStart === 'eof' ? 'truncated gzip member (file ends inside its header)' : dataStart;
      const avail = win.ensure(p, SAMPLE_BYTES);
      yield { bad: { pos: p, reason, sample: win.view(p, avail).toString('latin1') } };
      if (dataStart === 'eof') return;
      p = nextWarcMember(win, p + 1, end);
      continue;
    }
    const r = inflateMember(win, p, dataStart, limits.maxMemberBytes);
    if (!r.ok) {
      yield { bad: { pos: p, reason: r.reason, sample: partialSample(win, dataStart) } };
      if (r.truncated) return;
      p = nextWarcMember(win, p + 1, end);
      continue;
    }
    yield* recordsInMember(r.data, p);
    p = r.next;
  }
}

/**
 * True when a record starts at `pos`: its header parses and its Content-Length leads to the end of
 * the file or to another `WARC/` line, so text that merely quotes a WARC header inside a record's
 * block is not taken for a record start.
 */
function isPlainRecordAt(win: FileWindow, pos: number): boolean {
  const head = win.view(pos, win.ensure(pos, 64 << 10));
  const header = parseWarcHeader(head, 0, head.length);
  if (typeof header === 'string') return false;
  const next = pos + header.headerBytes + header.contentLength;
  if (next > win.size) return false;
  for (let p = next; p < win.size; ) {
    const after = win.peek(p, 4096);
    const at = skipNewlines(after, 0, after.length);
    if (at < after.length) return after.toString('latin1', at, at + 5) === 'WARC/';
    p += after.length;
  }
  return true;
}

/**
 * Finds the next record start (`WARC/` at a line start) in `[from, limit)`, or `limit`. With
 * `validate`, the candidate's Content-Length must land on another record or the end of the file,
 * which skips headers quoted inside a block (partition splitting needs that).
 */
export function nextPlainRecord(win: FileWindow, from: number, limit: number, validate = true): number {
  let p = from;
  while (p < limit) {
    const avail = win.ensure(p, 1 << 20);
    if (avail <= 0) break;
    const chunk = win.view(p, Math.min(avail, limit - p));
    const hit = chunk.indexOf('WARC/');
    if (hit < 0) {
      // Keep the last 4 bytes: a marker may straddle the chunk end.
      p += Math.max(1, chunk.length - 4);
      continue;
    }
    const at = p + hit;
    if ((at === 0 || win.byte(at - 1) === 0x0a) && (!validate || isPlainRecordAt(win, at))) return at;
    p = at + 1;
  }
  return limit;
}

/**
 * Frames the records that start in `[start, end)` of an uncompressed `.warc` file by Content-Length.
 * A malformed header, or a Content-Length that does not land on the next record, is reported and
 * reading resumes at the next `WARC/` record start, so one corrupt length loses one record.
 */
export function* framePlain(win: FileWindow, start: number, end: number, limits: FramingLimits): Generator<FramedItem> {
  let p = start;
  for (;;) {
    // Skip the record separator; bounded so that a long run of blank bytes cannot stall the window.
    for (;;) {
      const avail = win.ensure(p, 4096);
      if (avail <= 0) return;
      const view = win.view(p, avail);
      const skipped = skipNewlines(view, 0, view.length);
      p += skipped;
      if (skipped < view.length) break;
    }
    if (p >= end) return;
    const avail = win.ensure(p, 64 << 10);
    let view = win.view(p, avail);
    let header = parseWarcHeader(view, 0, view.length);
    if (typeof header === 'string' && avail >= 64 << 10) {
      view = win.view(p, win.ensure(p, MAX_HEADER_BYTES));
      header = parseWarcHeader(view, 0, view.length);
    }
    if (typeof header === 'string') {
      yield { bad: { pos: p, reason: header, sample: sample(view, 0) } };
      p = nextPlainRecord(win, p + 1, end);
      continue;
    }
    const total = header.headerBytes + header.contentLength;
    if (total > limits.maxRecordBytes) {
      yield { bad: { pos: p, reason: `WARC record of ${total} bytes exceeds maxRecordBytes (${limits.maxRecordBytes})`, sample: sample(view, 0) } };
      // Jump over it only if its Content-Length lands on the next record (or the end of the file);
      // a corrupt length must not swallow the records behind it.
      p = isPlainRecordAt(win, p) ? p + total : nextPlainRecord(win, p + header.headerBytes, end, false);
      continue;
    }
    const got = win.ensure(p, total);
    if (got < total) {
      const reason = `truncated WARC record: Content-Length ${header.contentLength} but the file ends ${got - header.headerBytes} bytes into the block`;
      yield { bad: { pos: p, reason, sample: sample(win.view(p, got), 0) } };
      // A Content-Length past the end of the file is either a cut file or a corrupt length: in the
      // second case the records after this header are still there, so look for the next one.
      // The next record header is not validated: it may carry a corrupt length too, and must then
      // be reported, not skipped over.
      p = nextPlainRecord(win, p + header.headerBytes, end, false);
      continue;
    }
    const rec = win.view(p, total);
    yield { record: { pos: p, header, block: rec.subarray(header.headerBytes), owned: false } };
    p += total;
  }
}
