import type { Location } from './location.ts';

/** A file being written piece by piece; nothing is visible under its name until `commit`. */
export interface PendingFile {
  /** Hands `bytes` to the writer; resolves once the writer is done with them, so the caller may then reuse the buffer. */
  write(bytes: Uint8Array): Promise<void>;
  /** Ends the file and waits until it is committed (renamed locally; the upload completed on S3). */
  commit(): Promise<void>;
  /** Discards the file: the temp file is removed, the upload aborted; the previous file stays. */
  abort(): Promise<void>;
}

/**
 * Opens `path` under `location` for writing by pushes: the pieces flow into one
 * `Location.writeFile` stream, so a big file streams to disk, or to S3 as a multipart upload,
 * without being held whole. One piece is in flight at a time: `write` resolves when the writer
 * asks for the next piece (it has copied or written this one), which is also the back-pressure.
 */
export function openPendingFile(location: Location, path: string): PendingFile {
  let piece: Uint8Array | undefined;
  let ended = false;
  let aborted: Error | undefined;
  let failed: { error: unknown } | undefined;
  // The consumer waiting for a piece, and the producer waiting for its piece to be taken.
  let wakeConsumer: (() => void) | undefined;
  let pieceDone: (() => void) | undefined;
  const release = (): void => { const done = pieceDone; pieceDone = undefined; done?.(); };

  async function* source(): AsyncGenerator<Uint8Array> {
    for (;;) {
      while (piece === undefined && !ended && !aborted) await new Promise<void>((r) => { wakeConsumer = r; });
      if (aborted) throw aborted;
      if (piece === undefined) return;
      const bytes = piece;
      piece = undefined;
      yield bytes;
      release();
    }
  }

  const written = location.writeFile(path, source()).catch((error: unknown) => {
    failed = { error };
    // A writer that gave up (an upload failed for good) never asks for the next piece.
    release();
  });
  const wake = (): void => { const w = wakeConsumer; wakeConsumer = undefined; w?.(); };
  // A function, not an inline check: the writer's failure arrives while a call awaits.
  const rethrow = (): void => { if (failed) throw failed.error; };

  return {
    async write(bytes) {
      if (ended || aborted) throw new Error(`write to ${location.uriOf(path)} after ${aborted ? 'abort' : 'commit'}`);
      rethrow();
      await new Promise<void>((r) => { pieceDone = r; piece = bytes; wake(); });
      rethrow();
    },
    async commit() {
      if (aborted) throw new Error(`commit of ${location.uriOf(path)} after abort`);
      ended = true;
      wake();
      await written;
      rethrow();
    },
    async abort() {
      if (ended && !failed) return;
      aborted ??= new Error(`write to ${location.uriOf(path)} aborted`);
      wake();
      await written;
    },
  };
}
