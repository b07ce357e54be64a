import { readSync } from 'node:fs';

/**
 * A forward-only window over a file: callers ask for a byte range and get a view of it without the
 * file ever being read whole. Reads are large (default 4 MiB) so that per-read syscall cost is
 * negligible; synchronous reads are deliberate, readers run in worker threads and the framing loop
 * is CPU-bound anyway.
 *
 * Views returned by {@link view} are valid only until the next {@link ensure} (compaction moves bytes).
 */
export class FileWindow {
  private buf: Buffer;
  /** File offset of `buf[0]`. */
  private base = 0;
  /** Bytes of `buf` holding file data. */
  private len = 0;

  constructor(
    private readonly fd: number,
    readonly size: number,
    chunkBytes = 4 << 20,
  ) {
    this.buf = Buffer.allocUnsafe(Math.min(chunkBytes, Math.max(size, 64)));
  }

  /** File offset one past the last buffered byte. */
  get end(): number {
    return this.base + this.len;
  }

  /** True when the buffered bytes reach the end of the file. */
  get atEof(): boolean {
    return this.end >= this.size;
  }

  /**
   * Makes at least `n` bytes from file offset `pos` available (fewer at end of file) and returns how
   * many bytes from `pos` are buffered. `pos` must not go backwards past the window start.
   */
  ensure(pos: number, n: number): number {
    if (pos < this.base) throw new Error(`FileWindow: position ${pos} is before the window (${this.base})`);
    const want = Math.min(n, this.size - pos);
    if (pos + want <= this.end) return this.end - pos;
    if (pos >= this.end) {
      this.base = pos;
      this.len = 0;
    } else if (pos > this.base) {
      this.buf.copy(this.buf, 0, pos - this.base, this.len);
      this.len -= pos - this.base;
      this.base = pos;
    }
    if (want > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(want, Math.min(this.buf.length * 2, this.size - pos)));
      this.buf.copy(grown, 0, 0, this.len);
      this.buf = grown;
    }
    while (this.len < this.buf.length && this.end < this.size) {
      const got = this.readAt(this.buf, this.len, this.buf.length - this.len, this.end);
      if (got === 0) break;
      this.len += got;
    }
    return this.end - pos;
  }

  /** A view of buffered bytes `[pos, pos + n)`; call {@link ensure} first. */
  view(pos: number, n: number): Buffer {
    const from = pos - this.base;
    return this.buf.subarray(from, Math.min(from + n, this.len));
  }

  /** Reads `[pos, pos + n)` without moving the window (a look-ahead far past the window start). */
  peek(pos: number, n: number): Buffer {
    const want = Math.max(0, Math.min(n, this.size - pos));
    if (pos >= this.base && pos + want <= this.end) return Buffer.from(this.view(pos, want));
    const out = Buffer.allocUnsafe(want);
    let got = 0;
    while (got < want) {
      const r = this.readAt(out, got, want - got, pos + got);
      if (r === 0) break;
      got += r;
    }
    return out.subarray(0, got);
  }

  /** Fills `buf[off, off + len)` from file offset `pos`; returns the bytes read (0 at end of data). The one place bytes come from. */
  protected readAt(buf: Buffer, off: number, len: number, pos: number): number {
    return readSync(this.fd, buf, off, len, pos);
  }

  /** Reads a single buffered byte (after {@link ensure}). */
  byte(pos: number): number {
    return this.buf[pos - this.base]!;
  }
}
