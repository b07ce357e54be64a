import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { languageId, loadLanguageModel } from '../../src/ops/filters/language-id.ts';
import { loadFastTextFtz } from '../../src/ops/text/fasttext-ftz.ts';
import { fastTextWasmPaths, singleLine } from '../../src/ops/text/fasttext-wasm.ts';
import { oneMegabyteLine, readCorpus, runOperator, textBatch } from './text-fixtures.ts';

interface GoldenRow { code: string; top3: { label: string; score: number }[]; text: string }

function readGolden(): GoldenRow[] {
  const path = fileURLToPath(new URL('../../fixtures/lid/lid176_cli_golden_udhr.tsv', import.meta.url));
  const rows: GoldenRow[] = [];
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0 && !l.startsWith('#'));
  for (const line of lines.slice(1)) {
    const cols = line.split('\t');
    const top3 = cols[4]!.split(' ').map((p) => {
      const eq = p.lastIndexOf('=');
      return { label: p.slice(0, eq), score: Number(p.slice(eq + 1)) };
    });
    rows.push({ code: cols[0]!, top3, text: cols.slice(5).join('\t') });
  }
  return rows;
}

describe.each(['js', 'wasm'] as const)('language_id golden (%s engine): agrees with the native fastText CLI', (engine) => {
  it('top-1 label on all 1,566 UDHR lines, top-3 probabilities within 1e-4', async () => {
    const golden = readGolden();
    expect(golden.length).toBe(1566);
    const model = await loadLanguageModel(undefined, engine);
    let mismatches = 0;
    for (const row of golden) {
      const got = model.predict(singleLine(row.text), 3);
      if (got[0]!.label !== row.top3[0]!.label) mismatches++;
      expect(got[0]!.label, `${row.code}: ${row.text.slice(0, 60)}`).toBe(row.top3[0]!.label);
      for (let k = 0; k < row.top3.length; k++) {
        // Ranks 2-3 at the log(x + 1e-5) floor (~1e-5) are float-rounding ties; their order may differ.
        if (row.top3[k]!.score > 1e-4) expect(got[k]!.label).toBe(row.top3[k]!.label);
        expect(Math.abs(got[k]!.score - row.top3[k]!.score)).toBeLessThanOrEqual(1e-4);
      }
    }
    expect(mismatches).toBe(0);
  });
});

describe('language_id operator', () => {
  it('annotates language and score and drops non-English with a reason', async () => {
    const docs = readCorpus('dolma-cc2019-30.sample.jsonl');
    const r = await runOperator(languageId, {}, textBatch(docs.map((d) => d.text)));
    const langs = r.batch.getChild('language')!.toArray() as string[];
    const scores = r.batch.getChild('language_score')!.toArray() as Float64Array;
    expect(new Set(langs).size).toBeGreaterThan(2);
    for (let i = 0; i < docs.length; i++) {
      const expected = langs[i] !== 'en' ? 'language_id:language' : scores[i]! < 0.65 ? 'language_id:low_score' : null;
      expect(r.drop![i]).toBe(expected);
    }
    expect(r.drop!.filter((d) => d === null).length).toBeGreaterThan(3);
    expect(r.drop!.filter((d) => d === 'language_id:language').length).toBeGreaterThan(3);
  });

  it('labelOnly keeps everything; languages and minScore are honoured', async () => {
    const texts = ['Der schnelle braune Fuchs springt über den faulen Hund und läuft in den Wald.',
      'The quick brown fox jumps over the lazy dog and runs into the forest.', '12345 67890'];
    const all = await runOperator(languageId, { labelOnly: true }, textBatch(texts));
    expect(all.drop).toBeUndefined();
    expect(all.batch.getChild('language')!.toArray()).toEqual(['de', 'en', 'en']);
    const de = await runOperator(languageId, { languages: ['de'] }, textBatch(texts));
    expect(de.drop).toEqual([null, 'language_id:language', 'language_id:language']);
    const any = await runOperator(languageId, { languages: [], minScore: 0.5 }, textBatch(texts));
    expect(any.drop![0]).toBeNull();
    expect(any.drop![2]).toBe('language_id:low_score');
  });

  it('the js and wasm engines agree on real web documents', async () => {
    const js = await loadLanguageModel(undefined, 'js');
    const wasm = await loadLanguageModel(undefined, 'wasm');
    for (const d of readCorpus('dolma-cc2019-30.sample.jsonl')) {
      const a = js.predict(singleLine(d.text), 1)[0]!;
      const b = wasm.predict(singleLine(d.text), 1)[0]!;
      expect(a.label).toBe(b.label);
      expect(Math.abs(a.score - b.score)).toBeLessThan(1e-4);
    }
  });

  it('js engine: the UTF-8 byte path and a tiny (constantly reset) token cache give exactly the string path\'s results', async () => {
    const js = await loadLanguageModel(undefined, 'js');
    const tiny = loadFastTextFtz(fastTextWasmPaths().lid176, 7);
    const edge = ['__label__de Das ist ein Satz __label__en', '</s> la </s>', 'line one\nline two\r\n\tend',
      '\ufeffBOM first', `${'x'.repeat(5000)} word ${'ü'.repeat(3000)}`, 'a\u00a0b\u3000c', '', '  \n '];
    const texts = [...readCorpus('dolma-cc2019-30.sample.jsonl').map((d) => d.text), ...edge];
    const r = await runOperator(languageId, { labelOnly: true }, textBatch(texts));
    const langs = r.batch.getChild('language')!.toArray() as string[];
    const scores = r.batch.getChild('language_score')!.toArray() as Float64Array;
    const wasm = await loadLanguageModel(undefined, 'wasm');
    for (let i = 0; i < texts.length; i++) {
      const want = js.predict(singleLine(texts[i]!), 1)[0]!;
      expect([langs[i], scores[i]]).toEqual([want.label, want.score]);
      const b = Buffer.from(texts[i]!);
      expect(tiny.predictUtf8(b, 0, b.length, 1)[0]).toEqual(want);
      expect(tiny.predict(texts[i]!, 2)).toEqual(js.predict(texts[i]!, 2));
      const w = wasm.predict(singleLine(texts[i]!), 1)[0]!;
      expect(want.label).toBe(w.label);
      expect(Math.abs(want.score - w.score)).toBeLessThan(1e-4);
    }
  });

  it('handles empty text, newlines, CJK and a 1 MB single line', async () => {
    const cjk = '人人生而自由，在尊严和权利上一律平等。他们赋有理性和良心，并应以兄弟关系的精神相对待。';
    const multi = 'Erste Zeile des Textes.\nZweite Zeile: hier steht mehr Deutsch als in der ersten Zeile, und noch mehr.';
    const r = await runOperator(languageId, { labelOnly: true }, textBatch(['', null, cjk, multi, oneMegabyteLine()]));
    const langs = r.batch.getChild('language')!.toArray() as string[];
    const scores = r.batch.getChild('language_score')!.toArray() as Float64Array;
    // Featureless text: only the end-of-line token, which lid.176 scores as en 0.1245.
    expect(langs[0]).toBe('en');
    expect(scores[0]).toBeCloseTo(0.1245, 3);
    expect(langs[1]).toBe('en');
    expect(langs[2]).toBe('zh');
    // The whole text is used, not only the first line.
    expect(langs[3]).toBe('de');
    expect(langs[4]).toBe('en');
  });
});
