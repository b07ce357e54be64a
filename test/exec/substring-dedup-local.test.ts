import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzePlan } from '../../src/planner/analyze.ts';
import { readJsonl } from '../../src/dataframe/read.ts';
import type { DataFrame } from '../../src/dataframe/dataframe.ts';
import { executePlan } from '../../src/exec/driver/collect.ts';
import { cutText } from '../../src/ops/dedup/substrings-cut.ts';
import { substrings, type SubstringDedupOptions } from '../../src/ops/dedup/substrings-options.ts';
import { loadTokenizer, type TokenizerBackend } from '../../src/ops/tokenize/backend.ts';
import type { Doc } from './dedup-corpus.ts';
import { bruteSpans } from './substring-brute.ts';
import { writeSubstringCorpus } from './substring-corpus.ts';

let tmp: string;
let docs: Doc[];
let gpt2: TokenizerBackend;
let ids: Uint32Array[];
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sluice-substr-local-'));
  docs = await writeSubstringCorpus(join(tmp, 'in'), 3);
  gpt2 = await loadTokenizer('gpt2');
  ids = docs.map((d) => gpt2.encodeOrdinary(d.text));
});
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

async function run(df: DataFrame, partitionBytes?: number, batchSize?: number) {
  return executePlan(await analyzePlan(df.plan), { ...(partitionBytes ? { partitionBytes } : {}), ...(batchSize ? { batchSize } : {}) });
}
const frame = () => readJsonl(join(tmp, 'in', '*.jsonl'));
const column = (t: { getChild(n: string): { toArray(): ArrayLike<unknown> } | null }, n: string) => Array.from(t.getChild(n)!.toArray());

/** Kept token segments of each document (complements of its spans). */
function keptSegments(n: number, spans: number[]): [number, number][] {
  const out: [number, number][] = [];
  let at = 0;
  for (let s = 0; s < spans.length; s += 2) { if (spans[s]! > at) out.push([at, spans[s]!]); at = spans[s + 1]!; }
  if (at < n) out.push([at, n]);
  return out;
}

async function expectBruteForce(o: SubstringDedupOptions & { minTokens: number; keep: 'none' | 'first' }) {
  const { table, stats } = await run(frame().dedup(substrings({ ...o, minTokensLeft: 0 })));
  const k = o.minTokens;
  const expected = bruteSpans(ids, k, o.keep);
  // Every document stays (minTokensLeft 0), in input order, with exactly the brute-force spans cut.
  expect(column(table, 'id')).toEqual(docs.map((d) => d.id));
  const texts = column(table, 'text') as string[];
  const removed = column(table, 'substr_removed_tokens') as number[];
  const bytes = (id: number) => gpt2.tokenByteLength!(id);
  docs.forEach((d, i) => {
    const spans = expected[i]!;
    expect(removed[i], d.id).toBe(spans.reduce((n, x, j) => n + (j % 2 ? x : -x), 0));
    expect(texts[i], d.id).toBe(cutText(d.text, ids[i]!, spans, bytes).text);
    // Independently of cutText: where no cut splits a character, the output is the kept tokens' text.
    const kept = keptSegments(ids[i]!.length, spans).map(([a, b]) => gpt2.decode(ids[i]!.subarray(a, b))).join('');
    if (!kept.includes('\uFFFD')) expect(texts[i], d.id).toBe(kept);
  });
  // Acceptance: no k-window inside the kept segments occurs twice in the output.
  const windows = new Map<string, number>();
  docs.forEach((_, i) => {
    for (const [a, b] of keptSegments(ids[i]!.length, expected[i]!)) {
      for (let s = a; s + k <= b; s++) {
        const key = Array.from(ids[i]!.subarray(s, s + k)).join(',');
        windows.set(key, (windows.get(key) ?? 0) + 1);
      }
    }
  });
  expect([...windows.values()].filter((c) => c > 1)).toEqual([]);
  const step = stats.find((s) => s.name === 'substring_dedup')!;
  expect(step.documentsIn).toBe(docs.length);
  expect(step.documentsOut).toBe(docs.length);
  return { expected, texts, table };
}

describe('exact-substring dedup in the local runner (collect)', () => {
  it("keep 'none': cuts every occurrence of every repeated ≥ k-token span and nothing else (brute force), k = 50", async () => {
    const { expected, texts } = await expectBruteForce({ minTokens: 50, keep: 'none' });
    const at = (id: string) => docs.findIndex((d) => d.id === id);
    // The planted repeats are found: across documents, at edges, inside one document, overlapping, periodic, multibyte.
    for (const suffix of ['-quote', '-edge', '-twice']) {
      for (const [i, d] of docs.entries()) if (d.id.endsWith(suffix)) expect(expected[i]!.length, d.id).toBeGreaterThan(0);
    }
    expect(expected[at('overlap-1')]!.length).toBeGreaterThan(0);
    expect(expected[at('overlap-2')]!.length).toBeGreaterThan(0);
    // The periodic run repeats within itself: all of it goes but the few tokens no repeated window covers.
    expect(texts[at('loop')]).toBe('the until the end.');
    expect(texts[at('wide-1')]).toMatch(/^First page\. /);
    expect(texts[at('wide-1')]!.length).toBeLessThan(docs[at('wide-1')]!.text.length / 2);
    // Shorter than k tokens: untouched although it occurs twice.
    expect(texts[at('short-1')]).toBe(docs[at('short-1')]!.text);
    expect(texts[at('short-2')]).toBe(docs[at('short-2')]!.text);
  });

  it("keep 'first': cuts all but the first occurrence of each repeated window (brute force), k = 50", async () => {
    const { expected } = await expectBruteForce({ minTokens: 50, keep: 'first' });
    const quoted = docs.findIndex((d) => d.id.endsWith('-quote'));
    expect(expected[quoted]!.length).toBeGreaterThan(0);
  });

  it('matches the brute force with a short window (k = 8), where natural repeats abound', async () => {
    const { expected } = await expectBruteForce({ minTokens: 8, keep: 'none' });
    expect(expected.filter((s) => s.length > 0).length).toBeGreaterThan(docs.length / 4);
    await expectBruteForce({ minTokens: 8, keep: 'first' });
  });

  it('is the same whatever the partitioning, batch size and bucket memory budget (several passes)', async () => {
    const a = await run(frame().dedup(substrings({ minTokens: 20 })));
    const b = await run(frame().dedup(substrings({ minTokens: 20, bucketMemoryMb: 1 })), 20_000, 3);
    expect(b.physical.stages[0]!.partitions.length).toBeGreaterThan(a.physical.stages[0]!.partitions.length);
    for (const c of ['id', 'text', 'substr_removed_tokens', 'substr_removed_chars']) expect(column(b.table, c)).toEqual(column(a.table, c));
  });

  it('drops a document left with fewer than minTokensLeft tokens, with a counted reason', async () => {
    const { table, stats } = await run(frame().dedup(substrings({ minTokens: 50, minTokensLeft: 50 })));
    const expected = bruteSpans(ids, 50, 'none');
    const short = docs.filter((_, i) => expected[i]!.length > 0 && ids[i]!.length - expected[i]!.reduce((n, x, j) => n + (j % 2 ? x : -x), 0) < 50);
    expect(short.map((d) => d.id)).toContain('loop');
    expect(column(table, 'id')).toEqual(docs.filter((d) => !short.includes(d)).map((d) => d.id));
    const step = stats.find((s) => s.name === 'substring_dedup')!;
    expect(step.dropped).toEqual({ 'substring_dedup:too_short': short.length });
  });
});
