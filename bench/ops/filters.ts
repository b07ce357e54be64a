/**
 * Text quality/repetition filters: docs/s per operator on real documents, and how often each
 * rejects human-labelled bad (0) vs good (1) DCLM documents.
 * - corpus: /work/shared/data/corpus (Dolma CC 2019-30 697 docs, DCLM 780 labelled docs, C4 30 docs);
 *   the text is already extracted, so this measures the filters alone.
 * - `check` rows time the per-document function; `operator` rows time `apply` on one Arrow batch of
 *   the whole corpus (string decoding and column building included).
 * - baseline: a direct port of datatrove's Gopher repetition helpers (strings joined per n-gram,
 *   a Map per n), run in the same process on the same tokens: `speedupVsNaive`.
 * The machine is shared: `docsPerCpuSec` (docs per CPU-second of this process) is the per-core figure.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { Field, Utf8 } from 'apache-arrow';
import { makeBatch } from '../../src/arrow/batch.ts';
import { utf8Vector } from '../../src/arrow/utf8.ts';
import { c4Quality, c4QualityCheck, c4QualityOptions } from '../../src/ops/filters/c4-quality.ts';
import { finewebQuality, finewebQualityCheck, finewebQualityOptions, finewebScratch } from '../../src/ops/filters/fineweb-quality.ts';
import { gopherQuality, gopherQualityCheck, gopherQualityOptions, gopherQualityScratch } from '../../src/ops/filters/gopher-quality.ts';
import { gopherRepetition, gopherRepetitionCheck, gopherRepetitionOptions, gopherRepetitionScratch } from '../../src/ops/filters/gopher-repetition.ts';
import { correctLines, lineCorrections, lineCorrectionsOptions } from '../../src/ops/transforms/line-corrections.ts';
import type { AnyOperator } from '../../src/ops/operator.ts';
import { parseOptions } from '../../src/ops/operator.ts';
import { WordTokens } from '../../src/ops/text/words.ts';

const CORPUS = '/work/shared/data/corpus';

interface Doc { text: string; label?: number }

function readJsonl(file: string): Doc[] {
  return gunzipSync(readFileSync(`${CORPUS}/${file}`)).toString('utf8').split('\n').filter(Boolean)
    .map((l) => JSON.parse(l) as Doc);
}

function loadCorpus(): { all: Doc[]; labelled: Doc[] } {
  const dolma = readJsonl('dolma.CC-MAIN-20190717121559-20190717143559-00140.cc-licensed-697docs.jsonl.gz');
  const labelled = [...readJsonl('dclm.quality-labels.agreement_data.jsonl.gz'), ...readJsonl('dclm.quality-labels.majority_data.jsonl.gz')];
  const c4 = ['01', '02', '03'].flatMap((n) => readJsonl(`olmo.c4-sample.${n}.json.gz`));
  return { all: [...dolma, ...labelled, ...c4], labelled };
}

function timeIt(fn: () => void, minMs = 1500): { docsRuns: number; wallMs: number; cpuMs: number } {
  fn();
  let runs = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  do { fn(); runs++; } while (performance.now() - t0 < minMs);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  return { docsRuns: runs, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function row(name: string, kase: string, docs: number, bytes: number, fn: () => void, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const t = timeIt(fn);
  const n = docs * t.docsRuns;
  const r = {
    bench: 'ops/filters', case: kase, operator: name, docs,
    docsPerSec: Math.round(n / (t.wallMs / 1000)),
    docsPerCpuSec: Math.round(n / (Math.max(t.cpuMs, 1) / 1000)),
    mbPerCpuSec: Number(((bytes * t.docsRuns) / 1e6 / (Math.max(t.cpuMs, 1) / 1000)).toFixed(1)),
    ...extra,
  };
  console.log(JSON.stringify(r));
  return r;
}

// datatrove gopher_repetition_filter.py helpers, ported literally (the baseline).
function naiveNgramChecks(words: string[], len: number): string | null {
  for (const [n, frac] of [[2, 0.2], [3, 0.18], [4, 0.16]] as const) {
    const counts = new Map<string, number>();
    for (let i = 0; i + n <= words.length; i++) {
      const g = words.slice(i, i + n).join(' ');
      counts.set(g, (counts.get(g) ?? 0) + 1);
    }
    let best = '';
    let c = 0;
    for (const [g, k] of counts) if (k > c) { best = g; c = k; }
    if (c > 0 && (best.length * c) / len > frac) return `top_${n}_gram`;
  }
  for (const [n, frac] of [[5, 0.15], [6, 0.14], [7, 0.13], [8, 0.12], [9, 0.11], [10, 0.1]] as const) {
    const seen = new Set<string>();
    let rep = 0;
    let idx = 0;
    while (idx < words.length - n + 1) {
      const g = words.slice(idx, idx + n).join('');
      if (seen.has(g)) { rep += g.length; idx += n; } else { seen.add(g); idx++; }
    }
    if (rep / len > frac) return `duplicated_${n}_n_grams`;
  }
  return null;
}

function labelRates(name: string, docs: Doc[], reject: (t: string) => boolean): void {
  const by = (label: number) => {
    const ds = docs.filter((d) => d.label === label);
    return { n: ds.length, rejected: ds.filter((d) => reject(d.text)).length };
  };
  const bad = by(0);
  const good = by(1);
  console.log(JSON.stringify({
    bench: 'ops/filters', case: 'dclm-labels', operator: name,
    label0Docs: bad.n, label0RejectRate: Number((bad.rejected / bad.n).toFixed(3)),
    label1Docs: good.n, label1RejectRate: Number((good.rejected / good.n).toFixed(3)),
  }));
}

export default async function run(): Promise<void> {
  const { all, labelled } = loadCorpus();
  const texts = all.map((d) => d.text);
  const bytes = texts.reduce((a, t) => a + Buffer.byteLength(t), 0);
  const batch = makeBatch([{ field: new Field('text', new Utf8(), true), data: utf8Vector(texts) }], texts.length);

  const rep = gopherRepetitionOptions.parse({});
  const repScratch = gopherRepetitionScratch();
  const ours = row('gopher_repetition', 'check', texts.length, bytes, () => { for (const t of texts) gopherRepetitionCheck(t, rep, repScratch); });
  // Same tokens for both sides; only the n-gram part differs (lines/paragraphs are identical work).
  const tok = new WordTokens();
  const tokenized = texts.map((t) => { tok.tokenize(t); return tok.toStrings(t); });
  const oursNgrams = row('gopher_repetition', 'ngrams-only', texts.length, bytes, () => {
    for (let i = 0; i < texts.length; i++) {
      const s = repScratch;
      s.words.tokenize(texts[i]!);
      s.ngrams.load(texts[i]!, s.words);
      const len = texts[i]!.length;
      for (const [n, f] of rep.topNGrams) if (s.ngrams.topNgramChars(n) / len > f) break;
      for (const [n, f] of rep.dupNGrams) if (s.ngrams.duplicateNgramChars(n) / len > f) break;
    }
  });
  const naive = row('gopher_repetition', 'ngrams-only-naive-datatrove-port', texts.length, bytes, () => {
    for (let i = 0; i < texts.length; i++) naiveNgramChecks(tokenized[i]!, texts[i]!.length);
  });
  console.log(JSON.stringify({
    bench: 'ops/filters', case: 'ratio', operator: 'gopher_repetition',
    speedupVsNaive: Number(((oursNgrams.docsPerCpuSec as number) / (naive.docsPerCpuSec as number)).toFixed(2)),
    fullCheckDocsPerCpuSec: ours.docsPerCpuSec,
  }));

  const gq = gopherQualityOptions.parse({});
  const gqs = gopherQualityScratch(gq);
  row('gopher_quality', 'check', texts.length, bytes, () => { for (const t of texts) gopherQualityCheck(t, gq, gqs); });
  const c4 = c4QualityOptions.parse({});
  row('c4_quality', 'check', texts.length, bytes, () => { for (const t of texts) c4QualityCheck(t, c4); });
  const fw = finewebQualityOptions.parse({});
  const fws = finewebScratch();
  row('fineweb_quality', 'check', texts.length, bytes, () => { for (const t of texts) finewebQualityCheck(t, fw, fws); });
  const lc = lineCorrectionsOptions.parse({});
  row('line_corrections', 'check', texts.length, bytes, () => { for (const t of texts) correctLines(t, lc); });

  for (const op of [gopherRepetition, gopherQuality, c4Quality, finewebQuality, lineCorrections] as AnyOperator[]) {
    const state = await op.init(parseOptions(op, {}));
    row(op.name, 'operator-batch', texts.length, bytes, () => { void op.apply(state, batch, { heartbeat: () => {} }); });
  }

  labelRates('gopher_repetition', labelled, (t) => gopherRepetitionCheck(t, rep, repScratch) !== null);
  labelRates('gopher_quality', labelled, (t) => gopherQualityCheck(t, gq, gqs) !== null);
  labelRates('c4_quality', labelled, (t) => c4QualityCheck(t, c4).reason !== null);
  labelRates('c4_quality(fineweb: no terminal-punct rule)', labelled, (t) => c4QualityCheck(t, { ...c4, filterNoTerminalPunct: false }).reason !== null);
  labelRates('fineweb_quality', labelled, (t) => finewebQualityCheck(t, fw, fws) !== null);
  labelRates('line_corrections', labelled, (t) => correctLines(t, lc).removedWordFrac > lc.maxRemovedWordFrac);
  labelRates('gopher_rep+gopher_quality+line_corrections', labelled, (t) => gopherRepetitionCheck(t, rep, repScratch) !== null
    || gopherQualityCheck(t, gq, gqs) !== null || correctLines(t, lc).removedWordFrac > lc.maxRemovedWordFrac);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
