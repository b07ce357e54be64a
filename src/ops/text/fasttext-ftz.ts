import { readFileSync } from 'node:fs';
import { readMatrix, Reader } from './fasttext-matrix.ts';
import type { FastTextClassifier, LabelScore } from './fasttext-wasm.ts';

/**
 * Inference for fastText supervised models (`.bin` / quantized `.ftz`, format version 12) in
 * plain TypeScript, following fastText 0.9.2 (`Dictionary::getLine`/`computeSubwords`,
 * `Model::computeHidden`, `HierarchicalSoftmaxLoss::dfs`, `SoftmaxLoss`). It exists for speed:
 * the sum of a token's subword rows is cached per distinct token, so a document costs one map
 * lookup per word instead of re-hashing and decoding its character n-grams as the wasm build
 * does. Scores agree with the native CLI within float32 rounding (checked by the golden test).
 */

const EOS = '</s>';
const LABEL_PREFIX = '__label__';

/** fastText's 32-bit FNV-1a over bytes, with each byte sign-extended as `int8_t` first. */
function fnv(bytes: Uint8Array, from: number, to: number): number {
  let h = 2166136261 | 0;
  for (let i = from; i < to; i++) h = Math.imul(h ^ ((bytes[i]! << 24) >> 24), 16777619);
  return h >>> 0;
}

/** A classifier that can also read a document straight from UTF-8 bytes (e.g. an Arrow Utf8 column). */
export interface FastTextUtf8Classifier extends FastTextClassifier {
  /** As `predict` on `bytes[start, end)` decoded; newlines count as spaces (no `singleLine` needed). */
  predictUtf8(bytes: Uint8Array, start: number, end: number, k: number): LabelScore[];
}

