import { readFileSync } from 'node:fs';
import type { FastTextClassifier, LabelScore } from './fasttext-wasm.ts';

/**
 * Inference for fastText supervised models (`.bin` / quantized `.ftz`, format version 12) in
 * plain TypeScript, following fastText 0.9.2 (`Dictionary::getLine`/`computeSubwords`,
 * `Model::computeHidden`, `HierarchicalSoftmaxLoss::dfs`, `SoftmaxLoss`). It exists for speed:
 * the sum of a token's subword rows is cached per distinct token, so a document costs one map
 * lookup per word instead of re-hashing and decoding its character n-grams as the wasm build
 * does. Scores agree with the native CLI within float32 rounding (checked by the golden test).
 */

const KSUB = 256;
const EOS = '</s>';
const LABEL_PREFIX = '__label__';

class Reader {
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
interface Matrix { rows: number; addRow(x: Float64Array, i: number): void; dotRow(x: Float64Array, i: number): number }

function readMatrix(r: Reader, quant: boolean): Matrix {
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

/** fastText's 32-bit FNV-1a over bytes, with each byte sign-extended as `int8_t` first. */
function fnv(bytes: Uint8Array, from: number, to: number): number {
  let h = 2166136261 | 0;
  for (let i = from; i < to; i++) h = Math.imul(h ^ ((bytes[i]! << 24) >> 24), 16777619);
  return h >>> 0;
}

interface TokenVector { sum: Float64Array; ids: number }

/** Loads a fastText supervised model file into a pure-TypeScript classifier. */
export function loadFastTextFtz(path: string, cacheLimit = 200_000): FastTextClassifier {
  const r = new Reader(readFileSync(path));
  if (r.i32() !== 793712314) throw new Error(`${path}: not a fastText model (bad magic)`);
  const version = r.i32();
  if (version !== 12) throw new Error(`${path}: unsupported fastText format version ${version}`);
  const dim = r.i32(); r.i32(); r.i32(); r.i32(); r.i32();
  const wordNgrams = r.i32();
  const loss = r.i32();
  r.i32();
  const bucket = r.i32();
  const minn = r.i32();
  const maxn = r.i32();
  r.i32(); r.f64();
  if (wordNgrams > 1) throw new Error(`${path}: word n-gram models (wordNgrams=${wordNgrams}) are not supported`);
  const size = r.i32(), nwords = r.i32(), nlabels = r.i32();
  r.i64();
  const pruneSize = r.i64();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const wordIds = new Map<string, number>();
  const labels: string[] = [];
  const labelCounts: number[] = [];
  for (let i = 0; i < size; i++) {
    const raw = r.cstr();
    const count = r.i64();
    const type = r.u8();
    let word: string | null = null;
    try { word = decoder.decode(raw); } catch { word = null; }
    if (type === 1) { labels.push((word ?? '').replace(LABEL_PREFIX, '')); labelCounts.push(count); } else if (word !== null) wordIds.set(word, i);
  }
  const prune = new Map<number, number>();
  for (let i = 0; i < pruneSize; i++) { const a = r.i32(); prune.set(a, r.i32()); }
  const quantInput = r.u8() !== 0;
  const input = readMatrix(r, quantInput);
  const qout = r.u8() !== 0;
  const output = readMatrix(r, quantInput && qout);
  if (loss !== 1 && loss !== 3) throw new Error(`${path}: loss ${loss} not supported (hs and softmax are)`);
  if (nlabels !== labels.length) throw new Error(`${path}: dictionary lists ${labels.length} labels, header says ${nlabels}`);

  const encoder = new TextEncoder();
  let scratch = new Uint8Array(256);
  const cache = new Map<string, TokenVector>();

  const pushNgram = (h: number, x: Float64Array): number => {
    let id = h % bucket;
    if (pruneSize === 0) return 0;
    if (pruneSize > 0) { const p = prune.get(id); if (p === undefined) return 0; id = p; }
    input.addRow(x, nwords + id);
    return 1;
  };

  const tokenVector = (token: string): TokenVector => {
    const sum = new Float64Array(dim);
    let ids = 0;
    const wid = wordIds.get(token);
    if (wid !== undefined) { input.addRow(sum, wid); ids++; }
    if (token === EOS && wid !== undefined) return { sum, ids };
    if (scratch.length < token.length * 3 + 2) scratch = new Uint8Array(token.length * 3 + 2);
    scratch[0] = 60;
    const len = encoder.encodeInto(token, scratch.subarray(1)).written + 2;
    scratch[len - 1] = 62;
    for (let i = 0; i < len; i++) {
      if ((scratch[i]! & 0xc0) === 0x80) continue;
      for (let j = i, n = 1; j < len && n <= maxn; n++) {
        j++;
        while (j < len && (scratch[j]! & 0xc0) === 0x80) j++;
        if (n >= minn && !(n === 1 && (i === 0 || j === len))) ids += pushNgram(fnv(scratch, i, j), sum);
      }
    }
    return { sum, ids };
  };

  const lookup = (token: string): TokenVector => {
    let v = cache.get(token);
    if (v === undefined) {
      if (cache.size >= cacheLimit) cache.clear();
      v = tokenVector(token);
      cache.set(token, v);
    }
    return v;
  };

  // Huffman tree of HierarchicalSoftmaxLoss::buildTree over the label counts (sorted by count).
  const osz = nlabels;
  const left = new Int32Array(2 * osz - 1).fill(-1);
  const right = new Int32Array(2 * osz - 1).fill(-1);
  const counts = new Float64Array(2 * osz - 1).fill(1e15);
  for (let i = 0; i < osz; i++) counts[i] = labelCounts[i]!;
  for (let i = osz, leaf = osz - 1, node = osz; i < 2 * osz - 1; i++) {
    const mini = [0, 0];
    for (let j = 0; j < 2; j++) mini[j] = leaf >= 0 && counts[leaf]! < counts[node]! ? leaf-- : node++;
    left[i] = mini[0]!; right[i] = mini[1]!;
    counts[i] = counts[mini[0]!]! + counts[mini[1]!]!;
  }
  const stdLog = (x: number): number => Math.log(x + 1e-5);

  const hidden = new Float64Array(dim);
  const computeHidden = (text: string): void => {
    hidden.fill(0);
    let ids = 0;
    const n = text.length;
    let i = 0;
    const add = (s: number, e: number): void => {
      const tok = text.slice(s, e);
      if (tok.startsWith(LABEL_PREFIX)) return;
      const v = lookup(tok);
      for (let d = 0; d < dim; d++) hidden[d]! += v.sum[d]!;
      ids += v.ids;
    };
    while (i < n) {
      const c = text.charCodeAt(i);
      // fastText's readWord delimiters: space \n \r \t \v \f \0.
      if (c === 32 || (c >= 9 && c <= 13) || c === 0) { i++; continue; }
      let j = i + 1;
      while (j < n) { const d = text.charCodeAt(j); if (d === 32 || (d >= 9 && d <= 13) || d === 0) break; j++; }
      add(i, j);
      i = j;
    }
    const eos = lookup(EOS);
    for (let d = 0; d < dim; d++) hidden[d]! += eos.sum[d]!;
    ids += eos.ids;
    if (ids > 0) for (let d = 0; d < dim; d++) hidden[d]! /= ids;
  };

  const predictHs = (k: number): LabelScore[] => {
    const heap: [number, number][] = [];
    const minLog = stdLog(0);
    const dfs = (node: number, score: number): void => {
      if (score < minLog) return;
      if (heap.length === k && score < heap[heap.length - 1]![0]) return;
      if (left[node] === -1 && right[node] === -1) {
        heap.push([score, node]);
        heap.sort((a, b) => b[0] - a[0]);
        if (heap.length > k) heap.pop();
        return;
      }
      const f = 1 / (1 + Math.exp(-output.dotRow(hidden, node - osz)));
      dfs(left[node]!, score + stdLog(1 - f));
      dfs(right[node]!, score + stdLog(f));
    };
    dfs(2 * osz - 2, 0);
    return heap.map(([s, node]) => ({ label: labels[node]!, score: Math.exp(s) }));
  };

  const predictSoftmax = (k: number): LabelScore[] => {
    const z = new Float64Array(osz);
    let max = -Infinity;
    for (let i = 0; i < osz; i++) { z[i] = output.dotRow(hidden, i); if (z[i]! > max) max = z[i]!; }
    let sum = 0;
    for (let i = 0; i < osz; i++) { z[i] = Math.exp(z[i]! - max); sum += z[i]!; }
    const order = Array.from({ length: osz }, (_, i) => i).sort((a, b) => z[b]! - z[a]!).slice(0, k);
    return order.map((i) => ({ label: labels[i]!, score: Math.exp(stdLog(z[i]! / sum)) }));
  };

  return {
    predict(text: string, k: number): LabelScore[] {
      computeHidden(text);
      return loss === 1 ? predictHs(k) : predictSoftmax(k);
    },
  };
}
