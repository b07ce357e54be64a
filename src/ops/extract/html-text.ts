/**
 * Text of the UTF-8 bytes `html[from, to)`, as the tokenizer reports it: only text is ever decoded,
 * never the whole page. Half the text nodes of real pages are markup indentation and a fifth are
 * 1–3 characters, and a decoding call costs ~60 ns whatever the length: those are made without one.
 */
export function decodeText(html: Buffer, from: number, to: number): string {
  const len = to - from;
  if (len <= MAX_SPACE_RUN) {
    let key = 0;
    let i = from;
    for (; i < to; i++) {
      const k = SPACE_KEY[html[i]!]!;
      if (k === 0) break;
      key = key * 5 + k;
    }
    if (i === to) return spaceRun(key, html, from, to);
    if (len <= 3 && (html[from]! | html[to - 1]! | html[from + (len >> 1)]!) < 0x80) {
      return len === 1 ? String.fromCharCode(html[from]!) : len === 2
        ? String.fromCharCode(html[from]!, html[from + 1]!) : String.fromCharCode(html[from]!, html[from + 1]!, html[from + 2]!);
    }
  }
  return html.toString('utf8', from, to);
}

/** Longest whitespace run kept in {@link spaceRun}'s cache: its key (base 5) stays exact in a double. */
const MAX_SPACE_RUN = 22;
const MAX_SPACE_RUNS = 4096;
/** Per byte, its digit in a whitespace run's key (space, LF, tab, CR), or 0 for any other byte. */
const SPACE_KEY = new Uint8Array(256);
SPACE_KEY[32] = 1; SPACE_KEY[10] = 2; SPACE_KEY[9] = 3; SPACE_KEY[13] = 4;
const spaceRuns = new Map<number, string>();

/** The whitespace run `html[from, to)` with key `key`, as one shared string per distinct run. */
function spaceRun(key: number, html: Buffer, from: number, to: number): string {
  let run = spaceRuns.get(key);
  if (run === undefined) {
    run = html.toString('latin1', from, to);
    if (spaceRuns.size < MAX_SPACE_RUNS) spaceRuns.set(key, run);
  }
  return run;
}
