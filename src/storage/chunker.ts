import type { BlobData } from './blob-store.ts';

/**
 * Re-cuts a stream of arbitrarily sized buffers into fixed-size chunks (the last may be shorter).
 * Fixed-size cutting keeps identical prefixes (e.g. re-runs of the same task) deduplicated, which is
 * what resume writes produce; content-defined chunking would pay off only for shifted data.
 */
export function fixedChunks(data: BlobData, chunkSize: number): AsyncGenerator<Uint8Array> {
  return sizedChunks(data, () => chunkSize);
}

/**
 * Re-cuts a stream into chunks whose sizes `sizeOf(index)` gives (index 0 first; the last chunk
 * may be shorter): multipart uploads of unknown length grow their part size this way.
 */
export async function* sizedChunks(data: BlobData, sizeOf: (index: number) => number): AsyncGenerator<Uint8Array> {
  let index = 0;
  let chunkSize = sizeOf(index);
  if (data instanceof Uint8Array) {
    for (let off = 0; off < data.length; off += chunkSize, chunkSize = sizeOf(++index)) {
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
        chunkSize = sizeOf(++index);
      }
      if (buf.length !== chunkSize) buf = new Uint8Array(chunkSize);
    }
    while (off < piece.length) {
      const n = Math.min(chunkSize - fill, piece.length - off);
      buf.set(piece.subarray(off, off + n), fill);
      fill += n;
      off += n;
      if (fill === chunkSize) {
        yield buf;
        // The consumer may hold the yielded chunk (e.g. while writing it), so never reuse it.
        chunkSize = sizeOf(++index);
        buf = new Uint8Array(chunkSize);
        fill = 0;
      }
    }
  }
  if (fill > 0) yield buf.subarray(0, fill);
}
