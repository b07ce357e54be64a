import { describe, expect, it } from 'vitest';
import {
  MinhashSigner, exactDedupLocal, fuzzyDedupLocal, jaccard, normalizeUrl, resolveMinhash, shingleSet, urlDedupLocal,
} from '../../../src/ops/dedup/index.ts';
import { fixtureDocs } from './helpers.ts';

describe('exact dedup', () => {
  it('keeps the first of documents equal after normalization, never merges empty ones', () => {
    const docs = fixtureDocs().map((d) => d.text);
    const input = [docs[0]!, docs[1]!, `  ${docs[0]!.toUpperCase()}!!`, '', null, '', docs[1]!, docs[2]!];
    const a = exactDedupLocal(input);
    expect([...a.root]).toEqual([0, 1, 0, 3, 4, 5, 1, 7]);
    expect([a.size[0], a.size[1], a.size[7]]).toEqual([2, 2, 1]);
    expect(exactDedupLocal(input, 7).root).toEqual(a.root);
  });
});

describe('URL dedup', () => {
  it('normalizes URLs by the documented rule', () => {
    expect(normalizeUrl('HTTPS://WWW.Example.com:443/a/b/?utm_source=x&q=1#frag')).toBe('http://example.com/a/b?q=1');
    expect(normalizeUrl('<http://example.com:8080/>')).toBe('http://example.com:8080');
    expect(normalizeUrl('not a url ')).toBe('not a url');
  });

  it('keeps the first document by input position for each normalized URL', () => {
    const urls = fixtureDocs().map((d) => d.url);
    const input = [urls[3]!, urls[0]!, urls[3]!.replace('https://', 'http://') + '#x', urls[1]!, null, urls[0]! + '/'];
    expect([...urlDedupLocal(input).root]).toEqual([0, 1, 0, 3, 4, 1]);
  });
});

describe('fuzzy dedup end to end', () => {
  it('removes near-duplicates of real documents and keeps the earliest, for 1 or 7 partitions', () => {
    const docs = fixtureDocs().map((d) => d.text).filter((t) => t.split(/\s+/).length > 120);
    // Boilerplate appended and case changed: Jaccard of 5-gram sets stays ≥ 0.95 (checked below).
    const near = (t: string) => `${t.replace(/^\w+/, (w) => w.toUpperCase())}\nSubscribe to our newsletter!`;
    const input = [...docs, ...docs.map(near)];
    const signer = new MinhashSigner(resolveMinhash({}));
    const set = (t: string) => { const x = signer.shingle(t); return shingleSet(x.hi, x.lo, x.count); };
    for (const t of docs) expect(jaccard(set(t), set(near(t)))).toBeGreaterThanOrEqual(0.95);
    const a = fuzzyDedupLocal(input, { preset: 'fineweb' });
    const n = docs.length;
    expect([...a.root]).toEqual([...docs.map((_, i) => i), ...docs.map((_, i) => i)]);
    expect(fuzzyDedupLocal(input, { preset: 'fineweb' }, 7).root).toEqual(a.root);
    expect(a.removedCount()).toBe(n);
  });

  it('verification by exact Jaccard drops candidate pairs below the threshold', () => {
    const base = fixtureDocs().map((d) => d.text).find((t) => t.split(/\s+/).length > 200)!;
    const words = base.split(/\s+/);
    const edited = [...words.slice(0, Math.floor(words.length * 0.85)), 'completely different ending text here'].join(' ');
    expect(fuzzyDedupLocal([base, edited], { verifyJaccard: 0 }).removedCount()).toBe(1);
    expect(fuzzyDedupLocal([base, edited], { verifyJaccard: 0.95 }).removedCount()).toBe(0);
  });
});
