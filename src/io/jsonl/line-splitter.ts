/**
 * Splits a byte stream into lines without copying complete lines out of their chunk; a line that
 * spans chunks is assembled once from its pieces (so a 50 MB line costs one concatenation, not one
 * per chunk).
 */
export class LineSplitter {
  private pieces: Buffer[] = [];
  private pieceBytes = 0;
  /** Stream offset of the first byte of the line being assembled. */
  private lineStart: number;
  private offset: number;

  constructor(startOffset: number) {
    this.lineStart = startOffset;
    this.offset = startOffset;
  }

  /** Feeds one chunk; `onLine` gets each complete line (without `\n`) and its stream offset. Return false from it to stop. */
  push(chunk: Buffer, onLine: (line: Buffer, pos: number) => boolean | void): boolean {
    const base = this.offset;
    this.offset += chunk.length;
    let s = 0;
    for (;;) {
      const nl = chunk.indexOf(10, s);
      if (nl < 0) break;
      let line: Buffer;
      if (this.pieces.length) {
        this.pieces.push(chunk.subarray(s, nl));
        line = Buffer.concat(this.pieces, this.pieceBytes + nl - s);
        this.pieces = [];
        this.pieceBytes = 0;
      } else {
        line = chunk.subarray(s, nl);
      }
      const pos = this.lineStart;
      this.lineStart = base + nl + 1;
      s = nl + 1;
      if (onLine(line, pos) === false) return false;
    }
    if (s < chunk.length) {
      this.pieces.push(chunk.subarray(s));
      this.pieceBytes += chunk.length - s;
    }
    return true;
  }

  /** Emits the last line if the stream did not end with `\n`. */
  end(onLine: (line: Buffer, pos: number) => boolean | void): void {
    if (this.pieceBytes > 0) {
      const line = Buffer.concat(this.pieces, this.pieceBytes);
      this.pieces = [];
      this.pieceBytes = 0;
      onLine(line, this.lineStart);
    }
  }

  /** Stream offset where the unfinished line (if any) starts. */
  get position(): number { return this.lineStart; }

  /** Bytes buffered in an unfinished line. */
  get pending(): number { return this.pieceBytes; }
}
