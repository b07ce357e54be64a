import { Int32, makeData, Type, type RecordBatch } from 'apache-arrow';
import { dropColumns, setColumn } from '../../arrow/batch.ts';
import { readTokenLists } from '../../arrow/token-lists.ts';
import { decodeUtf8, utf8Parts, utf8Vector } from '../../arrow/utf8.ts';
import { defineOperator } from '../operator.ts';
import { loadTokenizer, type TokenizerBackend } from '../tokenize/backend.ts';
import { cutText } from './substrings-cut.ts';
import { REMOVED_CHARS, REMOVED_TOKENS, SubstringDedupOptions, type ResolvedSubstringOptions } from './substrings-options.ts';

/** Per-row cut spans the substring dedup stage's input carries (`[start, end)` token pairs); this step consumes it. */
export const CUT_COLUMN = '__substr_cut';
export const TOO_SHORT = 'substring_dedup:too_short';

interface CutState {
  options: ResolvedSubstringOptions;
  backend: TokenizerBackend;
  tokenBytes: (id: number) => number;
}

/**
 * The narrow end of exact-substring dedup, first in the stage after the cut: the wide phases
 * (src/exec/dedup/substring-*.ts) mark each row with {@link CUT_COLUMN}; this step re-tokenizes the
 * documents that have cuts (the same ids the map hashed), removes the spans from the text at
 * character boundaries, writes {@link REMOVED_TOKENS} / {@link REMOVED_CHARS}, and drops a document
 * that lost tokens and has fewer than `minTokensLeft` left, as `substring_dedup:too_short`.
 */
export const substringCut = defineOperator({
  name: 'substring_dedup',
  options: SubstringDedupOptions,
  declare: (o) => ({
    reads: [CUT_COLUMN, o.column], writes: [o.column, REMOVED_TOKENS, REMOVED_CHARS], removes: [CUT_COLUMN],
    filters: true, kind: 'narrow', costPerRow: 50_000, dropReasons: [TOO_SHORT],
  }),
  init: async (o): Promise<CutState> => {
    const backend = await loadTokenizer(o.tokenizer);
    const bytes = backend.tokenByteLength?.bind(backend);
    if (!bytes) throw new Error(`substring dedup: tokenizer ${backend.name} cannot map tokens to bytes`);
    return { options: o, backend, tokenBytes: bytes };
  },
  apply(state, batch, ctx) {
    const o = state.options;
    const cuts = readTokenLists(batch, CUT_COLUMN);
    const at = batch.schema.fields.findIndex((f) => f.name === o.column);
    const data = at < 0 ? undefined : batch.data.children[at]!;
    if (!data || data.typeId !== Type.Utf8) throw new Error(`substring dedup: column "${o.column}" must be a Utf8 column of the input`);
    const texts = decodeUtf8(utf8Parts(data));
    const tokens = new Int32Array(batch.numRows), chars = new Int32Array(batch.numRows);
    const drop = new Array<string | null>(batch.numRows).fill(null);
    let changed = false;
    for (let i = 0; i < batch.numRows; i++) {
      const from = cuts.offsets[i]!, to = cuts.offsets[i + 1]!;
      if (from === to) continue;
      ctx.heartbeat(i);
      const ids = state.backend.encodeOrdinary(texts[i] ?? '');
      const cut = cutText(texts[i] ?? '', ids, cuts.values.subarray(from, to), state.tokenBytes);
      texts[i] = cut.text;
      tokens[i] = cut.removedTokens;
      chars[i] = cut.removedChars;
      changed = true;
      if (ids.length - cut.removedTokens < o.minTokensLeft) drop[i] = TOO_SHORT;
    }
    let out: RecordBatch = dropColumns(batch, [CUT_COLUMN]);
    if (changed) out = setColumn(out, o.column, utf8Vector(texts), batch.schema.fields[at]!.nullable);
    out = setColumn(out, REMOVED_TOKENS, makeData({ type: new Int32(), length: tokens.length, nullCount: 0, data: tokens }), false);
    out = setColumn(out, REMOVED_CHARS, makeData({ type: new Int32(), length: chars.length, nullCount: 0, data: chars }), false);
    return { batch: out, drop };
  },
});
