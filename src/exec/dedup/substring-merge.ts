import { SubstringDedupOptions } from '../../ops/dedup/substrings-options.ts';
import { sortPairs } from '../../ops/dedup/substrings-duplicates.ts';
import { encodeSpans, spansOf } from '../../ops/dedup/substrings-spans.ts';
import { bytesToWords, wordsToBytes } from '../../ops/dedup/substrings-records.ts';
import type { PhysicalPlan } from '../../plan/physical-plan.ts';
import { getBytesIfAny, type BlobStore } from '../../storage/blob-store.ts';
import { stageById } from '../state/committed.ts';
import { testKillHook } from '../state/test-hooks.ts';
import { dedupKeys } from './layout.ts';
import { parentLayout } from './parent.ts';
import type { SubstringBucketSummary } from './substring-bucket.ts';
import { bandPartitionsOf, dedupSpecOf } from './strategy.ts';

/** What the substring merge commits (also printed by benches). */
export interface SubstringMergeSummary {
  documents: number;
  /** Documents with at least one cut. */
  documentsCut: number;
  /** Window occurrences cut (before the union into spans). */
  windows: number;
  spans: number;
  /** Tokens inside the spans. */
  tokens: number;
}

/**
 * Merge task of a substring dedup: per parent partition, gathers the cut window occurrences of its
 * documents from every bucket and pass, unions them into token spans per document and commits
 * them (`assign` blob); last the summary, which marks the merge committed. Memory: one partition's
 * occurrences at a time. Idempotent; a resumed merge rewrites the same bytes.
 */
export async function substringMergePhase(plan: PhysicalPlan, stageId: string, store: BlobStore): Promise<SubstringMergeSummary> {
  const done = dedupKeys.merged(stageId);
  const committed = await getBytesIfAny(store, done);
  if (committed) return JSON.parse(new TextDecoder().decode(committed)) as SubstringMergeSummary;
  const stage = stageById(plan, stageId);
  const o = SubstringDedupOptions.parse(dedupSpecOf(stage).options);
  const layout = await parentLayout(plan, stage, store);
  const passes: number[] = [];
  for (let k = 0; k < bandPartitionsOf(stage); k++) {
    const summary = JSON.parse(new TextDecoder().decode(await store.getBytes(dedupKeys.stars(stageId, k)))) as SubstringBucketSummary;
    passes.push(summary.passes);
  }
  const total: SubstringMergeSummary = { documents: layout.total, documentsCut: 0, windows: 0, spans: 0, tokens: 0 };
  for (const [p, n] of layout.counts.entries()) {
    const parts: Uint32Array[] = [];
    for (const [k, count] of passes.entries()) {
      for (let pass = 0; pass < count; pass++) {
        const key = dedupKeys.hits(stageId, k, pass, p);
        const bytes = await getBytesIfAny(store, key);
        if (bytes) parts.push(bytesToWords(bytes, 2, `cut windows ${key}`));
      }
    }
    const all = new Uint32Array(parts.reduce((s, x) => s + x.length, 0));
    let at = 0;
    for (const x of parts) { all.set(x, at); at += x.length; }
    const spans = spansOf(sortPairs(all), layout.offsets[p]!, n, o.minTokens);
    total.windows += all.length / 2;
    total.spans += spans.pairs.length / 2;
    for (let d = 0; d < n; d++) if (spans.offsets[d + 1]! > spans.offsets[d]!) total.documentsCut++;
    for (let s = 0; s < spans.pairs.length; s += 2) total.tokens += spans.pairs[s + 1]! - spans.pairs[s]!;
    await store.put(dedupKeys.assign(stageId, p), wordsToBytes(encodeSpans(spans)));
    testKillHook('checkpoint');
  }
  await store.put(done, new TextEncoder().encode(JSON.stringify(total)));
  return total;
}
