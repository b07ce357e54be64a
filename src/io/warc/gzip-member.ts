import { constants, crc32, inflateRawSync } from 'node:zlib';
import type { FileWindow } from './file-window.ts';

/** Gzip header flag bits (RFC 1952 §2.3.1). */
const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;
const FRESERVED = 0xe0;

/** Longest gzip header we accept: FNAME/FCOMMENT are NUL-terminated strings of unbounded size. */
const MAX_HEADER_BYTES = 64 << 10;

/**
 * Parses a gzip member header at `pos`. Returns the offset of the deflate data, or a reason why the
 * bytes are not a member header (`'eof'` when the file ends inside the header).
 */
export function gzipHeaderEnd(win: FileWindow, pos: number): number | string {
  const avail = win.ensure(pos, 10);
  if (avail < 10) return 'eof';
  if (win.byte(pos) !== 0x1f || win.byte(pos + 1) !== 0x8b) return 'not a gzip member (bad magic)';
  if (win.byte(pos + 2) !== 8) return 'not a gzip member (compression method is not deflate)';
  const flags = win.byte(pos + 3);
  if (flags & FRESERVED) return 'not a gzip member (reserved flag bits set)';
  let p = pos + 10;
  if (flags & FEXTRA) {
    if (win.ensure(p, 2) < 2) return 'eof';
    p += 2 + (win.byte(p) | (win.byte(p + 1) << 8));
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (!(flags & flag)) continue;
    const avail = win.ensure(p, MAX_HEADER_BYTES);
    const zero = win.view(p, avail).indexOf(0);
    if (zero < 0) return avail < MAX_HEADER_BYTES ? 'eof' : 'gzip header name/comment too long';
    p += zero + 1;
  }
  if (flags & FHCRC) p += 2;
  return p > win.size ? 'eof' : p;
}

/** The result of inflating one member. */
export type MemberResult =
  | { ok: true; data: Buffer; next: number }
  | { ok: false; reason: string; truncated: boolean };

/**
 * Inflates the gzip member whose deflate data starts at `dataStart` (member header at `pos`).
 * Uses zlib's one-shot inflate on the buffered bytes (native, no stream overhead); when the member
 * runs past the buffered bytes the window is doubled and the member inflated again, so typical
 * members (a few KB to a few MB) are inflated exactly once. The trailer's CRC-32 and length are
 * verified: a member that inflates but fails them is corrupt, not merely truncated.
 */
export function inflateMember(win: FileWindow, pos: number, dataStart: number, maxOutputBytes: number): MemberResult {
  let want = Math.max(win.end - dataStart, 1 << 16);
  for (;;) {
    const avail = win.ensure(dataStart, want);
    let data: Buffer;
    let used: number;
    try {
      const r = inflateRawSync(win.view(dataStart, avail), { info: true, maxOutputLength: maxOutputBytes }) as unknown as {
        buffer: Buffer;
        engine: { bytesWritten: number };
      };
      data = r.buffer;
      used = r.engine.bytesWritten;
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'Z_BUF_ERROR') {
        if (dataStart + avail >= win.size) {
          return { ok: false, truncated: true, reason: `truncated gzip member (file ends after ${win.size - pos} compressed bytes)` };
        }
        if (avail > maxOutputBytes) {
          return { ok: false, truncated: false, reason: `gzip member is larger than ${maxOutputBytes} bytes (limit maxMemberBytes)` };
        }
        want = avail * 2;
        continue;
      }
      if (err.code === 'ERR_BUFFER_TOO_LARGE') {
        return { ok: false, truncated: false, reason: `gzip member inflates to more than ${maxOutputBytes} bytes (limit maxMemberBytes)` };
      }
      return { ok: false, truncated: false, reason: `corrupt gzip member: ${err.message}` };
    }
    const trailer = dataStart + used;
    if (win.ensure(trailer, 8) < 8) {
      return { ok: false, truncated: true, reason: 'truncated gzip member (trailer missing)' };
    }
    const t = win.view(trailer, 8);
    const crc = t.readUInt32LE(0);
    const isize = t.readUInt32LE(4);
    if (isize !== data.length % 2 ** 32 || crc !== crc32(data)) {
      return { ok: false, truncated: false, reason: 'corrupt gzip member (CRC-32 or length mismatch)' };
    }
    return { ok: true, data, next: trailer + 8 };
  }
}

/**
 * True when a gzip member that inflates to a WARC record starts at `pos`. Inflates a bounded prefix
 * with a sync flush (no error for a member that continues past it), so it costs microseconds.
 */
export function isWarcMemberAt(win: FileWindow, pos: number): boolean {
  const dataStart = gzipHeaderEnd(win, pos);
  if (typeof dataStart !== 'number') return false;
  // 512 bytes of deflate data hold the record's first line and inflate to at most ~0.5 MiB.
  const avail = Math.min(win.ensure(dataStart, 512), 512);
  try {
    const head = inflateRawSync(win.view(dataStart, avail), {
      finishFlush: constants.Z_SYNC_FLUSH,
      maxOutputLength: 1 << 20,
    });
    return head.length >= 5 && head.toString('latin1', 0, 5) === 'WARC/';
  } catch {
    return false;
  }
}

/**
 * Finds the first WARC gzip member starting in `[from, limit)`, or `limit` if none: the resync
 * point after a corrupt member and the boundary search for partitions.
 */
export function nextWarcMember(win: FileWindow, from: number, limit: number): number {
  let p = from;
  while (p < limit) {
    const avail = win.ensure(p, 1 << 20);
    if (avail <= 0) break;
    const chunk = win.view(p, Math.min(avail, limit - p));
    const hit = chunk.indexOf(0x1f);
    if (hit < 0) {
      p += chunk.length;
      continue;
    }
    const at = p + hit;
    if (isWarcMemberAt(win, at)) return at;
    p = at + 1;
  }
  return limit;
}
