import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile, mkdir } from 'node:fs/promises';
import { analyzePlan } from '../../src/planner/analyze.ts';
import { readJsonl } from '../../src/dataframe/read.ts';
import type { DataFrame } from '../../src/dataframe/dataframe.ts';
import { executePlan } from '../../src/exec/driver/collect.ts';
import { dateSeconds } from '../../src/exec/dedup/url-newest.ts';
import { normalizeUrl } from '../../src/ops/dedup/keys.ts';
import { byUrl } from '../../src/ops/dedup/specs.ts';
import { realDocs } from './dedup-corpus.ts';

interface Dated { id: string; url: string; date: string | null; text: string }

let tmp: string;
let docs: Dated[];
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sluice-url-newest-'));
  // Real documents re-crawled: every third URL appears again later, with an older, newer, equal or
  // missing WARC-Date, under http/www/utm variants of the URL.
  const real = realDocs();
  docs = real.map((d, i) => ({ id: d.id, url: d.url, date: `2019-07-${String(10 + (i % 15)).padStart(2, '0')}T10:00:00Z`, text: d.text }));
  real.forEach((d, i) => {
    if (i % 3 !== 0) return;
    const variant = d.url.replace(/^https?:\/\/(www\.)?/, 'http://www.');
    const date = [`2021-01-0${1 + (i % 7)}T00:00:00Z`, '2018-01-01T00:00:00Z', docs[i]!.date, null][i % 4]!;
    docs.push({ id: `${d.id}-recrawl`, url: variant, date, text: `${d.text}\n(recrawled)` });
    if (i % 9 === 0) docs.push({ id: `${d.id}-third`, url: `${d.url}${d.url.includes('?') ? '&' : '?'}utm_source=x`, date: '2022-06-01T00:00:00Z', text: d.text });
  });
  await mkdir(join(tmp, 'in'), { recursive: true });
  const per = Math.ceil(docs.length / 3);
  for (let f = 0; f < 3; f++) {
    await writeFile(join(tmp, 'in', `part-${f}.jsonl`), docs.slice(f * per, (f + 1) * per).map((d) => JSON.stringify(d)).join('\n') + '\n');
  }
});
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

async function run(df: DataFrame, partitionBytes?: number) {
  return executePlan(await analyzePlan(df.plan), partitionBytes ? { partitionBytes } : {});
}
const ids = (t: { getChild(n: string): { toArray(): ArrayLike<unknown> } | null }) => Array.from(t.getChild('id')!.toArray()) as string[];

/** Reference: per normalized URL, the newest date wins; ties and missing dates go by input order. */
function newestIds(): string[] {
  const best = new Map<string, number>();
  docs.forEach((d, i) => {
    const key = normalizeUrl(d.url);
    const b = best.get(key);
    if (b === undefined || dateSeconds(d.date) > dateSeconds(docs[b]!.date)) best.set(key, i);
  });
  const kept = new Set(best.values());
  return docs.filter((_, i) => kept.has(i)).map((d) => d.id);
}

describe("URL dedup keep: 'newest'", () => {
  it('keeps the most recent crawl of each URL, in input order, whatever the partitioning', async () => {
    const expected = newestIds();
    expect(expected.some((id) => id.endsWith('-recrawl'))).toBe(true);
    expect(expected.some((id) => id.endsWith('-third'))).toBe(true);
    const a = await run(readJsonl(join(tmp, 'in', '*.jsonl')).dedup(byUrl({ keep: 'newest' })).select('id'));
    expect(ids(a.table)).toEqual(expected);
    const b = await run(readJsonl(join(tmp, 'in', '*.jsonl')).dedup(byUrl({ keep: 'newest' })).select('id'), 30_000);
    expect(b.physical.stages[0]!.partitions.length).toBeGreaterThan(a.physical.stages[0]!.partitions.length);
    expect(ids(b.table)).toEqual(expected);
    const step = a.stats.find((s) => s.name === 'dedup')!;
    expect(step.dropped).toEqual({ 'dedup:url_duplicate': docs.length - expected.length });
    // keep 'first' still keeps the first crawl.
    const first = await run(readJsonl(join(tmp, 'in', '*.jsonl')).dedup(byUrl()).select('id'));
    expect(ids(first.table)).not.toEqual(expected);
    expect(ids(first.table).filter((id) => id.endsWith('-recrawl') || id.endsWith('-third'))).toEqual([]);
  });

  it('a missing or unparseable date is older than any date', () => {
    expect(dateSeconds(null)).toBe(0);
    expect(dateSeconds('not a date')).toBe(0);
    expect(dateSeconds('2020-08-04T23:41:37Z')).toBe(Date.UTC(2020, 7, 4, 23, 41, 37) / 1000);
  });
});