/** Loads a fastText supervised model file into a pure-TypeScript classifier. */
export function loadFastTextFtz(path: string, cacheLimit = 200_000): FastTextUtf8Classifier {
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

  // Per-token cache, keyed by the token's UTF-8 bytes: an open-addressing table over an arena of
  // key bytes, so a document is scanned once as bytes with no substring or Map per word. Each
  // entry holds the token's summed input rows (Float64, summed in fastText's order) and its row
  // count; `-1` marks `__label__…` tokens, which getLine skips. Grows up to `cacheLimit`
  // entries, then starts over (entries are pure functions of the token, so results never change).
  const wordDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let scratch = new Uint8Array(256);
  const LABEL_BYTES = new TextEncoder().encode(LABEL_PREFIX);
  const EOS_BYTES = new TextEncoder().encode(EOS);
  let entCap = Math.min(4096, Math.max(1, cacheLimit));
  let count = 0;
  let mask = 0;
  let slots = new Int32Array(0);
  let keyOff = new Int32Array(entCap), keyLen = new Int32Array(entCap), keyHash = new Int32Array(entCap);
  let tokIds = new Int32Array(entCap);
  let vecs = new Float64Array(entCap * dim);
  let arena = new Uint8Array(1 << 16);
  let arenaPos = 0;
  const MAX_KEY = 4096;
  let uncachedIds = 0;
  const resizeSlots = (): void => {
    let n = 16;
    while (n < entCap * 2) n *= 2;
    slots = new Int32Array(n).fill(-1);
    mask = n - 1;
    for (let e = 0; e < count; e++) {
      let s = keyHash[e]! & mask;
      while (slots[s] !== -1) s = (s + 1) & mask;
      slots[s] = e;
    }
  };
  resizeSlots();
  const growEntries = (): void => {
    const cap = Math.min(cacheLimit, entCap * 2);
    const grow = <T extends Int32Array | Float64Array>(a: T, n: number): T => { const b = new (a.constructor as new (n: number) => T)(n); b.set(a); return b; };
    keyOff = grow(keyOff, cap); keyLen = grow(keyLen, cap); keyHash = grow(keyHash, cap); tokIds = grow(tokIds, cap);
    vecs = grow(vecs, cap * dim);
    entCap = cap;
    resizeSlots();
  };

  const tmp = new Float64Array(dim);
  const pushNgram = (h: number): number => {
    let id = h % bucket;
    if (pruneSize === 0) return 0;
    if (pruneSize > 0) { const p = prune.get(id); if (p === undefined) return 0; id = p; }
    input.addRow(tmp, nwords + id);
    return 1;
  };

  /** Sums token `bytes[s, e)`'s word row and char n-gram rows into `tmp`; returns the row count. */
  const tokenVector = (bytes: Uint8Array, s: number, e: number): number => {
    tmp.fill(0);
    const n = e - s;
    let ids = 0;
    const wid = wordIds.get(wordDecoder.decode(bytes.subarray(s, e)));
    if (wid !== undefined) { input.addRow(tmp, wid); ids++; }
    let isEos = n === EOS_BYTES.length;
    for (let i = 0; isEos && i < n; i++) isEos = bytes[s + i] === EOS_BYTES[i];
    if (isEos && wid !== undefined) return ids;
    if (scratch.length < n + 2) scratch = new Uint8Array(2 * n + 2);
    scratch[0] = 60;
    scratch.set(bytes.subarray(s, e), 1);
    const len = n + 2;
    scratch[len - 1] = 62;
    for (let i = 0; i < len; i++) {
      if ((scratch[i]! & 0xc0) === 0x80) continue;
      for (let j = i, m = 1; j < len && m <= maxn; m++) {
        j++;
        while (j < len && (scratch[j]! & 0xc0) === 0x80) j++;
        if (m >= minn && !(m === 1 && (i === 0 || j === len))) ids += pushNgram(fnv(scratch, i, j));
      }
    }
    return ids;
  };

  /** The cache entry of token `bytes[s, e)` (hash `h`), computing it on a miss. */
  const entryOf = (bytes: Uint8Array, s: number, e: number, h: number): number => {
    const n = e - s;
    let slot = h & mask;
    for (;;) {
      const at = slots[slot]!;
      if (at === -1) break;
      if (keyHash[at] === h && keyLen[at] === n) {
        const o = keyOff[at]!;
        let k = 0;
        while (k < n && arena[o + k] === bytes[s + k]) k++;
        if (k === n) return at;
      }
      slot = (slot + 1) & mask;
    }
    return insert(bytes, s, e, h, slot);
  };

  /** A cache miss: computes token `bytes[s, e)`'s entry and stores it (free slot `slot`). */
  const insert = (bytes: Uint8Array, s: number, e: number, h: number, slot: number): number => {
    const n = e - s;
    let isLabel = n >= LABEL_BYTES.length;
    for (let i = 0; isLabel && i < LABEL_BYTES.length; i++) isLabel = bytes[s + i] === LABEL_BYTES[i];
    const ids = isLabel ? -1 : tokenVector(bytes, s, e);
    // A huge token (a megabyte without spaces) is answered from `tmp` and not kept.
    if (n > MAX_KEY) { uncachedIds = ids; return -1; }
    if (count === entCap) {
      if (entCap < cacheLimit) growEntries();
      else { count = 0; arenaPos = 0; slots.fill(-1); }
      slot = h & mask;
      while (slots[slot] !== -1) slot = (slot + 1) & mask;
    }
    const at = count++;
    tokIds[at] = ids;
    vecs.set(tmp, at * dim);
    if (arenaPos + n > arena.length) {
      const b = new Uint8Array(Math.max(arena.length * 2, arenaPos + n)); b.set(arena.subarray(0, arenaPos)); arena = b;
    }
    arena.set(bytes.subarray(s, e), arenaPos);
    keyOff[at] = arenaPos; keyLen[at] = n; keyHash[at] = h;
    arenaPos += n;
    slots[slot] = at;
    return at;
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
  const eosVec = new Float64Array(dim);
  const eosIds = tokenVector(EOS_BYTES, 0, EOS_BYTES.length);
  eosVec.set(tmp);
  // fastText's readWord delimiters: space \n \r \t \v \f \0 (a newline ends fastText's line; here,
  // as in `singleLine`, it is only a space).
  const DELIM = new Uint8Array(256);
  for (const c of [32, 9, 10, 11, 12, 13, 0]) DELIM[c] = 1;
  const computeHidden = (bytes: Uint8Array, start: number, end: number): void => {
    hidden.fill(0);
    let ids = 0;
    let i = start;
    while (i < end) {
      let c = bytes[i]!;
      if (DELIM[c] === 1) { i++; continue; }
      const s = i;
      let h = 2166136261 | 0;
      do { h = Math.imul(h ^ c, 16777619); i++; } while (i < end && DELIM[c = bytes[i]!] === 0);
      // fastText's getLine stops at a literal `</s>`: the line ends there, with that token counted.
      if (i - s === EOS_BYTES.length && isEosAt(bytes, s)) break;
      const at = entryOf(bytes, s, i, h);
      if (at === -1) {
        if (uncachedIds >= 0) { for (let d = 0; d < dim; d++) hidden[d]! += tmp[d]!; ids += uncachedIds; }
        continue;
      }
      const t = tokIds[at]!;
      if (t < 0) continue;
      const o = at * dim;
      for (let d = 0; d < dim; d++) hidden[d]! += vecs[o + d]!;
      ids += t;
    }
    for (let d = 0; d < dim; d++) hidden[d]! += eosVec[d]!;
    ids += eosIds;
    if (ids > 0) for (let d = 0; d < dim; d++) hidden[d]! /= ids;
  };
  const isEosAt = (bytes: Uint8Array, s: number): boolean => {
    for (let k = 0; k < EOS_BYTES.length; k++) if (bytes[s + k] !== EOS_BYTES[k]) return false;
    return true;
  };
  const encoder = new TextEncoder();
  let textBuf = new Uint8Array(1 << 16);

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
      if (textBuf.length < text.length * 3) textBuf = new Uint8Array(text.length * 3);
      computeHidden(textBuf, 0, encoder.encodeInto(text, textBuf).written);
      return loss === 1 ? predictHs(k) : predictSoftmax(k);
    },
    predictUtf8(bytes: Uint8Array, start: number, end: number, k: number): LabelScore[] {
      computeHidden(bytes, start, end);
      return loss === 1 ? predictHs(k) : predictSoftmax(k);
    },
  };
}
