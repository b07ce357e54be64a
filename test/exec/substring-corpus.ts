import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { realDocs, type Doc } from './dedup-corpus.ts';

/**
 * Real documents (fixtures/corpus) with planted repeats, in input order, for exact-substring dedup:
 * - `-quote`: a later document quoting a paragraph of an earlier one in its middle (across documents);
 * - `-edge`: a document starting with the opening and ending with the closing of another (document edges);
 * - `-twice`: a document holding one of its own paragraphs twice (a repeat inside one document);
 * - `-overlap`: two documents sharing overlapping stretches of a third (overlapping repeats);
 * - `-loop`: a periodic run (`ABAB…`), which repeats within itself;
 * - `-short` ×2: one identical sentence shorter than the window (k larger than a document: untouched);
 * - `-wide`: a repeat of CJK text and emoji, whose byte-level tokens split characters.
 */
export function substringDocs(): Doc[] {
  const real = realDocs().filter((d) => d.text.length > 200);
  const docs: Doc[] = [...real];
  const add = (id: string, text: string) => docs.push({ id, url: `https://planted.example.org/${id}`, text });
  for (let i = 0; i < 6; i++) {
    const a = real[i * 7]!, b = real[i * 7 + 3]!;
    const para = a.text.slice(Math.floor(a.text.length / 3), Math.floor(a.text.length / 3) + 600);
    add(`${b.id}-quote`, `${b.text.slice(0, 400)}\n\nAs reported elsewhere: ${para}\n\n${b.text.slice(400, 900)}`);
  }
  for (let i = 0; i < 3; i++) {
    const a = real[i * 11 + 1]!, b = real[i * 11 + 5]!;
    add(`${a.id}-edge`, `${a.text.slice(0, 500)} ${b.text.slice(200, 500)} ${a.text.slice(-500)}`);
  }
  for (let i = 0; i < 3; i++) {
    const a = real[i * 13 + 2]!;
    const para = a.text.slice(100, 700);
    add(`${a.id}-twice`, `${a.text.slice(0, 300)}\n${para}\nMore text follows here, written only once.\n${para}\nThe end.`);
  }
  const base = real[9]!.text;
  add('overlap-1', `Intro one. ${base.slice(0, 900)} Outro one.`);
  add('overlap-2', `Intro two. ${base.slice(450, 1400)} Outro two.`);
  add('loop', `${'the cat sat on the mat and then '.repeat(40)}until the end.`);
  add('short-1', 'A short note that appears twice.');
  add('short-2', 'A short note that appears twice.');
  const wide = '東京の天気は晴れ、気温は二十五度です。🙂🚀 明日も晴れるでしょう。'.repeat(3);
  add('wide-1', `First page. ${wide} Then something else entirely.`);
  add('wide-2', `Second page! ${wide}`);
  return docs;
}

/** Writes {@link substringDocs} as `files` JSONL files in input order; returns the documents. */
export async function writeSubstringCorpus(dir: string, files: number): Promise<Doc[]> {
  const docs = substringDocs();
  await mkdir(dir, { recursive: true });
  const per = Math.ceil(docs.length / files);
  for (let f = 0; f < files; f++) {
    const part = docs.slice(f * per, (f + 1) * per);
    await writeFile(join(dir, `part-${String(f).padStart(2, '0')}.jsonl`), part.map((d) => JSON.stringify(d)).join('\n') + '\n');
  }
  return docs;
}
