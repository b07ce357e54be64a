import {
  ComponentMerger, MinhashSigner, fuzzyDedupLocal, jaccard, resolveMinhash, shingleSet, type MinhashOptions,
} from '../../src/ops/dedup/index.ts';
import { seededRandom as rng } from '../seeded-random.ts';

type Emit = (row: Record<string, unknown>) => void;

const BOILERPLATE = [
  'Accept cookies We use cookies to improve your experience on our site. Privacy Policy | Terms of Use',
  'Home | About us | Contact | Blog | Shop | Login Register',
  'Share this: Facebook Twitter LinkedIn Email Print. Related posts you might also like.',
  '© 2019 All rights reserved. Powered by WordPress. Subscribe to our newsletter for updates.',
];

/** A near-duplicate by edits seen in crawls: boilerplate added, sentences shuffled locally or dropped. */
function edit(text: string, r: () => number): string {
  let sents = text.split(/(?<=[.!?])\s+/);
  const kind = Math.floor(r() * 4);
  if (kind === 0 || kind === 3) {
    sents = [BOILERPLATE[Math.floor(r() * 2)]!, ...sents, BOILERPLATE[2 + Math.floor(r() * 2)]!];
  }
  if (kind === 1 || kind === 3) {
    for (let i = 0; i + 1 < sents.length; i++) {
      if (r() < 0.1) [sents[i], sents[i + 1]] = [sents[i + 1]!, sents[i]!];
    }
  }
  if (kind === 2 || kind === 3) sents = sents.filter(() => r() >= 0.1);
  return sents.join(' ');
}

/** Docs removed by the truth: connected components of pairs with exact Jaccard ≥ t, keep first. */
function truthRemoved(sets: Float64Array[], t: number): Set<number> {
  // Exact all-pairs Jaccard, computed only for pairs sharing a shingle (others have Jaccard 0).
  const postings = new Map<number, number[]>();
  sets.forEach((s, d) => s.forEach((k) => {
    const p = postings.get(k);
    if (p) p.push(d); else postings.set(k, [d]);
  }));
  const merger = new ComponentMerger(sets.length);
  const src: number[] = [];
  const dst: number[] = [];
  for (let d = 0; d < sets.length; d++) {
    const seen = new Set<number>();
    for (const k of sets[d]!) for (const e of postings.get(k)!) if (e < d) seen.add(e);
    for (const e of seen) if (jaccard(sets[e]!, sets[d]!) >= t) { src.push(e); dst.push(d); }
  }
  merger.add({ length: src.length, src: Float64Array.from(src), dst: Float64Array.from(dst) });
  const a = merger.finish();
  const removed = new Set<number>();
  for (let d = 0; d < sets.length; d++) if (!a.isKept(d)) removed.add(d);
  return removed;
}

/** (b) Precision/recall of removed documents vs brute-force exact Jaccard ≥ threshold. */
export function accuracy(corpus: readonly string[], emit: Emit): void {
  const r = rng(42);
  const originals = corpus.filter((t) => t.split(/\s+/).length >= 50);
  const sources = originals.filter(() => r() < 0.3);
  const docs = [...originals, ...sources.map((t) => edit(t, r))];
  const cases: { name: string; options: MinhashOptions; threshold: number }[] = [
    { name: 'fineweb', options: { preset: 'fineweb' }, threshold: 0.75 },
    { name: 'fineweb:permutations', options: { preset: 'fineweb', family: 'permutations' }, threshold: 0.75 },
    { name: 'refinedweb', options: { preset: 'refinedweb' }, threshold: 0.75 },
    { name: 'fineweb+verify', options: { preset: 'fineweb', verifyJaccard: 0.75 }, threshold: 0.75 },
    { name: 'fineweb@0.8', options: { preset: 'fineweb' }, threshold: 0.8 },
    { name: 'nemo', options: { preset: 'nemo' }, threshold: 0.8 },
  ];
  for (const c of cases) {
    const signer = new MinhashSigner(resolveMinhash(c.options));
    const sets = docs.map((t) => { const s = signer.shingle(t); return shingleSet(s.hi, s.lo, s.count); });
    const truth = truthRemoved(sets, c.threshold);
    const a = fuzzyDedupLocal(docs, c.options, 4);
    let tp = 0;
    let removed = 0;
    for (let d = 0; d < docs.length; d++) {
      if (a.isKept(d)) continue;
      removed++;
      if (truth.has(d)) tp++;
    }
    emit({
      bench: 'dedup', case: `accuracy:${c.name}`, docs: docs.length, nearDuplicatesAdded: sources.length,
      jaccardThreshold: c.threshold, truthRemoved: truth.size, removed,
      precision: +(removed ? tp / removed : 1).toFixed(4), recall: +(truth.size ? tp / truth.size : 1).toFixed(4),
    });
  }
}
