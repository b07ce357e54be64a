/**
 * The extractor's HTML parser: the hand-written tokenizer + tree builder (src/ops/extract/parser.ts)
 * against htmlparser2, on the shared WARC HTML pages and the extraction dev set, in one process.
 * - equality: every page of the three shared sets (WARC, dev, trafilatura eval) parsed by
 *   htmlparser2 and by the new parser must give the same event stream (`eventDiffs` 0), bounded as
 *   the extractor parses the same events and work steps as the old parser (`boundedDiffs` 0), and
 *   `extractMainText` must give byte-identical output under four option sets: the sha256 of all
 *   outputs equals the old extractor's in this run and main's recorded before the change
 *   (parse/main-hashes.json).
 * - speed: MB per CPU-second of (a) htmlparser2's `Parser` with no-op callbacks, (b) the old
 *   `parseMetered` (htmlparser2 under the bounded stack, test/ops/extract/old-parser.ts), (c) the new one,
 *   each with no-op callbacks, then the old and new `parsePage` (the extractor's light DOM), and
 *   `extractMainText` pages per CPU-second old vs new. The machine is noisy, so the variants
 *   alternate over PARSE_ROUNDS rounds (default 5) and totals are reported, with ratios.
 */
import { readFileSync } from 'node:fs';
import { Parser } from 'htmlparser2';
import { parsePage } from '../src/ops/extract/dom.ts';
import { extractMainTextUtf8 } from '../src/ops/extract/extract.ts';
import { Deadline } from '../src/ops/extract/limits.ts';
import { defaultExtractOptions } from '../src/ops/extract/options.ts';
import { parseMetered, type ParseHandler } from '../src/ops/extract/parser.ts';
import { boundedEvents, firstDifference, oracleEvents, parserEvents } from '../test/ops/extract/html-events.ts';
import { loadCorpus, type CorpusPage } from './parse/corpus.ts';
import { extractionHashes } from './parse/extract-hash.ts';
import { loadOldExtractor } from './parse/old-extractor.ts';
import { parseMetered as oldParseMetered } from '../test/ops/extract/old-parser.ts';

/** The attributes the extractor's DOM builder reads (dom.ts). */
const ATTRIBUTES: ReadonlySet<string> = new Set(['class', 'id', 'role', 'href', 'hidden', 'aria-hidden', 'style', 'type', 'name', 'property', 'itemprop', 'content']);
const NOOP: ParseHandler = { onopentag() {}, ontext() {}, onclosetag() {} };

function cpuSeconds(fn: () => void): number {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
}

function equality(pages: CorpusPage[], oldHashes: Record<string, string>): void {
  let eventDiffs = 0;
  let boundedDiffs = 0;
  for (const p of pages) {
    const diff = firstDifference(oracleEvents(p.html), parserEvents(p.html));
    if (diff !== null) {
      eventDiffs++;
      process.stderr.write(`parse bench: ${p.set}/${p.name}: ${diff}\n`);
    }
    // As the extractor parses (maxOpen 513), against the old parser: events and work steps.
    const bounded = firstDifference(boundedEvents(oldParseMetered, p.html, 513), boundedEvents(parseMetered, p.html, 513));
    if (bounded !== null) {
      boundedDiffs++;
      process.stderr.write(`parse bench: ${p.set}/${p.name} (bounded): ${bounded}\n`);
    }
  }
  const hashes = extractionHashes(pages);
  const main = (JSON.parse(readFileSync(new URL('./parse/main-hashes.json', import.meta.url), 'utf8')) as { hashes: Record<string, string> }).hashes;
  const same = (h: Record<string, string>): boolean => Object.keys(hashes).every((k) => hashes[k] === h[k]);
  process.stdout.write(`${JSON.stringify({
    bench: 'parse', case: 'equality', pages: pages.length, eventDiffs, boundedDiffs, hashes,
    equalToOldInThisRun: same(oldHashes), equalToMain: same(main),
  })}\n`);
}

