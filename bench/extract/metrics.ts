/**
 * Token-level scores for extraction: bags of lower-cased words (Han, Hiragana and Katakana count
 * one token per character, since those scripts do not separate words), compared as multisets.
 */
const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}';
// Built from a string: the `v` flag (set subtraction) postdates the ES2022 target but Node 20 has it.
const TOKEN = new RegExp(`[${CJK}]|[[\\p{L}\\p{N}\\p{M}]--[${CJK}]]+`, 'gv');

export function tokens(text: string): string[] {
  return text.toLowerCase().match(TOKEN) ?? [];
}

export interface Prf { precision: number; recall: number; f1: number }

export function tokenPrf(predicted: string, reference: string): Prf {
  const ref = new Map<string, number>();
  for (const t of tokens(reference)) ref.set(t, (ref.get(t) ?? 0) + 1);
  const pred = tokens(predicted);
  let overlap = 0;
  for (const t of pred) {
    const c = ref.get(t);
    if (c !== undefined && c > 0) { overlap++; ref.set(t, c - 1); }
  }
  const refCount = tokens(reference).length;
  const precision = pred.length === 0 ? (refCount === 0 ? 1 : 0) : overlap / pred.length;
  const recall = refCount === 0 ? 1 : overlap / refCount;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}
