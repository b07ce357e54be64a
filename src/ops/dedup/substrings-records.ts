import { HASH_PRIME, HASH_WORDS } from './substrings-hash.ts';

/**
 * Window records of exact-substring dedup: per window of `k` tokens, its hash (4 words), the
 * document's ordinal and the window's token position — 6 little-endian u32, 24 bytes. They are
 * range-partitioned by the first hash word (uniform in [0, p)), and a bucket too large for its
 * memory budget is split further into passes by the same word, so every copy of a window meets in
 * one (partition, pass).
 */
export const RECORD_WORDS = HASH_WORDS + 2;

/** A growable list of window records. */
export class WindowRecords {
  words: Uint32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.words = new Uint32Array(Math.max(1, capacity) * RECORD_WORDS);
  }

  /** Appends the windows of one document: `hashes` as from `windowHashes`, positions 0, 1, … */
  pushDocument(hashes: Uint32Array, doc: number): void {
    const windows = hashes.length / HASH_WORDS;
    this.reserve(windows);
    let w = this.length * RECORD_WORDS;
    for (let s = 0; s < windows; s++) {
      for (let j = 0; j < HASH_WORDS; j++) this.words[w++] = hashes[s * HASH_WORDS + j]!;
      this.words[w++] = doc;
      this.words[w++] = s;
    }
    this.length += windows;
  }

  /** Appends window `s` of a document: its hash `hashes[s · HASH_WORDS ..]`, the document, position `s`. */
  pushWindow(hashes: Uint32Array, s: number, doc: number): void {
    this.reserve(1);
    const w = this.length * RECORD_WORDS;
    for (let j = 0; j < HASH_WORDS; j++) this.words[w + j] = hashes[s * HASH_WORDS + j]!;
    this.words[w + HASH_WORDS] = doc;
    this.words[w + HASH_WORDS + 1] = s;
    this.length++;
  }

  /** Appends one record given as words `src[at .. at + RECORD_WORDS)`, with its document replaced. */
  pushRecord(src: Uint32Array, at: number, doc: number): void {
    this.reserve(1);
    const w = this.length * RECORD_WORDS;
    for (let j = 0; j < HASH_WORDS; j++) this.words[w + j] = src[at + j]!;
    this.words[w + HASH_WORDS] = doc;
    this.words[w + HASH_WORDS + 1] = src[at + HASH_WORDS + 1]!;
    this.length++;
  }

  view(): Uint32Array {
    return this.words.subarray(0, this.length * RECORD_WORDS);
  }

  private reserve(extra: number): void {
    const need = (this.length + extra) * RECORD_WORDS;
    if (need <= this.words.length) return;
    let size = this.words.length * 2;
    while (size < need) size *= 2;
    const grown = new Uint32Array(size);
    grown.set(this.words.subarray(0, this.length * RECORD_WORDS));
    this.words = grown;
  }
}

/** Range partition of a record by its first hash word: `parts` equal ranges of [0, p). */
export function recordPartition(h0: number, parts: number): number {
  return Math.floor((h0 * parts) / HASH_PRIME);
}

/** Pass of a record inside its partition: `passes` equal sub-ranges (exact integer arithmetic). */
export function recordPass(h0: number, parts: number, passes: number): number {
  return Math.floor((((h0 * parts) % HASH_PRIME) * passes) / HASH_PRIME);
}

/** Splits records into `parts` range partitions (each in the input order). */
export function partitionWindowRecords(records: Uint32Array, parts: number): Uint32Array[] {
  const n = records.length / RECORD_WORDS;
  const counts = new Uint32Array(parts);
  for (let i = 0; i < n; i++) counts[recordPartition(records[i * RECORD_WORDS]!, parts)]!++;
  const out = Array.from({ length: parts }, (_, k) => new Uint32Array(counts[k]! * RECORD_WORDS));
  const fill = new Uint32Array(parts);
  for (let i = 0; i < n; i++) {
    const k = recordPartition(records[i * RECORD_WORDS]!, parts);
    out[k]!.set(records.subarray(i * RECORD_WORDS, (i + 1) * RECORD_WORDS), fill[k]! * RECORD_WORDS);
    fill[k]!++;
  }
  return out;
}

/** Little-endian bytes of records (or of any u32 words) for the blob store. */
export function wordsToBytes(words: Uint32Array): Uint8Array {
  return new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
}

/** u32 words of a blob; `what` names it in the error for a length that is not whole words. */
export function bytesToWords(bytes: Uint8Array, wordsPerItem: number, what: string): Uint32Array {
  if (bytes.byteLength % (4 * wordsPerItem) !== 0) throw new Error(`${what}: ${bytes.byteLength} bytes is not a multiple of ${4 * wordsPerItem}`);
  return new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}
