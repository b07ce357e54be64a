import { pipeline, Transform } from 'node:stream';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { INFLATION_RATIO_GRACE_BYTES, InputLimitError } from './limits.ts';

/**
 * Gunzips `raw` (multi-member gzip included) and fails with an {@link InputLimitError} once the
 * inflated bytes pass `graceBytes` and `maxInflationRatio` times the compressed bytes read so far:
 * a gzip bomb (a few MB of deflate standing for many GB of zeros) stops after a bounded amount of
 * work instead of being inflated to its end. zlib's stream honours back-pressure, so what is
 * buffered at any moment is a few output chunks, never a whole member. Compressed bytes are counted
 * as they are read, a little ahead of what zlib has consumed, so the ratio is never overstated.
 * Destroying the returned stream destroys `raw` too.
 */
export function boundedGunzip(raw: Readable, opts: { maxInflationRatio: number; chunkSize: number; graceBytes?: number }): Readable {
  const grace = opts.graceBytes ?? INFLATION_RATIO_GRACE_BYTES;
  let compressed = 0;
  let inflated = 0;
  raw.on('data', (chunk: Buffer) => { compressed += chunk.length; });
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      inflated += chunk.length;
      if (inflated > grace && inflated > opts.maxInflationRatio * compressed) {
        done(new InputLimitError(
          `gzip stream inflates more than ${opts.maxInflationRatio}× its compressed size (maxInflationRatio): ` +
          `${inflated} bytes from ${compressed} compressed bytes; the rest of the file is not read`,
        ));
        return;
      }
      done(null, chunk);
    },
  });
  // Errors reach the consumer through `guard`; the callback only keeps pipeline from rethrowing.
  return pipeline(raw, createGunzip({ chunkSize: opts.chunkSize }), guard, () => {});
}
