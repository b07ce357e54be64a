/**
 * Exact Jaccard similarity of two shingle-hash sets, for verifying LSH candidates. Inputs are
 * 64-bit hashes as `(hi, lo)` lanes; duplicates within a set are ignored.
 */
export function shingleSet(hi: Uint32Array, lo: Uint32Array, count: number): Float64Array {
  // Each 64-bit hash folds to one float64 key: hi·2^21 + (lo >>> 11) keeps 53 bits, enough that
  // two distinct shingles of two documents collide with probability ~n²/2^53.
  const keys = new Float64Array(count);
  for (let i = 0; i < count; i++) keys[i] = hi[i]! * 2097152 + (lo[i]! >>> 11);
  keys.sort();
  let m = 0;
  for (let i = 0; i < count; i++) if (i === 0 || keys[i] !== keys[m - 1]) keys[m++] = keys[i]!;
  return keys.slice(0, m);
}

/** |A ∩ B| / |A ∪ B| of two sorted distinct key arrays from {@link shingleSet}. */
export function jaccard(a: Float64Array, b: Float64Array): number {
  if (a.length === 0 && b.length === 0) return 1;
  let i = 0;
  let j = 0;
  let inter = 0;
  while (i < a.length && j < b.length) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else { inter++; i++; j++; }
  }
  return inter / (a.length + b.length - inter);
}
