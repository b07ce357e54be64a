/**
 * Called with each line (without `\n`) and its stream offset; return false to stop. A line longer
 * than the splitter's limit arrives as its first {@link TOO_LONG_HEAD_BYTES} bytes with `tooLong`
 * set to its full length, so the caller can report it without the line ever being buffered.
 */
export type OnLine = (line: Buffer, pos: number, tooLong?: number) => boolean | void;

/** Bytes of an over-long line kept for the quarantine report. */
export const TOO_LONG_HEAD_BYTES = 256;

/**
 * Splits a byte stream into lines without copying complete lines out of their chunk; a line that
 * spans chunks is assembled once from its pieces (so a 50 MB line costs one concatenation, not one
 * per chunk). A line past `maxLineBytes` stops being buffered at once: memory stays bounded by the
 * limit however long the line (a 1 GB line, or a gzip bomb of zeros, which has no newline).
 */
export class LineSplitter {
  private pieces: Buffer[] = [];
  private pieceBytes = 0;
  /** Bytes of the unfinished line seen so far, buffered or not. */
  private lineBytes = 0;
  /** The start of an unfinished line that is already too long (its pieces are dropped). */
  private head: Buffer | undefined;
  /** Stream offset of the first byte of the line being assembled. */
  private lineStart: number;
  private offset: number;
  private readonly startOffset: number;

  constructor(startOffset: number, private readonly maxLineBytes = Infinity) {
    this.lineStart = startOffset;
    this.offset = startOffset;
    this.startOffset = startOffset;
  }

  /** Feeds one chunk; `onLine` gets each complete line and its stream offset. */
  push(chunk: Buffer, onLine: OnLine): boolean {
    const base = this.offset;
    this.offset += chunk.length;
    let s = 0;
    for (;;) {
      const nl = chunk.indexOf(10, s);
      if (nl < 0) break;
      const pos = this.lineStart;
      const length = this.lineBytes + nl - s;
      let more: boolean | void;
      if (length > this.maxLineBytes) {
        more = onLine(this.headOf(chunk.subarray(s, nl)), pos, length);
      } else if (this.pieces.length) {
        this.pieces.push(chunk.subarray(s, nl));
        more = onLine(Buffer.concat(this.pieces, length), pos);
      } else {
        more = onLine(chunk.subarray(s, nl), pos);
      }
      this.reset();
      this.lineStart = base + nl + 1;
      s = nl + 1;
      if (more === false) return false;
    }
    if (s < chunk.length) {
      const rest = chunk.subarray(s);
      if (this.lineBytes + rest.length > this.maxLineBytes) {
        this.head = this.headOf(rest);
        this.pieces = [];
        this.pieceBytes = 0;
      } else {
        this.pieces.push(rest);
        this.pieceBytes += rest.length;
      }
      this.lineBytes += rest.length;
    }
    return true;
  }

  /** Emits the last line if the stream did not end with `\n`. */
  end(onLine: OnLine): void {
    if (this.lineBytes === 0) return;
    const pos = this.lineStart, length = this.lineBytes;
    const line = this.head ?? Buffer.concat(this.pieces, this.pieceBytes);
    const tooLong = this.head !== undefined;
    this.reset();
    if (tooLong) onLine(line, pos, length);
    else onLine(line, pos);
  }

  /** Stream offset where the unfinished line (if any) starts. */
  get position(): number { return this.lineStart; }

  /** Bytes buffered in an unfinished line. */
  get pending(): number { return this.pieceBytes; }

  /** Bytes fed so far. */
  get bytesSeen(): number { return this.offset - this.startOffset; }

  /** The first {@link TOO_LONG_HEAD_BYTES} of the current line, which goes on with `tail`. */
  private headOf(tail: Buffer): Buffer {
    const have = this.head ? this.head.length : this.pieceBytes;
    if (have >= TOO_LONG_HEAD_BYTES) return this.head ?? Buffer.concat(this.pieces, TOO_LONG_HEAD_BYTES);
    return Buffer.concat(this.head ? [this.head, tail] : [...this.pieces, tail], Math.min(TOO_LONG_HEAD_BYTES, have + tail.length));
  }

  private reset(): void {
    this.pieces = [];
    this.pieceBytes = 0;
    this.lineBytes = 0;
    this.head = undefined;
  }
}
