import type { BlobData } from './blob-store.ts';

/**
 * Re-cuts a stream of arbitrarily sized buffers into fixed-size chunks (the last may be shorter).
 * Fixed-size cutting keeps identical prefixes (e.g. re-runs of the same task) deduplicated, which is
 * what resume writes produce; content-defined chunking would pay off only for shifted data.
 */
export async function* fixedChunks(data: BlobData, chunkSize: number): AsyncGenerator<Uint8Array> {
  if (data instanceof Uint8Array) {
    for (let off = 0; off < data.length; off += chunkSize) {
      yield data.subarray(off, Math.min(off + chunkSize, data.length));
    }
    return;
  }
  let buf = new Uint8Array(chunkSize);
  let fill = 0;
  for await (const piece of data) {
    let off = 0;
    if (fill === 0) {
      // Whole chunks straight from the input, without copying.
      while (piece.length - off >= chunkSize) {
        yield piece.subarray(off, off + chunkSize);
        off += chunkSize;
      }
    }
    while (off < piece.length) {
      const n = Math.min(chunkSize - fill, piece.length - off);
      buf.set(piece.subarray(off, off + n), fill);
      fill += n;
      off += n;
      if (fill === chunkSize) {
        yield buf;
        // The consumer may hold the yielded chunk (e.g. while writing it), so never reuse it.
        buf = new Uint8Array(chunkSize);
        fill = 0;
      }
    }
  }
  if (fill > 0) yield buf.subarray(0, fill);
}
