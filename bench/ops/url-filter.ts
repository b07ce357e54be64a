/**
 * URL filter throughput (docs/s, single thread) on the real URLs of /work/shared/data/warc
 * (every `WARC-Target-URI` of a response record, HTML or not), repeated to ~200k URLs.
 * Cases, same URLs, same run:
 * - `operator-words`: `url_filter.apply` on Arrow batches with datatrove's word lists (no UT1 dir);
 * - `operator-ut1`: the same plus a UT1-layout blocklist (tldts host parsing on every URL);
 * - `subwords-aho-corasick` vs `subwords-naive` (normalize + `includes` per banned subword, what
 *   datatrove did before it adopted pyahocorasick): the banned-subword check alone;
 * - `tldts-parse`: tldts `parse` alone, the floor for any registered-domain check.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Field, Utf8, type RecordBatch } from 'apache-arrow';
import { parse } from 'tldts';
import { makeBatch } from '../../src/arrow/batch.ts';
import { utf8Vector } from '../../src/arrow/utf8.ts';
import { warcReader } from '../../src/io/warc/read.ts';
import { parseOptions, type OperatorResult } from '../../src/ops/operator.ts';
import { urlFilter } from '../../src/ops/filters/url-filter/url-filter.ts';
import { AlphaNumMatcher } from '../../src/ops/filters/url-filter/aho-corasick.ts';
import { DEFAULT_WORD_LISTS, loadWordList, normalizeWord } from '../../src/ops/filters/url-filter/lists.ts';

const DATA = '/work/shared/data/warc';
const UT1 = fileURLToPath(new URL('../../fixtures/url_filter/ut1/', import.meta.url));
const TARGET = 200_000;
const BATCH = 4096;

async function loadUrls(): Promise<string[]> {
  const urls: string[] = [];
  const files = readdirSync(DATA).filter((f) => /\.warc\.gz$/.test(f) && !f.startsWith('clipped')).sort();
  const spec = { format: 'warc' as const, paths: files.map((f) => join(DATA, f)), options: { contentTypes: ['text/', 'image/', 'application/', 'audio/', 'video/'] } };
  for (const p of await warcReader.partitions(spec, 1 << 30)) {
    for await (const item of warcReader.read(spec, p, { batchSize: 1024, columns: ['url'] })) {
      if ('batch' in item) for (const u of item.batch.getChild('url')!) urls.push(u as string);
    }
  }
  return urls;
}

function utf8Batch(urls: string[]): RecordBatch {
  return makeBatch([{ field: new Field('url', new Utf8(), false), data: utf8Vector(urls) }], urls.length);
}

function measure(fn: () => number): { seconds: number; cpuSeconds: number; result: number } {
  fn();
  let best = { seconds: Infinity, cpuSeconds: 0, result: 0 };
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const result = fn();
    const cpu = process.cpuUsage(c0);
    const seconds = (performance.now() - t0) / 1000;
    if (seconds < best.seconds) best = { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, result };
  }
  return best;
}

export default async function run(): Promise<void> {
  const unique = await loadUrls();
  const urls: string[] = [];
  while (urls.length < TARGET) urls.push(...unique);
  const batches: RecordBatch[] = [];
  for (let i = 0; i < urls.length; i += BATCH) batches.push(utf8Batch(urls.slice(i, i + BATCH)));
  const ctx = { heartbeat: () => {} };
  const words = await urlFilter.init(parseOptions(urlFilter, {}));
  const ut1 = await urlFilter.init(parseOptions(urlFilter, { blocklistDir: UT1 }));
  const applyAll = (state: typeof words) => () => {
    let dropped = 0;
    for (const b of batches) {
      // url_filter's apply is synchronous; the Operator type allows a promise in general.
      const res = urlFilter.apply(state, b, ctx) as OperatorResult;
      for (const d of res.drop!) if (d) dropped++;
    }
    return dropped;
  };
  const subwords = [...loadWordList(DEFAULT_WORD_LISTS.bannedSubwords, [])];
  const matcher = new AlphaNumMatcher(subwords);
  const cases: [string, () => number][] = [
    ['operator-words', applyAll(words)],
    ['operator-ut1', applyAll(ut1)],
    ['subwords-aho-corasick', () => urls.reduce((n, u) => n + (matcher.find(u) !== undefined ? 1 : 0), 0)],
    ['subwords-naive', () => urls.reduce((n, u) => { const s = normalizeWord(u); return n + (subwords.some((w) => s.includes(w)) ? 1 : 0); }, 0)],
    ['tldts-parse', () => urls.reduce((n, u) => n + (parse(u).domain ? 1 : 0), 0)],
  ];
  const rows = cases.map(([name, fn]) => ({ name, ...measure(fn) }));
  const naive = rows.find((r) => r.name === 'subwords-naive')!;
  for (const r of rows) {
    console.log(JSON.stringify({
      bench: 'ops/url-filter', case: r.name, docs: urls.length, uniqueUrls: unique.length, result: r.result,
      docsPerSec: Math.round(urls.length / r.seconds), docsPerCpuSec: Math.round(urls.length / r.cpuSeconds),
      ...(r.name.startsWith('subwords') ? { ratioVsNaive: Number((naive.seconds / r.seconds).toFixed(2)) } : {}),
    }));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
