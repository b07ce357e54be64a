import { mkdtemp, mkdir, rm, writeFile, readdir, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzePlan } from '../../src/planner/analyze.ts';
import { readJsonl } from '../../src/dataframe/read.ts';
import type { DataFrame } from '../../src/dataframe/dataframe.ts';
import { executePlan } from '../../src/exec/driver/collect.ts';
import { bandRecords, MinhashSigner, resolveMinhash } from '../../src/ops/dedup/index.ts';
import { byUrl, exact, minhash } from '../../src/ops/dedup/specs.ts';
import { realDocs, type Doc } from './dedup-corpus.ts';

let tmp: string;
let docs: Doc[];
/** Run 1 reads docs[0..50); run 2 reads docs[30..80) plus an exact copy of one of its own and near copies of run 1's. */
let first: Doc[];
let second: Doc[];

async function writeDocs(dir: string, list: Doc[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  const line = (d: Doc, i: number) => JSON.stringify({ ...d, date: `2024-05-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00Z` });
  await writeFile(join(dir, 'part-0.jsonl'), list.slice(0, 25).map(line).join('\n') + '\n');
  await writeFile(join(dir, 'part-1.jsonl'), list.slice(25).map((d, i) => line(d, i + 25)).join('\n') + '\n');
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sluice-dedup-index-'));
  docs = realDocs();
  first = docs.slice(0, 50);
  const own = docs[60]!;
  const near = docs.slice(0, 6).filter((d) => d.text.length > 1500).map((d) => ({ id: `${d.id}-near`, url: `https://near.example.net/${d.id}`, text: `${d.text}\n\nShare this article.` }));
  second = [...docs.slice(30, 80), { ...own, id: `${own.id}-again`, url: 'https://again.example.net/' }, ...near];
  await writeDocs(join(tmp, 'run1'), first);
  await writeDocs(join(tmp, 'run2'), second);
});
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

async function run(df: DataFrame) {
  return executePlan(await analyzePlan(df.plan));
}
const frame = (name: string) => readJsonl(join(tmp, name, '*.jsonl'));
const ids = (t: { getChild(n: string): { toArray(): ArrayLike<unknown> } | null }) => Array.from(t.getChild('id')!.toArray()) as string[];

describe('dedup against the index of an earlier run', () => {
  it('exact: drops exactly the overlap with the earlier run as index duplicates, and still dedups within the run', async () => {
    const index = join(tmp, 'idx-exact');
    const r1 = await run(frame('run1').dedup(exact({ writeIndex: index })));
    expect(ids(r1.table)).toHaveLength(first.length);
    expect((await readdir(index)).sort()).toContain('index.json');
    const r2 = await run(frame('run2').dedup(exact({ againstIndexes: [index] })));
    const overlap = second.filter((d) => first.some((f) => f.id === d.id)).map((d) => d.id);
    expect(overlap).toHaveLength(20);
    expect(ids(r2.table)).toEqual(second.map((d) => d.id).filter((id) => !overlap.includes(id) && !id.endsWith('-again')));
    expect(r2.stats.find((s) => s.name === 'dedup')!.dropped).toEqual({ 'dedup:index_duplicate': 20, 'dedup:exact_duplicate': 1 });
  });

  it('URL (keep newest): drops the URLs the earlier run saw', async () => {
    const index = join(tmp, 'idx-url');
    await run(frame('run1').dedup(byUrl({ writeIndex: index })));
    const r2 = await run(frame('run2').dedup(byUrl({ keep: 'newest', againstIndexes: [index] })));
    const seen = new Set(first.map((d) => d.url));
    expect(ids(r2.table)).toEqual(second.filter((d) => !seen.has(d.url)).map((d) => d.id));
    expect(r2.stats.find((s) => s.name === 'dedup')!.dropped).toEqual({ 'dedup:index_duplicate': second.filter((d) => seen.has(d.url)).length });
  });

  it('MinHash: drops the documents sharing a band hash with the earlier run (the overlap and its near copies)', async () => {
    const index = join(tmp, 'idx-mh');
    await run(frame('run1').dedup(minhash({ preset: 'fineweb', writeIndex: index })));
    const r2 = await run(frame('run2').dedup(minhash({ preset: 'fineweb', againstIndexes: [index] })));
    // Reference: band keys of run 1, then run 2's documents with any of them.
    const signer = new MinhashSigner(resolveMinhash({ preset: 'fineweb' }));
    const cfg = resolveMinhash({ preset: 'fineweb' });
    const keysOf = (list: Doc[]) => bandRecords(signer.sign(list.map((d) => d.text)), cfg.bands, list.map((_, i) => i));
    const old = keysOf(first);
    const seen = new Set(Array.from({ length: old.length }, (_, i) => `${old.band[i]}:${old.hi[i]}:${old.lo[i]}`));
    const now = keysOf(second);
    const hit = new Set<number>();
    for (let i = 0; i < now.length; i++) if (seen.has(`${now.band[i]}:${now.hi[i]}:${now.lo[i]}`)) hit.add(now.doc[i]!);
    const step = r2.stats.find((s) => s.name === 'dedup')!;
    expect(step.dropped['dedup:index_duplicate']).toBe(hit.size);
    for (const d of second) {
      if (first.some((f) => f.id === d.id) || d.id.endsWith('-near')) expect(ids(r2.table), d.id).not.toContain(d.id);
    }
    expect(ids(r2.table)).toContain(docs[70]!.id);
  });

  it('refuses an index of another strategy, other parameters or an unfinished run', async () => {
    const mh = join(tmp, 'idx-mh');
    await expect(run(frame('run2').dedup(minhash({ preset: 'refinedweb', againstIndexes: [mh] })))).rejects.toThrow(/incompatible: its params/);
    await expect(run(frame('run2').dedup(exact({ againstIndexes: [mh] })))).rejects.toThrow(/incompatible: its strategy/);
    const broken = join(tmp, 'idx-broken');
    await run(frame('run1').dedup(exact({ writeIndex: broken })));
    await unlink(join(broken, 'index.json'));
    await expect(run(frame('run2').dedup(exact({ againstIndexes: [broken] })))).rejects.toThrow(/incomplete or missing/);
  });
});
