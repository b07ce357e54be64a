/**
 * fastText's binary matrices (`Matrix::load`, `QuantMatrix::load`, `ProductQuantizer::load`):
 * dense float32 rows, or product-quantized codes with their centroids, read into row accessors.
 */

const KSUB = 256;

/** Little-endian reader over a model file's bytes. */
export class Reader {
  private off = 0;
  private readonly view: DataView;
  constructor(private readonly buf: Uint8Array) { this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength); }
  i32(): number { const v = this.view.getInt32(this.off, true); this.off += 4; return v; }
  i64(): number { const v = Number(this.view.getBigInt64(this.off, true)); this.off += 8; return v; }
  f64(): number { const v = this.view.getFloat64(this.off, true); this.off += 8; return v; }
  u8(): number { return this.buf[this.off++]!; }
  bytes(n: number): Uint8Array { const v = this.buf.subarray(this.off, this.off + n); this.off += n; return v; }
  f32s(n: number): Float32Array { const out = new Float32Array(n); for (let i = 0; i < n; i++) { out[i] = this.view.getFloat32(this.off, true); this.off += 4; } return out; }
  cstr(): Uint8Array { const s = this.off; while (this.buf[this.off] !== 0) this.off++; const v = this.buf.subarray(s, this.off); this.off++; return v; }
}

interface PQ { dim: number; nsubq: number; dsub: number; lastdsub: number; centroids: Float32Array }

function readPQ(r: Reader): PQ {
  const dim = r.i32(), nsubq = r.i32(), dsub = r.i32(), lastdsub = r.i32();
  return { dim, nsubq, dsub, lastdsub, centroids: r.f32s(dim * KSUB) };
}

/** A matrix row accessor: adds row `i` (times `a`) into `x`, or dots row `i` with `x`. */
export interface Matrix { rows: number; addRow(x: Float64Array, i: number): void; dotRow(x: Float64Array, i: number): number }

/** Reads a dense (`.bin`) or product-quantized (`.ftz`) matrix as written by fastText 0.9.2. */
export function readMatrix(r: Reader, quant: boolean): Matrix {
  if (!quant) {
    const m = r.i64(), n = r.i64();
    const data = r.f32s(m * n);
    return {
      rows: m,
      addRow(x, i) { const o = i * n; for (let j = 0; j < n; j++) x[j]! += data[o + j]!; },
      dotRow(x, i) { const o = i * n; let s = 0; for (let j = 0; j < n; j++) s += data[o + j]! * x[j]!; return s; },
    };
  }
  const qnorm = r.u8() !== 0;
  const m = r.i64();
  r.i64();
  const codes = r.bytes(r.i32()).slice();
  const pq = readPQ(r);
  const normCodes = qnorm ? r.bytes(m).slice() : null;
  const npq = qnorm ? readPQ(r) : null;
  const { nsubq, dsub, lastdsub, centroids } = pq;
  const centroid = (sub: number, code: number): number =>
    sub === nsubq - 1 ? sub * KSUB * dsub + code * lastdsub : (sub * KSUB + code) * dsub;
  const norm = (i: number): number => (normCodes && npq ? npq.centroids[normCodes[i]!]! : 1);
  return {
    rows: m,
    addRow(x, i) {
      const a = norm(i);
      for (let sub = 0; sub < nsubq; sub++) {
        const d = sub === nsubq - 1 ? lastdsub : dsub;
        const c = centroid(sub, codes[nsubq * i + sub]!);
        for (let j = 0; j < d; j++) x[sub * dsub + j]! += a * centroids[c + j]!;
      }
    },
    dotRow(x, i) {
      let s = 0;
      for (let sub = 0; sub < nsubq; sub++) {
        const d = sub === nsubq - 1 ? lastdsub : dsub;
        const c = centroid(sub, codes[nsubq * i + sub]!);
        for (let j = 0; j < d; j++) s += x[sub * dsub + j]! * centroids[c + j]!;
      }
      return s * norm(i);
    },
  };
}
