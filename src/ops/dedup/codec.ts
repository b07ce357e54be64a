import { allocRecords, type BandRecords, type EdgeChunk } from './lsh.ts';

/**
 * Byte forms of shuffle data, for the blob store (which adds checksums) or spill files. Little-
 * endian on every platform Node runs on; a length that is not a whole number of records is an error.
 * Records: (band u32, hi u32, lo u32, doc u32) — doc ordinals must be below 2^32. Edges: (src, dst)
 * as float64 pairs, the layout of spill.ts.
 */
const RECORD_BYTES = 16;

export function encodeRecords(r: BandRecords): Uint8Array {
  const out = new Uint32Array(r.length * 4);
  for (let i = 0; i < r.length; i++) {
    const d = r.doc[i]!;
    if (!(d >= 0 && d <= 0xffffffff)) throw new Error(`doc ordinal ${d} does not fit in 32 bits`);
    out[4 * i] = r.band[i]!;
    out[4 * i + 1] = r.hi[i]!;
    out[4 * i + 2] = r.lo[i]!;
    out[4 * i + 3] = d;
  }
  return new Uint8Array(out.buffer);
}

export function decodeRecords(bytes: Uint8Array): BandRecords {
  if (bytes.byteLength % RECORD_BYTES !== 0) {
    throw new Error(`band records: ${bytes.byteLength} bytes is not a multiple of ${RECORD_BYTES}`);
  }
  const n = bytes.byteLength / RECORD_BYTES;
  const words = new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const r = allocRecords(n);
  for (let i = 0; i < n; i++) {
    r.band[i] = words[4 * i]!;
    r.hi[i] = words[4 * i + 1]!;
    r.lo[i] = words[4 * i + 2]!;
    r.doc[i] = words[4 * i + 3]!;
  }
  return r;
}

export function encodeEdges(e: EdgeChunk): Uint8Array {
  const out = new Float64Array(e.length * 2);
  for (let i = 0; i < e.length; i++) {
    out[2 * i] = e.src[i]!;
    out[2 * i + 1] = e.dst[i]!;
  }
  return new Uint8Array(out.buffer);
}

export function decodeEdges(bytes: Uint8Array): EdgeChunk {
  if (bytes.byteLength % 16 !== 0) throw new Error(`edges: ${bytes.byteLength} bytes is not a multiple of 16`);
  const n = bytes.byteLength / 16;
  const f = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const src = new Float64Array(n);
  const dst = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    src[i] = f[2 * i]!;
    dst[i] = f[2 * i + 1]!;
  }
  return { length: n, src, dst };
}