interface Variant { name: string; fn: (html: string) => void }

/** Total CPU seconds per variant over `rounds` rounds, the variants alternating within each round. */
function timeRounds(variants: Variant[], pages: CorpusPage[], rounds: number): number[] {
  for (const v of variants) for (const p of pages) v.fn(p.html); // warm-up, untimed
  const totals = variants.map(() => 0);
  for (let r = 0; r < rounds; r++) {
    variants.forEach((v, i) => { totals[i]! += cpuSeconds(() => { for (const p of pages) v.fn(p.html); }); });
  }
  return totals;
}

const round = (x: number, d = 2): number => Number(x.toFixed(d));

export default async function run(): Promise<void> {
  const all = loadCorpus();
  if (all.length === 0) { process.stderr.write('parse bench: no pages under /work/shared/data, skipped\n'); return; }
  const old = await loadOldExtractor();
  equality(all, extractionHashes(all, old.extractMainText));

  const pages = all.filter((p) => p.set !== 'trafilatura');
  const mb = pages.reduce((s, p) => s + Buffer.byteLength(p.html), 0) / 1e6;
  const rounds = Number(process.env.PARSE_ROUNDS ?? 5);
  const limits = { maxOpen: 513, attributes: ATTRIBUTES };
  const deadline = (): Deadline => new Deadline(1e9);
  // sluice's parser reads UTF-8 bytes (a Utf8 column's, as the pipeline gives them); htmlparser2 reads strings.
  const utf8 = new Map(all.map((p) => [p.html, Buffer.from(p.html, 'utf8')]));
  const parsers: Variant[] = [
    { name: 'htmlparser2', fn: (html) => new Parser(NOOP, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true }).end(html) },
    { name: 'old-parseMetered', fn: (html) => oldParseMetered(html, NOOP, deadline(), limits) },
    { name: 'new-parseMetered', fn: (html) => parseMetered(utf8.get(html)!, NOOP, deadline(), limits) },
    { name: 'old-parsePage', fn: (html) => old.parsePage(html, 512, deadline()) },
    { name: 'new-parsePage', fn: (html) => parsePage(utf8.get(html)!, 512, deadline()) },
  ];
  const parseCpu = timeRounds(parsers, pages, rounds);
  const mbPerCpuSec = parseCpu.map((cpu) => (mb * rounds) / cpu);
  parsers.forEach((v, i) => process.stdout.write(`${JSON.stringify({
    bench: 'parse', case: `parse/${v.name}`, pages: pages.length, mb: round(mb), rounds, cpuSeconds: round(parseCpu[i]!, 3), mbPerCpuSec: round(mbPerCpuSec[i]!, 1),
  })}\n`));
  const opts = defaultExtractOptions();
  const extractors: Variant[] = [
    { name: 'old-extractMainText', fn: (html) => old.extractMainText(html, opts) },
    { name: 'new-extractMainText', fn: (html) => extractMainTextUtf8(utf8.get(html)!, opts) },
  ];
  const extractCpu = timeRounds(extractors, pages, rounds);
  extractors.forEach((v, i) => process.stdout.write(`${JSON.stringify({
    bench: 'parse', case: `extract/${v.name}`, pages: pages.length, rounds, cpuSeconds: round(extractCpu[i]!, 3), pagesPerCpuSec: round((pages.length * rounds) / extractCpu[i]!, 1),
  })}\n`));
  process.stdout.write(`${JSON.stringify({
    bench: 'parse', case: 'ratios',
    parseMeteredNewVsOld: round(mbPerCpuSec[2]! / mbPerCpuSec[1]!),
    parseMeteredNewVsHtmlparser2: round(mbPerCpuSec[2]! / mbPerCpuSec[0]!),
    parsePageNewVsOld: round(mbPerCpuSec[4]! / mbPerCpuSec[3]!),
    extractMainTextNewVsOld: round(extractCpu[0]! / extractCpu[1]!),
  })}\n`);
}
