/** S3's limits on multipart uploads. */
export const MIN_PART_SIZE = 5 << 20;
export const MAX_PART_SIZE = 5 * 1024 ** 3;
export const MAX_PARTS = 10_000;
/** Default smallest part: 8 MiB, as the AWS CLI uses. */
export const DEFAULT_PART_SIZE = 8 << 20;

const MIB = 1 << 20;

/**
 * Part size for an object whose size is known: the smallest whole number of MiB, at least
 * `minPartSize`, that fits the object into at most 10,000 parts.
 */
export function partSizeForSize(size: number, minPartSize = DEFAULT_PART_SIZE): number {
  const needed = Math.ceil(Math.ceil(size / MAX_PARTS) / MIB) * MIB;
  const part = Math.max(minPartSize, needed, MIN_PART_SIZE);
  if (part > MAX_PART_SIZE) throw new Error(`object of ${size} bytes does not fit in ${MAX_PARTS} parts of at most ${MAX_PART_SIZE} bytes`);
  return part;
}

/**
 * Size of part `index` (0-based) of a stream of unknown length: `minPartSize`, doubled every 1,000
 * parts (capped at 5 GiB). With the 8 MiB default, 10,000 parts hold about 8 TB, more than S3's
 * 5 TiB object limit, while objects under 8 GB still use 8 MiB parts.
 */
export function partSizeForStream(index: number, minPartSize = DEFAULT_PART_SIZE): number {
  if (index >= MAX_PARTS) throw new Error(`a multipart upload has at most ${MAX_PARTS} parts`);
  return Math.min(MAX_PART_SIZE, Math.max(MIN_PART_SIZE, minPartSize) * 2 ** Math.floor(index / 1000));
}
