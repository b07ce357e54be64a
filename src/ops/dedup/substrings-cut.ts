/** What {@link cutText} removed from one document. */
export interface TextCut {
  text: string;
  /** Tokens inside the cut spans. */
  removedTokens: number;
  /** Unicode code points removed from the text. */
  removedChars: number;
}

/** UTF-8 bytes of the UTF-16 unit at `i` and how many units that code point takes (lone surrogates: U+FFFD, 3 bytes, as the tokenizer sees them). */
function codePoint(text: string, i: number): [bytes: number, units: number] {
  const c = text.charCodeAt(i);
  if (c < 0x80) return [1, 1];
  if (c < 0x800) return [2, 1];
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return [4, 2];
  }
  return [3, 1];
}

/**
 * Removes the token ranges `spans` (sorted disjoint `[start, end)` pairs over `ids`, the document's
 * byte-level token ids, whose UTF-8 bytes are `tokenBytes(id)` long and concatenate to the text)
 * from `text`, cutting only at character boundaries: a range's byte edges are moved inward to the
 * nearest code point boundary, so a character split between a cut token and a kept one is kept.
 * Throws when the tokens' bytes do not add up to the text's (not the tokenization of this text).
 */
export function cutText(text: string, ids: Uint32Array, spans: ArrayLike<number>, tokenBytes: (id: number) => number): TextCut {
  const prefix = new Float64Array(ids.length + 1);
  for (let t = 0; t < ids.length; t++) prefix[t + 1] = prefix[t]! + tokenBytes(ids[t]!);
  let unit = 0, byte = 0, chars = 0;
  const pieces: string[] = [];
  let kept = 0, removedTokens = 0, removedChars = 0;
  // Advance to the first code point boundary at or after `target` bytes (round up), or the last
  // one at or before it (round down), counting code points.
  const advance = (target: number, up: boolean) => {
    while (unit < text.length) {
      const [b, u] = codePoint(text, unit);
      if (up ? byte >= target : byte + b > target) break;
      byte += b; unit += u; chars++;
    }
  };
  for (let s = 0; s + 1 < spans.length; s += 2) {
    const a = spans[s]!, e = spans[s + 1]!;
    if (!(a < e && e <= ids.length)) throw new Error(`cut span [${a}, ${e}) is not inside the document's ${ids.length} tokens`);
    removedTokens += e - a;
    advance(prefix[a]!, true);
    const fromUnit = unit, fromChars = chars;
    advance(prefix[e]!, false);
    if (unit > fromUnit) {
      pieces.push(text.slice(kept, fromUnit));
      kept = unit;
      removedChars += chars - fromChars;
    }
  }
  advance(Infinity, false);
  if (byte !== prefix[ids.length]) throw new Error(`the tokens cover ${prefix[ids.length]} bytes, the text has ${byte}: they are not its tokenization`);
  pieces.push(text.slice(kept));
  return { text: pieces.join(''), removedTokens, removedChars };
}
