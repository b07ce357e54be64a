import { readFileSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const CORPUS = resolve(import.meta.dirname, '../../fixtures/corpus');

export interface Doc { id: string; url: string; text: string }

const BOILERPLATE = '\n\nShare this article on Facebook and Twitter. Subscribe to our newsletter for the latest news.';

/** The real documents of fixtures/corpus (80), each with a URL (synthesized where missing). */
export function realDocs(): Doc[] {
  const out: Doc[] = [];
  for (const name of readdirSync(CORPUS).sort()) {
    for (const line of readFileSync(join(CORPUS, name), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const r = JSON.parse(line) as { id?: string; url?: string; text: string };
      const id = r.id ?? `${name}-${out.length}`;
      out.push({ id, url: r.url ?? `https://example.org/${encodeURIComponent(id)}`, text: r.text });
    }
  }
  return out;
}

/** Drops the `k`-th sentence (a realistic edit: a paragraph removed on a mirror). */
function dropSentence(text: string, k: number): string {
  const parts = text.split(/(?<=[.!?])\s+/);
  if (parts.length < 4) return text;
  parts.splice(k % parts.length, 1);
  return parts.join(' ');
}

/**
 * A corpus with duplicates made by realistic edits, spread over `files` JSONL files in input order
 * (originals first, copies later, some copies in the same file as their original):
 * - `exact`: the same text with changed whitespace and case (exact and MinHash duplicates);
 * - `near`: boilerplate appended and one sentence dropped (MinHash duplicates only);
 * - `mirror`: another document under the original's URL, http/www/utm-tagged (URL duplicates only).
 * Returns the documents in input order.
 */
export async function writeDupCorpus(dir: string, files = 6): Promise<Doc[]> {
  const real = realDocs();
  const long = real.filter((d) => d.text.length > 1500);
  const docs: Doc[] = [...real];
  long.forEach((d, i) => {
    if (i % 3 === 0) docs.push({ id: `${d.id}-exact`, url: `https://copy.example.net/${i}`, text: `  ${d.text.replace(/ /g, '  ').toUpperCase()}\n` });
    if (i % 3 === 1) docs.push({ id: `${d.id}-near`, url: `https://near.example.net/${i}`, text: dropSentence(d.text, i) + BOILERPLATE });
    if (i % 4 === 0) {
      const other = real[(real.indexOf(d) + 7) % real.length]!;
      docs.push({ id: `${d.id}-mirror`, url: d.url.replace(/^https?:\/\/(www\.)?/, 'http://www.') + (d.url.includes('?') ? '&' : '?') + 'utm_source=feed', text: `${other.text}\n\nMirror ${i}.` });
    }
  });
  await mkdir(dir, { recursive: true });
  const per = Math.ceil(docs.length / files);
  for (let f = 0; f < files; f++) {
    const part = docs.slice(f * per, (f + 1) * per);
    await writeFile(join(dir, `part-${String(f).padStart(2, '0')}.jsonl`), part.map((d) => JSON.stringify(d)).join('\n') + '\n');
  }
  return docs;
}
