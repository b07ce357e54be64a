import {
  c4Quality, definePipeline, extractText, finewebQuality, gopherQuality, gopherRepetition, languageId, minhash, pii,
  readWarc, TIKTOKEN_ENCODINGS, tokenize, tokensSink, urlFilter, type PipelineContext, type TokenizerSpec,
} from 'sluice';

/**
 * FineWeb (Penedo et al. 2024, arXiv 2406.17557; datatrove `examples/fineweb.py`) from WARC
 * files to training-ready token shards:
 *
 *   WARC → URL filter → main-text extraction (favor precision) → language ID (en, score ≥ 0.65)
 *   → Gopher repetition → Gopher quality → C4 quality (no terminal-punctuation rule) → FineWeb
 *   quality → MinHash dedup (14 bands × 8, 5-grams) → PII redaction → tokenize → token shards
 *   (`<out>/tokens/`)
 *
 * plus a Parquet copy of the kept documents (text, url, language, PII counts, token count) in
 * `<out>/documents/`. Every default against the paper and datatrove: docs/recipe-fineweb.md.
 * The optimizer may reorder the pure filters (by cost and selectivity); the kept set is the same.
 *
 * Options (`--option key=value`):
 * - `languages`: comma-separated fastText labels to keep (default `en`; empty keeps every language,
 *   datatrove's current default)
 * - `minLanguageScore`: language score threshold (default 0.65)
 * - `tokenizer`: `gpt2` (default), `r50k_base`, `cl100k_base`, `o200k_base`, or a path to a Hugging Face `tokenizer.json`
 * - `maxTokensPerShard`: shard size limit in tokens (default 2^30)
 * - `shuffleSeed`: shuffle documents across shards deterministically with this seed (default: input order)
 * - `dedup`: `fineweb` (default) or `off`
 * - `blocklistDir`: a UT1-layout blocklist directory for the URL filter (not shipped)
 *
 * Run: `npx sluice run pipelines/fineweb.ts --input fixtures/warc --output out/`
 */
export default definePipeline((ctx) => {
  const o = options(ctx);
  const filtered = readWarc(ctx.files('**/*.{warc,warc.gz}'))
    .apply(urlFilter, o.blocklistDir ? { blocklistDir: o.blocklistDir } : {})
    .apply(extractText, { favorPrecision: true })
    .apply(languageId, { languages: o.languages, minScore: o.minLanguageScore })
    .apply(gopherRepetition)
    .apply(gopherQuality)
    .apply(c4Quality, { filterNoTerminalPunct: false })
    .apply(finewebQuality);
  const deduped = o.dedup === 'off' ? filtered : filtered.dedup(minhash({ preset: 'fineweb' }));
  const frame = deduped
    .apply(pii)
    .apply(tokenize, { tokenizer: o.tokenizer })
    .select('id', 'url', 'date', 'text', 'language', 'language_score', 'pii_emails', 'pii_ips', 'token_count', 'tokens');
  return {
    frame,
    sink: tokensSink('tokens', {
      documents: `${ctx.output}/documents`,
      ...(o.maxTokensPerShard !== undefined ? { maxTokensPerShard: o.maxTokensPerShard } : {}),
      ...(o.shuffleSeed !== undefined ? { shuffleSeed: o.shuffleSeed } : {}),
    }),
  };
});

interface RecipeOptions {
  languages: string[];
  minLanguageScore: number;
  tokenizer: TokenizerSpec;
  maxTokensPerShard?: number;
  shuffleSeed?: number;
  blocklistDir?: string;
  dedup: 'fineweb' | 'off';
}

function options(ctx: PipelineContext): RecipeOptions {
  const known = new Set(['languages', 'minLanguageScore', 'tokenizer', 'maxTokensPerShard', 'shuffleSeed', 'blocklistDir', 'dedup']);
  for (const k of Object.keys(ctx.options)) {
    if (!known.has(k)) throw new Error(`fineweb: unknown option "${k}" (known: ${[...known].join(', ')})`);
  }
  const { languages, minLanguageScore, tokenizer, maxTokensPerShard, shuffleSeed, blocklistDir, dedup = 'fineweb' } = ctx.options;
  if (dedup !== 'fineweb' && dedup !== 'off') throw new Error(`fineweb: option dedup must be fineweb or off, got "${dedup}"`);
  return {
    languages: languages === undefined ? ['en'] : languages.split(',').map((s) => s.trim()).filter(Boolean),
    minLanguageScore: minLanguageScore === undefined ? 0.65 : number('minLanguageScore', minLanguageScore),
    tokenizer: tokenizer === undefined ? 'gpt2'
      : (TIKTOKEN_ENCODINGS as readonly string[]).includes(tokenizer) ? (tokenizer as TokenizerSpec) : { huggingface: tokenizer },
    ...(maxTokensPerShard !== undefined ? { maxTokensPerShard: number('maxTokensPerShard', maxTokensPerShard) } : {}),
    ...(shuffleSeed !== undefined ? { shuffleSeed: number('shuffleSeed', shuffleSeed) } : {}),
    ...(blocklistDir !== undefined ? { blocklistDir } : {}),
    dedup,
  };
}

function number(name: string, v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new Error(`fineweb: option ${name} must be a number, got "${v}"`);
  return n;
}
