import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzePlan } from '../../src/planner/analyze.ts';
import { readJsonl } from '../../src/dataframe/read.ts';
import { col } from '../../src/plan/expr.ts';
import type { DataFrame } from '../../src/dataframe/dataframe.ts';
import { executePlan } from '../../src/exec/driver/collect.ts';
import { starsOf } from '../../src/exec/dedup/strategy.ts';
import { ComponentMerger, bandRecords, fuzzyDedupLocal, MinhashSigner, partitionRecords, resolveMinhash } from '../../src/ops/dedup/index.ts';
import { byUrl, exact, minhash } from '../../src/ops/dedup/specs.ts';
import { realDocs, writeDupCorpus, type Doc } from './dedup-corpus.ts';

let tmp: string;
let docs: Doc[];
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sluice-dedup-local-'));
  docs = await writeDupCorpus(join(tmp, 'in'), 3);
});
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

async function run(df: DataFrame, partitionBytes?: number, batchSize?: number) {
  return executePlan(await analyzePlan(df.plan), { ...(partitionBytes ? { partitionBytes } : {}), ...(batchSize ? { batchSize } : {}) });
}

const frame = () => readJsonl(join(tmp, 'in', '*.jsonl'));
const column = (t: { getChild(n: string): { toArray(): ArrayLike<unknown> } | null }, n: string) => Array.from(t.getChild(n)!.toArray());

describe('dedup in the local runner (collect)', () => {
  it('keeps the same documents and cluster ids whatever the partitioning and batch size', async () => {
    const a = await run(frame().dedup(minhash({ clusterColumns: true })));
    const b = await run(frame().dedup(minhash({ clusterColumns: true })), 20_000, 3);
    expect(b.physical.stages[0]!.partitions.length).toBeGreaterThan(a.physical.stages[0]!.partitions.length);
    for (const c of ['id', 'cluster_id', 'cluster_size']) expect(column(b.table, c)).toEqual(column(a.table, c));
    const ref = fuzzyDedupLocal(docs.map((d) => d.text), { preset: 'fineweb' });
    expect(column(a.table, 'id')).toEqual(docs.filter((_, i) => ref.isKept(i)).map((d) => d.id));
    const step = b.stats.find((s) => s.name === 'dedup')!;
    expect(step.documentsIn).toBe(docs.length);
    expect(step.documentsOut + step.dropped['dedup:minhash_duplicate']!).toBe(docs.length);
  });

  it('dedups what earlier steps left, in their order, and later steps see only kept documents', async () => {
    const df = frame().filter(col('text').length().gt(1000)).dedup(exact()).filter(col('id').length().gt(0));
    const r = await run(df, 30_000);
    const long = docs.filter((d) => d.text.length > 1000);
    const seen = new Set<string>();
    const expected = long.filter((d) => {
      const k = d.text.replace(/\s+/g, ' ').trim().toLowerCase();
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    }).map((d) => d.id);
    expect(column(r.table, 'id')).toEqual(expected);
    const step = r.stats.find((s) => s.name === 'dedup')!;
    expect(step.documentsIn).toBe(long.length);
    expect(step.dropped).toEqual({ 'dedup:exact_duplicate': long.length - expected.length });
    expect(r.stats.find((s) => s.stage === step.stage && s.step === step.step + 1)!.documentsIn).toBe(expected.length);
  });

  it('URL dedup needs its column and says which', async () => {
    await expect(run(frame().select({ text: col('text') }).dedup(byUrl()))).rejects.toThrow(/column "url"/);
  });
});

describe('band partitioning', () => {
  it('the merged clusters do not depend on how many band partitions the records are split into', () => {
    const real = realDocs();
    const texts = [...real.map((d) => d.text), ...real.slice(0, 30).map((d) => d.text.slice(0, Math.floor(d.text.length * 0.97)))];
    const cfg = resolveMinhash({ preset: 'fineweb' });
    const records = bandRecords(new MinhashSigner(cfg).sign(texts), cfg.bands, texts.map((_, i) => i));
    const roots = [1, 2, 7, 64].map((k) => {
      const m = new ComponentMerger(texts.length);
      for (const part of partitionRecords(records, k)) m.add(starsOf([part]));
      return Array.from(m.finish().root);
    });
    expect(roots[0]!.filter((r, i) => r !== i).length).toBeGreaterThan(10);
    for (const r of roots.slice(1)) expect(r).toEqual(roots[0]);
  });
});
